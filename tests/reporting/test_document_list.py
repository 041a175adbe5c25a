"""The list of issued documents (reporting.lists.document_list, document_export)."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.documents.kinds import ConsolidatedReportDocument, PartyReportDocument
from reporting.lists import number_text
from tests.support import issue_now, la_report_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def party(period: Any, province: str) -> Any:
    return next(p for p in period.agreement.parties.select_related("body") if province in p.body.name)


@pytest.fixture
def issued(users, first_half):
    return {
        "la_report": issue_now(users, "la.leader", PartyReportDocument(la_report_of(first_half))),
        "la_consolidated": issue_now(
            users, "la.coord", ConsolidatedReportDocument(first_half, party(first_half, "Long An"))
        ),
        "tn_consolidated": issue_now(
            users, "tn.coord", ConsolidatedReportDocument(first_half, party(first_half, "Tây Ninh"))
        ),
    }


def listed(client, **params) -> list[int]:
    response = client.get(reverse("document_list"), params)
    assert response.status_code == 200
    return [d.pk for d in response.context["page"]]


def test_each_leader_lists_the_documents_of_their_own_party(client, users, issued):
    client.force_login(users["la.leader"])
    assert set(listed(client)) == {issued["la_report"].pk, issued["la_consolidated"].pk}
    page = client.get(reverse("document_list")).content.decode()
    assert number_text(issued["la_report"]) in page
    assert reverse("document_download", args=[issued["la_report"].pk]) in page
    client.force_login(users["tn.coord"])
    assert listed(client) == [issued["tn_consolidated"].pk]
    # Every link of the list downloads: the list follows the download rule.
    response = client.get(reverse("document_download", args=[issued["tn_consolidated"].pk]))
    assert response.status_code == 200
    client.force_login(users["admin"])
    assert set(listed(client)) >= {d.pk for d in issued.values()}


def test_staff_and_outsiders_list_nothing(client, users, issued):
    for username in ("la.staff", "tg.leader"):
        client.force_login(users[username])
        assert listed(client) == []


def test_filters_search_and_sort(client, users, issued):
    client.force_login(users["admin"])
    assert listed(client, kind="party_report") == [issued["la_report"].pk]
    # The programme's title names the three provinces; "tien giang" finds its documents, diacritics aside.
    assert set(listed(client, q="TIEN GIANG", kind="consolidated")) == {
        issued["la_consolidated"].pk,
        issued["tn_consolidated"].pk,
    }
    assert listed(client, q="khong co van ban nay") == []
    ordered = listed(client, o="-number", kind="consolidated")
    assert len(ordered) == 2
    assert set(listed(client, current="on")) >= {d.pk for d in issued.values()}


def test_fixed_queries(client, users, first_half):
    client.force_login(users["admin"])
    issue_now(users, "tn.coord", ConsolidatedReportDocument(first_half, party(first_half, "Tây Ninh")))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("document_list"))
    issue_now(users, "la.leader", PartyReportDocument(la_report_of(first_half)))
    issue_now(users, "la.coord", ConsolidatedReportDocument(first_half, party(first_half, "Long An")))
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("document_list"))
    assert len(more) == len(few)


def test_exports(client, users, issued):
    client.force_login(users["la.leader"])
    response = client.get(reverse("document_export", args=["xlsx"]), {"o": "issued_on"})
    rows = list(openpyxl.load_workbook(io.BytesIO(content(response))).active.iter_rows(values_only=True))
    assert rows[0][0] == "Số" and len(rows) == 3
    assert {row[0] for row in rows[1:]} == {number_text(issued["la_report"]), number_text(issued["la_consolidated"])}
    text = content(client.get(reverse("document_export", args=["csv"]))).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) == 3


def test_anonymous_is_sent_to_log_in(client):
    assert client.get(reverse("document_list")).status_code == 302
