"""The fixed parts of an administrative document (Decree 30/2020/NĐ-CP, Annex I).

Names: the document speaks in the agreement's terms, so the issuing body, its parent and the
recipients appear under the names they had as parties (agreements keep the names their parties
had when signed, and the report is about that party's commitments: "UBND TỈNH LONG AN / SỞ CÔNG
THƯƠNG" for the Long An department).  The place in the place-and-date line follows the decree's
own rule instead: the unit where the body sits today (Tây Ninh for the former Long An department).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from agreements.models import Body, Membership, Party, Role
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


def place_of(body: Body) -> str:
    """The short name of the unit where the body sits today."""
    return str(body.current().unit.current().short_name)


def short_name(body: Body) -> str:
    """ "UBND tỉnh Long An" for "Ủy ban nhân dân tỉnh Long An", the name itself otherwise."""
    if body.name.startswith(PEOPLES_COMMITTEE + " "):
        return "UBND " + body.name[len(PEOPLES_COMMITTEE) + 1 :]
    return body.name


def parent_line(body: Body) -> str:
    return short_name(body.parent).upper() if body.parent is not None else ""


def body_line(body: Body) -> str:
    """The body's name without the locality its parent line already gives ("SỞ CÔNG THƯƠNG")."""
    name = body.name
    if body.parent is not None and body.parent.name.startswith(PEOPLES_COMMITTEE + " "):
        locality = body.parent.name[len(PEOPLES_COMMITTEE) + 1 :]
        if name.endswith(" " + locality):
            name = name[: -len(locality) - 1]
    return name.upper()


def letterhead(body: Body, number: str, day: datetime.date, *, draft: bool) -> Letterhead:
    line = body_line(body)
    width = min(text_width_pt(line, BODY_LINE_PT, bold=True), LEFT_COLUMN_PT)
    return Letterhead(
        parent_line(body), line, number, place_date(place_of(body), day), draft, f"{width * RULE_SHARE:.1f}pt"
    )


def _succession(body: Body) -> list[Body]:
    chain = [body]
    node = body
    while node.successor_id is not None and node.valid_to is not None and len(chain) < 10:
        assert node.successor is not None
        node = node.successor
        chain.append(node)
    return chain


def signing_leader(body: Body) -> Membership | None:
    """A leader of the body (or of the body that succeeded it): the head before deputies."""
    chain = _succession(body)
    order = {b.pk: i for i, b in enumerate(chain)}
    leaders = list(Membership.objects.filter(body__in=chain, role=Role.LEADER).select_related("user"))
    leaders.sort(key=lambda m: (order[m.body_id], m.title.strip().lower().startswith(DEPUTY), m.pk))
    return leaders[0] if leaders else None


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
    leader = signing_leader(body)
    if leader is None:
        return Signature(signature_lines("", body), "")
    name = leader.user.get_full_name() or leader.user.get_username()
    return Signature(signature_lines(leader.title, body), name)


def recipients(issuing: Party, parties: list[Party], extra: list[str] | None = None) -> list[str]:
    """ "Nơi nhận": the other parties, the parent People's Committee, then the file copies."""
    lines = [f"- {short_name(p.body)};" for p in parties if p.pk != issuing.pk]
    lines += [f"- {line};" for line in extra or []]
    parent = issuing.body.parent
    if parent is not None:
        lines.append(f"- {short_name(parent)} (để báo cáo);")
    office = issuing.coordinating_office.abbreviation if issuing.coordinating_office else ""
    lines.append(f"- Lưu: VT, {office or 'KHTC'}.")
    return lines


def vn_number(value: Decimal | int | float | None) -> str:
    """Figures in an official document are always Vietnamese: 101.000 and 6,6."""
    return format_decimal(value, "vi")
