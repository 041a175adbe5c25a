"""The dashboards in Debian's chromium, on the demo data: a coordinator, a leader and an admin open theirs.

Each page is photographed to test-artifacts/dashboards/ (full page, desktop width) for a person to look
at; the agreement's reporting matrix also at 390 px, where the party column stays put while the periods
scroll under it.  A figure's link leads to the list it counts, filtered; the overview reads in English after
the language switch; no page logs an error or breaks the Content-Security-Policy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Page, ViewportSize, expect

from agreements.models import Agreement
from tests.support import fill_and_approve_period, login, periods_of, programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
PARTIES = ("SCT Long An", "SCT Tây Ninh", "SCT Tiền Giang")


def listen(page: Page, messages: list[str]) -> None:
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))


def shoot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.fixture
def shots(artifacts: Path) -> Path:
    folder = artifacts / "dashboards"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def approved(live_demo: Any) -> Any:
    """The programme's first half of 2025 approved for every party: something for the leaders to issue."""
    users = {u.username: u for u in get_user_model().objects.all()}
    period = periods_of(2025)[0]
    fill_and_approve_period(users, period)
    return period


def test_a_coordinator_reads_the_overview_and_an_agreement(page: Page, live_demo: Any, approved: Any, shots: Path):
    base = live_demo.url
    messages: list[str] = []
    listen(page, messages)
    page.set_viewport_size(DESKTOP)
    login(page, base, "la.coord")
    page.get_by_role("link", name="Tổng quan", exact=True).click()
    expect(page).to_have_url(f"{base}{reverse('dashboard')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tổng quan")
    expect(page.locator(".kpi").first).to_contain_text("3")
    expect(page.locator("#timeliness svg")).to_be_visible()
    expect(page.locator("#statuses svg")).to_be_visible()
    expect(page.locator("#provinces")).to_contain_text("Long An")
    expect(page.locator("#ending")).to_contain_text(programme().title[:40])
    shoot(page, shots, "overview-coordinator")

    # A figure leads to the list it counts, filtered: the commitments "on track".
    page.locator("#statuses").get_by_role("link", name="Đúng tiến độ").click()
    expect(page).to_have_url(f"{base}{reverse('commitment_list')}?status=on_track")
    expect(page.locator("#id_status")).to_have_value("on_track")

    page.goto(f"{base}{reverse('agreement_dashboard', args=[programme().pk])}")
    matrix = page.locator("table.rate-matrix")
    expect(matrix).to_be_visible()
    expect(matrix.locator("tbody th.party")).to_have_text(list(PARTIES))
    expect(matrix.locator("td.cell-missing").first).to_be_visible()
    expect(page.locator("#statuses svg")).to_be_visible()
    expect(page.locator("#indicators")).to_be_visible()
    shoot(page, shots, "agreement-coordinator")
    assert not messages, messages


def test_the_matrix_keeps_the_parties_on_a_phone(page: Page, live_demo: Any, shots: Path):
    base = live_demo.url
    page.set_viewport_size(PHONE)
    login(page, base, "la.coord")
    page.goto(f"{base}{reverse('agreement_dashboard', args=[programme().pk])}")
    scroller = page.locator(".matrix-scroll")
    scroller.scroll_into_view_if_needed()
    parties = page.locator("table.rate-matrix tbody th.party")
    expect(parties).to_have_text(list(PARTIES))
    last_period = page.locator("table.rate-matrix thead th").nth(4)
    before = [parties.nth(i).bounding_box() for i in range(3)]
    period_before = last_period.bounding_box()
    assert all(box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] for box in before)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # the page itself never scrolls
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")  # the periods do
    scroller.screenshot(path=str(shots / "phone-matrix.png"))
    page.screenshot(path=str(shots / "phone-agreement.png"), full_page=True)

    scroller.evaluate("el => el.scrollLeft = el.scrollWidth")
    after = [parties.nth(i).bounding_box() for i in range(3)]
    period_after = last_period.bounding_box()
    assert period_before is not None and period_after is not None
    assert period_after["x"] < period_before["x"] - 100  # the periods moved
    assert [round(b["x"]) for b in after] == [round(b["x"]) for b in before]  # the parties did not
    expect(parties).to_have_text(list(PARTIES))
    scroller.screenshot(path=str(shots / "phone-matrix-scrolled.png"))


