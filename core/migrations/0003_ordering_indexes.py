"""Issue 11: default orderings read from an index, on the table's own columns (no join to sort a list).

Checked against PostgreSQL's pg_indexes by tests/coopportal/test_query_counts_at_scale.py.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_audit_trail_immutable"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["-created_at", "-id"], name="audit_default_order"),
        ),
    ]
