"""The 404 and 403 pages in Debian's chromium, as a person meets them, with a screenshot of each
(test-artifacts/error-*.png): the layout, what happened, the links that lead on, the language switch."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.support import fill_and_approve_period, la_report_of, login, periods_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_404_and_403_pages(page: Page, live_demo: Any, artifacts: Any) -> None:
    base = live_demo.url
    users = {u.username: u for u in get_user_model().objects.all()}
    period = periods_of(2025)[0]
    fill_and_approve_period(users, period)
    report = la_report_of(period)

    # A link that leads nowhere, before signing in: the page says so and offers the login.
    response = page.goto(f"{base}/bao-cao-khong-co/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Không tìm thấy trang")).to_be_visible()
    expect(page.locator(".topbar .brand")).to_be_visible()
    page.screenshot(path=str(artifacts / "error-404.png"), full_page=True)
    page.get_by_role("link", name="Đăng nhập").click()
    expect(page.locator("#id_username")).to_be_visible()

    # Tiền Giang's leader reads Long An's approved report: its documents section offers Tiền Giang's own.
    login(page, base, "tg.leader")
    page.goto(f"{base}{reverse('report_detail', args=[report.pk])}")
    section = page.locator("#official-documents")
    expect(section.get_by_text("Văn bản của bên bạn trong kỳ này")).to_be_visible()
    expect(section.locator("a[download]").first).to_be_visible()
    assert section.locator(f"a[href='{reverse('document_report_pdf', args=[report.pk])}']").count() == 0
    section.screenshot(path=str(artifacts / "documents-of-another-partys-report.png"))

    # Long An's PDF asked for all the same (an address passed on by someone): the 403 page, with a way back.
    response = page.goto(f"{base}{reverse('document_report_pdf', args=[report.pk])}")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="Bạn không có quyền thực hiện việc này")).to_be_visible()
    expect(page.get_by_test_id("reason")).to_contain_text("chỉ lãnh đạo và bộ phận điều phối của bên báo cáo")
    expect(page.locator(".who")).to_be_visible()  # signed in: the top bar is the user's
    page.screenshot(path=str(artifacts / "error-403.png"), full_page=True)

    # The language switch of the page works there too.
    page.get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="My tasks", exact=True)).to_be_visible()
    page.screenshot(path=str(artifacts / "error-403-en.png"), full_page=True)
    page.get_by_role("link", name="CoopPortal").click()
    expect(page).to_have_url(f"{base}/")
