"""reporting.workflow.periods: periods and their reports open once, and only when they have begun;
a new report starts from the values of the one before."""

import datetime as dt

import pytest

from agreements.models import Agreement
from reporting import workflow as services
from reporting.models import ProgressEntry, ProgressReport, ReportingPeriod
from tests.support import track

pytestmark = pytest.mark.django_db


def test_periods_and_reports_open_once(demo):
    agreement = track(Agreement.objects.get(signed_on="2011-10-14"))  # history in the demo: tracked first
    before = (ReportingPeriod.objects.count(), ProgressReport.objects.count(), ProgressEntry.objects.count())
    services.open_reporting_periods(agreement, dt.date(2026, 11, 22))
    after = (ReportingPeriod.objects.count(), ProgressReport.objects.count(), ProgressEntry.objects.count())
    assert before == after
    periods = list(agreement.reporting_periods.order_by("start"))
    assert [str(p) for p in periods][:2] == ["6 tháng cuối năm 2011", "6 tháng đầu năm 2012"]
    assert len(periods) == 9 and periods[-1].end == dt.date(2015, 12, 14)
    for period in periods:
        assert period.reports.count() == 2  # one per party, never two


def test_only_started_periods_open(demo):
    programme = Agreement.objects.get(kind="programme")
    labels = [p.label for p in programme.reporting_periods.order_by("start")]
    assert labels == ["6 tháng đầu năm 2025", "6 tháng cuối năm 2025", "6 tháng đầu năm 2026", "6 tháng cuối năm 2026"]
    ReportingPeriod.objects.filter(agreement=programme, year=2026, index=2).delete()
    services.open_reporting_periods(programme, dt.date(2026, 6, 14))
    assert programme.reporting_periods.count() == 3
    services.open_reporting_periods(programme, dt.date(2026, 6, 15))
    assert programme.reporting_periods.count() == 4


def test_new_report_starts_from_previous_values(la_report, users):
    entry = la_report.entries.order_by("commitment__item__number").first()
    services.save_entry(
        users["la.staff"],
        entry,
        {"status": "on_track", "percent_complete": 60, "results": "Kết quả kỳ 1", "difficulties": "Thiếu vốn"},
        1,
    )
    later = ReportingPeriod.objects.get(agreement=la_report.period.agreement, year=2012, index=1)
    ProgressReport.objects.filter(party=la_report.party, period=later).delete()
    report = services.ensure_report(la_report.party, later)
    carried = report.entries.get(commitment=entry.commitment)
    assert (carried.status, carried.percent_complete, carried.difficulties) == ("on_track", 60, "Thiếu vốn")
    assert carried.results == ""  # results belong to their own period


def test_a_commitment_recorded_as_done_opens_at_100_percent(la_report):
    """With no report before, an entry starts from the commitment's status at the percentage it means."""
    commitment = la_report.entries.order_by("commitment__item__number").first().commitment
    type(commitment).objects.filter(pk=commitment.pk).update(status="done")
    later = ReportingPeriod.objects.get(agreement=la_report.period.agreement, year=2012, index=1)
    ProgressReport.objects.filter(party=la_report.party, period__start__lte=later.start).delete()
    report = services.ensure_report(la_report.party, later)
    carried = report.entries.get(commitment=commitment)
    assert (carried.status, carried.percent_complete) == ("done", 100)


def test_an_agreement_entered_after_the_fact_opens_no_period_before_it_is_tracked(demo, client, users):
    """History is not a to-do list: periods cut off before "tracked from" are never opened, only shown."""
    import datetime

    from django.urls import reverse

    from agreements.models import Agreement
    from core import clock
    from reporting.workflow import agreement_windows, open_reporting_periods

    agreement = Agreement.objects.get(signed_on=datetime.date(2011, 10, 14))
    agreement.reporting_periods.all().delete()
    agreement.tracked_from = datetime.date(2013, 1, 1)
    agreement.save(update_fields=["tracked_from"])
    opened = open_reporting_periods(agreement, clock.today())
    assert opened and all(period.end >= datetime.date(2013, 1, 1) for period in opened)
    untracked = [w for w in agreement_windows(agreement) if w.end < datetime.date(2013, 1, 1)]
    assert len(untracked) == 3  # the second half of 2011, and both halves of 2012
    client.force_login(users["la.coord"])
    page = client.get(reverse("agreement_detail", args=[agreement.pk])).content.decode()
    assert page.count("Không báo cáo trên hệ thống") == 3
    # Entered after its end: nothing is opened at all, nothing is late.
    agreement.reporting_periods.all().delete()
    agreement.tracked_from = datetime.date(2026, 9, 1)
    agreement.save(update_fields=["tracked_from"])
    assert open_reporting_periods(agreement, clock.today()) == []
    client.force_login(users["la.staff"])
    home = client.get(reverse("home")).content.decode()
    assert "6 tháng cuối năm 2011" not in home
