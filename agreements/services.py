"""Every write of the agreements app: each takes the acting user, runs atomically, audits, raises AgreementError."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from agreements.models import (
    OTHER_SECTOR,
    AdministrativeUnit,
    Agreement,
    Amendment,
    Body,
    Commitment,
    CooperationItem,
    Party,
    Sector,
    check_item_numbers,
)
from agreements.naming import search_key
from core import clock, limits
from core.audit import audit, changes, snapshot
from core.errors import DomainError
from core.types import Actor


class AgreementError(DomainError):
    """A rule of the agreements was broken; the message is for the user."""


def add_commitment(
    actor: Actor | None,
    item: CooperationItem,
    responsible_party: Party,
    description: str,
    *,
    due_on: datetime.date | None = None,
    source: str = "",
) -> Commitment:
    """A new commitment at the end of an item's list, led by one of the agreement's parties."""
    if responsible_party.agreement_id != item.agreement_id:
        raise AgreementError(_("Bên chủ trì phải là một bên của cùng thỏa thuận với nội dung hợp tác."))
    description = description.strip()
    if not description:
        raise AgreementError(_("Hãy ghi nội dung cam kết."))
    try:
        limits.check_lengths(Commitment, {"description": description})
    except ValidationError as exc:
        raise AgreementError(" ".join(exc.messages)) from None
    with transaction.atomic():
        # The item row lock serialises two additions to the same item, so their orders differ.
        CooperationItem.objects.select_for_update().get(pk=item.pk)
        last = Commitment.objects.filter(item=item).aggregate(last=Max("order"))["last"] or 0
        commitment = Commitment.objects.create(
            item=item, responsible_party=responsible_party, description=description, due_on=due_on, order=last + 1
        )
        audit(actor, "commitment.added", commitment, item=item.pk, party=responsible_party.pk, source=source)
    return commitment


def record_commitment_statuses(actor: Actor | None, statuses: dict[int, str], *, source: str) -> int:
    """Set the status of commitments from an approved report (the latest approved word on each)."""
    changed = 0
    with transaction.atomic():
        commitments = Commitment.objects.select_for_update(of=("self",)).select_related("item")  # item: the agreement
        for commitment in commitments.filter(pk__in=list(statuses)).order_by("pk"):
            if commitment.status != statuses[commitment.pk]:
                before = commitment.status
                commitment.status = statuses[commitment.pk]
                commitment.save(update_fields=["status"])
                audit(actor, "commitment.status", commitment, before=before, after=commitment.status, source=source)
                changed += 1
    return changed


def archive_agreement(actor: Actor | None, agreement: Agreement) -> Agreement:
    """Take an agreement off the lists, keeping it, its reports and their history: what replaces deleting it."""
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.archived_at is not None:
            return locked
        if locked.status == Agreement.Status.IN_FORCE:
            raise AgreementError(
                _(
                    "Thỏa thuận “%(title)s” đang hiệu lực nên chưa lưu trữ được: hãy chuyển tình trạng sang "
                    "“Hết hiệu lực”, “Chấm dứt” hoặc “Được thay thế” trước."
                )
                % {"title": locked.title}
            )
        locked.archived_at = clock.now()
        locked.save(update_fields=["archived_at", "updated_at"])
        audit(actor, "agreement.archived", locked)
    return locked


def unarchive_agreement(actor: Actor | None, agreement: Agreement) -> Agreement:
    """Bring an archived agreement back to the lists."""
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.archived_at is None:
            return locked
        locked.archived_at = None
        locked.save(update_fields=["archived_at", "updated_at"])
        audit(actor, "agreement.unarchived", locked)
    return locked


# Entering agreements in the app (issue 10): drafts, parties, items, publishing, status, renewal, amendments.


@dataclass
class PartyDraft:
    body: Body
    coordinating_office: Body | None = None
    signatory_name: str = ""
    signatory_title: str = ""


@dataclass
class ItemDraft:
    number: int
    text: str
    sectors: list[str] = field(default_factory=list)  # codes; the first is the main sector; none -> "other"


def _message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _check_parties(parties: Sequence[PartyDraft]) -> None:
    if len(parties) < 2:
        raise AgreementError(_("Một thỏa thuận hợp tác cần ít nhất hai bên."))
    seen: set[int] = set()
    for party in parties:
        if party.body.pk in seen:
            raise AgreementError(_("Cơ quan “%(body)s” được chọn hai lần.") % {"body": party.body.name})
        seen.add(party.body.pk)
        office = party.coordinating_office
        if office is not None and office.pk == party.body.pk:
            raise AgreementError(
                _("Bộ phận điều phối của “%(body)s” phải là một đơn vị trực thuộc, không phải chính cơ quan.")
                % {"body": party.body.name}
            )


def _item_sectors(draft: ItemDraft) -> tuple[str, list[str]]:
    codes = [code for code in dict.fromkeys(draft.sectors) if code] or [OTHER_SECTOR]
    unknown = set(codes) - set(Sector.objects.filter(pk__in=codes).values_list("pk", flat=True))
    if unknown:
        raise AgreementError(_("Lĩnh vực không có trong danh mục: %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    return codes[0], codes[1:]


def _write_items(agreement: Agreement, items: Sequence[ItemDraft]) -> list[CooperationItem]:
    check_numbers = [draft.number for draft in items]
    try:
        check_item_numbers(check_numbers)
    except ValidationError as exc:
        raise AgreementError(_message(exc)) from None
    created = []
    for draft in items:
        text = draft.text.strip()
        if not text:
            raise AgreementError(_("Nội dung hợp tác số %(number)d đang để trống.") % {"number": draft.number})
        main, others = _item_sectors(draft)
        item = CooperationItem(agreement=agreement, number=draft.number, text=text, sector_id=main)
        try:
            item.full_clean(exclude=["agreement"])
        except ValidationError as exc:
            raise AgreementError(
                _("Nội dung hợp tác số %(number)d: %(error)s") % {"number": draft.number, "error": _message(exc)}
            ) from None
        item.save()
        item.other_sectors.set(cast(list[Any], others))  # primary keys: the codes
        created.append(item)
    return created


def create_agreement(
    actor: Actor | None,
    *,
    kind: str,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    parties: Sequence[PartyDraft],
    items: Sequence[ItemDraft] = (),
    number: str = "",
    signed_on: datetime.date | None = None,
    signed_at: str = "",
    objectives: str = "",
    notes: str = "",
    tracked_from: datetime.date | None = None,
    predecessor: Agreement | None = None,
    source: str = "",
) -> Agreement:
    """A new agreement as a draft, with its parties and numbered items: all of it or nothing.

    `source` says where it came from in the audit ("form", "import:<file>", "renewal:<id>").
    """
    _check_parties(parties)
    agreement = Agreement(
        kind=kind,
        title=title.strip(),
        number=number.strip(),
        signed_on=signed_on,
        signed_at=signed_at.strip(),
        period_start=period_start,
        period_end=period_end,
        objectives=objectives.strip(),
        notes=notes.strip(),
        tracked_from=tracked_from,
        predecessor=predecessor,
        status=Agreement.Status.DRAFT,
    )
    try:
        agreement.full_clean(exclude=["signed_document"])
    except ValidationError as exc:
        raise AgreementError(_message(exc)) from None
    with transaction.atomic():
        agreement.save()
        Party.objects.bulk_create(
            Party(
                agreement=agreement,
                body=draft.body,
                coordinating_office=draft.coordinating_office,
                signatory_name=draft.signatory_name.strip(),
                signatory_title=draft.signatory_title.strip(),
                order=order,
            )
            for order, draft in enumerate(parties, start=1)
        )
        created = _write_items(agreement, items)
        audit(
            actor,
            "agreement.created",
            agreement,
            source=source,
            parties=[draft.body.pk for draft in parties],
            items=len(created),
            predecessor=predecessor.pk if predecessor is not None else None,
        )
    return agreement


def _locked_draft(agreement: Agreement) -> Agreement:
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if locked.status != Agreement.Status.DRAFT:
        raise AgreementError(_("Thỏa thuận đã ban hành; nội dung đã ký chỉ thay đổi bằng văn bản sửa đổi, bổ sung."))
    return locked


# General data a coordinator may correct on a draft (the rest follows from actions).
EDITABLE_FIELDS = (
    "kind",
    "number",
    "title",
    "signed_on",
    "signed_at",
    "period_start",
    "period_end",
    "objectives",
    "notes",
    "reporting_cadence_months",
    "report_deadline_days",
    "meeting_cadence_months",
    "tracked_from",
)


def update_agreement(actor: Actor | None, agreement: Agreement, **values: Any) -> Agreement:
    """Change the general data of an agreement. A draft takes any change; a published one only its
    cadences, "tracked from" date and notes (what was signed changes by amendment)."""
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        signed_fields = set(values) - {
            "notes",
            "reporting_cadence_months",
            "report_deadline_days",
            "meeting_cadence_months",
            "tracked_from",
        }
        if locked.status != Agreement.Status.DRAFT and any(
            getattr(locked, name) != values[name] for name in signed_fields
        ):
            raise AgreementError(
                _("Thỏa thuận đã ban hành; nội dung đã ký chỉ thay đổi bằng văn bản sửa đổi, bổ sung.")
            )
        before = {name: getattr(locked, name) for name in values}
        for name, value in values.items():
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
        try:
            locked.full_clean(exclude=["signed_document"])
        except ValidationError as exc:
            raise AgreementError(_message(exc)) from None
        changed = {
            name: [before[name], getattr(locked, name)] for name in values if before[name] != getattr(locked, name)
        }
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
            audit(actor, "agreement.updated", locked, changes={k: [str(a), str(b)] for k, (a, b) in changed.items()})
    return locked


def set_parties(actor: Actor | None, agreement: Agreement, parties: Sequence[PartyDraft]) -> list[Party]:
    """The parties of a draft, in order: kept, added or removed to match `parties` (ten as easily as two)."""
    _check_parties(parties)
    with transaction.atomic():
        _locked_draft(agreement)
        existing = {party.body_id: party for party in Party.objects.filter(agreement=agreement)}
        wanted = {draft.body.pk for draft in parties}
        leaving = [party for body_id, party in existing.items() if body_id not in wanted]
        for party in leaving:
            if party.commitments.exists():
                raise AgreementError(
                    _("“%(body)s” đang chủ trì cam kết; hãy giao các cam kết đó cho bên khác trước khi bỏ bên này.")
                    % {"body": party.body.name}
                )
        Party.objects.filter(pk__in=[party.pk for party in leaving]).delete()
        result = []
        for order, draft in enumerate(parties, start=1):
            party = existing.get(draft.body.pk) or Party(agreement=agreement, body=draft.body)
            party.coordinating_office = draft.coordinating_office
            party.signatory_name = draft.signatory_name.strip()
            party.signatory_title = draft.signatory_title.strip()
            party.order = order
            party.save()
            result.append(party)
        audit(actor, "agreement.parties", agreement, parties=[draft.body.pk for draft in parties])
    return result


def set_items(actor: Actor | None, agreement: Agreement, items: Sequence[ItemDraft]) -> list[CooperationItem]:
    """The numbered items of a draft: item n keeps its commitments when its text or sectors change;
    an item removed must have none."""
    with transaction.atomic():
        _locked_draft(agreement)
        try:
            check_item_numbers([draft.number for draft in items])
        except ValidationError as exc:
            raise AgreementError(_message(exc)) from None
        existing = {item.number: item for item in CooperationItem.objects.filter(agreement=agreement)}
        wanted = {draft.number for draft in items}
        removed = [item for number, item in existing.items() if number not in wanted]
        for item in removed:
            if item.commitments.exists():
                raise AgreementError(
                    _("Nội dung hợp tác số %(number)d đã có cam kết nên không bỏ được.") % {"number": item.number}
                )
        CooperationItem.objects.filter(pk__in=[item.pk for item in removed]).delete()
        result = []
        for draft in items:
            text = draft.text.strip()
            if not text:
                raise AgreementError(_("Nội dung hợp tác số %(number)d đang để trống.") % {"number": draft.number})
            main, others = _item_sectors(draft)
            item = existing.get(draft.number) or CooperationItem(agreement=agreement, number=draft.number)
            item.text, item.sector_id = text, main
            try:
                item.full_clean(exclude=["agreement"], validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                raise AgreementError(
                    _("Nội dung hợp tác số %(number)d: %(error)s") % {"number": draft.number, "error": _message(exc)}
                ) from None
            item.save()
            item.other_sectors.set(cast(list[Any], others))  # primary keys: the codes
            result.append(item)
        audit(actor, "agreement.items", agreement, items=len(result))
    return result


def save_commitment(
    actor: Actor | None,
    item: CooperationItem,
    *,
    responsible_party: Party,
    description: str,
    commitment: Commitment | None = None,
    lead_body: Body | None = None,
    supporting_bodies: Sequence[Body] = (),
    due_on: datetime.date | None = None,
    indicator_name: str = "",
    indicator_unit: str = "",
    baseline: Decimal | None = None,
    target: Decimal | None = None,
    status: str | None = None,
    source: str = "form",
) -> Commitment:
    """Add or change a commitment with its lead body, supporting bodies and indicator.

    `status` None keeps it (a new one starts "not started"); `source` says where the change came from in
    the audit ("form", "import:<file>").

    The lead body and every supporting body must be a party's body or a body of a party's province
    (a programme of People's Committees is carried out by their departments).
    """
    parties = list(Party.objects.filter(agreement_id=item.agreement_id).select_related("body__unit"))
    if responsible_party.agreement_id != item.agreement_id:
        raise AgreementError(_("Bên chủ trì phải là một bên của cùng thỏa thuận với nội dung hợp tác."))
    if lead_body is not None and not responsible_party.covers(lead_body):
        raise AgreementError(
            _("“%(body)s” không thuộc tỉnh của bên chủ trì “%(party)s”.")
            % {"body": lead_body.name, "party": responsible_party.body.name}
        )
    for body in supporting_bodies:
        if not any(party.covers(body) for party in parties):
            raise AgreementError(
                _("Cơ quan phối hợp “%(body)s” không phải một bên và không thuộc tỉnh của bên nào.")
                % {"body": body.name}
            )
    with transaction.atomic():
        CooperationItem.objects.select_for_update().get(pk=item.pk)
        created = commitment is None
        if commitment is None:
            last = Commitment.objects.filter(item=item).aggregate(last=Max("order"))["last"] or 0
            commitment = Commitment(item=item, order=last + 1)
            before: dict[str, Any] = {}
        else:
            commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
            before = snapshot(commitment, {"supporting_bodies": commitment.supporting_bodies.all()})
        commitment.item = item
        commitment.responsible_party = responsible_party
        commitment.lead_body = lead_body
        commitment.description = description.strip()
        commitment.due_on = due_on
        commitment.indicator_name = indicator_name.strip()
        commitment.indicator_unit = indicator_unit.strip()
        commitment.baseline = baseline
        commitment.target = target
        if status is not None:
            if status not in Commitment.Status.values:
                raise AgreementError(_("Tình trạng cam kết không hợp lệ."))
            commitment.status = status
        if not commitment.description:
            raise AgreementError(_("Hãy ghi nội dung cam kết."))
        try:
            commitment.full_clean(validate_unique=False)
        except ValidationError as exc:
            raise AgreementError(_message(exc)) from None
        commitment.save()
        commitment.supporting_bodies.set(supporting_bodies)
        after = snapshot(commitment, {"supporting_bodies": supporting_bodies})
        if created:
            audit(actor, "commitment.added", commitment, item=item.pk, party=responsible_party.pk, source=source)
        else:
            audit(actor, "commitment.updated", commitment, changes=changes(before, after), source=source)
    return commitment


def publish_agreement(actor: Actor | None, agreement: Agreement) -> Agreement:
    """A draft comes into force: it has at least two parties and one item, and its period has not ended."""
    with transaction.atomic():
        locked = _locked_draft(agreement)
        if locked.parties.count() < 2:
            raise AgreementError(_("Một thỏa thuận hợp tác cần ít nhất hai bên."))
        if not locked.items.exists():
            raise AgreementError(_("Hãy nhập ít nhất một nội dung hợp tác trước khi ban hành."))
        today = clock.today()
        locked.status = Agreement.Status.IN_FORCE if locked.period_end >= today else Agreement.Status.EXPIRED
        locked.ended_on = None if locked.status == Agreement.Status.IN_FORCE else locked.period_end
        locked.save(update_fields=["status", "ended_on", "updated_at"])
        audit(actor, "agreement.published", locked, status=locked.status)
    return locked


ENDED = (Agreement.Status.EXPIRED, Agreement.Status.TERMINATED, Agreement.Status.SUPERSEDED)


def change_status(
    actor: Actor | None, agreement: Agreement, status: str, on: datetime.date, *, note: str = ""
) -> Agreement:
    """An explicit change of status with the day it takes effect (a draft is published, not changed here).

    Ending (expired, terminated, superseded) stops reporting after `on`; bringing an ended agreement back
    into force clears the end.
    """
    if status not in (Agreement.Status.IN_FORCE, *ENDED):
        raise AgreementError(_("Tình trạng không hợp lệ."))
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.status == Agreement.Status.DRAFT:
            raise AgreementError(_("Dự thảo được ban hành bằng nút “Ban hành”, không đổi tình trạng trực tiếp."))
        if locked.archived_at is not None:
            raise AgreementError(_("Thỏa thuận đã lưu trữ; hãy bỏ lưu trữ trước khi đổi tình trạng."))
        if locked.status == status:
            raise AgreementError(_("Thỏa thuận đã ở tình trạng này."))
        start = locked.signed_on or locked.period_start
        if on < start:
            raise AgreementError(
                _("Ngày hiệu lực của thay đổi không thể trước ngày ký (%(day)s).") % {"day": f"{start:%d/%m/%Y}"}
            )
        if status == Agreement.Status.IN_FORCE and locked.period_end < clock.today():
            raise AgreementError(_("Giai đoạn của thỏa thuận đã kết thúc; không thể đưa trở lại hiệu lực."))
        if status == Agreement.Status.SUPERSEDED and not locked.successors.exists():
            raise AgreementError(_("Chưa có văn bản kế tiếp; hãy chuẩn bị giai đoạn mới trước."))
        before = locked.status
        locked.status = status
        locked.ended_on = None if status == Agreement.Status.IN_FORCE else min(on, locked.period_end)
        locked.save(update_fields=["status", "ended_on", "updated_at"])
        audit(actor, "agreement.status", locked, before=before, after=status, on=on.isoformat(), note=note.strip())
    return locked


def expire_agreements(today: datetime.date) -> int:
    """The daily job: agreements in force whose period has ended expire on its last day.

    A conditional UPDATE per agreement: two runs at once expire each one once.
    """
    expired = 0
    due = list(
        Agreement.objects.filter(status=Agreement.Status.IN_FORCE, period_end__lt=today).values_list("pk", "period_end")
    )
    for pk, period_end in due:
        with transaction.atomic():
            claimed = Agreement.objects.filter(pk=pk, status=Agreement.Status.IN_FORCE).update(
                status=Agreement.Status.EXPIRED, ended_on=period_end, updated_at=clock.now()
            )
            if claimed:
                agreement = Agreement.objects.get(pk=pk)
                audit(
                    None, "agreement.status", agreement, before="in_force", after="expired", on=period_end.isoformat()
                )
                expired += 1
    return expired


def next_period(agreement: Agreement) -> tuple[datetime.date, datetime.date]:
    """The period after this one, as long as this one: 2011–2015 -> 2016–2020."""
    years = agreement.period_end.year - agreement.period_start.year + 1
    start = agreement.period_end + datetime.timedelta(days=1)
    try:
        end = start.replace(year=start.year + years) - datetime.timedelta(days=1)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + years, day=28)
    return start, end


def prepare_successor(actor: Actor | None, agreement: Agreement) -> Agreement:
    """A draft for the next period: today's parties (after any merger, one party per body today),
    the items copied for editing, linked to this one as its predecessor."""
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.status == Agreement.Status.DRAFT:
            raise AgreementError(_("Hãy ban hành thỏa thuận trước khi chuẩn bị giai đoạn tiếp theo."))
        draft = locked.successors.filter(status=Agreement.Status.DRAFT).first()
        if draft is not None:
            raise AgreementError(_("Đã có dự thảo giai đoạn tiếp theo: “%(title)s”.") % {"title": draft.title})
        parties = successor_parties(locked)
        if len(parties) < 2:
            raise AgreementError(
                _(
                    "Sau khi sắp xếp đơn vị hành chính, các bên nay là cùng một cơ quan; không thể tự lập thỏa "
                    "thuận kế tiếp giữa các bên này."
                )
            )
        start, end = next_period(locked)
        items = [
            ItemDraft(item.number, item.text, [str(item.sector_id), *(s.pk for s in item.other_sectors.all())])
            for item in locked.items.prefetch_related("other_sectors").order_by("number")
        ]
        successor = create_agreement(
            actor,
            kind=locked.kind,
            title=_renewed_title(locked.title, locked, start, end),
            period_start=start,
            period_end=end,
            parties=parties,
            items=items,
            objectives=locked.objectives,
            predecessor=locked,
            source=f"renewal:{locked.pk}",
        )
        successor.reporting_cadence_months = locked.reporting_cadence_months
        successor.report_deadline_days = locked.report_deadline_days
        successor.meeting_cadence_months = locked.meeting_cadence_months
        successor.save(update_fields=["reporting_cadence_months", "report_deadline_days", "meeting_cadence_months"])
        # The predecessor's history says it was renewed (the successor's says where it came from).
        audit(actor, "agreement.renewed", locked, successor=successor.pk, title=successor.title)
    return successor


def successor_parties(agreement: Agreement) -> list[PartyDraft]:
    """The parties of the next period: each party's body as it is today (after any merger, one party per
    body today), with its coordinating office if that still exists.  Read only: the renewal page shows it."""
    rows = list(agreement.parties.order_by("order", "pk").values_list("body_id", "coordinating_office_id"))
    # Three queries however many parties: each body's chain to today, then today's bodies.
    chains = Body.objects.filter(pk__in={pk for row in rows for pk in row if pk is not None}).chain_ids()
    today = Body.objects.in_bulk({chain[-1] for chain in chains.values()})
    parties: list[PartyDraft] = []
    seen: set[int] = set()
    for body_id, office_id in rows:
        body = today[chains[body_id][-1]]
        if body.pk in seen:  # two old provinces' departments became one body
            continue
        seen.add(body.pk)
        office: Body | None = today[chains[office_id][-1]] if office_id is not None else None
        if office is not None and (office.pk == body.pk or office.valid_to is not None):
            office = None  # an office that ended with its province coordinates nothing today
        parties.append(PartyDraft(body=body, coordinating_office=office))
    return parties


def _renewed_title(title: str, agreement: Agreement, start: datetime.date, end: datetime.date) -> str:
    """ "... giai đoạn 2011 – 2015" -> "... giai đoạn 2016 – 2020"; other titles get the new period appended."""
    old, new = agreement.period_start.year, agreement.period_end.year
    for dash in ("–", "-", "—"):
        for sep in (f" {dash} ", dash):
            before = f"{old}{sep}{new}"
            if before in title:
                return title.replace(before, f"{start.year}{sep}{end.year}")
    return f"{title} (giai đoạn {start.year} – {end.year})"


def record_amendment(
    actor: User, agreement: Agreement, *, amended_on: datetime.date, summary: str, document_number: str = ""
) -> Amendment:
    """A signed change to an agreement: when, by which document, what changed."""
    summary = summary.strip()
    if not summary:
        raise AgreementError(_("Hãy ghi nội dung sửa đổi, bổ sung."))
    start = agreement.signed_on or agreement.period_start
    if amended_on < start:
        raise AgreementError(
            _("Ngày sửa đổi không thể trước ngày ký thỏa thuận (%(day)s).") % {"day": f"{start:%d/%m/%Y}"}
        )
    amendment = Amendment(
        agreement=agreement,
        amended_on=amended_on,
        summary=summary,
        document_number=document_number.strip(),
        recorded_by=actor,
    )
    try:
        amendment.full_clean()
    except ValidationError as exc:
        raise AgreementError(_message(exc)) from None
    with transaction.atomic():
        amendment.save()
        audit(actor, "agreement.amended", amendment, on=amended_on.isoformat(), number=amendment.document_number)
    return amendment


def add_body(
    actor: Actor | None,
    *,
    name: str,
    kind: str,
    unit: AdministrativeUnit,
    parent: Body | None = None,
    abbreviation: str = "",
) -> Body:
    """A body missing from the list, added on the spot; never a second body of the same name in a unit.

    "Same name" ignores case and diacritics, so "So Y te tinh Dong Nai" finds "Sở Y tế tỉnh Đồng Nai".
    """
    name = " ".join(name.split())
    if not name:
        raise AgreementError(_("Hãy ghi tên cơ quan."))
    if kind not in Body.Kind.values:
        raise AgreementError(_("Loại cơ quan không hợp lệ."))
    if unit.valid_to is not None and unit.valid_to < clock.today():
        raise AgreementError(
            _("%(unit)s đã hết hiệu lực từ %(day)s; hãy thêm cơ quan vào đơn vị hiện nay.")
            % {"unit": unit.name, "day": f"{unit.valid_to:%d/%m/%Y}"}
        )
    if parent is not None and parent.unit.current().pk != unit.pk:
        raise AgreementError(_("Cơ quan cấp trên phải thuộc cùng tỉnh, thành phố."))
    key = search_key(name)
    with transaction.atomic():
        # One at a time per unit: two people adding the same department at once make one body.
        AdministrativeUnit.objects.select_for_update().get(pk=unit.pk)
        for existing in Body.objects.filter(unit=unit, valid_to__isnull=True):
            if search_key(existing.name) == key:
                raise AgreementError(
                    _("Đã có cơ quan “%(body)s” trong danh sách; hãy chọn cơ quan đó.") % {"body": existing.name}
                )
        body = Body(kind=kind, name=name, unit=unit, parent=parent, abbreviation=abbreviation.strip())
        try:
            body.full_clean()
        except ValidationError as exc:
            raise AgreementError(_message(exc)) from None
        body.save()
        audit(actor, "body.added", body, unit=unit.pk, kind=kind)
    return body
