"""Free-text search with diacritics and case ignored in the database (core.search), PostgreSQL side.

tests/agreements/test_sqlite.py-style runs cover SQLite; here the same folding as core.text.fold, in the stored
`search_text` columns the database keeps (whatever writes the row) and in the query for the small tables.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q, Value

from agreements.models import Agreement, Body, Commitment, CooperationItem, Party
from core.search import Folded, contains, matches, with_folded
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


def search(agreements, typed):
    return ours(agreements).filter(contains("search_text", typed))


@pytest.mark.parametrize("typed", ["tay ninh – dong", "Tây Ninh – Đồng", "TÂY NINH – ĐỒNG", "  DU   LỊCH TÂY"])
def test_a_phrase_matches_in_any_case_and_accents(agreements, typed):
    assert [a.title for a in search(agreements, typed)] == [TITLES[0]]


def test_words_stay_together(agreements):
    assert not search(agreements, "du tay lich").exists()


def test_the_stored_column_holds_every_field_given_and_never_matches_across_two(agreements):
    assert search(agreements, "dau tu").get().title == TITLES[1]
    assert search(agreements, "3/kh-ubnd").get().title == TITLES[2]
    # The title ends "năm 2021", the number starts "3/": the two are not one text.
    assert not search(agreements, "2021 3/kh").exists()
    assert Agreement.objects.get(pk=agreements[2].pk).search_text == "ke hoach hop tac nam 2021\n3/kh-ubnd"


def test_blank_and_wildcard_input_match_literally(agreements):
    assert ours(agreements).filter(contains("search_text", "%")).count() == 0
    assert ours(agreements).filter(contains("search_text", "_")).count() == 0


def test_the_database_keeps_the_column_right_whatever_writes_the_row():
    """A bulk insert (the import, the bench data) and an update() bypass save(): the column follows anyway."""
    agreement = Agreement.objects.create(
        title="Thỏa thuận hợp tác", period_start=dt.date(2021, 1, 1), period_end=dt.date(2025, 12, 31)
    )
    party = Party.objects.create(agreement=agreement, body=Body.objects.filter(kind="peoples_committee")[0], order=1)
    item = CooperationItem.objects.create(agreement=agreement, number=1, text="Phát triển DU LỊCH")
    Commitment.objects.bulk_create(
        [Commitment(item=item, responsible_party=party, description="Tổ chức Hội chợ", indicator_name="Số gian hàng")]
    )
    commitment = Commitment.objects.get(item=item)
    assert commitment.search_text == "to chuc hoi cho\nso gian hang"
    Commitment.objects.filter(pk=commitment.pk).update(description="Đón đoàn KHẢO SÁT")
    CooperationItem.objects.filter(pk=item.pk).update(text="Nông nghiệp")
    ours = Commitment.objects.filter(item__agreement=agreement)
    assert list(ours.filter(contains("search_text", "khao sat"))) == [commitment]
    assert list(ours.filter(contains("item__search_text", "nong nghiep"))) == [commitment]
    assert not ours.filter(contains("search_text", "hoi cho") | contains("item__search_text", "du lich")).exists()


def test_small_tables_fold_in_the_query(agreements):
    found = with_folded(ours(agreements), "title").filter(matches("title", "ĐẦU tu") | Q(pk=0))
    assert [a.title for a in found] == [TITLES[1]]
