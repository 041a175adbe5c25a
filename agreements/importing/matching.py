"""The bodies an imported text names, found among agreements.models.Body as they were on the signing day.

A 2011 agreement names "Sở Công Thương tỉnh Long An": the department of the former province, valid
then, not today's Sở Công Thương Tây Ninh. Names are compared folded (diacritics and case aside,
agreements.naming.search_key), the place against every name a unit had (AdministrativeUnit.search_name).
What is not found, or found more than once, is a problem the coordinator settles by choosing among
the candidates: the bodies of the province named, or of the same function.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from agreements.importing.parsing import PartyMention, Proposal
from agreements.models import AdministrativeUnit, Body, Membership, Role
from agreements.naming import search_key
from core import clock
from core.types import Actor

MAX_CANDIDATES = 80
_LEVEL_WORDS = re.compile(r"^(?:tinh|thanh pho|tp\.?)\s+")
_TRAILING_LEVEL = re.compile(r"(?:[\s,–-]+(?:tinh|thanh pho|tp\.?))?[\s,–-]*$")
_UBND = re.compile(r"^(?:ubnd|uy ban nhan dan)\b")


@dataclass(frozen=True)
class PartyMatch:
    """A party as the text names it, the body found (None: the coordinator chooses), and the choices."""

    mention: PartyMention
    body: Body | None
    candidates: tuple[Body, ...]
    problem: str = ""


def reference_day(proposal: Proposal) -> datetime.date:
    """The day the parties are named as of: the signing, else the start of the period, else today."""
    return proposal.signed_on.value or proposal.period_start.value or clock.today()


def _function_key(text: str) -> str:
    key = search_key(text)
    return _UBND.sub("uy ban nhan dan", key)


def _pieces(search_name: str) -> set[str]:
    return {piece.strip() for piece in search_name.split("|") if piece.strip()}


def units_named(place: str, day: datetime.date) -> list[AdministrativeUnit]:
    """The units valid on `day` one of whose names (present or former, full or short) is `place`."""
    key = _LEVEL_WORDS.sub("", search_key(place))
    if not key:
        return []
    return [
        unit
        for unit in AdministrativeUnit.objects.valid_on(day)
        if key in {_LEVEL_WORDS.sub("", piece) for piece in _pieces(unit.search_name)}
    ]


def _split(name: str, day: datetime.date) -> tuple[str, list[AdministrativeUnit]]:
    """(function, units) of a name that ends with a place: "Sở Công Thương Long An" -> ("Sở Công Thương", [Long An])."""
    words = name.split()
    for size in (4, 3, 2, 1):
        if len(words) <= size:
            continue
        units = units_named(" ".join(words[-size:]), day)
        if units:
            function = _TRAILING_LEVEL.sub("", search_key(" ".join(words[:-size])))
            if function:
                return function, units
    return "", []


def find_body(mention: PartyMention, day: datetime.date) -> tuple[list[Body], list[AdministrativeUnit]]:
    """The bodies valid on `day` that the mention names (one, when all goes well), and the units it names."""
    valid = Body.objects.valid_on(day).select_related("unit")
    key = search_key(mention.name)
    exact = list(valid.filter(Q(search_name=key) | Q(search_name__startswith=f"{key} | ")))
    if mention.function and mention.place:
        function, units = _function_key(mention.function), units_named(mention.place, day)
    else:
        function, units = _split(mention.name, day)
        function = _UBND.sub("uy ban nhan dan", function)
    if exact:
        return exact, units
    if not function or not units:
        return [], units
    same = [
        body
        for body in valid.filter(unit__in=units)
        if _function_key(body.function or "") == function or _function_key(body.name).startswith(function + " ")
    ]
    return same, units


def candidates(name: str, day: datetime.date, units: Sequence[AdministrativeUnit] = ()) -> list[Body]:
    """Bodies valid on `day` to choose from for a name: those of the province it names, else those whose
    name has its first words, else every People's Committee and department (never offices) of that day."""
    valid = Body.objects.valid_on(day).select_related("unit").order_by("unit__code", "kind", "name")
    if units:
        return list(valid.filter(unit__in=units)[:MAX_CANDIDATES])
    key = search_key(name)
    words = key.split()
    for size in (3, 2):
        if len(words) >= size:
            found = list(valid.filter(search_name__contains=" ".join(words[:size]))[:MAX_CANDIDATES])
            if found:
                return found
    return list(valid.exclude(kind=Body.Kind.OFFICE)[:MAX_CANDIDATES])


def match_party(mention: PartyMention, day: datetime.date) -> PartyMatch:
    bodies, units = find_body(mention, day)
    if len(bodies) == 1:
        others = candidates(mention.name, day, units)
        choices = tuple(dict.fromkeys([bodies[0], *others]))
        return PartyMatch(mention, bodies[0], choices)
    if bodies:
        return PartyMatch(
            mention,
            None,
            tuple(bodies),
            _("“%(name)s” ứng với nhiều cơ quan; hãy chọn một.") % {"name": mention.name},
        )
    return PartyMatch(
        mention,
        None,
        tuple(candidates(mention.name, day, units)),
        _("Không tìm thấy cơ quan “%(name)s” (còn hiệu lực ngày %(day)s) trong danh sách; hãy chọn cơ quan tương ứng.")
        % {"name": mention.name, "day": f"{day:%d/%m/%Y}"},
    )


def match_parties(mentions: Iterable[PartyMention], day: datetime.date) -> list[PartyMatch]:
    return [match_party(mention, day) for mention in mentions]


def offices_of(body_id: int, day: datetime.date) -> list[Body]:
    """The offices under a body on `day`: who may coordinate for it (bộ phận điều phối)."""
    return list(Body.objects.valid_on(day).filter(parent_id=body_id, kind=Body.Kind.OFFICE).order_by("name"))


def coordinating_office(body: Body, named: str, day: datetime.date, user: Actor | None = None) -> Body | None:
    """The office the text names ("Phòng Kế hoạch - Tài chính") under the body; failing that, the office
    under it where the importing user is a coordinator."""
    offices = offices_of(body.pk, day)
    key = search_key(named)
    if key:
        for office in offices:
            if search_key(office.name).startswith(key) or search_key(office.function or "") == key:
                return office
    if user is not None and user.is_authenticated:
        mine = set(
            Membership.objects.filter(user=user, role=Role.COORDINATOR, body__in=offices).values_list(
                "body_id", flat=True
            )
        )
        for office in offices:
            if office.pk in mine:
                return office
    return None
