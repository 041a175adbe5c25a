"""core.text.shorten and the `shorten` filter: labels cut after a whole word, never inside one."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from core.text import shorten

COMMITMENT = "Tổ chức hội nghị xúc tiến thương mại, kết nối cung - cầu hàng hóa giữa ba tỉnh"


@pytest.mark.parametrize("limit", range(8, len(COMMITMENT)))
def test_every_cut_keeps_whole_words(limit):
    shown = shorten(COMMITMENT, limit)
    assert len(shown) <= limit and shown.endswith("…")
    kept = shown[:-1]
    assert COMMITMENT.startswith(kept) and COMMITMENT[len(kept)] in " ,"
    assert not kept.endswith((" ", ","))


def test_short_text_is_left_whole_and_spaces_are_tidied():
    assert shorten(COMMITMENT, len(COMMITMENT)) == COMMITMENT
    assert shorten("  Kim ngạch\n xuất khẩu ", 40) == "Kim ngạch xuất khẩu"
    assert shorten("Tổ chức hội nghị", 8) == "Tổ chức…"


def test_a_single_word_longer_than_the_limit_is_the_only_one_cut():
    assert shorten("https://example.org/a-very-long-address", 10) == "https://e…"


def test_the_template_filter():
    template = Template('{% load text %}<span title="{{ t }}">{{ t|shorten:20 }}</span>')
    assert template.render(Context({"t": COMMITMENT})) == f'<span title="{COMMITMENT}">Tổ chức hội nghị…</span>'
    assert Template("{% load text %}[{{ t|shorten:5 }}]").render(Context({"t": None})) == "[]"
