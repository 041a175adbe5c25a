"""Issue 11: default orderings read from an index, on the table's own columns (no join to sort a list).

Checked against PostgreSQL's pg_indexes by tests/coopportal/test_query_counts_at_scale.py.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0015_ordering_indexes"),
        ("reporting", "0010_render_lease"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="entryrevision",
            options={
                "ordering": ["entry_id", "version"],
                "verbose_name": "lịch sử chỉnh sửa",
                "verbose_name_plural": "lịch sử chỉnh sửa",
            },
        ),
        migrations.AlterModelOptions(
            name="reportingperiod",
            options={
                "ordering": ["agreement_id", "start"],
                "verbose_name": "kỳ báo cáo",
                "verbose_name_plural": "kỳ báo cáo",
            },
        ),
        migrations.AddIndex(
            model_name="evidence",
            index=models.Index(fields=["uploaded_at", "id"], name="evidence_default_order"),
        ),
        migrations.AddIndex(
            model_name="officialdocument",
            index=models.Index(fields=["-requested_at", "-id"], name="document_default_order"),
        ),
        migrations.AddIndex(
            model_name="reporttransition",
            index=models.Index(fields=["created_at", "id"], name="transition_default_order"),
        ),
    ]
