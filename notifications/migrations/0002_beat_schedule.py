"""The beat schedule as rows an administrator sees and edits (django_celery_beat), created once."""

from typing import Any

from django.db import migrations

TZ = "Asia/Ho_Chi_Minh"


def create_schedule(apps: Any, schema_editor: Any) -> None:
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Interval = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    daily, _ = Crontab.objects.get_or_create(
        minute="30", hour="6", day_of_week="*", day_of_month="*", month_of_year="*", timezone=TZ
    )
    hourly, _ = Crontab.objects.get_or_create(
        minute="5", hour="*", day_of_week="*", day_of_month="*", month_of_year="*", timezone=TZ
    )
    every_five, _ = Interval.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(
        name="Nhắc việc hằng ngày (06:30)",
        defaults={
            "task": "notifications.tasks.send_daily_reminders",
            "crontab": daily,
            "description": "Nhắc nộp báo cáo, họp định kỳ, cam kết đến hạn, thỏa thuận sắp hết giai đoạn; thư tổng hợp.",
        },
    )
    PeriodicTask.objects.get_or_create(
        name="Gửi e-mail thông báo đang chờ (5 phút)",
        defaults={
            "task": "notifications.tasks.send_notification_emails",
            "interval": every_five,
            "description": "Gửi lại e-mail lỗi (chờ tăng dần) và e-mail của tiến trình bị ngắt.",
        },
    )
    PeriodicTask.objects.get_or_create(
        name="Mở kỳ báo cáo (hằng giờ)",
        defaults={"task": "reporting.tasks.open_due_reporting_periods", "crontab": hourly},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, migrations.RunPython.noop)]
