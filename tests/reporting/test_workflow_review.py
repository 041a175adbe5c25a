"""reporting.workflow.review: submit, return, approve, reopen; the trail they leave and who may do what."""

import pytest

from agreements.models import Commitment
from reporting import workflow as services

pytestmark = pytest.mark.django_db


def test_full_workflow_and_trail(la_report, users):
    staff, coord = users["la.staff"], users["la.coord"]
    services.submit_report(staff, la_report, confirm_unchanged=True)
    with pytest.raises(services.ReportingError, match="Hãy ghi ý kiến"):
        services.return_report(coord, la_report, "  ")
    entry = la_report.entries.first()
    services.return_report(coord, la_report, "Bổ sung số liệu", {entry.pk: "Thiếu minh chứng"})
    entry.refresh_from_db()
    assert entry.review_comment == "Thiếu minh chứng"
    services.submit_report(staff, la_report, confirm_unchanged=True)
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
    services.submit_report(users["la.staff"], la_report, confirm_unchanged=True)
    with pytest.raises(services.ReportingError, match="Đã gửi"):
        services.submit_report(users["la.staff"], la_report)


def test_roles_are_enforced_in_services(la_report, users):
    with pytest.raises(services.ReportingError):
        services.submit_report(users["la.leader"], la_report)
    with pytest.raises(services.ReportingError):
        services.save_entry(users["tn.staff"], la_report.entries.first(), {"results": "x"}, 1)
    services.submit_report(users["la.staff"], la_report, confirm_unchanged=True)
    with pytest.raises(services.ReportingError):
        services.approve_report(users["tn.coord"], la_report)  # a counterpart reads, never approves
    with pytest.raises(services.ReportingError):
        services.approve_report(users["la.staff"], la_report)


def test_untouched_entries_are_sent_only_when_confirmed_unchanged(la_report, users):
    staff = users["la.staff"]
    first = la_report.entries.order_by("commitment__item__number").first()
    services.save_entry(staff, first, {"results": "Đã rà soát quy hoạch."}, first.version)
    untouched = la_report.entries.count() - 1
    with pytest.raises(services.ReportingError) as refused:
        services.submit_report(staff, la_report)
    message = refused.value.message
    assert message.startswith("Chưa gửi: các cam kết sau chưa được cập nhật kể từ khi mở kỳ báo cáo")
    assert "Nội dung 2: Triển khai nội dung hợp tác số 2" in message and "Nội dung 1:" not in message
    assert f"và {untouched - 5} cam kết khác" in message
    la_report.refresh_from_db()
    assert la_report.state == "draft"
    services.submit_report(staff, la_report, confirm_unchanged=True)
    assert la_report.state == "submitted"


def test_a_party_without_commitments_reports_with_its_general_assessment(users, agreement):
    from tests.support import ASSESSMENT, party_without_commitments

    report = services.ensure_report(
        party_without_commitments(users, agreement), agreement.reporting_periods.order_by("start").first()
    )
    staff = users["tg.staff"]
    with pytest.raises(services.ReportingError, match="Báo cáo chưa có nội dung để gửi"):
        services.submit_report(staff, report, confirm_unchanged=True)
    report = services.save_report_fields(staff, report, {"overall_assessment": ASSESSMENT}, report.version)
    services.submit_report(staff, report)
    assert report.state == "submitted"
