"""Numbers as people type and read them, in Vietnamese and in English.

Vietnamese: "." groups thousands and "," marks decimals (101.000 = 101000; 6,6 = 6.6;
1.234.567,5).  English: the reverse (101,000; 6.6).  A separator that cannot be a grouping
(4.3 in Vietnamese) is refused rather than guessed: a 1000x error in a signed report costs
more than asking again.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation, localcontext

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.text import excerpt

_SEPARATORS = {"vi": (".", ","), "en": (",", ".")}  # (thousands, decimal)


class NumberFormatError(ValueError):
    """The text is not a number in the given language; the message says how to write it."""


def separators(language: str | None = None) -> tuple[str, str]:
    code = (language or get_language() or "vi")[:2]
    return _SEPARATORS.get(code, _SEPARATORS["vi"])


def parse_decimal(text: str, language: str | None = None) -> Decimal:
    """The number a person typed, read with the separators of their language."""
    group, point = separators(language)
    raw = "".join(text.split())  # spaces (also no-break) may group digits too
    if not raw:
        raise NumberFormatError(_("Hãy nhập một số."))
    sign = ""
    if raw[0] in "+-":
        sign, raw = ("-" if raw[0] == "-" else ""), raw[1:]
    whole, has_point, fraction = raw.partition(point)
    if point in fraction or (has_point and not fraction) or not re.fullmatch(r"[0-9.,]*", raw) or not whole:
        raise NumberFormatError(_example_error(text, group, point))
    if group in fraction:
        raise NumberFormatError(_example_error(text, group, point))
    if group in whole:
        if not re.fullmatch(rf"[0-9]{{1,3}}(\{group}[0-9]{{3}})+", whole):
            raise NumberFormatError(_example_error(text, group, point))
        whole = whole.replace(group, "")
    if not whole.isdigit() or (fraction and not fraction.isdigit()):
        raise NumberFormatError(_example_error(text, group, point))
    try:
        value = Decimal(f"{sign}{whole}.{fraction or '0'}")
    except InvalidOperation:  # pragma: no cover - the pattern above admits digits only
        raise NumberFormatError(_example_error(text, group, point)) from None
    return value


def _example_error(text: str, group: str, point: str) -> str:
    return _(
        "“%(text)s” không phải là một số viết đúng cách. Dùng “%(group)s” để tách hàng nghìn và “%(point)s” cho "
        "phần thập phân, ví dụ 101%(group)s000 hoặc 6%(point)s6."
    ) % {"text": excerpt(text), "group": group, "point": point}


def format_decimal(value: Decimal | int | float | None, language: str | None = None, places: int | None = None) -> str:
    """101000 -> "101.000", 6.6 -> "6,6" (Vietnamese); no trailing zeros unless `places` asks for them.

    Exact for any finite number, however long (the default context would round it to 28 digits);
    NaN and infinities are no figure a person wrote: ValueError.
    """
    if value is None:
        return ""
    group, point = separators(language)
    if type(value) is int and places is None:  # exact, and a tenth of the Decimal path's time
        grouped = f"{value:,}"
        return grouped if group == "," else grouped.replace(",", group)
    number = Decimal(str(value))
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    if places is not None:
        # Enough digits for the whole part and the places asked for: quantize never rounds the whole part.
        with localcontext() as context:
            context.prec = max(context.prec, number.adjusted() + places + 2)
            number = number.quantize(Decimal(1).scaleb(-places))
    sign = "-" if number < 0 else ""
    whole, _sep, fraction = f"{number.copy_abs():f}".partition(".")  # abs() would round to 28 digits
    if places is None:
        fraction = fraction.rstrip("0")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = sign + group.join(groups)
    return f"{text}{point}{fraction}" if fraction else text
