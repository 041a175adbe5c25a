"""Issuing, rendering and serving official documents (document control of Decree 30/2020).

- Until it is issued, a document is a draft: rendered in the request with a blank number and
  "DỰ THẢO", for the viewer's eyes, and never stored.
- Issuing (cấp số) is an explicit act of a leader or coordinator of the issuing party (`issue`):
  every report behind the document is approved, a signer is chosen among the leaders of the body
  that issues today, and in one transaction the document gets the next number of that body in
  the year, its date and signer, and the audit entry.  From then on it never changes: its file is
  rendered once and served as it is.
- When the data behind an issued document changes (a report reopened and approved again), the
  document says so (`is_stale`) and a new issue replaces it ("thay thế Báo cáo số 01/BC-SCT ngày
  ..."); both stay listed.
- Small documents are rendered in the request; large ones (more commitments than
  settings.DOCUMENTS_ASYNC_THRESHOLD), drafts included, by the Celery task
  render_official_document, sent on commit with the row's id (reporting.documents.rendering claims
  the row, so two renders never run at once): no download holds a web worker for seconds.  A
  render that dies is taken over or queued again (rendering.is_lost, the sweep in tasks); a broker
  that cannot be reached leaves the row pending with a message, never an error page.

Imports run one way: services -> tasks -> rendering -> kinds, never back.
"""

from __future__ import annotations

import copy
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext

from agreements.access import issues_for
from agreements.models import Membership, Party, prefetch_chains
from core import clock
from core.audit import audit
from core.errors import DomainError
from core.types import Actor
from reporting import signals
from reporting.documents import letterhead as lh
from reporting.documents.kinds import DRAFT_PREFIX, BaseDocument, GeneratedDocument, draft_key
from reporting.documents.numbering import claim_number, format_number
from reporting.documents.rendering import (
    QUEUE_DOWN_MESSAGE,
    is_lost,
    is_overdue,
    may_retry,
    render_stored,
    stored_rows,
)
from reporting.documents.tasks import send_render
from reporting.models import OfficialDocument

logger = logging.getLogger(__name__)
State = OfficialDocument.State
Kind = OfficialDocument.Kind


class DocumentError(DomainError):
    """A rule of document control was broken; the message is for the user."""


def async_threshold() -> int:
    return settings.DOCUMENTS_ASYNC_THRESHOLD


def current_row(document: BaseDocument) -> OfficialDocument | None:
    """The issued copy in force of this document, if it was issued."""
    return stored_rows().filter(key=document.key, is_current=True).first()


def is_stale(stored: OfficialDocument, document: BaseDocument) -> bool:
    """The data behind an issued document changed since it was issued (it may be replaced)."""
    return bool(stored.data_version) and stored.data_version != document.data_version()


@dataclass
class Delivery:
    """What a download gets: PDF bytes to send now (a draft), or the issued copy (ready, or on its way)."""

    document: BaseDocument
    generated: GeneratedDocument | None = None  # a draft, rendered for this request
    stored: OfficialDocument | None = None

    @property
    def ready(self) -> bool:
        return self.stored is not None and self.stored.state == State.READY

    @property
    def filename(self) -> str:
        return self.generated.filename if self.generated is not None else self.document.filename()


def _as_issued(document: BaseDocument, stored: OfficialDocument) -> BaseDocument:
    document.number, document.issued_on = stored.number, stored.issued_on or document.issued_on
    document.issuing_body = stored.issuing_body
    document.signer_name, document.signer_title = stored.signer_name, stored.signer_title
    document.replaces = stored.replaces
    document.__dict__.pop("body", None)  # drawn again with the issuing body of the row
    return document


# --- downloading -----------------------------------------------------------------------------


