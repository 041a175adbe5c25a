"""Celery tasks of the notifications app: they take ids (or a day) and are safe to run twice."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from celery import shared_task
from django.conf import settings

from notifications import services

logger = logging.getLogger(__name__)


@shared_task(name="notifications.tasks.send_daily_reminders")
def send_daily_reminders(day: str | None = None) -> dict[str, Any]:
    """06:30 every day (django-celery-beat): the stages due today, then the digests, then every ready e-mail."""
    return services.run_daily(datetime.date.fromisoformat(day) if day else None).summary()


@shared_task(name="notifications.tasks.send_notification_emails")
def send_notification_emails(ids: list[int] | None = None) -> dict[str, int]:
    """On commit of a workflow event (its ids), and every few minutes for retries and lost claims (no ids)."""
    outcome = services.deliver(ids)
    return {"sent": len(outcome.sent), "failed": len(outcome.failed)}


def send_emails_later(ids: list[int]) -> None:
    """Queue the e-mails of just-committed notifications; if the broker is down, the 5-minute sweep sends them."""
    try:
        queue = settings.NOTIFICATIONS_CELERY_QUEUE
        options: dict[str, Any] = {"queue": queue} if queue else {}
        send_notification_emails.apply_async(args=(ids,), **options)
    except Exception:  # the event is committed; a user's click must not fail because the broker did
        logger.warning("could not queue notification e-mails %s; the sweep will send them", ids, exc_info=True)
