# Every province's People's Committee (63 old, 34 new: one per unit, an old one handing over to the
# new one's), the unit's former names (Thừa Thiên Huế), and the derived columns of every existing row:
# search names, each body's function, the end of a body whose unit ended.
#
# Safe on a database that already has bodies: a UBND is matched by (unit, name, valid_from), the
# demo's key, or else by being the unit's UBND, and completed rather than doubled.

from django.db import migrations


def forward(apps, schema_editor):
    from agreements import adminunits

    unit_model = apps.get_model("agreements", "AdministrativeUnit")
    name_model = apps.get_model("agreements", "AdministrativeUnitName")
    body_model = apps.get_model("agreements", "Body")
    adminunits.load_former_names(unit_model, name_model)
    adminunits.load_peoples_committees(unit_model, body_model)
    adminunits.fill_derived_fields(unit_model, name_model, body_model)


def backward(apps, schema_editor):
    """Remove the People's Committees this migration would add, where nothing refers to them.

    Only a UBND exactly as loaded (the unit's official name, its start, "UBND") goes; one that is a
    party, has members, children or predecessors stays, and so does any an administrator typed
    otherwise.  The former names go with their table when 0007 is reversed.
    """
    from agreements.adminunits import PEOPLES_COMMITTEE_ABBREVIATION, PEOPLES_COMMITTEE_KIND
    from agreements.naming import peoples_committee_name

    body_model = apps.get_model("agreements", "Body")
    relations = list(body_model._meta.related_objects)  # parties, members, children, successors, ...
    as_loaded = [
        body
        for body in body_model.objects.filter(
            kind=PEOPLES_COMMITTEE_KIND, abbreviation=PEOPLES_COMMITTEE_ABBREVIATION
        ).select_related("unit")
        if body.name == peoples_committee_name(body.unit.name) and body.valid_from == body.unit.valid_from
    ]
    while as_loaded:  # an old UBND refers to the new one: the new one goes on the next round
        unused = [
            body
            for body in as_loaded
            if not any(
                rel.related_model._base_manager.filter(**{rel.field.name: body.pk}).exists() for rel in relations
            )
        ]
        if not unused:
            return
        body_model.objects.filter(pk__in=[body.pk for body in unused]).delete()
        as_loaded = [body for body in as_loaded if body not in unused]


class Migration(migrations.Migration):
    dependencies = [("agreements", "0007_unit_names_body_function_search")]

    operations = [migrations.RunPython(forward, backward)]