def deliver(
    document: BaseDocument, user: Actor | None = None, *, synchronous: bool = False, retry: bool = False
) -> Delivery:
    """The issued copy if there is one (its frozen file, or its render on the way); otherwise a draft.

    A copy whose render failed is shown with its error until the user asks to retry; the retry
    draws it again with the same number, date and signer.  A render on its way is left alone
    unless it is lost, or late and the user asks to retry (`_waiting`).
    """
    stored = current_row(document)
    if stored is None:
        if synchronous or document.commitment_count() <= async_threshold():
            return Delivery(document, generated=document.generate())
        return _draft_by_worker(document, user, retry=retry)
    _as_issued(document, stored)
    if stored.state == State.READY or (stored.state == State.FAILED and not retry):
        return Delivery(document, stored=stored)
    if _waiting(stored, retry=retry):
        return Delivery(document, stored=stored)
    _render(stored, document, user, synchronous=synchronous)
    stored.refresh_from_db()
    return Delivery(document, stored=stored)


def _draft_by_worker(document: BaseDocument, user: Actor | None, *, retry: bool) -> Delivery:
    """A large draft goes to the worker like an issued document, so that no request holds a web worker for it.

    It is kept for the reader who asked and the data it was drawn from; a newer state of the data,
    or another reader, gets its own.  Older drafts of the same reader and document are removed.
    """
    reader = document.viewer if document.viewer is not None and document.viewer.is_authenticated else None
    key = draft_key(document, reader)
    stale = OfficialDocument.objects.filter(
        key__startswith=f"{DRAFT_PREFIX}{document.key}:{reader.pk if reader else 0}:"
    ).exclude(key=key)
    for old in stale:
        if old.file:
            old.file.delete(save=False)
        old.delete()
    stored, created = OfficialDocument.objects.get_or_create(
        key=key,
        defaults={**document.stored_fields(), "requested_by": reader, "requested_at": clock.now()},
    )
    if stored.state == State.READY or (stored.state == State.FAILED and not retry):
        return Delivery(document, stored=stored)
    if not created and _waiting(stored, retry=retry):
        return Delivery(document, stored=stored)
    if created:  # the row is new and pending: only its task is missing
        OfficialDocument.objects.filter(pk=stored.pk).update(commitment_count=document.commitment_count())
        send_render_task(stored.pk)
    else:
        request_render(stored, reader, document.commitment_count(), large=True)
    stored.refresh_from_db()
    return Delivery(document, stored=stored)


def _waiting(stored: OfficialDocument, *, retry: bool) -> bool:
    """On its way and to be left so: not lost, and not late while the user asks to retry."""
    if stored.state not in (State.PENDING, State.RENDERING):
        return False
    now = clock.now()
    return not is_lost(stored, now) and not (retry and is_overdue(stored, now))


def _render(stored: OfficialDocument, document: BaseDocument, user: Actor | None, *, synchronous: bool) -> None:
    large = not synchronous and document.commitment_count() > async_threshold()
    request_render(stored, user, document.commitment_count(), large=large)
    if not large:
        render_stored(stored.pk)


def request_render(stored: OfficialDocument, user: Actor | None, commitment_count: int, *, large: bool) -> bool:
    """Mark the row pending (only if nobody changed it since it was read) and, if large, send the task.

    A user asked: the count of interrupted renders starts again, and a render still holding the row
    (late: see `_waiting`) loses its claim, so its result is dropped and this one's kept.
    """
    changed = OfficialDocument.objects.filter(
        pk=stored.pk, state=stored.state, requested_at=stored.requested_at
    ).update(
        state=State.PENDING,
        requested_by=user if user is not None and user.is_authenticated else None,
        requested_at=clock.now(),
        started_at=None,
        error="",
        commitment_count=commitment_count,
        queued_at=None,
        rendered_by="",
        lease_until=None,
        attempts=0,
    )
    if changed and large:
        send_render_task(stored.pk)
    return bool(changed)


def force_rerender(document: BaseDocument) -> None:
    """For operators: draw the issued copy's file again on the next delivery (same number, date, signer)."""
    OfficialDocument.objects.filter(key=document.key, is_current=True).update(
        state=State.FAILED, started_at=None, requested_at=None
    )


def send_render_task(document_id: int) -> None:
    """On commit, so the worker finds the row; a broker that is down leaves it pending with a message (send_render)."""
    transaction.on_commit(lambda: send_render(document_id))


# --- issuing ---------------------------------------------------------------------------------


def can_issue(user: Actor, document: BaseDocument) -> bool:
    """Leaders and coordinators of the issuing party (and site admins) issue its documents."""
    return issues_for(user, document.issuing_party)


