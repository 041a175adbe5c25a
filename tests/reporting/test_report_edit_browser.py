"""The edit page in Debian's chromium: figures typed the way the user's language writes them reach the
database and the PDF as written, and leaving the page with unsaved text warns."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from reporting.documents.kinds import PartyReportDocument
from reporting.models import ProgressReport
from tests.support import RETAIL, content_text, login, plan_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def retail_value(report: ProgressReport):
    return report.entries.get(commitment__indicator_name=RETAIL).actual_value


def test_101_000_typed_in_vietnamese_and_101_000_in_english_are_stored_as_101000(
    page: Page, live_demo, artifacts, tmp_path
):
    base = live_demo.url
    first_half, second_half = plan_report(1), plan_report(2)
    login(page, base, "la.staff")

    # Vietnamese (the default): "." groups thousands.
    page.goto(f"{base}/reports/{first_half.pk}/edit/")
    retail = page.locator("fieldset.entry", has_text=RETAIL)
    retail.get_by_label("Tình trạng").select_option("done")
    retail.get_by_label("Tỷ lệ hoàn thành (%)").fill("100")
    retail.get_by_label("Giá trị thực hiện").press_sequentially("101.000")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator(".msg-success")).to_contain_text("Đã lưu nháp.")
    assert retail_value(first_half) == 101000
    expect(page.locator("fieldset.entry", has_text=RETAIL).get_by_label("Giá trị thực hiện")).to_have_value("101.000")

    # English through the VI/EN switch of the top bar: "," groups thousands, and the page shows it so.
    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("fieldset.entry", has_text=RETAIL).get_by_label("Actual value")).to_have_value("101,000")
    page.goto(f"{base}/reports/{second_half.pk}/edit/")
    retail = page.locator("fieldset.entry", has_text=RETAIL)
    retail.get_by_label("Status").select_option("done")
    retail.get_by_label("Completion rate (%)").fill("100")
    retail.get_by_label("Actual value").press_sequentially("101,000")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".msg-success")).to_be_visible()
    page.screenshot(path=str(artifacts / "figures-english.png"), full_page=True)
    assert retail_value(second_half) == 101000

    # The party's report says so in its PDF, the Vietnamese way.
    pdf = tmp_path / "bao-cao.pdf"
    pdf.write_bytes(PartyReportDocument(ProgressReport.objects.get(pk=first_half.pk)).generate().data)
    text = content_text(pdf)
    assert "101.000" in text
    assert re.search(r"\b101\.000 ?/ ?101\.000 tỉ đồng", text), text  # reached, out of the target


def test_leaving_the_edit_page_with_unsaved_text_warns(page: Page, live_demo):
    base = live_demo.url
    report = ProgressReport.objects.get(
        party__body__name="Sở Công Thương tỉnh Long An", period__agreement__signed_on="2011-10-14", period__year=2011
    )
    dialogs: list[str] = []

    def answer(dialog) -> None:
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    login(page, base, "la.staff")
    edit = f"{base}/reports/{report.pk}/edit/"

    # Nothing typed: leaving is quiet.
    page.goto(edit)
    page.get_by_role("link", name="Xem báo cáo").click()
    expect(page).to_have_url(f"{base}/reports/{report.pk}/")
    assert dialogs == []

    # Text typed and not saved: the browser asks before the page goes.
    page.goto(edit)
    results = page.locator("fieldset.entry").first.get_by_label("Kết quả đạt được")
    results.click()
    results.press_sequentially("Đã rà soát quy hoạch phát triển công nghiệp.")
    page.get_by_role("link", name="Xem báo cáo").click()
    expect(page).to_have_url(f"{base}/reports/{report.pk}/")
    assert dialogs == ["beforeunload"]

    # Saving is not leaving: no warning, and the text is saved.
    page.goto(edit)
    results = page.locator("fieldset.entry").first.get_by_label("Kết quả đạt được")
    results.click()
    results.press_sequentially("Đã rà soát quy hoạch.")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator(".msg-success")).to_contain_text("Đã lưu nháp.")
    assert dialogs == ["beforeunload"]
    assert report.entries.order_by("commitment__item__number").first().results == "Đã rà soát quy hoạch."
