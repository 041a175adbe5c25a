"""Requesting, rendering, storing and serving official documents.

- A draft (some report behind the document not yet approved) is rendered in the request with a
  blank number and "DỰ THẢO", for the viewer's eyes, and never stored.
- A final document is stored in an OfficialDocument row, keyed by what it is about and who
  issues it.  Its number is claimed the first time it is rendered and kept for good.  A later
  download re-draws its HTML (cheap) and compares the fingerprint: the same → the stored file
  is served; different (the data behind it changed) → it is rendered again.
- Small documents are rendered in the request; large ones (more commitments than
  settings.DOCUMENTS_ASYNC_THRESHOLD, default 200) by the Celery task
  reporting.tasks.render_official_document, sent on commit with the row's id.  Whoever renders
  first claims the row with a conditional UPDATE (pending → rendering), so a task delivered
  twice, or a task and a request, never render the same document at once.
"""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from reporting.documents.kinds import (
    BaseDocument,
    ConsolidatedReportDocument,
    DocumentUnavailable,
    PartyReportDocument,
    YearlyReviewDocument,
    fingerprint,
)
from reporting.documents.numbering import claim_number, format_number
from reporting.models import OfficialDocument, ProgressReport, official_document_upload_to

logger = logging.getLogger(__name__)
State = OfficialDocument.State
Kind = OfficialDocument.Kind

FAILURE_MESSAGE = (
    "Không tạo được tệp PDF của báo cáo ({reason}). Hãy bấm “Thử tạo lại”; nếu vẫn lỗi, xin báo cho quản trị hệ thống."
)


def async_threshold() -> int:
    return int(getattr(settings, "DOCUMENTS_ASYNC_THRESHOLD", 200))


def render_timeout() -> datetime.timedelta:
    """After this long a pending or rendering document is taken as lost (a worker died) and claimed again."""
    return datetime.timedelta(seconds=int(getattr(settings, "DOCUMENTS_RENDER_TIMEOUT", 900)))


@dataclass
class Delivery:
    """What a download gets: PDF bytes to send now (a draft), or the stored copy (ready, or on its way)."""

    document: BaseDocument
    generated: Any = None  # GeneratedDocument of a draft
    stored: OfficialDocument | None = None

    @property
    def ready(self) -> bool:
        return self.stored is not None and self.stored.state == State.READY

    @property
    def filename(self) -> str:
        return self.generated.filename if self.generated is not None else self.document.filename()


# --- rebuilding a document from its stored row ------------------------------------------------


def document_from_stored(stored: OfficialDocument) -> BaseDocument:
    """The document a stored row is a copy of, with the row's number and date."""
    options: dict[str, Any] = {"number": stored.number, "issued_on": stored.issued_on}
    document: BaseDocument
    if stored.kind == Kind.PARTY_REPORT:
        assert stored.report_id is not None
        report = ProgressReport.objects.select_related("party__body__parent", "period__agreement").get(
            pk=stored.report_id
        )
        document = PartyReportDocument(report, **options)
    elif stored.kind == Kind.CONSOLIDATED:
        assert stored.period is not None
        document = ConsolidatedReportDocument(stored.period, stored.issuing_party, **options)
    else:
        assert stored.year is not None
        document = YearlyReviewDocument(stored.agreement, stored.year, stored.issuing_party, **options)
    return document


def _stored_rows() -> Any:
    return OfficialDocument.objects.select_related(
        "agreement", "issuing_party__body__parent", "issuing_party__coordinating_office", "period__agreement"
    )


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
    now = timezone.now()
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
        requested_at=timezone.now(),
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
    from reporting.tasks import render_official_document

    queue = getattr(settings, "DOCUMENTS_CELERY_QUEUE", None)
    options: dict[str, Any] = {"queue": queue} if queue else {}
    transaction.on_commit(lambda: render_official_document.apply_async(args=(document_id,), **options))


# --- rendering (the task, or the request for small documents) ----------------------------------


def _claim(document_id: int) -> datetime.datetime | None:
    now = timezone.now()
    lost = now - render_timeout()
    claimed = OfficialDocument.objects.filter(
        Q(state=State.PENDING) | Q(state=State.RENDERING, started_at__lt=lost), pk=document_id
    ).update(state=State.RENDERING, started_at=now)
    return now if claimed else None


def render_stored(document_id: int) -> str:
    """Render and store one document if nobody else is doing it; returns the state it was left in."""
    started_at = _claim(document_id)
    if started_at is None:
        return "not-claimed"
    clock = time.monotonic()
    ours = OfficialDocument.objects.filter(pk=document_id, state=State.RENDERING, started_at=started_at)
    name = ""
    try:
        stored = _stored_rows().get(pk=document_id)
        storage = stored.file.storage
        document = document_from_stored(stored)
        if document.draft:
            raise DocumentUnavailable("báo cáo đã được mở lại, không còn ở trạng thái đã phê duyệt")
        issued_on = timezone.localdate()
        with transaction.atomic():
            row = OfficialDocument.objects.select_for_update().get(pk=document_id)
            if row.number is None:
                row.number, row.number_year = claim_number(document.body, issued_on.year), issued_on.year
                row.save(update_fields=["number", "number_year"])
        document.number, document.issued_on = row.number, issued_on
        generated = document.generate()
        name = storage.save(
            official_document_upload_to(stored, f"{stored.kind}-{stored.pk}.pdf"), ContentFile(generated.data)
        )
        old_name = stored.file.name or ""
        with transaction.atomic():
            done = ours.update(
                state=State.READY,
                file=name,
                size=len(generated.data),
                fingerprint=generated.fingerprint,
                issued_on=issued_on,
                finished_at=timezone.now(),
                render_seconds=round(time.monotonic() - clock, 3),
                error="",
            )
            # One file per document: drop the previous one, or ours if the claim was lost meanwhile.
            drop = (old_name if old_name != name else "") if done else name
            if drop:
                transaction.on_commit(lambda: storage.delete(drop))
    except Exception as exc:
        logger.exception("Official document %s could not be rendered", document_id)
        if name:
            storage.delete(name)
        reason = str(exc) if isinstance(exc, DocumentUnavailable) else f"lỗi {type(exc).__name__}"
        ours.update(state=State.FAILED, error=FAILURE_MESSAGE.format(reason=reason), finished_at=timezone.now())
        return State.FAILED
    return State.READY if done else "not-claimed"


# --- status ------------------------------------------------------------------------------------


def status(stored: OfficialDocument | None) -> dict[str, Any]:
    """What the page shows while a document is on its way (JSON of the status endpoint)."""
    if stored is None:
        return {"state": "none", "label": gettext("Chưa tạo"), "busy": False, "error": ""}
    busy = stored.state in (State.PENDING, State.RENDERING)
    elapsed = None
    if busy and stored.requested_at:
        elapsed = int((timezone.now() - stored.requested_at).total_seconds())
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
    stored = _stored_rows().filter(key=document.key).first()
    return DocumentLink(title, url, document.final, stored)
