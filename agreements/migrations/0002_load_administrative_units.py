from django.db import migrations


def load_units(apps, schema_editor):
    # The units alone: names and People's Committees come with 0008, once their columns exist.
    from agreements import adminunits

    adminunits.load_units(apps.get_model("agreements", "AdministrativeUnit"))


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]

    operations = [migrations.RunPython(load_units, migrations.RunPython.noop)]
