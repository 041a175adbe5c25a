"""The agreement list's pages, sorting and exports (agreements.views.agreement_list, agreement_export)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement, Membership, Party

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://example.com","bấm")'


def body_of(user):
    return Membership.objects.filter(user=user).select_related("body").first().body


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def make_agreements(body, count: int, *, first: int = 0) -> list[Agreement]:
    made = []
    for n in range(first, first + count):
        agreement = Agreement.objects.create(
            title=FORMULA if n == 0 else f"Thỏa thuận Zeta {n:03d}",
            number=f"{n}/TTHT",
            signed_on=dt.date(2020, 1, 1) + dt.timedelta(days=n),
            period_start=dt.date(2020, 1, 1),
            period_end=dt.date(2024, 12, 31),
            status=Agreement.Status.IN_FORCE,
        )
        Party.objects.create(agreement=agreement, body=body, order=1)
        made.append(agreement)
    return made


@pytest.fixture
def many(users):
    """60 more agreements of la.staff's body, the first titled like a spreadsheet formula."""
    return make_agreements(body_of(users["la.staff"]), 60)


def test_the_list_is_paged_and_sorted(client, users, many):
    client.force_login(users["la.staff"])
    first = client.get(reverse("agreement_list"), {"q": "zeta", "o": "-signed_on"})
    assert first.status_code == 200
    titles = [a.title for a in first.context["page"]]
    assert len(titles) == 50
    assert titles[0] == "Thỏa thuận Zeta 059" and titles[1] == "Thỏa thuận Zeta 058"
    second = client.get(reverse("agreement_list"), {"q": "zeta", "o": "-signed_on", "page": 2})
    rest = [a.title for a in second.context["page"]]
    assert rest == [f"Thỏa thuận Zeta {n:03d}" for n in range(9, 0, -1)]
    page = second.content.decode()
    assert "Trang 2/2" in page
    assert 'href="?q=zeta&amp;o=-signed_on&amp;page=1"' in page  # the pager keeps the filters
    # A page number that is not one gives a page, not an error.
    assert client.get(reverse("agreement_list"), {"page": "x' or 1=1"}).status_code == 200


def test_sorting_by_a_header_toggles_its_direction(client, users, many):
    client.force_login(users["la.staff"])
    page = client.get(reverse("agreement_list"), {"o": "title"}).content.decode()
    assert 'aria-sort="ascending"' in page
    assert "?o=-title" in page


def test_the_list_makes_the_same_queries_for_ten_or_sixty_agreements(client, users):
    client.force_login(users["la.staff"])
    body = body_of(users["la.staff"])
    make_agreements(body, 10, first=100)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("agreement_list")).status_code == 200
    make_agreements(body, 50, first=200)
    with CaptureQueriesContext(connection) as more:
        assert client.get(reverse("agreement_list")).status_code == 200
    assert len(more) == len(few)


def test_excel_export_has_typed_cells_and_no_formulas(client, users, many):
    client.force_login(users["la.staff"])
    response = client.get(reverse("agreement_export", args=["xlsx"]), {"q": "zeta", "o": "signed_on"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(content(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Số văn bản", "Tên văn bản", "Loại văn bản", "Ngày ký")
    assert sheet.freeze_panes == "A2"
    assert len(rows) == 1 + 59  # the search left out the formula-titled one
    assert rows[1][1] == "Thỏa thuận Zeta 001"
    assert rows[1][3] == dt.datetime(2020, 1, 2)  # noqa: DTZ001 (Excel has no zones)  # a date cell, not text
    assert isinstance(rows[1][7], int)  # the number of parties is a number

    everything = client.get(reverse("agreement_export", args=["xlsx"]), {"o": "signed_on"})
    book = openpyxl.load_workbook(io.BytesIO(content(everything)))
    cells = [row[1] for row in book.active.iter_rows(min_row=2)]
    formula_cell = next(cell for cell in cells if cell.value == FORMULA)
    assert formula_cell.data_type == "s"  # text, never evaluated


def test_csv_export_opens_in_excel_and_neutralises_formulas(client, users, many):
    client.force_login(users["la.staff"])
    response = client.get(reverse("agreement_export", args=["csv"]))
    assert response.status_code == 200
    data = content(response)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][1] == "Tên văn bản"
    titles = {row[1] for row in rows[1:]}
    assert "'" + FORMULA in titles and FORMULA not in titles
    assert "Thỏa thuận Zeta 042" in titles


def test_an_export_holds_only_what_the_user_may_see(client, users, many):
    client.force_login(users["tn.staff"])
    response = client.get(reverse("agreement_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(content(response).decode("utf-8-sig"))))
    visible = {row[1] for row in rows[1:]}
    assert visible and "Thỏa thuận Zeta 001" not in visible


def test_an_unknown_format_is_not_found(client, users):
    client.force_login(users["la.staff"])
    assert client.get(reverse("agreement_export", args=["pdf"])).status_code == 404


def test_an_anonymous_export_asks_to_log_in(client):
    response = client.get(reverse("agreement_export", args=["csv"]))
    assert response.status_code == 302


def test_a_refused_sort_key_still_pages_in_a_defined_order(client, users, many):
    import warnings

    from django.core.paginator import UnorderedObjectListWarning

    client.force_login(users["la.staff"])
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)
        response = client.get(reverse("agreement_list"), {"q": "zeta", "o": "junk"})
    assert response.status_code == 200
    assert len(response.context["page"]) == 50
