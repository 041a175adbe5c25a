"""A leader issues (cấp số) a party's report from the report page in Debian's chromium, then downloads it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from reporting.models import OfficialDocument
from tests.support import ensure_demo, fill_and_approve_period, la_report_of, login, periods_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def approved(transactional_db, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    ensure_demo()
    users = {u.username: u for u in get_user_model().objects.all()}
    period = periods_of(2025)[0]
    fill_and_approve_period(users, period)
    return live_server, la_report_of(period)


def test_a_leader_issues_a_report_with_a_signer_and_a_confirmation(page: Page, approved, artifacts):
    server, report = approved
    login(page, server.url, "la.leader")
    page.goto(f"{server.url}/reports/{report.pk}/")
    panel = page.locator("#official-documents")
    expect(panel.get_by_text("chưa ban hành")).to_be_visible()
    panel.get_by_label("Người ký").select_option(label="Lãnh đạo Long An – Phó Giám đốc (Sở Công Thương tỉnh Long An)")
    button = panel.get_by_role("button", name="Cấp số và ban hành")
    button.click()  # not confirmed: the browser itself asks for the tick
    assert not OfficialDocument.objects.exists()
    panel.get_by_label("Tôi xác nhận cấp số và ban hành").check()
    page.screenshot(path=str(artifacts / "issue-01-form.png"), full_page=True)
    button.click()
    expect(page.get_by_text("Đã cấp số 01/BC-SCT")).to_be_visible()
    expect(panel.get_by_text("đã ban hành: số 01/BC-SCT")).to_be_visible()
    page.screenshot(path=str(artifacts / "issue-02-issued.png"), full_page=True)
    stored = OfficialDocument.objects.get()
    assert (stored.number, stored.signer_name, stored.signer_title) == (1, "Lãnh đạo Long An", "Phó Giám đốc")
    with page.expect_download() as download:
        panel.get_by_role("link", name="(PDF)").first.click()
    assert download.value.suggested_filename.startswith("01-BC-SCT-")
