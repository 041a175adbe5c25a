"""Pages of long lists (core.listing): the ids-first paginator gives the same rows in the same order as a plain
one, page after page, in one query more whatever the page size; the head of a list comes with its count in two
queries, also when the list is empty."""

from __future__ import annotations

import html
import re

import pytest
from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from agreements.models import AdministrativeUnit, Commitment
from core.listing import IdsFirstPaginator, few_first, head, page_of, stable

pytestmark = pytest.mark.django_db


def commitments():
    return stable(
        Commitment.objects.select_related("item__agreement", "responsible_party__body").order_by("-due_on", "status")
    )


def test_every_page_holds_the_plain_paginators_rows_in_its_order(demo):
    plain, first = Paginator(commitments(), 7), IdsFirstPaginator(commitments(), 7)
    assert plain.num_pages == first.num_pages > 2
    for number in plain.page_range:
        assert [c.pk for c in first.page(number)] == [c.pk for c in plain.page(number)]


def test_the_rows_come_with_their_joins_in_two_queries_whatever_the_page_size(demo):
    for per_page in (3, 30):
        with CaptureQueriesContext(connection) as queries:
            page = IdsFirstPaginator(commitments(), per_page).page(1)
            names = [c.responsible_party.body.name and c.item.agreement.title for c in page]
        assert len(names) == per_page and len(queries) == 3  # the count, the page's ids, their rows


def test_a_row_deleted_between_the_two_reads_is_left_out(demo, monkeypatch):
    paginator = IdsFirstPaginator(commitments(), 5)
    expected = [c.pk for c in Paginator(commitments(), 5).page(1)]
    in_bulk = type(Commitment.objects.all()).in_bulk

    def deleted_meanwhile(queryset, *args, **kwargs):
        rows = in_bulk(queryset, *args, **kwargs)
        rows.pop(expected[2])
        return rows

    monkeypatch.setattr(type(Commitment.objects.all()), "in_bulk", deleted_meanwhile)
    assert [c.pk for c in paginator.page(1)] == expected[:2] + expected[3:]


def test_page_of_reads_the_page_number_as_the_plain_one_does(demo):
    request = RequestFactory().get("/", {"page": "junk"})
    assert page_of(request, commitments(), 4, ids_first=True).number == 1
    request = RequestFactory().get("/", {"page": "9999"})
    last = page_of(request, commitments(), 4, ids_first=True)
    assert last.number == last.paginator.num_pages and list(last) == list(page_of(request, commitments(), 4))


@pytest.mark.parametrize("ordering", [("-due_on", "status", "pk"), ("item__agreement__title", "-pk")])
def test_head_is_the_lists_first_rows_with_their_count(demo, ordering):
    matching = Commitment.objects.filter(status__in=["on_track", "not_started", "delayed"])
    expected = list(matching.order_by(*ordering))
    assert len(expected) > 3
    with CaptureQueriesContext(connection) as queries:
        rows, count = head(matching, *ordering, size=3, related=("item__agreement", "responsible_party__body"))
        # The related rows came with them.
        names = [(c.item.agreement.title, c.responsible_party.body.name) for c in rows]
    assert [c.pk for c in rows] == [c.pk for c in expected[:3]]
    assert count == len(expected)
    assert len(names) == 3
    assert len(queries) == 2


def test_head_of_a_short_list_is_all_of_it(demo):
    matching = Commitment.objects.filter(pk__in=Commitment.objects.order_by("pk").values("pk")[:2])
    rows, count = head(matching, "pk", size=5)
    assert ([c.pk for c in rows], count) == (list(matching.order_by("pk").values_list("pk", flat=True)), 2)


def test_head_of_an_empty_list_makes_the_same_queries(demo):
    with CaptureQueriesContext(connection) as queries:
        assert head(Commitment.objects.filter(description="(nothing)"), "due_on", size=5) == ([], 0)
    assert len(queries) == 2


def test_the_pager_keeps_the_filters_and_drops_a_refresh(demo):
    """A page's links keep what the list is filtered by, and not `fresh=1` (dashboards: compute the figures
    again), so that paging on after a refresh reads the figures it just computed."""
    request = RequestFactory().get("/", {"q": "tây ninh", "page": "2", "fresh": "1"})
    html = render_to_string("_pager.html", {"page": page_of(request, commitments(), 4)}, request=request)
    assert 'href="?q=t%C3%A2y+ninh&amp;page=1" rel="prev"' in html
    assert 'href="?q=t%C3%A2y+ninh&amp;page=3" rel="next"' in html and "fresh" not in html


@pytest.mark.django_db
def test_few_first_reads_the_first_rows_and_counts_them_all_in_one_query():
    today = AdministrativeUnit.objects.filter(valid_to__isnull=True)  # the 34 units since the 2025 merger
    with CaptureQueriesContext(connection) as captured:
        rows, total = few_first(today, "-code", "pk", size=5)
    assert len(captured) == 1
    assert total == today.count() == 34
    assert [u.pk for u in rows] == list(today.order_by("-code", "pk").values_list("pk", flat=True)[:5])
    assert few_first(today.filter(code="nope"), "pk", size=5) == ([], 0)


@pytest.mark.parametrize("path", ["/agreements/", "/commitments/", "/reports/", "/meetings/", "/documents/"])
def test_each_sort_choice_is_named_in_the_reader_s_language(client, users, path):
    """Both ways, on every list: django-filter named the descending choice once, in Vietnamese, with an
    English suffix ("Thời hạn (descending)" in both languages)."""
    client.force_login(users["la.coord"])
    choices = _sort_choices(client.get(path).content.decode())
    assert choices and all(label.endswith(" (giảm dần)") for value, label in choices if value.startswith("-"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = dict(_sort_choices(client.get(path).content.decode()))
    for value, label in english.items():
        if value.startswith("-"):
            assert label == f"{english[value[1:]]} (descending)"
        assert not re.search(r"[ạảãấầẩẫậắằẳẵặẹẻẽếềểễệịỉĩọỏõốồổỗộớờởỡợụủũứừửữựỳỷỹỵđ]", label.lower()), label


def _sort_choices(page: str) -> list[tuple[str, str]]:
    select = re.search(r'<select name="o"[^>]*>(.*?)</select>', page, re.S)
    assert select, "no sort choices on the page"
    return [
        (value, html.unescape(label))
        for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))
        if value
    ]
