"""The agreement page of a long agreement, paged by cooperation item as the period page is (issue 11).

60 items of 17 commitments (support.long_agreement): a page holds whole items up to PERIOD_ROWS commitments,
the counts at the top are the whole agreement's, and a link to a commitment (`Commitment.get_absolute_url`,
`?commitment=<id>#commitment-<id>`) shows the page that holds it, wherever it comes from.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Commitment, commitment_url
from reporting import item_pages
from tests.support import long_agreement

pytestmark = pytest.mark.django_db

ITEMS, PER_ITEM = 60, 17
PER_PAGE = item_pages.PERIOD_ROWS // PER_ITEM  # 8 items of 17 commitments to a page


@pytest.fixture
def long_one(demo: None) -> Any:
    return long_agreement(ITEMS, PER_ITEM).agreement


@pytest.fixture
def coordinator(client: Any, users: Any) -> Any:
    client.force_login(users["la.coord"])
    return client


def shown(response: Any) -> list[int]:
    return [item.number for item in response.context["items"]]


def test_the_first_page_holds_the_first_items_and_counts_the_whole_agreement(coordinator: Any, long_one: Any) -> None:
    response = coordinator.get(reverse("agreement_detail", args=[long_one.pk]))
    assert response.status_code == 200
    assert shown(response) == list(range(1, PER_PAGE + 1))
    page = response.content.decode()
    assert '<strong aria-current="page">Nội dung 1–8</strong>' in page and "Nội dung 57–60" in page
    assert 'id="item-8"' in page and 'id="item-9"' not in page
    assert page.count('<li id="commitment-') == PER_PAGE * PER_ITEM
    # The status counts above the items are the agreement's, not the page's.
    assert f'<span class="pill">Chưa triển khai: {ITEMS * PER_ITEM}</span>' in page


def test_a_link_to_a_commitment_shows_the_page_that_holds_it(coordinator: Any, long_one: Any) -> None:
    commitment = Commitment.objects.get(item__agreement=long_one, item__number=30, order=3)
    link = commitment.get_absolute_url()
    assert link == commitment_url(long_one.pk, commitment.pk)
    assert link.endswith(f"?commitment={commitment.pk}#commitment-{commitment.pk}")
    response = coordinator.get(link)
    assert response.status_code == 200
    assert 30 in shown(response) and 1 not in shown(response)
    assert f'<li id="commitment-{commitment.pk}">' in response.content.decode()
    # ?page= says otherwise: the commitment wins, so the anchor is on the page.
    response = coordinator.get(f"{reverse('agreement_detail', args=[long_one.pk])}?page=1&commitment={commitment.pk}")
    assert 30 in shown(response)


@pytest.mark.parametrize("value", ["abc", "0", "-1", "99999999999999999999", ""])
def test_a_commitment_that_is_not_one_of_the_agreement_s_gives_the_first_page(
    coordinator: Any, long_one: Any, value: str
) -> None:
    response = coordinator.get(reverse("agreement_detail", args=[long_one.pk]), {"commitment": value})
    assert response.status_code == 200 and shown(response) == list(range(1, PER_PAGE + 1))


def test_another_agreement_s_commitment_gives_the_first_page(coordinator: Any, long_one: Any) -> None:
    elsewhere = Commitment.objects.exclude(item__agreement=long_one).first()
    assert elsewhere is not None
    response = coordinator.get(reverse("agreement_detail", args=[long_one.pk]), {"commitment": elsewhere.pk})
    assert shown(response) == list(range(1, PER_PAGE + 1))


def test_item_jumps_like_the_period_page(coordinator: Any, long_one: Any) -> None:
    response = coordinator.get(reverse("agreement_detail", args=[long_one.pk]), {"item": 42})
    assert response.status_code == 302
    assert response["Location"].endswith("?page=6#item-42")


def test_the_page_makes_the_same_queries_on_every_page(coordinator: Any, long_one: Any) -> None:
    url = reverse("agreement_detail", args=[long_one.pk])
    coordinator.get(url)
    counts = []
    for params in ({}, {"page": 4}, {"page": 8}):
        with CaptureQueriesContext(connection) as captured:
            assert coordinator.get(url, params).status_code == 200
        counts.append(len(captured))
    assert len(set(counts)) == 1, counts
