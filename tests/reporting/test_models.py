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


@pytest.mark.parametrize(
    ("status", "percent", "refused"),
    [
        ("not_started", 0, False),
        ("not_started", 50, True),  # "not started with 50%" was accepted before
        ("on_track", 0, False),  # under way, nothing measurable yet
        ("on_track", 60, False),
        ("on_track", 100, True),  # 100% is done
        ("at_risk", 100, True),
        ("delayed", 0, False),  # late and not begun
        ("delayed", 100, True),
        ("done", 100, False),
        ("done", 99, True),
        ("cancelled", 0, False),
        ("cancelled", 40, False),  # what it reached before it was cancelled
    ],
)
def test_status_and_percentage_agree_in_the_database_and_in_the_one_rule(agreement, status, percent, refused):
    from django.core.exceptions import ValidationError

    entry = ProgressEntry.objects.filter(report__party__agreement=agreement).first()
    update = lambda: ProgressEntry.objects.filter(pk=entry.pk).update(status=status, percent_complete=percent)  # noqa: E731
    assert violates(update) == refused
    try:
        ProgressEntry.check_status_percent(status, percent)
    except ValidationError as exc:
        assert refused, exc
        assert list(exc.message_dict) == ["percent_complete"]
    else:
        assert not refused
    # The constraint's own message (admin, full_clean) is the same Vietnamese sentence.
    entry.status, entry.percent_complete = status, percent
    try:
        entry.validate_constraints()
    except ValidationError as exc:
        assert refused and exc.messages[0].startswith(("Cam kết", "Tỷ lệ hoàn thành 100%"))
    else:
        assert not refused
