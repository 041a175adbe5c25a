"""core.numbers: one parser and one formatter of figures, Vietnamese first, English second."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.numbers import NumberFormatError, format_decimal, parse_decimal


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("101.000", Decimal(101000)),
        ("6,6", Decimal("6.6")),
        ("1.234.567,5", Decimal("1234567.5")),
        ("1234567,5", Decimal("1234567.5")),
        ("0", Decimal(0)),
        ("-2,25", Decimal("-2.25")),
        ("101 000", Decimal(101000)),
        ("\u00a0101.000\u00a0", Decimal(101000)),
    ],
)
def test_vietnamese_numbers(text, value):
    assert parse_decimal(text, "vi") == value


@pytest.mark.parametrize(
    ("text", "value"),
    [("101,000", Decimal(101000)), ("6.6", Decimal("6.6")), ("1,234,567.5", Decimal("1234567.5"))],
)
def test_english_numbers(text, value):
    assert parse_decimal(text, "en") == value


@pytest.mark.parametrize("text", ["4.3", "1.23", "1.2345", "6,6,6", "1.000,5,5", "abc", "", "  ", "1e5", "--1", "1,"])
def test_ambiguous_or_malformed_vietnamese_is_refused_with_an_example(text):
    with pytest.raises(NumberFormatError) as refused:
        parse_decimal(text, "vi")
    message = str(refused.value)
    assert "101.000" in message or "Hãy nhập một số" in message


def test_english_refuses_a_vietnamese_grouping():
    with pytest.raises(NumberFormatError, match="101,000"):
        parse_decimal("4,3", "en")


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (Decimal("101000.0000"), "101.000", "101,000"),
        (Decimal("6.6000"), "6,6", "6.6"),
        (Decimal("11.5000"), "11,5", "11.5"),
        (Decimal(0), "0", "0"),
        (Decimal("-1234.5"), "-1.234,5", "-1,234.5"),
        (None, "", ""),
    ],
)
def test_format(value, vi, en):
    assert (format_decimal(value, "vi"), format_decimal(value, "en")) == (vi, en)


def test_format_with_fixed_places():
    assert format_decimal(Decimal("30"), "vi", places=1) == "30,0"


decimals = st.decimals(min_value=Decimal("-1e13"), max_value=Decimal("1e13"), places=4, allow_nan=False)


@given(value=decimals, language=st.sampled_from(["vi", "en"]))
def test_format_then_parse_round_trips(value, language):
    assert parse_decimal(format_decimal(value, language), language) == value


@given(value=st.integers(min_value=-(10**30), max_value=10**30), language=st.sampled_from(["vi", "en"]))
def test_a_whole_number_is_written_as_its_decimal_is(value, language):
    """Counts take a shorter path than Decimals (core.numbers.format_decimal): the same text, however long."""
    assert format_decimal(value, language) == format_decimal(Decimal(value), language)
    assert format_decimal(value, language, places=2) == format_decimal(Decimal(value), language, places=2)
    assert parse_decimal(format_decimal(value, language), language) == value
