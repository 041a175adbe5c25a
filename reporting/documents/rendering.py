"""Rendering an issued official document and keeping its file: what the Celery task and small requests run.

The row already carries its number, date, issuing body and signer (services.issue); rendering
only draws them.  A row is claimed with a conditional UPDATE (pending -> rendering), so a task
delivered twice, or a task and a request, never render it at once; a ready file is never drawn again.
"""

from __future__ import annotations

import datetime
import logging
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet

from core import clock
from reporting.documents.kinds import DRAFT_PREFIX, DocumentUnavailable, document_for
from reporting.models import OfficialDocument, official_document_upload_to

logger = logging.getLogger(__name__)
State = OfficialDocument.State

FAILURE_MESSAGE = (
    "Không tạo được tệp PDF của báo cáo ({reason}). Hãy bấm “Thử tạo lại”; nếu vẫn lỗi, xin báo cho quản trị hệ thống."
)


def render_timeout() -> datetime.timedelta:
    """After this long a pending or rendering document is taken as lost (a worker died) and claimed again."""
    return datetime.timedelta(seconds=settings.DOCUMENTS_RENDER_TIMEOUT)


def stored_rows() -> QuerySet[OfficialDocument]:
    return OfficialDocument.objects.select_related(
        "agreement",
        "issuing_party__body__parent",
        "issuing_party__coordinating_office",
        "issuing_body__parent",
        "period__agreement",
        "replaces__issuing_body",
    )


def _claim(document_id: int) -> datetime.datetime | None:
    now = clock.now()
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
    stopwatch = time.monotonic()
    ours = OfficialDocument.objects.filter(pk=document_id, state=State.RENDERING, started_at=started_at)
    name = ""
    try:
        stored = stored_rows().get(pk=document_id)
        storage = stored.file.storage
        draft = stored.key.startswith(DRAFT_PREFIX)
        if not draft and (stored.number is None or stored.issued_on is None):
            raise DocumentUnavailable("văn bản chưa được cấp số")
        document = document_for(stored)
        if not draft and document.draft:
            raise DocumentUnavailable("báo cáo đã được mở lại, không còn ở trạng thái đã phê duyệt")
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
                finished_at=clock.now(),
                render_seconds=round(time.monotonic() - stopwatch, 3),
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
        ours.update(state=State.FAILED, error=FAILURE_MESSAGE.format(reason=reason), finished_at=clock.now())
        return State.FAILED
    return State.READY if done else "not-claimed"
