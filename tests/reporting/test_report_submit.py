"""Sending a report (reporting.views.report_submit, and "Lưu và gửi báo cáo" on the edit page): a confirmation
step that shows what is still empty; entries nobody touched since the period opened go only when the staff
member confirms they are unchanged; a party that leads no commitment reports with its general texts."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEntry
from reporting import workflow
from tests.support import ASSESSMENT, fill_report, form_data, party_without_commitments, png_bytes

pytestmark = pytest.mark.django_db

CONFIRM_UNCHANGED = "Tôi xác nhận các nội dung chưa thay đổi so với kỳ trước"


def submit(client, report, **data):
    return client.post(reverse("report_submit", args=[report.pk]), data)


def test_the_first_post_shows_what_would_be_sent_and_sends_nothing(staff, la_report):
    first = la_report.entries.order_by("commitment__item__number").first()
    workflow.save_entry(staff_user(la_report), first, {"results": "Đã rà soát quy hoạch."}, first.version)
    response = submit(staff, la_report)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Xác nhận gửi báo cáo" in page
    empty = section(page, 'id="submit-empty"')
    assert "Đánh giá chung" in empty and "Hạn chế" in empty and "Phương hướng, nhiệm vụ kỳ tới" in empty
    # every entry but the first still has no results; every entry but the first was never touched
    others = list(la_report.entries.order_by("commitment__item__number"))[1:]
    assert empty.count("chưa ghi kết quả đạt được") == len(others)
    untouched = section(page, 'id="submit-untouched"')
    assert untouched.count("<li>") == len(others) and f"#entry-{first.pk}" not in untouched
    assert CONFIRM_UNCHANGED in page and 'name="confirm" value="1"' in page
    la_report.refresh_from_db()
    assert la_report.state == "draft" and not la_report.transitions.exists()


def test_untouched_entries_are_sent_only_when_confirmed_unchanged(staff, la_report):
    refused = submit(staff, la_report, confirm="1")
    assert refused.status_code == 200
    assert "chưa được cập nhật kể từ khi mở kỳ báo cáo" in refused.content.decode()
    la_report.refresh_from_db()
    assert la_report.state == "draft"

    sent = submit(staff, la_report, confirm="1", confirm_unchanged="1")
    assert sent.status_code == 302 and sent["Location"] == reverse("report_detail", args=[la_report.pk])
    la_report.refresh_from_db()
    assert la_report.state == "submitted"
    trail = AuditEntry.objects.get(action="report.submitted", object_id=la_report.pk)
    assert sorted(trail.data["confirmed_unchanged"]) == sorted(la_report.entries.values_list("pk", flat=True))


def test_an_entry_given_only_an_evidence_file_counts_as_touched(staff, la_report, media):
    first = la_report.entries.order_by("commitment__item__number").first()
    workflow.add_evidence(staff_user(la_report), first, SimpleUploadedFile("bien-ban.png", png_bytes()))
    untouched = section(submit(staff, la_report).content.decode(), 'id="submit-untouched"')
    assert f"#entry-{first.pk}" not in untouched and untouched.count("<li>") == la_report.entries.count() - 1


def test_a_report_written_in_full_needs_no_confirmation_of_unchanged_entries(staff, users, la_report):
    fill_report(users, la_report)
    page = submit(staff, la_report).content.decode()
    assert CONFIRM_UNCHANGED not in page and "Không còn mục nào để trống." in page
    assert submit(staff, la_report, confirm="1").status_code == 302
    la_report.refresh_from_db()
    assert la_report.state == "submitted"
    assert "confirmed_unchanged" not in AuditEntry.objects.get(action="report.submitted", object_id=la_report.pk).data


def test_save_and_send_on_the_edit_page_saves_then_asks_for_confirmation(staff, la_report):
    url = reverse("report_edit", args=[la_report.pk])
    data = form_data(staff, url)
    data["report-overall_assessment"] = ASSESSMENT
    data["submit"] = ""
    response = staff.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đã lưu nháp." in page and "Xác nhận gửi báo cáo" in page
    assert "Đánh giá chung" not in section(page, 'id="submit-empty"')  # just saved: no longer empty
    la_report.refresh_from_db()
    assert la_report.overall_assessment == ASSESSMENT and la_report.state == "draft"


def test_a_sent_report_is_not_offered_for_confirmation_again(staff, la_report):
    workflow.submit_report(staff_user(la_report), la_report, confirm_unchanged=True)
    response = submit(staff, la_report)
    assert response.status_code == 302 and response["Location"] == reverse("report_detail", args=[la_report.pk])


# --- a party that leads no commitment of its own ---------------------------------------------------


@pytest.fixture
def bare_report(users, agreement):
    """Tiền Giang's department, added to the 2011 agreement, reports on its first period: no entries."""
    party = party_without_commitments(users, agreement)
    report = workflow.ensure_report(party, agreement.reporting_periods.order_by("start").first())
    assert not report.entries.exists()
    return report


def test_an_entirely_empty_report_is_refused_with_a_clear_message(client, users, bare_report):
    client.force_login(users["tg.staff"])
    page = submit(client, bare_report).content.decode()
    assert "Báo cáo chưa có nội dung để gửi." in page and 'name="confirm"' not in page
    refused = submit(client, bare_report, confirm="1")
    assert "hãy ghi ít nhất phần đánh giá chung" in refused.content.decode()
    bare_report.refresh_from_db()
    assert bare_report.state == "draft"


def test_a_party_without_commitments_sends_its_general_report(client, users, bare_report):
    workflow.save_report_fields(
        users["tg.staff"],
        bare_report,
        {"overall_assessment": ASSESSMENT, "shortcomings": "Chưa có cam kết riêng để chủ trì."},
        bare_report.version,
    )
    client.force_login(users["tg.staff"])
    page = submit(client, bare_report).content.decode()
    assert "Phương hướng, nhiệm vụ kỳ tới" in section(page, 'id="submit-empty"')
    assert submit(client, bare_report, confirm="1").status_code == 302
    bare_report.refresh_from_db()
    assert bare_report.state == "submitted"


# --- helpers ---------------------------------------------------------------------------------------


def staff_user(report):
    return report.party.body.memberships.get(role="staff").user


def section(page: str, marker: str) -> str:
    """The HTML of the element that carries `marker`, up to the end of its section or list."""
    start = page.index(marker)
    ends = [i for i in (page.find("</section>", start), page.find("</ul>", start)) if i != -1]
    return page[start : min(ends)]