def signers(document: BaseDocument) -> list[Membership]:
    """Who may sign: the leaders of the body that issues today (or of a body it succeeded), head first."""
    return lh.signers(document.issuing_party.body.current())


def issue(
    actor: User, document: BaseDocument, signer: Membership | None, *, synchronous: bool = False
) -> OfficialDocument:
    """Give the document its number, date and signer, once; replaces the copy in force if its data changed."""
    if not can_issue(actor, document):
        raise DocumentError(gettext("Chỉ lãnh đạo hoặc bộ phận điều phối của bên ban hành mới cấp số được văn bản."))
    if document.draft:
        raise DocumentError(gettext("Chưa thể ban hành: còn báo cáo chưa được phê duyệt."))
    if signer is None or signer.pk not in {m.pk for m in signers(document)}:
        raise DocumentError(gettext("Hãy chọn người ký trong số lãnh đạo của cơ quan ban hành."))
    today = clock.today()
    issuer = document.issuing_party.body.current()
    with transaction.atomic():
        previous = (
            OfficialDocument.objects.select_for_update(of=("self",))
            .select_related("issuing_body")
            .filter(key=document.key, is_current=True)
            .first()
        )
        if previous is not None and previous.number is not None and not is_stale(previous, document):
            raise DocumentError(
                gettext("Văn bản đã được ban hành với số %(number)s ngày %(day)s; số liệu chưa thay đổi.")
                % {
                    "number": format_number(previous.number, previous.issuing_body or issuer),
                    "day": f"{previous.issued_on:%d/%m/%Y}" if previous.issued_on else "",
                }
            )
        if previous is not None:
            OfficialDocument.objects.filter(pk=previous.pk).update(is_current=False)
        stored = OfficialDocument.objects.create(
            key=document.key,
            **document.stored_fields(),
            issuing_body=issuer,
            number=claim_number(issuer, today.year),
            number_year=today.year,
            issued_on=today,
            signer=signer.user,
            signer_name=signer.user.get_full_name() or signer.user.get_username(),
            signer_title=signer.title,
            issued_by=actor,
            issued_at=clock.now(),
            replaces=previous if previous is not None and previous.number is not None else None,
            data_version=document.data_version(),
            commitment_count=document.commitment_count(),
            requested_by=actor,
            requested_at=clock.now(),
        )
        audit(
            actor,
            "document.issued",
            stored,
            number=format_number(stored.number, issuer),
            signer=stored.signer_name,
            replaces=previous.pk if previous is not None else None,
        )
        signals.document_issued.send(
            sender=OfficialDocument, document=stored, number=format_number(stored.number, issuer), actor=actor
        )
    _as_issued(document, stored)
    if not synchronous and document.commitment_count() > async_threshold():
        send_render_task(stored.pk)
    else:
        render_stored(stored.pk)
    stored.refresh_from_db()
    return stored


# --- status ------------------------------------------------------------------------------------


def status(stored: OfficialDocument | None) -> dict[str, Any]:
    """What the page shows while a document is on its way (JSON of the status endpoint).

    `notice`: why a pending document is not moving (the background service cannot be reached);
    `retry`: the "Thử tạo lại" link may be offered (failed, or late, or lost).
    """
    if stored is None:
        return {
            "state": "none",
            "label": gettext("Chưa ban hành"),
            "busy": False,
            "error": "",
            "notice": "",
            "retry": False,
        }
    now = clock.now()
    busy = stored.state in (State.PENDING, State.RENDERING)
    elapsed = None
    if busy and stored.requested_at:
        elapsed = max(0, int((now - stored.requested_at).total_seconds()))
    return {
        "id": stored.pk,
        "state": stored.state,
        "label": stored.get_state_display(),
        "busy": busy,
        "error": stored.error if stored.state == State.FAILED else "",
        "notice": gettext(QUEUE_DOWN_MESSAGE) if stored.state == State.PENDING and stored.error else "",
        "retry": may_retry(stored, now),
        "number": stored.number,
        "commitments": stored.commitment_count,
        "elapsed_seconds": elapsed,
        "render_seconds": stored.render_seconds,
    }


# --- what a page offers -------------------------------------------------------------------------


