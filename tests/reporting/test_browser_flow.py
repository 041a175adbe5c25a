"""The whole review flow in Debian's chromium, on the demo data, with a screenshot of each step."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from reporting.models import Evidence, ProgressReport
from tests.support import login, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF_BYTES = pdf_bytes()


def open_2011_report(page: Page, base: str) -> None:
    page.goto(f"{base}/agreements/")
    page.get_by_role("link", name=re.compile("giai đoạn 2011 – 2015")).click()
    page.get_by_role("link", name="6 tháng cuối năm 2011").click()
    page.get_by_role("link", name="Sở Công Thương tỉnh Long An").first.click()


def confirm_submission(page: Page) -> None:
    """The step after "Lưu và gửi báo cáo": the entries left as last period are confirmed unchanged, then sent."""
    page.get_by_label("Tôi xác nhận các nội dung chưa thay đổi so với kỳ trước").check()
    page.get_by_role("button", name="Xác nhận gửi báo cáo").click()


def test_staff_submits_coordinator_returns_staff_fixes_coordinator_approves(page: Page, live_demo, artifacts, tmp_path):
    base = live_demo.url
    shot = lambda name: page.screenshot(path=str(artifacts / f"flow-{name}.png"), full_page=True)  # noqa: E731
    evidence = tmp_path / "bien-ban-hop-cum.pdf"
    evidence.write_bytes(PDF_BYTES)

    # 1. Staff of Sở Công Thương Long An fills progress for items of the 2011 agreement and attaches a PDF.
    login(page, base, "la.staff")
    shot("01-home-staff")
    open_2011_report(page, base)
    page.get_by_role("link", name="Cập nhật báo cáo").click()
    first, second = page.locator("fieldset.entry").nth(0), page.locator("fieldset.entry").nth(1)
    first.get_by_label("Tình trạng").select_option("on_track")
    first.get_by_label("Tỷ lệ hoàn thành (%)").fill("40")
    first.get_by_label("Kết quả đạt được").fill("Đã rà soát quy hoạch phát triển công nghiệp, thương mại của hai tỉnh.")
    first.get_by_label("Thêm tệp minh chứng").set_input_files(str(evidence))
    second.get_by_label("Tình trạng").select_option("at_risk")
    second.get_by_label("Tỷ lệ hoàn thành (%)").fill("20")
    second.get_by_label("Khó khăn, vướng mắc").fill("Chưa có danh mục dự án kêu gọi đầu tư chung.")
    page.get_by_label("Đánh giá chung").fill("Hai sở đã triển khai các nội dung hợp tác theo kế hoạch.")
    shot("02-staff-filled")
    page.get_by_role("button", name="Lưu và gửi báo cáo").click()
    confirm_submission(page)
    expect(page.locator("#report-state")).to_have_text("Đã gửi")
    expect(page.get_by_role("link", name="bien-ban-hop-cum.pdf")).to_be_visible()
    shot("03-staff-submitted")

    # 2. The coordinator returns it with a comment on the report and on one entry.
    login(page, base, "la.coord")
    page.goto(f"{base}/")
    shot("04-home-coordinator")
    page.locator(".row-link", has_text="6 tháng cuối năm 2011").click()
    page.get_by_label("Ý kiến chung gửi chuyên viên").fill("Bổ sung số liệu cụ thể cho nội dung 2.")
    page.locator("textarea[name^=entry_]").nth(1).fill("Nêu rõ số dự án đã giới thiệu.")
    page.get_by_role("button", name="Trả lại").click()
    expect(page.locator("#report-state")).to_have_text("Trả lại để chỉnh sửa")
    shot("05-coordinator-returned")

    # 3. Staff sees the comments, fixes and resubmits.
    login(page, base, "la.staff")
    open_2011_report(page, base)
    expect(page.locator(".msg-warning").first).to_contain_text("Bổ sung số liệu cụ thể cho nội dung 2.")
    page.get_by_role("link", name="Cập nhật báo cáo").click()
    expect(page.locator("fieldset.entry").nth(1).locator(".msg-warning")).to_contain_text("Nêu rõ số dự án")
    second = page.locator("fieldset.entry").nth(1)
    second.get_by_label("Kết quả đạt được").fill("Đã giới thiệu 3 dự án công nghiệp chế biến cho nhà đầu tư.")
    second.get_by_label("Tỷ lệ hoàn thành (%)").fill("35")
    shot("06-staff-fixing")
    page.get_by_role("button", name="Lưu và gửi báo cáo").click()
    confirm_submission(page)
    expect(page.locator("#report-state")).to_have_text("Đã gửi")

    # 4. The coordinator approves; the report is locked.
    login(page, base, "la.coord")
    open_2011_report(page, base)
    page.get_by_role("button", name="Phê duyệt").click()
    expect(page.locator("#report-state")).to_have_text("Đã phê duyệt")
    expect(page.get_by_text("Báo cáo đã được phê duyệt và đã khóa.")).to_be_visible()
    shot("07-coordinator-approved")

    login(page, base, "la.staff")
    open_2011_report(page, base)
    expect(page.get_by_role("link", name="Cập nhật báo cáo")).to_have_count(0)
    report_url = page.url
    page.goto(report_url + "edit/")
    expect(page.locator(".msg-error")).to_contain_text("không thể chỉnh sửa")
    shot("08-staff-locked")

    report = ProgressReport.objects.get(pk=int(report_url.rstrip("/").split("/")[-1]))
    assert report.state == "approved"
    assert [t.to_state for t in report.transitions.all()] == ["submitted", "returned", "submitted", "approved"]
    entry = report.entries.order_by("commitment__item__number").all()[1]
    assert entry.percent_complete == 35 and entry.revisions.count() == 2
    assert Evidence.objects.get(entry__report=report).file.read() == PDF_BYTES


def test_edit_form_on_a_phone(page: Page, live_demo, artifacts):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_demo.url, "la.staff")
    open_2011_report(page, live_demo.url)
    page.get_by_role("link", name="Cập nhật báo cáo").click()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways on a phone ({width}px)"
    page.screenshot(path=str(artifacts / "phone-edit-form.png"))


def test_inline_save_of_one_entry_with_htmx(page: Page, live_demo, artifacts):
    login(page, live_demo.url, "la.staff")
    open_2011_report(page, live_demo.url)
    page.get_by_role("link", name="Cập nhật báo cáo").click()
    third = page.locator("fieldset.entry").nth(2)
    third.get_by_label("Tình trạng").select_option("on_track")  # 55% of a commitment "not started" is refused
    third.get_by_label("Tỷ lệ hoàn thành (%)").fill("55")
    third.get_by_label("Kết quả đạt được").fill("Đã lập danh mục cụm công nghiệp cần đầu tư hạ tầng.")
    url_before = page.url
    third.get_by_role("button", name="Lưu mục này").click()
    saved = page.locator("fieldset.entry").nth(2).locator(".saved")
    expect(saved).to_contain_text("Đã lưu")
    assert page.url == url_before  # no page load: only the fieldset was swapped
    page.locator("fieldset.entry").nth(2).screenshot(path=str(artifacts / "inline-save.png"))
    entry = ProgressReport.objects.get(pk=int(url_before.rstrip("/").split("/")[-2])).entries.order_by(
        "commitment__item__number"
    )[2]
    assert (entry.percent_complete, entry.version) == (55, 2)
    # A second inline save starts from the new version: no false conflict.
    page.locator("fieldset.entry").nth(2).get_by_label("Tỷ lệ hoàn thành (%)").fill("60")
    with page.expect_response(lambda r: "/entries/" in r.url and r.status == 200):
        page.locator("fieldset.entry").nth(2).get_by_role("button", name="Lưu mục này").click()
    expect(page.locator("fieldset.entry").nth(2).locator(".saved")).to_be_visible()
    entry.refresh_from_db()
    assert (entry.percent_complete, entry.version) == (60, 3)


def test_an_inline_save_that_gets_no_fieldset_back_says_so_and_keeps_the_text(
    page: Page, live_demo, settings, artifacts, tmp_path
):
    """A file too large for a save is refused by the server before the app (413), and a lost connection
    answers nothing: htmx swaps nothing either way. The entry says so (static/js/inline-save.js), keeps what
    was typed and counts as unsaved; the next save that works replaces the notice."""
    settings.REQUEST_MAX_BYTES_ANONYMOUS, settings.REQUEST_MAX_BYTES_UPLOAD = 10_000, 200_000
    large = tmp_path / "ban-chup-lon.pdf"
    large.write_bytes(PDF_BYTES + b"%" + b"0" * 300_000)
    login(page, live_demo.url, "la.staff")
    open_2011_report(page, live_demo.url)
    page.get_by_role("link", name="Cập nhật báo cáo").click()
    entry = page.locator("fieldset.entry").nth(2)
    typed = "Đã lập danh mục cụm công nghiệp cần đầu tư hạ tầng."
    entry.get_by_label("Kết quả đạt được").fill(typed)
    entry.get_by_label("Thêm tệp minh chứng").set_input_files(str(large))
    with page.expect_response(lambda r: "/entries/" in r.url and r.status == 413):
        entry.get_by_role("button", name="Lưu mục này").click()
    notice = page.locator("fieldset.entry").nth(2).locator("[data-role=save-failed]")
    expect(notice).to_have_text(re.compile("^Chưa lưu được: tệp đính kèm quá lớn"))
    expect(page.locator("fieldset.entry").nth(2)).to_have_attribute("data-unsaved", "")
    expect(page.locator("fieldset.entry").nth(2).get_by_label("Kết quả đạt được")).to_have_value(typed)
    page.locator("fieldset.entry").nth(2).screenshot(path=str(artifacts / "inline-save-too-large.png"))

    # The connection is lost: the same place says so, in other words.
    entry.get_by_label("Thêm tệp minh chứng").set_input_files([])
    page.route("**/entries/**", lambda route: route.abort())
    entry.get_by_role("button", name="Lưu mục này").click()
    expect(notice).to_have_text(re.compile("^Chưa lưu được: máy chủ không nhận hoặc mất kết nối"))
    assert page.locator("fieldset.entry").nth(2).locator("[data-role=save-failed]").count() == 1
    page.unroute("**/entries/**")
    assert not Evidence.objects.exists() and not ProgressReport.objects.filter(entries__results=typed).exists()

    # Back: the save goes through, and the fieldset it returns has no notice.
    with page.expect_response(lambda r: "/entries/" in r.url and r.status == 200):
        entry.get_by_role("button", name="Lưu mục này").click()
    expect(page.locator("fieldset.entry").nth(2).locator(".saved")).to_be_visible()
    expect(page.locator("fieldset.entry").nth(2).locator("[data-role=save-failed]")).to_have_count(0)
    assert ProgressReport.objects.filter(entries__results=typed).exists()


def test_coordinator_pages_tour(page: Page, live_demo, artifacts):
    """The pages a coordinator watches, rendered for a person to look at."""
    from agreements.models import Agreement
    from reporting import workflow as services  # noqa: F401  (same module the views use)

    programme = Agreement.objects.get(kind="programme")
    login(page, live_demo.url, "la.coord")
    page.goto(f"{live_demo.url}/agreements/{programme.pk}/")
    expect(page.get_by_role("heading", name=re.compile("ba tỉnh Long An"))).to_be_visible()
    page.screenshot(path=str(artifacts / "tour-agreement.png"), full_page=True)
    page.get_by_role("link", name="6 tháng cuối năm 2026").click()
    expect(page.get_by_text("Tổng hợp theo nội dung hợp tác")).to_be_visible()
    page.screenshot(path=str(artifacts / "tour-period-consolidated.png"), full_page=True)
