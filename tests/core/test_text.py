"""core.text.fold: search ignores Vietnamese diacritics and case."""

from __future__ import annotations

import unicodedata

import pytest

from core.text import fold


@pytest.mark.parametrize("text", ["tay ninh", "Tây Ninh", "TÂY NINH", "  Tây   Ninh "])
def test_the_same_province_however_it_is_typed(text):
    assert fold(text) == "tay ninh"


def test_d_with_stroke_and_decomposed_input():
    assert fold("Đồng Tháp") == "dong thap"
    assert fold(unicodedata.normalize("NFD", "Thừa Thiên Huế")) == "thua thien hue"
