"""Celery tasks of the reporting app: they take ids (or nothing) and are safe to run twice.

The document render task lives with the documents (reporting/documents/tasks.py).
"""

from __future__ import annotations

from celery import shared_task

from agreements.models import Agreement
from core import clock
from reporting.workflow import open_reporting_periods


@shared_task(name="reporting.tasks.open_due_reporting_periods")
def open_due_reporting_periods() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE): open every period that has begun, with its reports; idempotent."""
    today = clock.today()
    opened = 0
    for agreement in Agreement.objects.filter(status=Agreement.Status.IN_FORCE).order_by("pk"):
        opened += len(open_reporting_periods(agreement, today))
    return opened