def test_a_leaders_home_is_their_dashboard(
    page: Page, live_demo: Any, approved: Any, shots: Path, settings: Any, tmp_path: Path
):
    base = live_demo.url
    settings.MEDIA_ROOT = str(tmp_path / "media")
    messages: list[str] = []
    listen(page, messages)
    page.set_viewport_size(DESKTOP)
    login(page, base, "la.leader")
    page.goto(f"{base}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Việc của tôi")
    to_issue = page.locator("#to-issue")
    expect(to_issue.get_by_role("link", name="6 tháng đầu năm 2025").first).to_be_visible()
    expect(page.locator("#late")).to_contain_text("Báo cáo quá hạn chưa gửi")
    expect(page.locator("#agreements tbody tr")).to_have_count(Agreement.objects.count())
    expect(page.locator("#documents")).to_contain_text("Chưa có văn bản nào được ban hành.")
    shoot(page, shots, "home-leader")

    # What waits to be issued leads to the report's documents, where the leader issues it; then it is offered
    # for download on the home page.
    to_issue.get_by_role("link", name="6 tháng đầu năm 2025 · Sở Công Thương tỉnh Long An").click()
    panel = page.locator("#official-documents")
    panel.get_by_label("Tôi xác nhận cấp số và ban hành").first.check()
    panel.get_by_role("button", name="Cấp số và ban hành").first.click()
    expect(page.get_by_text("Đã cấp số 01/BC-")).to_be_visible()
    page.goto(f"{base}/")
    documents = page.locator("#documents tbody tr")
    expect(documents).to_have_count(1)
    expect(documents.first).to_contain_text("01/BC-")
    with page.expect_download() as download:
        documents.first.get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    expect(page.locator("#to-issue")).not_to_contain_text("6 tháng đầu năm 2025 · Sở Công Thương tỉnh Long An")
    shoot(page, shots, "home-leader-issued")
    page.goto(f"{base}{reverse('agreement_dashboard', args=[programme().pk])}")
    expect(page.locator("table.rate-matrix td.cell-on_time, table.rate-matrix td.cell-late").first).to_be_visible()
    shoot(page, shots, "agreement-leader")
    assert not messages, messages


def test_an_admin_sees_the_whole_instance_in_english_too(page: Page, live_demo: Any, shots: Path):
    base = live_demo.url
    messages: list[str] = []
    listen(page, messages)
    page.set_viewport_size(DESKTOP)
    login(page, base, "admin")
    page.goto(f"{base}{reverse('dashboard')}")
    expect(page.locator("p.meta")).to_contain_text("Toàn bộ 3 thỏa thuận trên hệ thống.")
    shoot(page, shots, "overview-admin")
    agreement = Agreement.objects.get(signed_on="2011-10-14")
    page.goto(f"{base}{reverse('agreement_dashboard', args=[agreement.pk])}")
    expect(page.locator("table.rate-matrix tbody th.party")).to_have_count(2)
    shoot(page, shots, "agreement-admin")

    page.goto(f"{base}{reverse('dashboard')}")
    page.locator("form.lang").get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#statuses svg")).to_contain_text("On track")
    expect(page.locator("#statuses svg")).not_to_contain_text("Đúng tiến độ")
    shoot(page, shots, "overview-admin-en")
    page.goto(f"{base}{reverse('agreement_dashboard', args=[programme().pk])}")
    expect(page.locator("#statuses svg")).to_contain_text("On track")
    shoot(page, shots, "agreement-admin-en")
    assert not messages, messages
