"""The fixed parts of an administrative document (Decree 30/2020/NĐ-CP, Annex I).

Everything is of the document's date: the body that issues is the party's body as it was (or had
become) on that day, so a report dated after 01/07/2025 for the former Long An department is
issued by Sở Công Thương tỉnh Tây Ninh under "UBND TỈNH TÂY NINH", dated from Tây Ninh; the
recipients are the other parties' bodies of that day, never the issuer itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from agreements.models import Body, Membership, Role
from core.numbers import format_decimal
from reporting.documents.metrics import text_width_pt

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PEOPLES_COMMITTEE = "Ủy ban nhân dân"
DEFAULT_HEAD_TITLE = {
    Body.Kind.PEOPLES_COMMITTEE: "Chủ tịch",
    Body.Kind.DEPARTMENT: "Giám đốc",
    Body.Kind.OFFICE: "Trưởng phòng",
}
DEPUTY = "phó "
BODY_LINE_PT = 13  # font size of the body line in templates/documents/_style.css
LEFT_COLUMN_PT = 165 * 0.38 / 25.4 * 72  # the left header column: 38% of the 165 mm text width
RULE_SHARE = 0.4


@dataclass(frozen=True)
class Letterhead:
    parent_line: str  # "UBND TỈNH LONG AN"
    body_line: str  # "SỞ CÔNG THƯƠNG"
    number: str  # "05/BC-SCT"
    place_date: str  # "Tây Ninh, ngày 05 tháng 01 năm 2026"
    draft: bool
    body_rule: str = "40pt"  # CSS width of the rule under the body line: 40% of that line (1/3 to 1/2)


@dataclass(frozen=True)
class Signature:
    lines: list[str] = field(default_factory=list)  # ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], bold capitals
    name: str = ""


def format_date(day: datetime.date) -> str:
    """ "ngày 05 tháng 01 năm 2026": leading zero for days under 10 and for months 1 and 2 only."""
    day_text = f"{day.day:02d}"
    month_text = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day_text} tháng {month_text} năm {day.year}"


def place_date(place: str, day: datetime.date) -> str:
    return f"{place}, {format_date(day)}"


# Decree 30/2020, Annex I: a place named after a person keeps its full name ("Thành phố Hồ Chí Minh, ngày ...").
NAMED_AFTER_A_PERSON = ("Hồ Chí Minh",)


def body_on(body: Body, day: datetime.date) -> Body:
    """The body, or the successor it had become, on `day` (bodies only hand over forward in time)."""
    chain: list[Body] = body.chain()
    return next((node for node in chain if node.valid_to is None or node.valid_to >= day), chain[-1])


def place_of(body: Body, day: datetime.date) -> str:
    """The place in the place-and-date line: the unit where the body sat on `day`, by its name of that day."""
    unit = body.unit.as_of(day)
    if unit.short_name_on(day) in NAMED_AFTER_A_PERSON:
        return unit.name_on(day)
    return unit.short_name_on(day)


def _name(body: Body, day: datetime.date | None) -> str:
    """The body's name, as it was called on `day` (Ủy ban nhân dân tỉnh Thừa Thiên Huế in 2023)."""
    return body.name_on(day) if day is not None else body.name


def short_name(body: Body, day: datetime.date | None = None) -> str:
    """ "UBND tỉnh Long An" for "Ủy ban nhân dân tỉnh Long An", the name itself otherwise."""
    name = _name(body, day)
    if name.startswith(PEOPLES_COMMITTEE + " "):
        return "UBND " + name[len(PEOPLES_COMMITTEE) + 1 :]
    return name


def parent_line(body: Body, day: datetime.date | None = None) -> str:
    return short_name(body.parent, day).upper() if body.parent is not None else ""


