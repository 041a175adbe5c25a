"""The period page of a long agreement, paged by cooperation item (reporting.views.period_detail, issue 11).

60 items of 17 commitments (1,020) between the demo's Long An and Tây Ninh departments (support.long_agreement):
a page holds whole items up to reporting.item_pages.PERIOD_ROWS commitments, the pager names the items of each
page, `?item=` lands on the page holding an item, and what the top of the page counts is the whole period's.
The page makes the same queries for 5 items as for 60.  Who may open it is the permission walk's business.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Commitment
from reporting import item_pages
from reporting.models import ProgressEntry
from reporting.queries import consolidate
from tests.support import long_agreement

pytestmark = pytest.mark.django_db

ITEMS, PER_ITEM = 60, 17
PER_PAGE = item_pages.PERIOD_ROWS // PER_ITEM  # whole items of 17 commitments: 8 to a page
LAST = -(-ITEMS // PER_PAGE)  # 8 pages, the last one with items 57-60


@pytest.fixture
def long_period(demo):
    return long_agreement(ITEMS, PER_ITEM)


@pytest.fixture
def coordinator(client, users):
    client.force_login(users["la.coord"])
    return client


def url(period, **params) -> str:
    query = f"?{urlencode(params)}" if params else ""
    return reverse("period_detail", args=[period.pk]) + query


def shown(response) -> list[int]:
    return [block.item.number for block in response.context["consolidated"].items]


def numbers(page: int) -> list[int]:
    return list(range((page - 1) * PER_PAGE + 1, min(page * PER_PAGE, ITEMS) + 1))


def test_the_first_page_holds_the_first_items_and_the_pager_names_every_page(coordinator, long_period):
    response = coordinator.get(url(long_period))
    assert response.status_code == 200
    assert shown(response) == numbers(1)
    rows = sum(len(c.rows) for block in response.context["consolidated"].items for c in block.columns)
    assert rows == PER_PAGE * PER_ITEM <= item_pages.PERIOD_ROWS
    page = response.content.decode()
    assert '<strong aria-current="page">Nội dung 1–8</strong>' in page
    assert f"?page={LAST}" in page and "Nội dung 57–60" in page
    assert 'id="item-8"' in page and 'id="item-9"' not in page
    assert 'rel="next"' in page and 'rel="prev"' not in page
    # The jump list offers every item, the first of the page chosen.
    assert page.count('<option value="') == ITEMS
    assert '<option value="1" selected>' in page


def test_page_3(coordinator, long_period):
    response = coordinator.get(url(long_period, page=3))
    assert shown(response) == numbers(3) == list(range(17, 25))
    page = response.content.decode()
    assert '<strong aria-current="page">Nội dung 17–24</strong>' in page
    assert 'href="?page=2" rel="prev"' in page and 'href="?page=4" rel="next"' in page
    assert "Cam kết 17.1:" in page and "Cam kết 16.1:" not in page and "Cam kết 25.1:" not in page


def test_an_item_is_reached_on_the_page_that_holds_it_with_the_other_parameters_kept(coordinator, long_period):
    response = coordinator.get(url(long_period, o="x", item=30))
    assert response.status_code == 302
    assert response["Location"] == url(long_period, o="x", page=4) + "#item-30"
    page = coordinator.get(response["Location"])
    assert 30 in shown(page) and shown(page) == numbers(4)
    html = page.content.decode()
    assert 'href="?o=x&amp;page=5"' in html  # the pager keeps them too
    assert '<input type="hidden" name="o" value="x">' in html  # and so does the jump form


@pytest.mark.parametrize("item", ["61", "0", "abc", "²", "9" * 40])
def test_an_item_the_agreement_does_not_have_is_ignored(coordinator, long_period, item):
    response = coordinator.get(url(long_period, item=item, page=2))
    assert response.status_code == 200 and shown(response) == numbers(2)


@pytest.mark.parametrize(("asked", "page"), [("99", LAST), ("0", LAST), ("-1", LAST), ("abc", 1), ("", 1)])
def test_a_page_that_is_not_one_gives_the_nearest_as_django_does(coordinator, long_period, asked, page):
    response = coordinator.get(url(long_period, page=asked))
    assert response.status_code == 200 and shown(response) == numbers(page)


def test_the_counts_at_the_top_are_the_whole_periods(coordinator, long_period):
    response = coordinator.get(url(long_period, page=3))
    entries = ProgressEntry.objects.filter(report__period=long_period)
    assert entries.count() == ITEMS * PER_ITEM
    on_track = entries.filter(status=Commitment.Status.ON_TRACK).count()
    assert on_track == 120  # a quarter of Tây Ninh's 480
    assert response.context["consolidated"].status_counts() == {"not_started": 900, "on_track": 120}
    page = response.content.decode()
    assert "Toàn kỳ, mọi nội dung hợp tác: 1020 cam kết" in page
    assert '<span class="pill">Chưa triển khai: 900</span>' in page
    assert '<span class="pill">Đúng tiến độ: 120</span>' in page
    led = {party.body.name: (n, statuses) for party, _r, _v, n, statuses in response.context["report_rows"]}
    assert led["Sở Công Thương tỉnh Long An"] == (540, [("not_started", "Chưa triển khai", 540)])
    assert led["Sở Công Thương tỉnh Tây Ninh"] == (
        480,
        [("not_started", "Chưa triển khai", 360), ("on_track", "Đúng tiến độ", 120)],
    )


def test_a_draft_of_the_other_party_is_not_counted(client, users, long_period):
    """Tây Ninh's coordinator reads Long An's draft nowhere: neither its entries nor their statuses."""
    client.force_login(users["tn.coord"])
    response = client.get(url(long_period))
    assert response.context["consolidated"].status_counts() == {"not_started": 360, "on_track": 120}
    led = {party.body.name: (n, statuses) for party, _r, _v, n, statuses in response.context["report_rows"]}
    assert led["Sở Công Thương tỉnh Long An"] == (540, [])


def test_the_documents_still_read_every_item(long_period):
    whole = consolidate(long_period)
    assert [block.item.number for block in whole.items] == list(range(1, ITEMS + 1))
    assert sum(len(c.rows) for block in whole.items for c in block.columns) == ITEMS * PER_ITEM
    some = consolidate(long_period, items=list(long_period.agreement.items.filter(number__in=[2, 40])))
    assert [block.item.number for block in some.items] == [2, 40]
    assert some.status_counts() == whole.status_counts() == {"not_started": 900, "on_track": 120}


def test_a_short_agreement_is_one_page_without_a_pager(coordinator, demo):
    period = long_agreement(5, PER_ITEM)
    response = coordinator.get(url(period))
    assert shown(response) == [1, 2, 3, 4, 5]
    page = response.content.decode()
    assert "item-pager" not in page and 'name="item"' not in page


def count_queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(address).status_code == 200, address
    return len(context.captured_queries)


def test_the_same_queries_for_5_items_as_for_60(coordinator, long_period):
    short = long_agreement(5, PER_ITEM)
    few = count_queries(coordinator, url(short))
    assert count_queries(coordinator, url(long_period)) == few
    assert count_queries(coordinator, url(long_period, page=LAST)) == few
    assert few <= 40


def test_an_outsider_gets_no_page(client, users, long_period):
    client.force_login(users["tg.coord"])  # Tiền Giang is no party to this agreement
    assert client.get(url(long_period, item=3)).status_code == 404
