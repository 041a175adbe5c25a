"""What every form does with what people type: figures in their language's notation, text composed and clean.

A figure is parsed with the active language: in Vietnamese "101.000" is one hundred and one
thousand and "6,6" six point six; in English "101,000" and "6.6".  What cannot be read without
guessing (4.3 in Vietnamese) is refused with a message that shows how to write it, and the stored
value is shown back in the same notation, so that saving an untouched form changes nothing.

Free text goes through PlainTextMixin: composed to NFC before any field reads it, and refused, on
its field and in Vietnamese, when it holds a character nobody types (NUL, which PostgreSQL
refuses outright, and the other control characters; core.text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy

from core.numbers import NumberFormatError, format_decimal, parse_decimal
from core.text import composed, has_unprintable

UNPRINTABLE = gettext_lazy(
    "Nội dung có ký tự điều khiển không hiển thị được (ví dụ ký tự NUL), thường lẫn vào khi sao chép từ phần "
    "mềm khác. Hãy xóa các ký tự đó (hoặc gõ lại đoạn văn bản) rồi lưu lại."
)


def validate_plain_text(value: Any) -> None:
    """Refuse text holding a character nobody types (core.text.has_unprintable), with a message that says so."""
    if isinstance(value, str) and has_unprintable(value):
        raise ValidationError(UNPRINTABLE, code="unprintable")


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


# ASCII digits, at most 18 of them: any longer is beyond every integer column, and int() refuses 4,300 digits.
_WHOLE = re.compile(r"[+-]?[0-9]{1,18}")


class WholeNumberField(forms.IntegerField):
    """A whole number in ASCII digits, with a sign at most ("45", "-3").

    Django's IntegerField reads its text with int(), which also takes "1_0" for 10 and "٣" for 3: a figure
    written so is refused, with the field's "invalid" message, rather than read as something else.
    """

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            text = value.strip()
            if text in self.empty_values:
                return None
            if not _WHOLE.fullmatch(text):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def _composed_data(data: Any, keys: Iterable[str]) -> Any:
    """The posted data with the values under `keys` in NFC; the data itself when nothing changes (no copy)."""
    result = data
    for key in keys:
        if key not in data:
            continue
        values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
        fixed = [composed(v) if isinstance(v, str) else v for v in values]
        if fixed == values:
            continue
        if result is data:
            result = data.copy()  # a QueryDict's copy is mutable; the request's own is not
        if hasattr(result, "setlist"):
            result.setlist(key, fixed)
        else:
            result[key] = fixed[0]
    return result


class PlainTextMixin:
    """Free text of a form as it is stored: composed (NFC), and refused with a message when unprintable.

    Put it first in the bases of a Form or ModelForm.  Every text field but a password's is concerned,
    those a form adds in its own __init__ too (the work is done when the form is cleaned): its value
    (and its hidden initial) is composed before the field reads it, so length limits count the letters
    a person sees and the value shown back is the stored one; NUL and the other control characters
    are refused on the field (Django's English "Null characters are not allowed." replaced).
    """

    fields: dict[str, forms.Field]
    data: Any
    is_bound: bool

    def full_clean(self) -> None:
        names = []
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
                if validate_plain_text not in field.validators:
                    kept = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
                    field.validators = [validate_plain_text, *kept]
                names.append(name)
        if self.is_bound and names:
            form: Any = self
            keys = [key for name in names for key in (form.add_prefix(name), form.add_initial_prefix(name))]
            self.data = _composed_data(self.data, keys)
        super().full_clean()  # type: ignore[misc]  # a mixin: the form class comes after it


class PlainTextModelForm(PlainTextMixin, forms.ModelForm[Any]):
    """A ModelForm with PlainTextMixin: the base of the admin's forms (ModelAdmin.form, InlineModelAdmin.form)."""
