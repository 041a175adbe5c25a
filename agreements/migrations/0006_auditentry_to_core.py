# The audit trail now belongs to `core` (core/migrations/0001 renames the table).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0005_signed_document_check"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="AuditEntry")]),
    ]
