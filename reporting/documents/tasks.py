"""The Celery task that renders large official documents; it takes an id and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from reporting.documents.rendering import render_stored


# The name is kept from before the documents package had its own tasks module: queued messages still match.
@shared_task(name="reporting.tasks.render_official_document", acks_late=True)
def render_official_document(document_id: int) -> str:
    """Render and store one official PDF; a second delivery finds it claimed or done and does nothing."""
    return render_stored(document_id)
