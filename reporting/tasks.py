"""Celery tasks of the reporting app: they take ids and are safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from agreements.models import Agreement


@shared_task(name="reporting.tasks.render_official_document", acks_late=True)
def render_official_document(document_id: int) -> str:
    """Render and store one official PDF; a second delivery finds it claimed or done and does nothing."""
    from reporting.documents.services import render_stored

    return render_stored(document_id)


@shared_task(name="reporting.tasks.open_due_reporting_periods")
def open_due_reporting_periods() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE): open every period that has begun, with its reports; idempotent."""
    from reporting.services import open_reporting_periods

    today = timezone.localdate()
    opened = 0
    for agreement in Agreement.objects.filter(status=Agreement.Status.IN_FORCE).order_by("pk"):
        opened += len(open_reporting_periods(agreement, today))
    return opened
