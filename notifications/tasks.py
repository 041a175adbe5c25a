"""Celery tasks of the notifications app: they take ids (or a day) and are safe to run twice."""

from __future__ import annotations

import datetime
import logging
import math
from typing import Any

from celery import shared_task
from django.conf import settings

from notifications import services

logger = logging.getLogger(__name__)


# One sender per this many waiting e-mails, at most MAX_SENDERS: on a busy morning every worker sends
# its share (they claim separate batches), and a quiet one costs one task.
EMAILS_PER_SENDER = 500
MAX_SENDERS = 16


@shared_task(name="notifications.tasks.send_daily_reminders")
def send_daily_reminders(day: str | None = None) -> dict[str, Any]:
    """06:30 every day (django-celery-beat): record the stages due today and the digests, then queue senders."""
    run = services.run_daily(datetime.date.fromisoformat(day) if day else None, send=False)
    waiting = services.waiting_emails()
    senders = min(MAX_SENDERS, max(1, math.ceil(waiting / EMAILS_PER_SENDER))) if waiting else 0
    for _ in range(senders):
        queue_sender()
    return run.summary() | {"waiting": waiting, "senders": senders}


@shared_task(name="notifications.tasks.send_notification_emails")
def send_notification_emails(ids: list[int] | None = None) -> dict[str, int]:
    """On commit of a workflow event (its ids), and every few minutes for retries and lost claims (no ids)."""
    outcome = services.deliver(ids)
    return {"sent": len(outcome.sent), "failed": len(outcome.failed)}


def queue_sender(ids: list[int] | None = None) -> None:
    """Queue a sender (of `ids`, or of everything ready); if the broker is down, the 5-minute sweep sends them."""
    try:
        queue = settings.NOTIFICATIONS_CELERY_QUEUE
        options: dict[str, Any] = {"queue": queue} if queue else {}
        send_notification_emails.apply_async(args=(ids,), **options)
    except Exception:  # the event is committed; a user's click must not fail because the broker did
        logger.warning("could not queue notification e-mails %s; the sweep will send them", ids, exc_info=True)