def number_text(stored: OfficialDocument) -> str:
    if stored.number is None:
        return ""
    return format_number(stored.number, stored.issuing_body or stored.issuing_party.body)


@dataclass
class DocumentLink:
    """One document as the report or period page lists it: its copy in force, what it replaced, what may be done."""

    title: str
    url: str
    issue_url: str
    final: bool
    stored: OfficialDocument | None
    stale: bool = False
    may_issue: bool = False
    signers: list[Membership] = field(default_factory=list)
    history: list[OfficialDocument] = field(default_factory=list)

    @property
    def status(self) -> dict[str, Any]:
        return status(self.stored)

    @property
    def number(self) -> str:
        return number_text(self.stored) if self.stored is not None else ""

    @property
    def replaced(self) -> list[tuple[OfficialDocument, str]]:
        return [(row, number_text(row)) for row in self.history]

    @property
    def issuable(self) -> bool:
        """The user may issue it now: every report approved, and not issued yet or issued on older data."""
        return self.may_issue and self.final and (self.stored is None or self.stale)


def document_link(document: BaseDocument, title: str, url: str, user: Actor) -> DocumentLink:
    return _links([(document, title, url)], user)[0]


def party_links(document: BaseDocument, parties: Sequence[Party], user: Actor) -> list[DocumentLink]:
    """The links of one document in the name of each of `parties` (a period's consolidated report, issued by each
    party the user issues for), titled as the document, in a fixed number of queries whatever the parties: what
    the document says is read once (whether it is final, the version of its data), as are the issued copies of
    all of them and the signers of all their issuing bodies."""
    document.final  # noqa: B018  # read now, so that every copy has it
    copies = [_in_name_of(document, party) for party in parties]
    return _links([(copy_, copy_.link_title(), copy_.url()) for copy_ in copies], user, same_data=True)


def _in_name_of(document: BaseDocument, party: Party) -> BaseDocument:
    """The document issued by `party`: a copy with what it is about (its period, its reports, whether it is final)
    and its own issuing party, whose body it draws again.  A kind's document is the same but for who issues it."""
    issued_by = copy.copy(document)
    issued_by.issuing_party = party
    issued_by.__dict__.pop("body", None)
    return issued_by


def _links(
    documents: list[tuple[BaseDocument, str, str]], user: Actor, *, same_data: bool = False
) -> list[DocumentLink]:
    """DocumentLinks of (document, title, url): the issued copies of all in one query, the signers of all the bodies
    that issue one the user may issue now in one walk; `same_data`: the documents are drawn from the same reports
    (copies in other parties' names), whose version is read once."""
    issued: dict[str, list[OfficialDocument]] = defaultdict(list)
    rows = stored_rows().filter(key__in={document.key for document, _title, _url in documents})
    for row in rows.exclude(number__isnull=True).order_by("-issued_at", "-pk"):
        issued[row.key].append(row)
    allowed = [can_issue(user, document) for document, _title, _url in documents]
    signed = [may and document.final for (document, _title, _url), may in zip(documents, allowed, strict=True)]
    issuers = [document.issuing_party.body for (document, _t, _u), sign in zip(documents, signed, strict=True) if sign]
    prefetch_chains(issuers)  # the bodies they have become, in a fixed number of queries
    signers_by_body = lh.signers_of(body.current() for body in issuers)
    versions: dict[int, str] = {}

    def stale(stored: OfficialDocument | None, document: BaseDocument) -> bool:
        """is_stale(), each version read once."""
        if stored is None or not stored.data_version:
            return False
        key = 0 if same_data else id(document)
        if key not in versions:
            versions[key] = document.data_version()
        return stored.data_version != versions[key]

    links = []
    for (document, title, url), may, sign in zip(documents, allowed, signed, strict=True):
        rows_of = issued[document.key]
        stored = next((row for row in rows_of if row.is_current), None)
        links.append(
            DocumentLink(
                title=title,
                url=url,
                issue_url=document.issue_url(),
                final=document.final,
                stored=stored,
                stale=stale(stored, document),
                may_issue=may,
                signers=signers_by_body[document.issuing_party.body.current().pk] if sign else [],
                history=[row for row in rows_of if not row.is_current],
            )
        )
    return links
