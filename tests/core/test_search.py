"""Free-text search with diacritics and case ignored in the database (core.search), PostgreSQL side.

tests/agreements/test_sqlite.py-style runs cover SQLite; here the same folding as core.text.fold.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Value

from agreements.models import Agreement
from core.search import Folded, matching
from core.text import fold

pytestmark = pytest.mark.django_db

TITLES = [
    "Chương trình hợp tác phát triển du lịch Tây Ninh – Đồng Tháp",
    "THỎA THUẬN HỢP TÁC VỀ ĐẦU TƯ",
    "Kế hoạch hợp tác năm 2021",
]


@pytest.fixture
def agreements():
    return [
        Agreement.objects.create(
            title=title, period_start=dt.date(2021, 1, 1), period_end=dt.date(2025, 12, 31), number=f"{n}/KH-UBND"
        )
        for n, title in enumerate(TITLES, start=1)
    ]


@pytest.mark.parametrize("text", [*TITLES, "ĐỒNG", "Ỹ ỵ Ữ", "Ảnh đẹp"])
def test_the_database_folds_as_python_does(text):
    folded = Agreement.objects.annotate(f=Folded(Value(text))).values_list("f", flat=True)[:1]
    Agreement.objects.create(title="x", period_start=dt.date(2021, 1, 1), period_end=dt.date(2022, 1, 1))
    assert list(folded) == [fold(text)]


def ours(agreements):
    return Agreement.objects.filter(pk__in=[a.pk for a in agreements])


@pytest.mark.parametrize("typed", ["tay ninh – dong", "Tây Ninh – Đồng", "TÂY NINH – ĐỒNG", "  DU   LỊCH TÂY"])
def test_a_phrase_matches_in_any_case_and_accents(agreements, typed):
    found = matching(ours(agreements), typed, "title")
    assert [a.title for a in found] == [TITLES[0]]


def test_words_stay_together(agreements):
    assert not matching(ours(agreements), "du tay lich", "title").exists()


def test_a_search_looks_in_every_field_given(agreements):
    assert matching(ours(agreements), "dau tu", "title", "number").get().title == TITLES[1]
    assert matching(ours(agreements), "3/kh-ubnd", "title", "number").get().title == TITLES[2]


def test_blank_and_wildcard_input_match_literally(agreements):
    assert matching(ours(agreements), "   ", "title").count() == 3
    assert matching(ours(agreements), "%", "title").count() == 0
    assert matching(ours(agreements), "_", "title").count() == 0
