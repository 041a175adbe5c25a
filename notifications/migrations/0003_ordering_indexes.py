"""Issue 11: default orderings read from an index, on the table's own columns (no join to sort a list).

Checked against PostgreSQL's pg_indexes by tests/coopportal/test_query_counts_at_scale.py.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0015_ordering_indexes"),
        ("meetings", "0003_planning_attendance_decisions"),
        ("notifications", "0002_beat_schedule"),
        ("reporting", "0011_ordering_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="digest",
            index=models.Index(fields=["-day", "recipient"], name="digest_default_order"),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["-created_at", "-id"], name="notification_default_order"),
        ),
    ]
