"""Celery tasks of the agreements app: they take ids (or nothing) and are safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task

from agreements import services
from core import clock

logger = logging.getLogger(__name__)


@shared_task(name="agreements.tasks.expire_agreements")
def expire_agreements() -> dict[str, int | str]:
    """Daily (django-celery-beat, agreements/migrations/0014_expiry_schedule.py): agreements in force whose
    period has ended expire on its last day, so that no period after it opens and nobody is reminded.

    A second run the same day, or two at once, expires nothing more (services.expire_agreements claims each).
    """
    today = clock.today()
    expired = services.expire_agreements(today)
    logger.info("Agreements whose period ended before %s: %d expired", today.isoformat(), expired)
    return {"today": today.isoformat(), "expired": expired}
