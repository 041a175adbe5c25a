"""Rendering an issued official document and keeping its file: what the Celery task and small requests run.

The row already carries its number, date, issuing body and signer (services.issue); rendering
only draws them.  A render claims the row with a conditional UPDATE (pending -> rendering) in the
name of its process, for a lease sized from the time it should take; a task delivered twice, or a
task and a request, never render it at once, and a ready file is never drawn again.

A render that dies (its worker process killed, the whole worker killed, the machine restarted)
leaves its row "rendering" with nobody behind it.  It is taken over as soon as it is known lost
(`is_lost`): at once on the same host, where the dead process can be seen to be gone (a task
redelivered after its pool process died, the sweep, a worker starting); elsewhere when its lease
runs out.  `recover` (the sweep of reporting.documents.tasks, every minute) queues such rows again,
and pending rows whose task never reached the broker; a document whose render was interrupted
DOCUMENTS_MAX_ATTEMPTS times fails with a message instead of going round for ever.

Why a lease without renewal: a render is one WeasyPrint call that cannot report progress, and its
time is predictable (docs/benchmarks.md: about 1 s per 100 commitments), so the lease is three
times the expected time, at least DOCUMENTS_LEASE_MIN_SECONDS.  A heartbeat would need a thread and
a database connection in every render to learn what the owner check already tells on the worker's
own host; and a render that outlives its lease only costs a second render, as the finishing UPDATE
is conditional on the claim (one file, one number).
"""

from __future__ import annotations

import datetime
import logging
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils.translation import gettext_noop

from core import clock
from reporting.documents.kinds import DRAFT_PREFIX, DocumentUnavailable, document_for
from reporting.documents.processes import claim_owner, clean_scratch, owner_is_dead
from reporting.models import OfficialDocument, official_document_upload_to

logger = logging.getLogger(__name__)
State = OfficialDocument.State

FAILURE_MESSAGE = (
    "Không tạo được tệp PDF của báo cáo ({reason}). Hãy bấm “Thử tạo lại”; nếu vẫn lỗi, xin báo cho quản trị hệ thống."
)
INTERRUPTED_MESSAGE = (
    "Việc tạo tệp PDF bị ngắt giữa chừng {attempts} lần (tiến trình nền dừng đột ngột, có thể do thiếu bộ nhớ "
    "hoặc máy chủ khởi động lại). Hãy bấm “Thử tạo lại”; nếu vẫn lỗi, xin báo cho quản trị hệ thống."
)
# Kept in the row's error while it is pending (for the admin) and shown translated on the page.
QUEUE_DOWN_MESSAGE = gettext_noop(
    "Dịch vụ xử lý nền tạm thời không hoạt động nên tệp PDF chưa được tạo. Yêu cầu đã được ghi nhận: "
    "tệp sẽ được tạo khi dịch vụ hoạt động trở lại, và trang này tự cập nhật."
)

# Between the commit that makes a row pending and its task reaching the broker (send_render).
QUEUE_GRACE = datetime.timedelta(seconds=30)
# Expected render time: a fixed part and a part per commitment (the slowest of recent large renders).
BASE_SECONDS = 5.0
DEFAULT_SECONDS_PER_COMMITMENT = 0.02
LEASE_FACTOR = 3


def render_timeout() -> datetime.timedelta:
    """The longest lease; also how long a task may wait in the broker before it is sent again."""
    return datetime.timedelta(seconds=settings.DOCUMENTS_RENDER_TIMEOUT)


def expected_seconds(commitment_count: int) -> float:
    """A fixed part and a part per commitment: the slowest rate of the last large renders, or a default."""
    recent = (
        OfficialDocument.objects.filter(state=State.READY, render_seconds__isnull=False, commitment_count__gte=50)
        .order_by("-finished_at")
        .values_list("render_seconds", "commitment_count")[:20]
    )
    rate = max(((seconds or 0.0) / count for seconds, count in recent), default=DEFAULT_SECONDS_PER_COMMITMENT)
    return BASE_SECONDS + rate * commitment_count


def lease_for(commitment_count: int) -> datetime.timedelta:
    seconds = max(LEASE_FACTOR * expected_seconds(commitment_count), settings.DOCUMENTS_LEASE_MIN_SECONDS)
    return min(datetime.timedelta(seconds=seconds), render_timeout())


def is_lost(stored: OfficialDocument, now: datetime.datetime) -> bool:
    """Nobody will finish this pending or rendering document without help."""
    if stored.state == State.RENDERING:
        if stored.lease_until is None:  # claimed before leases existed
            return stored.started_at is None or stored.started_at < now - render_timeout()
        return stored.lease_until < now or owner_is_dead(stored.rendered_by)
    if stored.state == State.PENDING:
        if stored.queued_at is None:  # its task never reached the broker (down, or the sender died)
            return bool(stored.error) or stored.requested_at is None or stored.requested_at < now - QUEUE_GRACE
        return stored.queued_at < now - render_timeout()  # the message was lost with the broker's data
    return False


