"""The constraints of the reporting models: one report per party and period, entries, deadlines."""

import pytest

from reporting.models import ProgressEntry, ProgressReport, ReportingPeriod
from tests.support import violates

pytestmark = pytest.mark.django_db


def test_one_report_per_party_and_period(agreement):
    report = ProgressReport.objects.filter(party__agreement=agreement).first()
    assert violates(lambda: ProgressReport.objects.create(party=report.party, period=report.period))


def test_entry_percent_and_done(agreement):
    entry = ProgressEntry.objects.filter(report__party__agreement=agreement).first()
    assert violates(lambda: ProgressEntry.objects.filter(pk=entry.pk).update(percent_complete=101))
    assert violates(lambda: ProgressEntry.objects.filter(pk=entry.pk).update(status="done", percent_complete=50))


def test_period_deadline_after_cutoff(agreement):
    p = ReportingPeriod.objects.filter(agreement=agreement).first()
    assert violates(lambda: ReportingPeriod.objects.filter(pk=p.pk).update(deadline=p.end))
