"""Form fields that read and show figures the way the user's language writes them (core.numbers).

A figure is parsed with the active language: in Vietnamese "101.000" is one hundred and one
thousand and "6,6" six point six; in English "101,000" and "6.6".  What cannot be read without
guessing (4.3 in Vietnamese) is refused with a message that shows how to write it, and the stored
value is shown back in the same notation, so that saving an untouched form changes nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from core.numbers import NumberFormatError, format_decimal, parse_decimal


def _formatted(value: Any) -> Any:
    """A number as the active language writes it; anything else (text already typed) as it is."""
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return format_decimal(value)
    return value


class LocalizedDecimalInput(forms.TextInput):
    """A text box for a figure: a text input (a number input would refuse "101.000"), decimal keypad on phones."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        return str(_formatted(value))


class LocalizedDecimalField(forms.DecimalField):
    """A decimal typed with the separators of the active language (core.numbers.parse_decimal)."""

    widget = LocalizedDecimalInput

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return Decimal(str(value))
        try:
            return parse_decimal(str(value))
        except NumberFormatError as exc:
            raise ValidationError(str(exc), code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        # The stored value (and the hidden initial beside it) in the notation the user reads and types.
        return _formatted(value)
