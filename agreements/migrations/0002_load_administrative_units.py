import datetime

from django.db import migrations

MERGER_DATE = datetime.date(2025, 7, 1)
LAST_DAY = datetime.date(2025, 6, 30)


def load_units(apps, schema_editor):
    from agreements.adminunits import current_units, legacy_units, merger_mapping

    Unit = apps.get_model("agreements", "AdministrativeUnit")
    old = legacy_units()
    new = current_units()
    mapping = merger_mapping()
    if len(old) != 63 or len(new) != 34 or set(mapping) != set(new):
        raise RuntimeError("vietnamadminunits does not ship the expected 63/34 units and mapping")
    mapped_old = [key for keys in mapping.values() for key in keys]
    if sorted(mapped_old) != sorted(old):
        raise RuntimeError("every one of the 63 old units must map to exactly one new unit")

    for new_key, old_keys in mapping.items():
        row = new[new_key]
        if old_keys == [new_key] and old[new_key].code == row.code:
            Unit.objects.update_or_create(
                key=row.key,
                valid_from=None,
                defaults={"code": row.code, "name": row.name, "short_name": row.short_name, "valid_to": None},
            )
            continue
        merged, _ = Unit.objects.update_or_create(
            key=row.key,
            valid_from=MERGER_DATE,
            defaults={"code": row.code, "name": row.name, "short_name": row.short_name},
        )
        for old_key in old_keys:
            o = old[old_key]
            Unit.objects.update_or_create(
                key=o.key,
                valid_from=None,
                defaults={
                    "code": o.code,
                    "name": o.name,
                    "short_name": o.short_name,
                    "valid_to": LAST_DAY,
                    "successor": merged,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]

    operations = [migrations.RunPython(load_units, migrations.RunPython.noop)]
