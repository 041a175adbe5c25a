"""The admin's change forms and lists at national scale: the same number of queries with 40 more agreements.

Selects of big tables (agreements, items, parties, commitments) are autocompletes: a change form never
lists the rows of every agreement, and never makes a query per row it shows.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement, Body, Commitment, CooperationItem, Party
from meetings.models import MeetingDecision, ReviewMeeting
from reporting.models import ProgressEntry, ProgressReport, ReportingPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, users):
    client.force_login(users["admin"])
    return client


def grow(count: int) -> None:
    """`count` more agreements of three UBNDs each, with items, commitments, a period, reports, entries, a meeting."""
    bodies = list(Body.objects.filter(kind=Body.Kind.PEOPLES_COMMITTEE).order_by("pk")[:30])
    for n in range(count):
        agreement = Agreement.objects.create(
            title=f"Chương trình hợp tác thử {n}",
            period_start=dt.date(2021, 1, 1),
            period_end=dt.date(2025, 12, 31),
            status=Agreement.Status.IN_FORCE,
        )
        parties = [
            Party.objects.create(agreement=agreement, body=bodies[(n + k) % len(bodies)], order=k + 1) for k in range(3)
        ]
        items = [
            CooperationItem.objects.create(
                agreement=agreement, number=k + 1, text=f"Nội dung {k}", sector_id="investment"
            )
            for k in range(2)
        ]
        commitments = [
            Commitment.objects.create(item=items[k % 2], responsible_party=parties[k % 3], description=f"Cam kết {k}")
            for k in range(4)
        ]
        period = ReportingPeriod.objects.create(
            agreement=agreement,
            cadence_months=6,
            year=2021,
            index=1,
            start=dt.date(2021, 1, 1),
            end=dt.date(2021, 6, 30),
            deadline=dt.date(2021, 7, 10),
        )
        for party in parties:
            report = ProgressReport.objects.create(party=party, period=period)
            ProgressEntry.objects.bulk_create(
                ProgressEntry(report=report, commitment=c) for c in commitments if c.responsible_party_id == party.pk
            )
        meeting = ReviewMeeting.objects.create(
            agreement=agreement, held_on=dt.date(2022, 3, 1), place="Hà Nội", host_party=parties[0]
        )
        MeetingDecision.objects.create(meeting=meeting, number=1, text="Kết luận")


def pages() -> list[str]:
    """Change forms of the demo's first rows of every big model, and the big lists."""
    first = {
        model: model.objects.order_by("pk").first()
        for model in (Agreement, Party, CooperationItem, Commitment, ReportingPeriod, ProgressReport, ProgressEntry)
    }
    urls = [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
        for model, obj in first.items()
    ]
    lists = (Agreement, Party, CooperationItem, Commitment, ReportingPeriod, ProgressReport, ProgressEntry)
    urls.extend(reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist") for m in lists)
    urls.extend(reverse(f"admin:meetings_{m._meta.model_name}_changelist") for m in (ReviewMeeting, MeetingDecision))
    return urls


def counts(client, urls: list[str]) -> dict[str, int]:
    found = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        found[url] = len(queries)
    return found


def test_admin_pages_make_the_same_queries_with_forty_more_agreements(admin_client):
    grow(1)  # so that the meeting pages have a row in both runs
    meeting = ReviewMeeting.objects.order_by("pk").first()
    decision = MeetingDecision.objects.order_by("pk").first()
    urls = [
        *pages(),
        reverse("admin:meetings_reviewmeeting_change", args=[meeting.pk]),
        reverse("admin:meetings_meetingdecision_change", args=[decision.pk]),
    ]
    counts(admin_client, urls)  # the first requests fill per-process caches (content types, the session)
    before = counts(admin_client, urls)
    grow(40)
    after = counts(admin_client, urls)
    grew = {url: (before[url], after[url]) for url in urls if after[url] != before[url]}
    assert not grew, grew


def test_a_commitment_form_lists_no_other_agreements_items(admin_client):
    grow(3)
    commitment = Commitment.objects.order_by("pk").first()
    page = admin_client.get(reverse("admin:agreements_commitment_change", args=[commitment.pk])).content.decode()
    assert "Nội dung 1" not in page  # another agreement's item: offered by typing, not in the page
    assert 'data-ajax--url="/admin/autocomplete/"' in page
