"""The beat schedule is in the database (django_celery_beat), so an admin sees and edits it."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django_celery_beat.models import PeriodicTask

from agreements.tasks import expire_agreements
from coopportal.celery import app
from notifications.tasks import send_daily_reminders, send_notification_emails
from reporting.tasks import open_due_reporting_periods

pytestmark = pytest.mark.django_db


def test_the_daily_job_runs_at_0630_vietnam_time_from_the_database() -> None:
    daily = PeriodicTask.objects.get(task=send_daily_reminders.name)
    assert daily.enabled
    assert (daily.crontab.minute, daily.crontab.hour) == ("30", "6")
    assert str(daily.crontab.timezone) == "Asia/Ho_Chi_Minh"
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
    assert not getattr(settings, "CELERY_BEAT_SCHEDULE", None), "no second schedule in the settings"


def test_every_scheduled_task_exists_and_the_sweep_and_periods_are_scheduled() -> None:
    names = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {
        send_notification_emails.name,
        open_due_reporting_periods.name,
        send_daily_reminders.name,
        expire_agreements.name,
    } <= names
    assert names <= set(app.tasks)
    sweep = PeriodicTask.objects.get(task=send_notification_emails.name)
    assert (sweep.interval.every, sweep.interval.period) == (5, "minutes")


def test_an_admin_edits_the_schedule_and_the_offsets(admin_client: Any) -> None:
    daily = PeriodicTask.objects.get(task=send_daily_reminders.name)
    assert admin_client.get(f"/admin/django_celery_beat/periodictask/{daily.pk}/change/").status_code == 200
    page = admin_client.get("/admin/notifications/remindersettings/add/")
    assert page.status_code == 200
    response = admin_client.post(
        "/admin/notifications/remindersettings/add/",
        {
            "report_offsets": "-10, -3, 0, 5",
            "report_coordinators_from": "5",
            "report_leaders_from": "5",
            "meeting_offsets": "-30, -7",
            "commitment_offsets": "-7, 1",
            "agreement_ending_days": "90",
            "catch_up_days": "30",
        },
    )
    assert response.status_code == 302
    from notifications.models import ReminderSettings

    assert ReminderSettings.load().report_stages == [-10, -3, 0, 5]
    refused = admin_client.post(
        "/admin/notifications/remindersettings/1/change/",
        {
            "report_offsets": "-10, mười",
            "report_coordinators_from": "5",
            "report_leaders_from": "3",
            "meeting_offsets": "-30, -7",
            "commitment_offsets": "-7, 1",
            "agreement_ending_days": "90",
            "catch_up_days": "30",
        },
    )
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "không phải là số ngày" in text
    assert ReminderSettings.load().report_stages == [-10, -3, 0, 5]
