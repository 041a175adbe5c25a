"""Every write of the meetings app: actor, one transaction, audit, MeetingError.

A meeting is planned (a month, a day, or neither yet), its attendance, agenda, minutes and decisions
are recorded, and each decision becomes a commitment of this agreement or of its successor (a review
of the old programme usually decides the next one).  `draft_agenda` (meetings/agenda.py) proposes the
agenda from the reports; the coordinator edits it and saves it here.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from agreements.models import Agreement, Body, Commitment, CooperationItem, Party
from agreements.services import AgreementError, save_commitment
from core import clock, limits
from core.audit import audit, plain
from core.errors import DomainError
from core.types import Actor
from meetings.agenda import draft_agenda
from meetings.models import MeetingAttendance, MeetingDecision, ReviewMeeting

__all__ = [
    "MeetingError",
    "add_decision",
    "adopt_decision",
    "decision_targets",
    "draft_agenda",
    "plan_meeting",
    "record_minutes",
    "set_agenda",
    "set_attendance",
    "update_decision",
    "update_meeting",
]


class MeetingError(DomainError):
    """A rule of review meetings was broken; the message is for the user."""


def _message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _check_texts(model: type[Any], values: Mapping[str, str]) -> None:
    try:
        limits.check_lengths(model, values)
    except ValidationError as exc:
        raise MeetingError(_message(exc)) from None


# --- planning -----------------------------------------------------------------------------------------

# What a coordinator sets when planning a meeting and may change afterwards.
PLAN_FIELDS = ("kind", "held_on", "planned_month", "place", "host_party")


def _first_of_month(day: datetime.date | None) -> datetime.date | None:
    return day.replace(day=1) if day is not None else None


def _validated(meeting: ReviewMeeting) -> None:
    """The model's rules (host is a party, not before the signing, lengths) and one meeting of a kind a day."""
    if meeting.kind not in ReviewMeeting.Kind.values:
        raise MeetingError(_("Loại cuộc họp không hợp lệ."))
    if meeting.held_on is not None:
        twin = ReviewMeeting.objects.filter(
            agreement_id=meeting.agreement_id, kind=meeting.kind, held_on=meeting.held_on
        )
        if twin.exclude(pk=meeting.pk).exists():
            raise MeetingError(
                _("Thỏa thuận đã có một %(kind)s vào ngày %(day)s.")
                % {"kind": meeting.get_kind_display().lower(), "day": f"{meeting.held_on:%d/%m/%Y}"}
            )
    try:
        # The uniqueness of (agreement, kind, day) is said above in Vietnamese; the database still holds it.
        meeting.full_clean(exclude=["agreement"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise MeetingError(_message(exc)) from None


def _check_open(agreement: Agreement) -> None:
    if agreement.archived_at is not None:
        raise MeetingError(_("Thỏa thuận đã lưu trữ; hãy bỏ lưu trữ trước khi ghi cuộc họp."))


def plan_meeting(
    actor: Actor | None,
    agreement: Agreement,
    *,
    kind: str,
    held_on: datetime.date | None = None,
    planned_month: datetime.date | None = None,
    place: str = "",
    host_party: Party | None = None,
) -> ReviewMeeting:
    """A meeting on the calendar: on a day, in a month ("chưa chốt ngày"), or with no time yet.

    A day, once given, is the meeting's time: the month is then left empty.
    """
    meeting = ReviewMeeting(
        agreement=agreement,
        kind=kind,
        held_on=held_on,
        planned_month=None if held_on is not None else _first_of_month(planned_month),
        place=place.strip(),
        host_party=host_party,
    )
    with transaction.atomic():
        # The agreement's row, as it is now and locked: two plans of the same day are made one at a time.
        _check_open(Agreement.objects.select_for_update().get(pk=agreement.pk))
        _validated(meeting)
        meeting.save()
        # Under "values", as the history page reads them (core/trail.py).
        audit(actor, "meeting.planned", meeting, values={name: plain(getattr(meeting, name)) for name in PLAN_FIELDS})
    return meeting


def update_meeting(actor: Actor | None, meeting: ReviewMeeting, **values: Any) -> ReviewMeeting:
    """Change what was planned: fix the day, move it, change the place or the host."""
    unknown = set(values) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    if isinstance(values.get("place"), str):
        values["place"] = values["place"].strip()
    if values.get("held_on") is not None:
        values["planned_month"] = None
    elif "planned_month" in values:
        values["planned_month"] = _first_of_month(values["planned_month"])
    with transaction.atomic():
        Agreement.objects.select_for_update().get(pk=meeting.agreement_id)
        locked = ReviewMeeting.objects.select_related("agreement").select_for_update(of=("self",)).get(pk=meeting.pk)
        _check_open(locked.agreement)
        before = {name: getattr(locked, name) for name in values}
        for name, value in values.items():
            setattr(locked, name, value)
        _validated(locked)
        changed = {name: [plain(before[name]), plain(values[name])] for name in values if before[name] != values[name]}
        if changed:
            locked.save(update_fields=list(changed))
            audit(actor, "meeting.updated", locked, changes=changed)
    return locked


def set_attendance(
    actor: Actor | None, meeting: ReviewMeeting, attendees: Mapping[Party, str]
) -> list[MeetingAttendance]:
    """Who each party sends (thành phần tham dự); a party left empty is taken off the list."""
    for party in attendees:
        if party.agreement_id != meeting.agreement_id:
            raise MeetingError(_("“%(body)s” không phải một bên của thỏa thuận.") % {"body": party.body.name})
    texts = {party: text.strip() for party, text in attendees.items()}
    for text in texts.values():
        _check_texts(MeetingAttendance, {"attendees": text})
    with transaction.atomic():
        ReviewMeeting.objects.select_for_update().get(pk=meeting.pk)
        existing = {row.party_id: row for row in MeetingAttendance.objects.filter(meeting=meeting)}
        changed: dict[str, list[str]] = {}
        for party, text in texts.items():
            row = existing.get(party.pk)
            if row is not None and not text:
                row.delete()
                changed[party.body.name] = [row.attendees, ""]
            elif row is not None and row.attendees != text:
                changed[party.body.name] = [row.attendees, text]
                row.attendees = text
                row.save(update_fields=["attendees"])
            elif row is None and text:
                MeetingAttendance.objects.create(meeting=meeting, party=party, attendees=text)
                changed[party.body.name] = ["", text]
        if changed:
            audit(actor, "meeting.attendance", meeting, changes=changed)
    return list(MeetingAttendance.objects.filter(meeting=meeting).select_related("party__body"))


def set_agenda(actor: Actor | None, meeting: ReviewMeeting, agenda: str) -> ReviewMeeting:
    """The agenda as the coordinator kept it (usually the app's draft, edited)."""
    return _write_texts(actor, meeting, "meeting.agenda", {"agenda": agenda.strip()})


def _held(meeting: ReviewMeeting) -> None:
    if not meeting.is_held(clock.today()):
        raise MeetingError(
            _(
                "Cuộc họp chưa diễn ra (chưa chốt ngày, hoặc chưa đến ngày họp); biên bản và kết luận được ghi sau khi họp."
            )
        )


def record_minutes(
    actor: Actor | None, meeting: ReviewMeeting, *, minutes: str, shortcomings: str = ""
) -> ReviewMeeting:
    """The minutes of a meeting that took place, with the shortcomings it found (tồn tại, hạn chế)."""
    return _write_texts(
        actor, meeting, "meeting.minutes", {"minutes": minutes.strip(), "shortcomings": shortcomings.strip()}, held=True
    )


def _write_texts(
    actor: Actor | None, meeting: ReviewMeeting, action: str, values: dict[str, str], *, held: bool = False
) -> ReviewMeeting:
    _check_texts(ReviewMeeting, values)
    with transaction.atomic():
        locked = ReviewMeeting.objects.select_related("agreement").select_for_update(of=("self",)).get(pk=meeting.pk)
        _check_open(locked.agreement)
        if held:
            _held(locked)
        changed = [name for name, value in values.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, values[name])
        if changed:
            locked.save(update_fields=changed)
            audit(actor, action, locked, fields=changed, length={name: len(values[name]) for name in changed})
    return locked


# --- decisions ----------------------------------------------------------------------------------------


# What a decision says besides its text: where, by whom, by when.
DECISION_FIELDS = ("target_agreement", "responsible_party", "lead_body", "due_on")


def decision_targets(agreement: Agreement) -> list[Agreement]:
    """Where a decision of this agreement's meeting may be carried out: itself, then its successors.

    The successors are the renewal chain after it and any other agreement naming it as predecessor
    (a draft of the next period among them); archived ones are left out.
    """
    chain = agreement.renewal_chain()
    after = chain[chain.index(agreement) + 1 :]
    seen = {agreement.pk, *(a.pk for a in after)}
    direct = [a for a in agreement.successors.order_by("period_start", "pk") if a.pk not in seen]
    return [agreement, *(a for a in [*after, *direct] if a.archived_at is None)]


def _decision_fields(
    meeting: ReviewMeeting,
    text: str,
    target: Agreement,
    responsible_party: Party | None,
    lead_body: Body | None,
    due_on: datetime.date | None,
) -> str:
    """Check what a decision says; return its text, stripped."""
    text = text.strip()
    if not text:
        raise MeetingError(_("Hãy ghi nội dung kết luận."))
    _check_texts(MeetingDecision, {"text": text})
    if target.pk not in {a.pk for a in decision_targets(meeting.agreement)}:
        raise MeetingError(_("Kết luận chỉ được thực hiện trong thỏa thuận của cuộc họp hoặc thỏa thuận kế tiếp."))
    if responsible_party is not None and responsible_party.agreement_id != target.pk:
        raise MeetingError(
            _("Bên chủ trì phải là một bên của thỏa thuận thực hiện kết luận (“%(title)s”).") % {"title": target.title}
        )
    if lead_body is not None:
        if responsible_party is None:
            raise MeetingError(_("Hãy chọn bên chủ trì trước khi chọn cơ quan chủ trì thực hiện."))
        if not responsible_party.covers(lead_body):
            raise MeetingError(
                _("“%(body)s” không thuộc tỉnh của bên chủ trì “%(party)s”.")
                % {"body": lead_body.name, "party": responsible_party.body.name}
            )
    if due_on is not None and meeting.held_on is not None and due_on < meeting.held_on:
        raise MeetingError(_("Thời hạn không thể trước ngày họp (%(day)s).") % {"day": f"{meeting.held_on:%d/%m/%Y}"})
    return text


def add_decision(
    actor: Actor | None,
    meeting: ReviewMeeting,
    *,
    text: str,
    target_agreement: Agreement | None = None,
    responsible_party: Party | None = None,
    lead_body: Body | None = None,
    due_on: datetime.date | None = None,
) -> MeetingDecision:
    """A decision of a meeting that took place, numbered after the last one.

    It is carried out in `target_agreement` (this meeting's agreement if None, or one of its successors),
    by a party of that agreement, led by that party's body or a body of its province, by `due_on`.
    """
    target = target_agreement or meeting.agreement
    text = _decision_fields(meeting, text, target, responsible_party, lead_body, due_on)
    with transaction.atomic():
        # The meeting row lock gives two decisions recorded at once two numbers.
        locked = ReviewMeeting.objects.select_related("agreement").select_for_update(of=("self",)).get(pk=meeting.pk)
        _check_open(locked.agreement)
        _held(locked)
        last = MeetingDecision.objects.filter(meeting=locked).aggregate(last=Max("number"))["last"] or 0
        decision = MeetingDecision.objects.create(
            meeting=locked,
            number=last + 1,
            text=text,
            target_agreement=target,
            responsible_party=responsible_party,
            lead_body=lead_body,
            due_on=due_on,
        )
        audit(
            actor,
            "decision.added",
            decision,
            target=target.pk,
            values={name: plain(getattr(decision, name)) for name in DECISION_FIELDS},
        )
    return decision


def update_decision(
    actor: Actor | None,
    decision: MeetingDecision,
    *,
    text: str,
    target_agreement: Agreement | None = None,
    responsible_party: Party | None = None,
    lead_body: Body | None = None,
    due_on: datetime.date | None = None,
) -> MeetingDecision:
    """Correct a decision that has not become a commitment yet (once it has, the commitment is what changes)."""
    meeting = decision.meeting
    target = target_agreement or meeting.agreement
    text = _decision_fields(meeting, text, target, responsible_party, lead_body, due_on)
    with transaction.atomic():
        locked = MeetingDecision.objects.select_for_update().get(pk=decision.pk)
        if locked.commitment_id is not None:
            raise MeetingError(_("Kết luận này đã được chuyển thành cam kết; hãy sửa cam kết trong thỏa thuận."))
        values: dict[str, Any] = {
            "text": text,
            "target_agreement": target,
            "responsible_party": responsible_party,
            "lead_body": lead_body,
            "due_on": due_on,
        }
        changed = {
            name: [plain(getattr(locked, name)), plain(value)]
            for name, value in values.items()
            if getattr(locked, name) != value
        }
        for name, value in values.items():
            setattr(locked, name, value)
        if changed:
            locked.save(update_fields=list(changed))
            audit(actor, "decision.updated", locked, changes=changed)
    return locked


def adopt_decision(
    actor: Actor | None,
    decision: MeetingDecision,
    *,
    item: CooperationItem,
    responsible_party: Party | None = None,
    lead_body: Body | None = None,
    due_on: datetime.date | None = None,
) -> Commitment:
    """Turn a decision into a commitment under an item of the agreement that carries it out, once.

    The responsible party, lead body and due date default to the decision's own; what is given here
    replaces them on the decision too, so the decision says what it became.
    """
    meeting = decision.meeting
    target = decision.target_agreement or meeting.agreement
    party = responsible_party or decision.responsible_party
    if responsible_party is None:
        lead_body = lead_body or decision.lead_body
    due_on = due_on or decision.due_on
    if party is None:
        raise MeetingError(_("Hãy chọn bên chủ trì thực hiện kết luận trước khi chuyển thành cam kết."))
    if item.agreement_id != target.pk or party.agreement_id != target.pk:
        raise MeetingError(
            _("Nội dung hợp tác và bên chủ trì phải thuộc thỏa thuận thực hiện kết luận (“%(title)s”).")
            % {"title": target.title}
        )
    with transaction.atomic():
        # Claim the decision first: of two people adopting it at once, the second creates nothing.
        locked = MeetingDecision.objects.select_for_update().get(pk=decision.pk)
        if locked.commitment_id is not None:
            raise MeetingError(_("Kết luận này đã được chuyển thành cam kết."))
        try:
            commitment = save_commitment(
                actor, item, responsible_party=party, description=locked.text, lead_body=lead_body, due_on=due_on
            )
        except AgreementError as exc:
            raise MeetingError(exc.message) from None
        MeetingDecision.objects.filter(pk=decision.pk, commitment__isnull=True).update(
            commitment=commitment, target_agreement=target, responsible_party=party, lead_body=lead_body, due_on=due_on
        )
        audit(
            actor,
            "decision.adopted",
            locked,
            commitment=commitment.pk,
            agreement=target.pk,
            item=item.pk,
            party=party.pk,
            lead_body=lead_body.pk if lead_body is not None else None,
            due_on=due_on.isoformat() if due_on else None,
        )
    decision.refresh_from_db()
    return commitment
