"""Figures on pages as the official documents write them, in the active language.

    {% load numbers %}
    {{ entry.actual_value|number }}        101.000 (vi) / 101,000 (en); 11,5 / 11.5; 0 stays 0
    {{ ratio|number:1 }}                   a fixed number of decimal places: 30,0
    {{ evidence.size|filesize }}           30,0 MB / 30.0 MB

Nothing (None or "") gives "", so `|default:"—"` marks a missing figure and only that.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.translation import ngettext

from core.numbers import format_decimal

register = template.Library()

_UNITS = ("KB", "MB", "GB", "TB")


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


@register.filter
def number(value: Any, places: Any = None) -> str:
    """A figure with the separators of the active language; text that is not a number is left as it is."""
    # Counts, most of a dashboard's figures, go to format_decimal as they are: it writes them without a Decimal.
    figure: Decimal | int | None = value if type(value) is int else _decimal(value)
    if figure is None:
        return "" if value is None else str(value)
    return format_decimal(figure, places=None if places in (None, "") else int(places))


@register.filter
def filesize(value: Any) -> str:
    """A size in bytes as people read it: 512 byte, 30,0 MB (multiples of 1024, one decimal)."""
    size = _decimal(value)
    if size is None:
        return ""
    if abs(size) < 1024:
        count = int(size)
        return ngettext("%(size)s byte", "%(size)s byte", count) % {"size": format_decimal(count)}
    for unit in _UNITS:
        size /= 1024
        if abs(size) < 1024 or unit == _UNITS[-1]:
            break
    return f"{format_decimal(size, places=1)} {unit}"
