"""core.forms: a decimal typed with the separators of the active language, shown back in the same notation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from core.forms import LocalizedDecimalField, LocalizedDecimalInput


class FigureForm(forms.Form):
    value = LocalizedDecimalField(max_digits=18, decimal_places=4, required=False)


def clean(text: str, language: str) -> tuple[Decimal | None, list[str]]:
    with translation.override(language):
        form = FigureForm({"value": text})
        valid = form.is_valid()
        return (form.cleaned_data["value"] if valid else None), [str(e) for e in form.errors.get("value", [])]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("101.000", Decimal(101000)),
        ("6,6", Decimal("6.6")),
        ("1.234.567,5", Decimal("1234567.5")),
        ("0", Decimal(0)),
        ("", None),
    ],
)
def test_vietnamese(text, value):
    assert clean(text, "vi") == (value, [])


@pytest.mark.parametrize(("text", "value"), [("101,000", Decimal(101000)), ("6.6", Decimal("6.6"))])
def test_english(text, value):
    assert clean(text, "en") == (value, [])


def test_an_ambiguous_vietnamese_figure_is_refused_with_an_example():
    value, errors = clean("4.3", "vi")
    assert value is None
    assert errors == [
        "“4.3” không phải là một số viết đúng cách. Dùng “.” để tách hàng nghìn và “,” cho phần thập phân, "
        "ví dụ 101.000 hoặc 6,6."
    ]


def test_a_vietnamese_grouping_is_refused_in_english():
    value, errors = clean("4,3", "en")
    assert value is None and len(errors) == 1 and "101,000" in errors[0] and "6.6" in errors[0]


def test_more_decimal_places_than_stored_are_refused_not_rounded():
    value, errors = clean("1,23456", "vi")
    assert value is None and errors


@pytest.mark.parametrize(("language", "shown"), [("vi", "101.000"), ("en", "101,000")])
def test_the_stored_value_is_shown_in_the_notation_it_is_typed_in(language, shown):
    class Tracked(forms.Form):
        value = LocalizedDecimalField(max_digits=18, decimal_places=4, show_hidden_initial=True)

    with translation.override(language):
        html = str(Tracked(initial={"value": Decimal("101000.0000")})["value"])
        assert html.count(f'value="{shown}"') == 2  # the box and the hidden initial beside it
        assert 'inputmode="decimal"' in html and 'type="text"' in html
        # Posted back untouched, it reads as the value it was: nothing changed, nothing saved.
        untouched = Tracked({"value": shown, "initial-value": shown}, initial={"value": Decimal("101000.0000")})
        assert untouched.is_valid() and untouched.cleaned_data["value"] == 101000
        assert not untouched.has_changed()


def test_the_widget_alone_formats_numbers_and_keeps_text():
    widget = LocalizedDecimalInput()
    with translation.override("vi"):
        assert widget.format_value(Decimal("6.6000")) == "6,6"
        assert widget.format_value("4.3") == "4.3"  # what the user typed, shown back as typed
        assert widget.format_value(None) is None


def test_values_given_by_code_are_taken_as_they_are():
    field = LocalizedDecimalField(max_digits=18, decimal_places=4)
    with translation.override("vi"):
        assert field.clean(Decimal("4.3")) == Decimal("4.3")  # a Decimal is not text to be read
        assert field.clean(101000) == 101000 and field.clean(6.5) == Decimal("6.5")
