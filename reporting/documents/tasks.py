"""The Celery tasks of the documents: the render (an id in, safe to run twice) and the sweep that recovers lost renders.

`send_render` is the one way a render reaches the broker: it marks the row queued with a
conditional UPDATE (so two senders never both send) and, when the broker cannot be reached,
leaves it pending with QUEUE_DOWN_MESSAGE for the page; the sweep sends it again later.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings

from core import clock
from reporting.documents.processes import clean_scratch
from reporting.documents.rendering import QUEUE_DOWN_MESSAGE, busy_rows, recover, render_stored
from reporting.models import OfficialDocument

logger = logging.getLogger(__name__)
State = OfficialDocument.State


# The name is kept from before the documents package had its own tasks module: queued messages still match.
@shared_task(name="reporting.tasks.render_official_document", acks_late=True)
def render_official_document(document_id: int) -> str:
    """Render and store one official PDF; a second delivery finds it claimed or done and does nothing."""
    return render_stored(document_id)


def queue_options() -> dict[str, Any]:
    queue = settings.DOCUMENTS_CELERY_QUEUE
    return {"queue": queue} if queue else {}


def send_render(document_id: int, seen_queued_at: datetime.datetime | None = None) -> bool:
    """Hand the render of a pending row to the broker, unless someone else just did; True if this call sent it.

    `seen_queued_at` is the row's queued_at as the caller read it (None: never sent, or sent and failed).
    Publishing is bounded in time (CELERY_BROKER_TRANSPORT_OPTIONS, CELERY_TASK_PUBLISH_RETRY_POLICY).
    """
    stamp = clock.now()
    mine = OfficialDocument.objects.filter(pk=document_id, state=State.PENDING)
    if not mine.filter(queued_at=seen_queued_at).update(queued_at=stamp, error=""):
        return False
    try:
        render_official_document.apply_async(args=(document_id,), **queue_options())
    except Exception:  # whatever the broker's failure, the request that asked has committed and must not fail
        logger.exception("Official document %s: its render could not be sent to the broker", document_id)
        mine.filter(queued_at=stamp).update(queued_at=None, error=QUEUE_DOWN_MESSAGE)
        return False
    return True


@shared_task(name="reporting.documents.tasks.recover_documents")
def recover_documents(worker_start: bool = False) -> dict[str, int]:
    """Every minute (the beat row of reporting/migrations/0009) and when a worker starts: nothing is left stuck.

    Re-sends pending documents whose task never reached the broker (at a worker's start, every
    pending one), queues again the renders that died (their lease ran out, or their process is
    gone), fails those interrupted too often, and removes the scratch folders of dead renders.
    Safe on two workers at once: every step is conditional.
    """
    now = clock.now()
    sent = lost = 0
    for stored in busy_rows()[:500]:
        if recover(stored, now, worker_start=worker_start):
            lost += 1
            sent += send_render(stored.pk, stored.queued_at)
    folders = clean_scratch()
    if lost or folders:
        logger.info("Document sweep: %d lost renders, %d sent again, %d scratch folders removed", lost, sent, folders)
    return {"lost": lost, "sent": sent, "folders": folders}


@worker_ready.connect
def recover_on_start(sender: Any = None, **kwargs: Any) -> None:
    """A worker that renders documents starts with a sweep: what died with its previous run is taken up at once."""
    queue = settings.DOCUMENTS_CELERY_QUEUE or (sender.app.conf.task_default_queue if sender is not None else None)
    consumer = getattr(sender, "task_consumer", None)
    names = {q.name for q in getattr(consumer, "queues", [])}
    if queue in names:
        try:
            recover_documents.apply_async(kwargs={"worker_start": True}, **queue_options())
        except Exception:
            logger.exception("Could not queue the document sweep at worker start")
