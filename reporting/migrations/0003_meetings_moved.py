# Review meetings now belong to `meetings` (meetings/migrations/0001 renames their tables).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0002_official_documents"),
        ("meetings", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="MeetingDecision"),
                migrations.DeleteModel(name="ReviewMeeting"),
            ]
        ),
    ]
