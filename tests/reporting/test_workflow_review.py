import datetime as dt

import pytest

from agreements.models import Agreement, Commitment
from reporting import workflow as services
from reporting.models import ProgressEntry, ProgressReport, ReportingPeriod

pytestmark = pytest.mark.django_db


def test_periods_and_reports_open_once(demo):
    agreement = Agreement.objects.get(signed_on="2011-10-14")
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


def test_full_workflow_and_trail(la_report, users):
    staff, coord = users["la.staff"], users["la.coord"]
    services.submit_report(staff, la_report)
    with pytest.raises(services.ReportingError, match="Hãy ghi ý kiến"):
        services.return_report(coord, la_report, "  ")
    entry = la_report.entries.first()
    services.return_report(coord, la_report, "Bổ sung số liệu", {entry.pk: "Thiếu minh chứng"})
    entry.refresh_from_db()
    assert entry.review_comment == "Thiếu minh chứng"
    services.submit_report(staff, la_report)
    la_report.entries.filter(pk=entry.pk).update(status="done", percent_complete=100)
    services.approve_report(coord, la_report)
    assert la_report.state == "approved" and la_report.approved_at is not None
    assert Commitment.objects.get(pk=entry.commitment_id).status == "done"
    with pytest.raises(services.ReportingError, match="đã khóa"):
        services.save_entry(staff, entry, {"results": "sửa sau khi duyệt"}, entry.version)
    with pytest.raises(services.ReportingError, match="lý do"):
        services.reopen_report(coord, la_report, "")
    services.reopen_report(coord, la_report, "Sai số liệu nội dung 3")
    assert la_report.state == "returned" and la_report.approved_at is None
    trail = [(t.from_state, t.to_state, t.actor.username, t.comment) for t in la_report.transitions.all()]
    assert trail == [
        ("draft", "submitted", "la.staff", ""),
        ("submitted", "returned", "la.coord", "Bổ sung số liệu"),
        ("returned", "submitted", "la.staff", ""),
        ("submitted", "approved", "la.coord", ""),
        ("approved", "returned", "la.coord", "Sai số liệu nội dung 3"),
    ]


def test_wrong_transitions_are_refused(la_report, users):
    with pytest.raises(services.ReportingError, match="Đang soạn"):
        services.approve_report(users["la.coord"], la_report)
    services.submit_report(users["la.staff"], la_report)
    with pytest.raises(services.ReportingError, match="Đã gửi"):
        services.submit_report(users["la.staff"], la_report)


def test_roles_are_enforced_in_services(la_report, users):
    with pytest.raises(services.ReportingError):
        services.submit_report(users["la.leader"], la_report)
    with pytest.raises(services.ReportingError):
        services.save_entry(users["tn.staff"], la_report.entries.first(), {"results": "x"}, 1)
    services.submit_report(users["la.staff"], la_report)
    with pytest.raises(services.ReportingError):
        services.approve_report(users["tn.coord"], la_report)  # a counterpart reads, never approves
    with pytest.raises(services.ReportingError):
        services.approve_report(users["la.staff"], la_report)


def test_done_requires_full_percent(la_report, users):
    entry = la_report.entries.first()
    with pytest.raises(services.ReportingError, match="100%"):
        services.save_entry(users["la.staff"], entry, {"status": "done", "percent_complete": 90}, entry.version)
    entry.refresh_from_db()
    assert entry.status == "not_started" and entry.version == 1


def test_every_saved_change_has_a_revision(la_report, users):
    entry = la_report.entries.first()
    e1 = services.save_entry(users["la.staff"], entry, {"percent_complete": 10}, 1)
    services.save_entry(users["la.staff"], e1, {"percent_complete": 30, "results": "Đã làm"}, 2)
    revisions = list(entry.revisions.values_list("version", "changes"))
    assert revisions == [
        (2, {"percent_complete": [0, 10]}),
        (3, {"percent_complete": [10, 30], "results": ["", "Đã làm"]}),
    ]
