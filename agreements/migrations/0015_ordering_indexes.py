"""Issue 11: default orderings read from an index, on the table's own columns (no join to sort a list).

Checked against PostgreSQL's pg_indexes by tests/coopportal/test_query_counts_at_scale.py.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0014_expiry_schedule"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="cooperationitem",
            options={
                "ordering": ["agreement_id", "number"],
                "verbose_name": "nội dung hợp tác",
                "verbose_name_plural": "nội dung hợp tác",
            },
        ),
        migrations.AlterModelOptions(
            name="party",
            options={
                "ordering": ["agreement_id", "order", "pk"],
                "verbose_name": "bên tham gia",
                "verbose_name_plural": "các bên tham gia",
            },
        ),
        migrations.AddIndex(
            model_name="agreement",
            index=models.Index(fields=["-period_start", "title", "id"], name="agreement_default_order"),
        ),
        migrations.AddIndex(
            model_name="party",
            index=models.Index(fields=["agreement", "order", "id"], name="party_default_order"),
        ),
    ]
