from django.db import migrations


def load_units(apps, schema_editor):
    from agreements.adminunits import load_administrative_units

    load_administrative_units(apps.get_model("agreements", "AdministrativeUnit"))


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]

    operations = [migrations.RunPython(load_units, migrations.RunPython.noop)]
