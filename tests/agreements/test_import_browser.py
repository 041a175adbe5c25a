"""Importing the 2011 Long An – Tây Ninh agreement from its text in Debian's chromium, as its coordinator.

la.coord (Phòng Kế hoạch - Tài chính of the Long An department, no admin rights) opens "Nhập từ văn bản" from the
agreement list, pastes the text of ../shared/seeds/000_*.txt, read at test time, and gets exactly its nine items,
its date, place and period, the two departments as they were in 2011, and the lines it did not use highlighted;
confirms; and lands on the new agreement, a draft with nine items. The pages are photographed at 1280 and 390 px (test-artifacts/import/);
none logs an error or breaks the Content-Security-Policy.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from agreements.models import Agreement
from demo.data import AGREEMENT_2011
from tests.support import SEEDS, login, needs_seeds

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_seeds]

DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}


def shoot(page: Page, folder: Path, name: str) -> None:
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(folder / f"{name}-1280.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(folder / f"{name}-390.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{name}: the page is {overflow}px wider than a phone"
    page.set_viewport_size(DESKTOP)


def test_the_coordinator_imports_the_2011_agreement_from_its_text(page: Page, live_demo: Any, artifacts: Path):
    folder = artifacts / "import"
    folder.mkdir(parents=True, exist_ok=True)
    text = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    messages: list[str] = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    before = set(Agreement.objects.values_list("pk", flat=True))
    base = live_demo.url

    login(page, base, "la.coord")
    page.goto(f"{base}/agreements/")
    page.get_by_role("link", name="Nhập từ văn bản").click()
    page.get_by_label("Dán nội dung văn bản").fill(text)
    shoot(page, folder, "1-paste")
    page.get_by_role("button", name="Đọc văn bản").click()
    expect(page.get_by_role("heading", name="Kiểm tra đề xuất từ văn bản")).to_be_visible()
    assert set(Agreement.objects.values_list("pk", flat=True)) == before  # nothing until confirmed

    # Exactly the nine items, in order, with the text's own words.
    items = page.locator("[data-testid=item-row] textarea")
    found = [items.nth(i).input_value() for i in range(items.count())]
    assert [t for t in found if t] == [text for _sector, text in AGREEMENT_2011.items]
    numbers = page.locator("[data-testid=item-row] input[name$='-number']")
    assert [numbers.nth(i).input_value() for i in range(9)] == [str(n) for n in range(1, 10)]
    expect(page.get_by_label("Ngày ký")).to_have_value("14/10/2011")
    expect(page.get_by_label("Nơi ký")).to_have_value("Sở Công Thương tỉnh Tây Ninh")
    expect(page.get_by_label("Giai đoạn từ")).to_have_value("01/01/2011")
    expect(page.get_by_label("Giai đoạn đến")).to_have_value("31/12/2015")
    parties = page.locator("[data-testid=party-row]")
    bodies = [parties.nth(i).locator("select[name$='-body'] option:checked").inner_text() for i in range(2)]
    assert bodies == ["Sở Công Thương tỉnh Long An (đến 30/06/2025)", "Sở Công Thương tỉnh Tây Ninh (đến 30/06/2025)"]
    # What the text did not say for sure is marked; what it said besides is listed.
    expect(page.locator(".field.needs-check").filter(has=page.get_by_label("Tên văn bản"))).to_be_visible()
    unparsed = page.locator("#import-unparsed li")
    expect(unparsed).to_have_count(2)
    expect(unparsed.first).to_contain_text("Sau khi thỏa thuận được ký kết")
    shoot(page, folder, "2-proposal")

    page.get_by_role("button", name="Tạo dự thảo thỏa thuận").click()
    expect(page.get_by_text("Đã tạo dự thảo")).to_be_visible()
    shoot(page, folder, "3-created")

    (created,) = set(Agreement.objects.values_list("pk", flat=True)) - before
    agreement = Agreement.objects.get(pk=created)
    assert page.url.endswith(f"/agreements/{created}/")
    assert agreement.status == Agreement.Status.DRAFT
    assert agreement.items.count() == 9
    assert (agreement.signed_on, agreement.signed_at) == (datetime.date(2011, 10, 14), "Sở Công Thương tỉnh Tây Ninh")
    assert (agreement.period_start, agreement.period_end) == (datetime.date(2011, 1, 1), datetime.date(2015, 12, 31))
    assert list(agreement.parties.order_by("order").values_list("body__name", flat=True)) == [
        "Sở Công Thương tỉnh Long An",
        "Sở Công Thương tỉnh Tây Ninh",
    ]
    assert messages == []
