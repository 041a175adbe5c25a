"""The reports list across agreements (reporting.lists.report_list, report_export)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.access import party_roles, visible_agreements
from agreements.models import Agreement, Party
from reporting.access import readable_reports
from reporting.models import ProgressReport, ReportingPeriod
from tests.support import FROZEN_AT

pytestmark = pytest.mark.django_db
State = ProgressReport.State
TODAY = FROZEN_AT.date()


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def period_of(agreement: Agreement, year: int, index: int = 1) -> ReportingPeriod:
    start = dt.date(year, 1 if index == 1 else 7, 1)
    end = dt.date(year, 6, 30) if index == 1 else dt.date(year, 12, 31)
    return ReportingPeriod.objects.create(
        agreement=agreement,
        cadence_months=6,
        year=year,
        index=index,
        start=start,
        end=end,
        deadline=end + dt.timedelta(days=10),
    )


def report(period: ReportingPeriod, party, state: str, sent_days_after_deadline: int | None = None) -> ProgressReport:
    sent = None
    if sent_days_after_deadline is not None:
        day = period.deadline + dt.timedelta(days=sent_days_after_deadline)
        sent = dt.datetime.combine(day, dt.time(15), tzinfo=FROZEN_AT.tzinfo)
    return ProgressReport.objects.create(
        party=party,
        period=period,
        state=state,
        submitted_at=sent,
        approved_at=sent if state == State.APPROVED else None,
    )


@pytest.fixture
def agreement(users):
    """An agreement of Long An's and Tây Ninh's departments (la.* and tn.* are its members)."""
    return (
        visible_agreements(users["la.staff"])
        .filter(pk__in=visible_agreements(users["tn.coord"]).values("pk"))
        .order_by("pk")
        .first()
    )


def party_of(agreement: Agreement, user) -> Party:
    return next(p for p in agreement.parties.all() if party_roles(user, p))


@pytest.fixture
def reports(agreement, users):
    """Years 2031-2032 (no demo period has them): Long An's and Tây Ninh's reports in every state."""
    la, tn = party_of(agreement, users["la.staff"]), party_of(agreement, users["tn.staff"])
    first, second, third = period_of(agreement, 2031, 1), period_of(agreement, 2031, 2), period_of(agreement, 2032, 1)
    return {
        "la_on_time": report(first, la, State.APPROVED, -2),
        "tn_draft": report(first, tn, State.DRAFT),
        "la_late": report(second, la, State.SUBMITTED, 3),
        "tn_approved": report(second, tn, State.APPROVED, 0),
        "la_draft": report(third, la, State.DRAFT),
    }


def listed(client, **params) -> set[int]:
    response = client.get(reverse("report_list"), params)
    assert response.status_code == 200
    return {r.pk for r in response.context["page"]}


def test_state_year_and_late(client, users, reports):
    client.force_login(users["admin"])
    assert listed(client, year=2031, state="approved") == {reports["la_on_time"].pk, reports["tn_approved"].pk}
    # Late: sent after the deadline, or not sent with the deadline past (2031 is after the frozen today).
    assert listed(client, year=2031, late="on") == {reports["la_late"].pk}
    page = client.get(reverse("report_list"), {"year": 2031, "late": "on"}).content.decode()
    assert "Chậm 3 ngày" in page


def test_a_body_typed_without_diacritics(client, users, agreement, reports):
    client.force_login(users["admin"])
    Agreement.objects.filter(pk=agreement.pk).update(title="Chương trình hợp tác")  # the title names both bodies
    typed = party_of(agreement, users["la.staff"]).body.search_name.split("|")[0].upper()
    assert listed(client, year=2031, q=typed) == {reports["la_on_time"].pk, reports["la_late"].pk}


def test_counterparts_see_only_what_was_sent(client, users, reports):
    client.force_login(users["tn.coord"])
    seen = listed(client, year__gte=0)
    assert {reports["la_on_time"].pk, reports["la_late"].pk, reports["tn_draft"].pk} <= seen
    assert reports["la_draft"].pk not in seen  # Long An's draft is Long An's
    client.force_login(users["la.staff"])
    assert reports["tn_draft"].pk not in listed(client)


def test_pages_sorting_and_fixed_queries(client, users, agreement, reports):
    client.force_login(users["admin"])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("report_list"), {"o": "deadline"})
    own = party_of(agreement, users["la.staff"])
    for year in range(2040, 2070):
        for index in (1, 2):
            report(period_of(agreement, year, index), own, State.SUBMITTED, 1)
    with CaptureQueriesContext(connection) as more:
        response = client.get(reverse("report_list"), {"o": "-deadline"})
    assert len(more) == len(few)
    rows = list(response.context["page"])
    assert len(rows) == 50 and rows[0].period.year == 2069 and rows[0].period.index == 2


def test_the_reading_rule_is_answered_from_report_party_state(users, reports):
    """The reading rule (party, state) is asked of report_party_state, which also holds what the list reads of
    each report besides (its period, to sort, and its id): on the bench's 20,000 reports PostgreSQL passes
    over the index instead of the table (docs/benchmarks.md, stop 28). On the test's few rows the planner
    would read the table anyway, so that is taken off its choices."""
    if connection.vendor != "postgresql":
        pytest.skip("the plan asked of is PostgreSQL's")
    readable = readable_reports(users["tn.coord"])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = readable.order_by().values("pk", "period_id").explain()
    assert "on report_party_state" in plan, plan


def test_exports(client, users, reports):
    client.force_login(users["admin"])
    response = client.get(reverse("report_export", args=["xlsx"]), {"year": 2031, "o": "deadline"})
    rows = list(openpyxl.load_workbook(io.BytesIO(content(response))).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Thỏa thuận", "Kỳ báo cáo", "Bên báo cáo", "Hạn nộp")
    assert rows[1][3] == dt.datetime(2031, 7, 10)  # noqa: DTZ001 (Excel has no zones)
    assert isinstance(rows[1][5], dt.datetime) and rows[1][5].hour == 15  # the time as read in Việt Nam
    assert {row[7] for row in rows[1:]} == {"Đúng hạn", "Chậm 3 ngày", "Chưa gửi"}
    text = content(client.get(reverse("report_export", args=["csv"]), {"year": 2031, "late": "on"})).decode("utf-8-sig")
    csv_rows = list(csv.reader(io.StringIO(text)))
    assert len(csv_rows) == 2 and csv_rows[1][7] == "Chậm 3 ngày"


def test_outsiders_and_anonymous(client, users, reports):
    client.force_login(users["tg.staff"])
    assert not listed(client, year=2031) & {r.pk for r in reports.values()}
    client.logout()
    assert client.get(reverse("report_list")).status_code == 302
