"""Requesting, rendering, storing and serving official documents.

- A draft (some report behind the document not yet approved) is rendered in the request with a
  blank number and "DỰ THẢO", for the viewer's eyes, and never stored.
- A final document is stored in an OfficialDocument row, keyed by what it is about and who
  issues it.  Its number is claimed the first time it is rendered and kept for good.  A later
  download re-draws its HTML (cheap) and compares the fingerprint: the same → the stored file
  is served; different (the data behind it changed) → it is rendered again.
- Small documents are rendered in the request; large ones (more commitments than
  settings.DOCUMENTS_ASYNC_THRESHOLD) by the Celery task render_official_document, sent on
  commit with the row's id.  Whoever renders first claims the row with a conditional UPDATE
  (pending → rendering), so a task delivered twice, or a task and a request, never render the
  same document at once (reporting.documents.rendering).

Imports run one way: services -> tasks -> rendering -> kinds, never back.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from core import clock
from reporting.documents.kinds import BaseDocument, GeneratedDocument, fingerprint
from reporting.documents.numbering import format_number
from reporting.documents.rendering import render_stored, render_timeout, stored_rows
from reporting.documents.tasks import render_official_document
from reporting.models import OfficialDocument

logger = logging.getLogger(__name__)
State = OfficialDocument.State
Kind = OfficialDocument.Kind


def async_threshold() -> int:
    return settings.DOCUMENTS_ASYNC_THRESHOLD


@dataclass
class Delivery:
    """What a download gets: PDF bytes to send now (a draft), or the stored copy (ready, or on its way)."""

    document: BaseDocument
    generated: GeneratedDocument | None = None  # a draft, rendered for this request
    stored: OfficialDocument | None = None

    @property
    def ready(self) -> bool:
        return self.stored is not None and self.stored.state == State.READY

    @property
    def filename(self) -> str:
        return self.generated.filename if self.generated is not None else self.document.filename()


def is_fresh(stored: OfficialDocument, document: BaseDocument) -> bool:
    """The stored file still shows exactly what the document would show today (same number and date)."""
    if stored.state != State.READY or not stored.file.name or not stored.file.storage.exists(stored.file.name):
        return False
    document.number, document.issued_on = stored.number, stored.issued_on or document.issued_on
    return fingerprint(document.html_parts()) == stored.fingerprint


def _is_lost(stored: OfficialDocument, now: datetime.datetime) -> bool:
    since = stored.started_at if stored.state == State.RENDERING else stored.requested_at
    return since is None or since < now - render_timeout()


# --- requesting ------------------------------------------------------------------------------


def deliver(document: BaseDocument, user: Any = None, *, synchronous: bool = False, retry: bool = False) -> Delivery:
    """Give a download what it needs; renders in the request unless the document is large.

    A stored copy whose last render failed is shown with its error until the user asks to retry.
    """
    if document.draft:
        return Delivery(document, generated=document.generate())
    stored, _created = OfficialDocument.objects.get_or_create(key=document.key, defaults=document.stored_fields())
    if stored.state == State.READY and is_fresh(stored, document):
        return Delivery(document, stored=stored)
    if stored.state == State.FAILED and not retry:
        return Delivery(document, stored=stored)
    now = clock.now()
    if stored.state in (State.PENDING, State.RENDERING) and not _is_lost(stored, now):
        return Delivery(document, stored=stored)
    large = not synchronous and document.commitment_count() > async_threshold()
    request_render(stored, user, document.commitment_count(), large=large)
    if not large:
        render_stored(stored.pk)
    stored.refresh_from_db()
    if stored.state == State.READY:
        document.number, document.issued_on = stored.number, stored.issued_on or document.issued_on
    return Delivery(document, stored=stored)


def request_render(stored: OfficialDocument, user: Any, commitment_count: int, *, large: bool) -> bool:
    """Mark the row pending (only if nobody changed it since it was read) and, if large, send the task."""
    changed = OfficialDocument.objects.filter(
        pk=stored.pk, state=stored.state, requested_at=stored.requested_at
    ).update(
        state=State.PENDING,
        requested_by=user if getattr(user, "is_authenticated", False) else None,
        requested_at=clock.now(),
        started_at=None,
        error="",
        commitment_count=commitment_count,
    )
    if changed and large:
        send_render_task(stored.pk)
    return bool(changed)


def force_rerender(document: BaseDocument) -> None:
    """For operators: make the stored copy render again on the next delivery, whatever state it is in."""
    OfficialDocument.objects.filter(key=document.key).update(state=State.FAILED, started_at=None, requested_at=None)


def send_render_task(document_id: int) -> None:
    queue = settings.DOCUMENTS_CELERY_QUEUE
    options: dict[str, Any] = {"queue": queue} if queue else {}
    transaction.on_commit(lambda: render_official_document.apply_async(args=(document_id,), **options))


# --- status ------------------------------------------------------------------------------------


def status(stored: OfficialDocument | None) -> dict[str, Any]:
    """What the page shows while a document is on its way (JSON of the status endpoint)."""
    if stored is None:
        return {"state": "none", "label": gettext("Chưa tạo"), "busy": False, "error": ""}
    busy = stored.state in (State.PENDING, State.RENDERING)
    elapsed = None
    if busy and stored.requested_at:
        elapsed = int((clock.now() - stored.requested_at).total_seconds())
    return {
        "id": stored.pk,
        "state": stored.state,
        "label": stored.get_state_display(),
        "busy": busy,
        "error": stored.error if stored.state == State.FAILED else "",
        "number": stored.number,
        "commitments": stored.commitment_count,
        "elapsed_seconds": elapsed,
        "render_seconds": stored.render_seconds,
    }


# --- what a page offers -------------------------------------------------------------------------


@dataclass
class DocumentLink:
    """One downloadable document as the report or period page lists it."""

    title: str
    url: str
    final: bool
    stored: OfficialDocument | None

    @property
    def status(self) -> dict[str, Any]:
        return status(self.stored)

    @property
    def number(self) -> str:
        if self.stored is None or self.stored.number is None:
            return ""
        return format_number(self.stored.number, self.stored.issuing_party.body)


def document_link(document: BaseDocument, title: str, url: str) -> DocumentLink:
    stored = stored_rows().filter(key=document.key).first()
    return DocumentLink(title, url, document.final, stored)
