"""core/templatetags/numbers.py: `number` and `filesize`, in the active language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load numbers %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (Decimal("101000.0000"), "101.000", "101,000"),
        (Decimal("11.5000"), "11,5", "11.5"),
        (Decimal("6.6000"), "6,6", "6.6"),
        (Decimal("0.0000"), "0", "0"),
        (0, "0", "0"),
        (35, "35", "35"),
        ("1234.5", "1.234,5", "1,234.5"),
        (None, "", ""),
        ("", "", ""),
        ("không phải số", "không phải số", "không phải số"),
    ],
)
def test_number(value, vi, en):
    assert render("{{ v|number }}", "vi", v=value) == vi
    assert render("{{ v|number }}", "en", v=value) == en


def test_a_missing_figure_and_only_that_is_a_dash():
    source = '{{ v|number|default:"—" }}'
    assert [render(source, "vi", v=v) for v in (None, Decimal(0), Decimal("101000"))] == ["—", "0", "101.000"]


def test_fixed_places():
    assert render("{{ v|number:1 }}", "vi", v=Decimal(30)) == "30,0"


@pytest.mark.parametrize(
    ("size", "vi", "en"),
    [
        (30 * 1024 * 1024, "30,0 MB", "30.0 MB"),
        (1536, "1,5 KB", "1.5 KB"),
        (512, "512 byte", "512 bytes"),
        (1, "1 byte", "1 byte"),
        (3 * 1024**3, "3,0 GB", "3.0 GB"),
        (None, "", ""),
    ],
)
def test_filesize(size, vi, en):
    assert render("{{ s|filesize }}", "vi", s=size) == vi
    assert render("{{ s|filesize }}", "en", s=size) == en
