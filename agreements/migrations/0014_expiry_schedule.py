"""Issue 10: agreements expire by themselves at the end of their period (agreements.tasks.expire_agreements)."""

from typing import Any

from django.db import migrations

TZ = "Asia/Ho_Chi_Minh"
TASK = "agreements.tasks.expire_agreements"


def create_schedule(apps: Any, schema_editor: Any) -> None:
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # Just after midnight in Việt Nam: the day after a period's last day, before the 06:30 reminders.
    nightly, _ = Crontab.objects.get_or_create(
        minute="10", hour="0", day_of_week="*", day_of_month="*", month_of_year="*", timezone=TZ
    )
    PeriodicTask.objects.get_or_create(
        name="Thỏa thuận hết hiệu lực khi hết giai đoạn (00:10 hằng ngày)",
        defaults={
            "task": TASK,
            "crontab": nightly,
            "description": "Chuyển các thỏa thuận đang hiệu lực đã qua ngày kết thúc giai đoạn sang “Hết hiệu lực”; "
            "không mở thêm kỳ báo cáo, không nhắc việc cho các thỏa thuận đó.",
        },
    )


def remove_schedule(apps: Any, schema_editor: Any) -> None:
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0013_sectors_lead_bodies_lifecycle"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