def is_overdue(stored: OfficialDocument, now: datetime.datetime) -> bool:
    """Later than expected (past a third of its lease, or queued a while ago): a user may ask for it again."""
    if stored.state == State.RENDERING and stored.started_at is not None and stored.lease_until is not None:
        return now > stored.started_at + (stored.lease_until - stored.started_at) / LEASE_FACTOR
    if stored.state == State.PENDING:
        return stored.queued_at is None or stored.queued_at < now - QUEUE_GRACE
    return False


def may_retry(stored: OfficialDocument, now: datetime.datetime) -> bool:
    """What the "Thử tạo lại" link may do: a failed document, or one that is late or lost (never a ready one)."""
    return stored.state == State.FAILED or is_lost(stored, now) or is_overdue(stored, now)


def stored_rows() -> QuerySet[OfficialDocument]:
    return OfficialDocument.objects.select_related(
        "agreement",
        "issuing_party__body__parent",
        "issuing_party__coordinating_office",
        "issuing_body__parent",
        "period__agreement",
        "replaces__issuing_body",
    )


def busy_rows() -> QuerySet[OfficialDocument]:
    """The documents on their way, oldest first (the partial index document_busy keeps this cheap)."""
    return OfficialDocument.objects.filter(state__in=[State.PENDING, State.RENDERING]).order_by("requested_at", "pk")


def _give_up(rows: QuerySet[OfficialDocument], stored: OfficialDocument) -> None:
    """Interrupted DOCUMENTS_MAX_ATTEMPTS times (killed for lack of memory, say): failed, with a message."""
    changed = rows.update(
        state=State.FAILED, error=INTERRUPTED_MESSAGE.format(attempts=stored.attempts), finished_at=clock.now()
    )
    if changed:
        logger.error("Official document %s: render interrupted %d times; marked failed", stored.pk, stored.attempts)


def recover(stored: OfficialDocument, now: datetime.datetime, *, worker_start: bool = False) -> bool:
    """For the sweep: True if the row (pending, its queued_at as read) now needs its task sent.

    A lost render goes back to pending (conditionally on the claim the sweep saw, so two sweeps
    never both do it), or fails once it was interrupted DOCUMENTS_MAX_ATTEMPTS times.  When a
    worker starts, every pending row is sent again: a message the previous run had received but not
    started waits unacknowledged until the broker's visibility timeout (an hour), and a duplicate
    costs one refused claim.
    """
    if stored.state == State.PENDING:
        return worker_start or is_lost(stored, now)
    if not is_lost(stored, now):
        return False
    claim = OfficialDocument.objects.filter(
        pk=stored.pk, state=State.RENDERING, rendered_by=stored.rendered_by, started_at=stored.started_at
    )
    if stored.attempts >= settings.DOCUMENTS_MAX_ATTEMPTS:
        _give_up(claim, stored)
        return False
    if not claim.update(state=State.PENDING, started_at=None, lease_until=None, rendered_by="", queued_at=None):
        return False
    logger.warning("Official document %s: its render (%s) died; queued again", stored.pk, stored.rendered_by)
    stored.state, stored.queued_at = State.PENDING, None
    return True


def _claim(document_id: int) -> str | None:
    """Claim the row for this process; returns the claim's owner, or None if it is not ours to render.

    A pending row is claimed; so is a rendering one whose render is lost (a task redelivered after
    its pool process was killed takes over at once).  Each claim counts an attempt.
    """
    now = clock.now()
    stored = OfficialDocument.objects.filter(pk=document_id).first()
    if stored is None:
        return None
    rows = OfficialDocument.objects.filter(pk=document_id, state=stored.state)
    if stored.state == State.RENDERING and is_lost(stored, now):
        rows = rows.filter(rendered_by=stored.rendered_by, started_at=stored.started_at)
        logger.warning(
            "Official document %s: taking over from a render that died (%s)", document_id, stored.rendered_by
        )
    elif stored.state != State.PENDING:
        return None
    if stored.attempts >= settings.DOCUMENTS_MAX_ATTEMPTS:
        _give_up(rows, stored)
        return None
    owner = claim_owner()
    claimed = rows.update(
        state=State.RENDERING,
        started_at=now,
        lease_until=now + lease_for(stored.commitment_count),
        rendered_by=owner,
        attempts=F("attempts") + 1,
        error="",
    )
    return owner if claimed else None


def render_stored(document_id: int) -> str:
    """Render and store one document if nobody else is doing it; returns the state it was left in."""
    owner = _claim(document_id)
    if owner is None:
        return "not-claimed"
    clean_scratch()  # what renders killed before us left on this host
    stopwatch = time.monotonic()
    ours = OfficialDocument.objects.filter(pk=document_id, state=State.RENDERING, rendered_by=owner)
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