def body_line(body: Body, day: datetime.date | None = None) -> str:
    """The body's name without the locality its parent line already gives ("SỞ CÔNG THƯƠNG")."""
    name = _name(body, day)
    if body.parent is not None:
        parent = _name(body.parent, day)
        if parent.startswith(PEOPLES_COMMITTEE + " "):
            locality = parent[len(PEOPLES_COMMITTEE) + 1 :]
            if name.endswith(" " + locality):
                name = name[: -len(locality) - 1]
    return name.upper()


def letterhead(body: Body, number: str, day: datetime.date, *, draft: bool) -> Letterhead:
    line = body_line(body, day)
    width = min(text_width_pt(line, BODY_LINE_PT, bold=True), LEFT_COLUMN_PT)
    return Letterhead(
        parent_line(body, day), line, number, place_date(place_of(body, day), day), draft, f"{width * RULE_SHARE:.1f}pt"
    )


def signers(issuer: Body) -> list[Membership]:
    """Who may sign for `issuer`: the leaders of it or of a body it succeeded; its own first, heads before deputies."""
    return signers_of([issuer])[issuer.pk]


def signers_of(issuers: Iterable[Body]) -> dict[int, list[Membership]]:
    """signers() of each of `issuers` (by id), in one walk of their predecessors and one query of the leaders."""
    reached = Body.objects.predecessors_of({issuer.pk for issuer in issuers})  # a body -> the issuers it became
    found: dict[int, list[Membership]] = {pk: [] for pk in {pk for roots in reached.values() for pk in roots}}
    leaders = Membership.objects.filter(body_id__in=list(reached), role=Role.LEADER, user__is_active=True)
    for leader in leaders.select_related("user", "body"):
        for issuer_id in reached[leader.body_id]:
            found[issuer_id].append(leader)
    return {pk: sorted(members, key=partial(_signing_order, pk)) for pk, members in found.items()}


def _signing_order(issuer_id: int, member: Membership) -> tuple[bool, bool, int]:
    return member.body_id != issuer_id, member.title.strip().lower().startswith(DEPUTY), member.pk


def signature_lines(title: str, body: Body) -> list[str]:
    """ "Phó Giám đốc" signs for the head: "KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC"."""
    title = title.strip() or DEFAULT_HEAD_TITLE.get(Body.Kind(body.kind), "Thủ trưởng")
    lines = []
    if body.kind == Body.Kind.PEOPLES_COMMITTEE:
        lines.append("TM. ỦY BAN NHÂN DÂN")
    if title.lower().startswith(DEPUTY):
        lines.append("KT. " + title[len(DEPUTY) :].strip().upper())
    lines.append(title.upper())
    return lines


def signature(body: Body) -> Signature:
    """The signature a draft shows: the first who may sign (an issued document names its own signer)."""
    leader = next(iter(signers(body)), None)
    if leader is None:
        return Signature(signature_lines("", body), "")
    name = leader.user.get_full_name() or leader.user.get_username()
    return Signature(signature_lines(leader.title, body), name)


def recipients(
    issuer: Body,
    party_bodies: list[Body],
    day: datetime.date,
    *,
    office: Body | None = None,
    extra: list[str] | None = None,
) -> list[str]:
    """ "Nơi nhận": the other parties' bodies of that day, the parent People's Committee, then the file copies."""
    lines: list[str] = []
    for body in party_bodies:
        then = body_on(body, day)
        line = f"- {short_name(then, day)};"
        if then.pk != issuer.pk and line not in lines:
            lines.append(line)
    lines += [f"- {line};" for line in extra or []]
    if issuer.parent is not None:
        lines.append(f"- {short_name(issuer.parent, day)} (để báo cáo);")
    # The drafting office files its copy: the party's coordinating office of that day (KHTC when none).
    abbreviation = body_on(office, day).abbreviation if office is not None else ""
    lines.append(f"- Lưu: VT, {abbreviation or 'KHTC'}.")
    return lines


def vn_number(value: Decimal | int | float | None) -> str:
    """Figures in an official document are always Vietnamese: 101.000 and 6,6."""
    return format_decimal(value, "vi")
