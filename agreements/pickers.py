"""Finding a body by what a person types: "ubnd tay ninh", "Sở Công Thương Long An", "UBND Thừa Thiên Huế".

One reading serves the suggestions while typing (`search`, the /bodies/search/ endpoint) and the form
that is posted without them (`resolve`): every typed word must begin a word of the body's name or
abbreviation, or of one of its province's names, present or former, diacritics and case aside; "ubnd"
and "tp" also stand for the words they shorten.  A row then resolves when one body fits: the only one
left, the one whose label was picked from the suggestions, or the one whose name has no word the person
did not type (the place words "tỉnh", "thành phố" aside), so "ubnd tay ninh" is the People's Committee
and not its office.  Otherwise the form shows the candidates, each with its unit and validity, so that
the Tây Ninh of before 01/07/2025 and today's are told apart.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q
from django.utils.translation import gettext as _

from agreements.models import AdministrativeUnit, Body
from agreements.naming import search_key
from core import clock
from core.text import excerpt

SUGGESTIONS = 20  # what a picker shows at most
_SCANNED = 200  # rows read to rank; a search this broad ("so") asks for more words anyway
# Typed short for longer words: matched as the phrase in the name, and counted as its words.
ALIASES = {"ubnd": "uy ban nhan dan", "tp": "thanh pho", "tphcm": "thanh pho ho chi minh", "hcm": "ho chi minh"}
# Words of a name that say what kind of place follows: nobody needs to type them.
_PLACE_WORDS = frozenset({"tinh", "thanh", "pho"})
_KIND_ORDER: dict[str, int] = {Body.Kind.PEOPLES_COMMITTEE: 0, Body.Kind.DEPARTMENT: 1, Body.Kind.OFFICE: 2}
_NOT_A_WORD = re.compile(r"[^\w]+")


# The validity a label ends with ("… (từ 01/07/2025)", "… (01/03/2025 – 30/06/2025)"), in any language of the UI.
_VALIDITY = re.compile(r"\s*\([^()]*\d{1,2}/\d{1,2}/\d{4}[^()]*\)\s*$")


def words(text: str) -> list[str]:
    """The words to look for: a label picked from the suggestions is looked for by its name."""
    return [word for word in _NOT_A_WORD.split(search_key(_VALIDITY.sub("", text))) if word]


def validity(body: Body) -> str:
    """ "đến 30/06/2025", "từ 01/07/2025", both, or nothing for a body that has always been."""
    start, end = body.valid_from, body.valid_to
    if start is not None and end is not None:
        return f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"
    if end is not None:
        return _("đến %(day)s") % {"day": f"{end:%d/%m/%Y}"}
    if start is not None:
        return _("từ %(day)s") % {"day": f"{start:%d/%m/%Y}"}
    return ""


def label(body: Body) -> str:
    """What a picker shows and a row is filled with: the name, and its validity when it has one."""
    valid = validity(body)
    return f"{body.name} ({valid})" if valid else body.name


def as_json(body: Body) -> dict[str, object]:
    return {
        "id": body.pk,
        "label": label(body),
        "name": body.name,
        "kind": body.get_kind_display(),
        "unit": str(body.unit),
        "validity": validity(body),
    }


def _begins_a_word(field_name: str, word: str) -> Q:
    return Q(**{f"{field_name}__startswith": word}) | Q(**{f"{field_name}__contains": f" {word}"})


def _word_filter(word: str) -> Q:
    found = _begins_a_word("search_name", word) | _begins_a_word("unit__search_name", word)
    if word in ALIASES:
        found |= Q(search_name__contains=ALIASES[word])
    return found


def _covered(typed: list[str]) -> list[str]:
    return [part for word in typed for part in ALIASES.get(word, word).split()]


def untyped_words(typed: list[str], body: Body) -> int:
    """How many words of the body's name the person did not type (the place words aside): 0 is a full match."""
    covered = _covered(typed)
    return sum(
        1
        for word in words(body.name)
        if word not in _PLACE_WORDS and not any(word.startswith(part) for part in covered)
    )


def fits(typed: list[str], body: Body) -> bool:
    """In Python what the search's filter says in SQL (for a choice posted back with the text)."""
    texts = (body.search_name, body.unit.search_name)
    for word in typed:
        phrase = ALIASES.get(word)
        if not any(text.startswith(word) or f" {word}" in text for text in texts) and not (
            phrase and phrase in body.search_name
        ):
            return False
    return True


