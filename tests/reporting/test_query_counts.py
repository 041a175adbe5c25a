"""The reporting pages make a bounded number of queries whatever the size of the report."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Commitment
from reporting import workflow as services

pytestmark = pytest.mark.django_db


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx.captured_queries)


def grow(report, n: int) -> None:
    """Give the report's party n more commitments (and entries)."""
    item = report.period.agreement.items.first()
    Commitment.objects.bulk_create(
        Commitment(item=item, responsible_party=report.party, description=f"Cam kết thêm {i}") for i in range(n)
    )
    services.sync_entries(report)


@pytest.mark.parametrize("name", ["report_detail", "report_edit", "report_history"])
def test_report_pages_have_bounded_queries(client, users, la_report, name):
    client.force_login(users["la.staff"])
    url = reverse(name, args=[la_report.pk])
    before = count_queries(client, url)
    grow(la_report, 25)
    after = count_queries(client, url)
    assert after == before, f"{name}: {before} queries with 9 entries, {after} with 34"
    assert before <= 30


def test_period_and_agreement_pages_have_bounded_queries(client, users, la_report):
    client.force_login(users["la.coord"])
    for url in (
        reverse("period_detail", args=[la_report.period_id]),
        reverse("agreement_detail", args=[la_report.period.agreement_id]),
    ):
        before = count_queries(client, url)
        grow(la_report, 25)
        assert count_queries(client, url) == before, url
        assert before <= 40, (url, before)
