"""Celery tasks of the reporting app: they take ids (or nothing) and are safe to run twice.

The document render task lives with the documents (reporting/documents/tasks.py).
"""

from __future__ import annotations

import logging

from celery import shared_task

from core import clock
from reporting.workflow import open_due_periods

logger = logging.getLogger(__name__)


@shared_task(name="reporting.tasks.open_due_reporting_periods")
def open_due_reporting_periods() -> dict[str, int | str]:
    """Hourly (CELERY_BEAT_SCHEDULE): open every period that has begun, with its reports; idempotent.

    Returns what this run really created (all zeros on most hours), for the Celery result and the log.
    """
    today = clock.today()
    opened = open_due_periods(today)
    logger.info(
        "Reporting periods due on %s: created %d periods, %d reports, %d entries in %d agreements",
        today.isoformat(),
        opened.periods,
        opened.reports,
        opened.entries,
        opened.agreements,
    )
    return {"today": today.isoformat(), **opened.as_dict()}