def _ranked(typed: list[str], bodies: Iterable[Body], day: datetime.date) -> list[Body]:
    return sorted(
        bodies,
        key=lambda b: (untyped_words(typed, b), not b.is_valid_on(day), _KIND_ORDER.get(b.kind, 3), b.name, b.pk),
    )


def candidates(
    text: str, *, on: datetime.date | None = None, units: Collection[int] | None = None, limit: int = _SCANNED
) -> list[Body]:
    """Bodies that fit the typed words (valid on `on`, in `units`, when given), the best first: one query."""
    typed = words(text)
    if not typed:
        return []
    queryset: Any = Body.objects.select_related("unit")
    for word in typed:
        queryset = queryset.filter(_word_filter(word))
    if on is not None:
        queryset = queryset.valid_on(on)
    if units is not None:
        queryset = queryset.filter(unit_id__in=list(units))
    rows = list(queryset.order_by(F("valid_to").desc(nulls_first=True), "kind", "name", "pk")[:_SCANNED])
    return _ranked(typed, rows, on or clock.today())[:limit]


def search(text: str, *, on: datetime.date | None = None, units: Collection[int] | None = None) -> list[Body]:
    """What the picker suggests for the typed text: at most SUGGESTIONS bodies."""
    return candidates(text, on=on, units=units, limit=SUGGESTIONS)


@dataclass
class Found:
    """What a typed name resolves to: one body, or the candidates to choose from and why."""

    body: Body | None = None
    choices: list[Body] = field(default_factory=list)
    error: str = ""


def _day(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


def resolve(
    text: str,
    *,
    on: datetime.date | None = None,
    strict: bool = False,
    units: Collection[int] | None = None,
) -> Found:
    """The one body `text` names (see the module's docstring), preferring those valid on `on`.

    `strict`: only bodies valid on `on` may be named (a party on the signing day); otherwise one valid on
    `on` is preferred, any other taken when none is.
    """
    typed = words(text)
    if not typed:
        return Found()
    rows = candidates(text, units=units)
    valid = [body for body in rows if on is None or body.is_valid_on(on)]
    pool = valid if (strict or valid) else rows
    key = search_key(text)
    picked = [body for body in pool if key in (search_key(label(body)), search_key(body.name))]
    if len(picked) == 1:
        return Found(picked[0])
    if len(pool) == 1:
        return Found(pool[0])
    full = [body for body in pool if untyped_words(typed, body) == 0]
    if len(full) == 1:
        return Found(full[0])
    shown = excerpt(text, 60)
    if pool:
        return Found(
            choices=pool[:SUGGESTIONS],
            error=_("“%(text)s” khớp với %(count)d cơ quan; hãy chọn một cơ quan dưới đây hoặc gõ rõ hơn.")
            % {"text": shown, "count": len(pool)},
        )
    if rows and on is not None:
        return Found(
            error=_("Không có cơ quan nào khớp với “%(text)s” còn hiệu lực vào ngày %(day)s (có: %(others)s).")
            % {"text": shown, "day": _day(on), "others": "; ".join(label(body) for body in rows[:3])}
        )
    return Found(
        error=_("Không tìm thấy cơ quan nào khớp với “%(text)s”. Hãy gõ lại tên, hoặc thêm cơ quan còn thiếu.")
        % {"text": shown}
    )


def chosen(
    pk: int, text: str, *, on: datetime.date | None = None, strict: bool = False, units: Collection[int] | None = None
) -> Found:
    """A body picked from the candidates a form showed: it must still fit the text and the rules of the row."""
    body = Body.objects.select_related("unit").filter(pk=pk).first()
    if body is None or (units is not None and body.unit_id not in units) or not fits(words(text), body):
        return resolve(text, on=on, strict=strict, units=units)
    if strict and on is not None and not body.is_valid_on(on):
        return Found(error=_("“%(body)s” không có hiệu lực vào ngày %(day)s.") % {"body": label(body), "day": _day(on)})
    return Found(body)


def province_units(bodies: Iterable[Body]) -> dict[int, set[int]]:
    """Body id -> the units of its province: today's unit and every unit merged into it (one query a generation).

    A party of the former Long An may have its work led by any body of today's Tây Ninh or of the units
    it was formed from; bodies are read with `unit__successor` so that today's unit needs no query.
    """
    today = {body.pk: body.unit.current().pk for body in bodies}
    backward = AdministrativeUnit.objects.predecessors_of(set(today.values()))
    members: dict[int, set[int]] = defaultdict(set)
    for unit_id, roots in backward.items():
        for root in roots:
            members[root].add(unit_id)
    return {pk: members[unit_id] for pk, unit_id in today.items()}
