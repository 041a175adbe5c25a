"""The review meetings list across agreements (meetings.lists.meeting_list, meeting_export)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.access import visible_agreements
from meetings.models import MeetingDecision, ReviewMeeting

pytestmark = pytest.mark.django_db


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def agreement(users):
    return visible_agreements(users["la.staff"]).order_by("pk").first()


def meeting(agreement, held_on: dt.date, kind=ReviewMeeting.Kind.YEARLY, place="Tân An, Long An", decisions=0):
    made = ReviewMeeting.objects.create(
        agreement=agreement, kind=kind, held_on=held_on, place=place, host_party=agreement.parties.first()
    )
    for n in range(1, decisions + 1):
        MeetingDecision.objects.create(meeting=made, number=n, text=f"Kết luận {n}")
    return made


def listed(client, **params) -> list[ReviewMeeting]:
    response = client.get(reverse("meeting_list"), params)
    assert response.status_code == 200
    return list(response.context["page"])


def test_filters_search_sorting(client, users, agreement):
    client.force_login(users["la.staff"])
    first = meeting(agreement, dt.date(2031, 3, 1), decisions=2)
    midterm = meeting(agreement, dt.date(2032, 9, 1), kind=ReviewMeeting.Kind.MIDTERM, place="Thị xã Hòa Thành")
    assert [m.pk for m in listed(client, q="HOA THANH", held_after="2031-01-01")] == [midterm.pk]
    assert [m.pk for m in listed(client, kind="midterm", held_after="2031-01-01")] == [midterm.pk]
    assert [m.pk for m in listed(client, held_after="2031-01-01", o="-held_on")] == [midterm.pk, first.pk]
    row = next(m for m in listed(client, held_after="2031-01-01") if m.pk == first.pk)
    assert row.decision_count == 2


def test_fixed_queries_and_pages(client, users, agreement):
    client.force_login(users["la.staff"])
    for n in range(5):
        meeting(agreement, dt.date(2040, 1, 1) + dt.timedelta(days=n), decisions=1)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("meeting_list"))
    for n in range(60):
        meeting(agreement, dt.date(2041, 1, 1) + dt.timedelta(days=n), decisions=2)
    with CaptureQueriesContext(connection) as more:
        response = client.get(reverse("meeting_list"), {"held_after": "2040-01-01", "page": 2})
    assert len(more) == len(few)
    assert len(response.context["page"]) == 15


def test_exports(client, users, agreement):
    client.force_login(users["la.staff"])
    meeting(agreement, dt.date(2031, 3, 1), place="=cmd|' /C calc'!A0", decisions=3)
    response = client.get(reverse("meeting_export", args=["xlsx"]), {"held_after": "2031-01-01"})
    rows = list(openpyxl.load_workbook(io.BytesIO(content(response))).active.iter_rows(values_only=True))
    assert rows[1][2] == dt.datetime(2031, 3, 1)  # noqa: DTZ001 (Excel has no zones)
    assert rows[1][5] == 3
    text = content(client.get(reverse("meeting_export", args=["csv"]), {"held_after": "2031-01-01"})).decode(
        "utf-8-sig"
    )
    assert list(csv.reader(io.StringIO(text)))[1][3] == "'=cmd|' /C calc'!A0"


def test_outsiders_and_anonymous(client, users, agreement):
    meeting(agreement, dt.date(2031, 3, 1))
    client.force_login(users["tg.staff"])
    assert listed(client, held_after="2031-01-01") == []
    client.logout()
    assert client.get(reverse("meeting_list")).status_code == 302
