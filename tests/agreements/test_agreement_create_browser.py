"""Entering a programme of ten People's Committees in Debian's chromium, as a coordinator with no admin rights.

The coordinator of the Tây Ninh People's Committee's office opens "Nhập thỏa thuận mới" from the list, types the
general data (Vietnamese dates) and ten parties (names without diacritics, the first picked from the suggestions
the picker fetches as they type), adds rows with the script, then numbered items with their sectors; on the
commitments page adds a department missing from the list on the spot and enters commitments led by
departments of the parties' provinces, with Vietnamese figures; publishes; and finds the agreement page showing
ten parties and the commitments led by the departments.  Every page is photographed at 1280 and 390 px
(test-artifacts/agreement-create/); none logs an error or breaks the Content-Security-Policy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, ViewportSize, expect

from agreements.models import Agreement, Body, Commitment
from tests.agreements.editing import TEN, TYPED, office_coordinator, ubnd
from tests.support import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
TITLE = "Chương trình hợp tác phát triển du lịch và thương mại 10 tỉnh, thành phố giai đoạn 2026 – 2030"


def listen(page: Page, messages: list[str]) -> None:
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))


@pytest.fixture
def shots(artifacts: Path) -> Path:
    folder = artifacts / "agreement-create"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shoot(page: Page, folder: Path, name: str) -> None:
    """The page at desktop width, then on a phone, then back."""
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(folder / f"{name}-1280.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(folder / f"{name}-390.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{name}: the page is {overflow}px wider than a phone"
    page.set_viewport_size(DESKTOP)


def type_name(box: Locator, text: str) -> None:
    """Types a body's name once the page's script listens to the box: typed before (a page still loading
    its script on a busy machine), the letters would bring no suggestions."""
    expect(box).to_have_attribute("data-picker-ready", "")
    box.press_sequentially(text, delay=20)


def commitment(page: Page, item: str, party: str, lead: str, text: str, **more: str) -> None:
    form = page.locator("#commitment-form")
    form.get_by_label("Nội dung hợp tác").select_option(label=item)
    form.get_by_label("Bên chủ trì").select_option(label=party)
    lead_box = form.get_by_label("Cơ quan chủ trì thực hiện")
    lead_box.fill("")
    type_name(lead_box, lead)
    # The suggestions are those of the responsible party's province only.
    expect(page.locator("#id_lead + datalist option").first).to_be_attached()
    form.get_by_label("Nội dung cam kết").fill(text)
    for label, value in more.items():
        form.get_by_label(label.replace("_", " "), exact=True).fill(value)
    form.get_by_role("button", name="Thêm cam kết").click()
    expect(page.locator(".msg-success")).to_contain_text("Đã lưu cam kết")


def test_a_coordinator_enters_and_publishes_a_programme_of_ten_committees(page: Page, live_demo: Any, shots: Path):
    base = live_demo.url
    office_coordinator("Tây Ninh")
    messages: list[str] = []
    listen(page, messages)
    page.set_viewport_size(DESKTOP)
    login(page, base, "vp.coord")
    expect(page.get_by_role("link", name="Quản trị")).to_have_count(0)  # no admin rights

    page.goto(f"{base}{reverse('agreement_list')}")
    page.get_by_role("link", name="Nhập thỏa thuận mới").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập thỏa thuận mới")
    page.get_by_label("Loại văn bản").select_option(label="Chương trình hợp tác")
    page.get_by_label("Số văn bản").fill("01/CTr-LK10")
    page.get_by_label("Tên văn bản").fill(TITLE)
    page.get_by_label("Ngày ký").fill("15/01/2026")
    page.get_by_label("Nơi ký").fill("Tây Ninh")
    page.get_by_label("Giai đoạn từ").fill("01/01/2026")
    page.get_by_label("Giai đoạn đến").fill("31/12/2030")
    page.get_by_label("Mục tiêu").fill(
        "Phát huy tiềm năng, lợi thế của mỗi địa phương; liên kết phát triển du lịch, thương mại."
    )

    # Four rows at first; the script adds five at a time without leaving the page.
    expect(page.locator("#p-rows > li")).to_have_count(4)
    page.get_by_role("button", name="Thêm 5 dòng").click()
    page.get_by_role("button", name="Thêm 5 dòng").click()
    expect(page.locator("#p-rows > li")).to_have_count(14)
    expect(page.locator("#id_p-TOTAL_FORMS")).to_have_value("14")
    # The first is picked from the suggestions: as of the signing day, only today's Tây Ninh (its committee
    # first, then the committee's office).
    first = page.locator("#id_p-0-body")
    type_name(first, "ubnd tay ninh")
    suggestions = page.locator("#id_p-0-body + datalist option")
    expect(suggestions).to_have_count(2)
    first.fill(suggestions.first.get_attribute("value") or "")
    expect(first).to_have_value("Ủy ban nhân dân tỉnh Tây Ninh (từ 01/07/2025)")
    for index, typed in enumerate(TYPED[1:], start=1):
        page.locator(f"#id_p-{index}-body").fill(typed)
    shoot(page, shots, "1-new-agreement")
    page.get_by_role("button", name="Tạo dự thảo").click()

    expect(page.locator(".msg-success")).to_contain_text("với 10 bên")
    agreement = Agreement.objects.get(title=TITLE)
    assert [p.body for p in agreement.parties.order_by("order")] == [ubnd(name) for name in TEN]
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nội dung hợp tác")
    items = [
        ("Liên kết phát triển du lịch, xây dựng các tour, tuyến du lịch liên tỉnh.", "Du lịch", "Văn hóa, thể thao"),
        ("Xúc tiến thương mại, đưa đặc sản các tỉnh vào hệ thống phân phối.", "Xúc tiến thương mại, thị trường", None),
        ("Chuyển đổi số, chia sẻ dữ liệu thị trường giữa các tỉnh.", "Chuyển đổi số", None),
    ]
    for index, (text, sector, other) in enumerate(items):
        row = page.locator("#i-rows > li").nth(index)
        row.get_by_label("Nội dung hợp tác").fill(text)
        row.get_by_label("Lĩnh vực chính").select_option(label=sector)
        if other:
            row.locator("details.other-sectors summary").click()
            row.get_by_label(other, exact=True).check()
    shoot(page, shots, "2-items")
    page.get_by_role("button", name="Lưu và nhập cam kết").click()
    expect(page.locator(".msg-success")).to_contain_text("Đã lưu 3 nội dung hợp tác")
    assert sorted(agreement.items.values_list("number", flat=True)) == [1, 2, 3]

    # Hà Nội's Department of Tourism is missing: added on the spot, and the page comes back.
    assert not Body.objects.filter(name="Sở Du lịch thành phố Hà Nội").exists()
    page.get_by_text("Không thấy cơ quan trong danh sách? Thêm cơ quan mới").click()
    add = page.locator("details.add-body")
    add.get_by_label("Tên cơ quan").fill("Sở Du lịch thành phố Hà Nội")
    add.get_by_label("Loại cơ quan").select_option(label="Sở")
    add.get_by_label("Tỉnh, thành phố").select_option(label="Thành phố Hà Nội")
    add.get_by_role("button", name="Thêm cơ quan").click()
    expect(page.locator(".msg-success")).to_contain_text("Đã thêm “Sở Du lịch thành phố Hà Nội”")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cam kết")

    commitment(
        page,
        "1. Liên kết phát triển du lịch, xây dựng các tour, tuyến du lịch liên tỉnh.",
        "Ủy ban nhân dân thành phố Hà Nội",
        "so du lich ha noi",
        "Xây dựng tour du lịch kết nối Hà Nội với các tỉnh phía Nam.",
        Thời_hạn="31/12/2027",
    )
    commitment(
        page,
        "2. Xúc tiến thương mại, đưa đặc sản các tỉnh vào hệ thống phân phối.",
        "Ủy ban nhân dân tỉnh Tây Ninh",
        "so cong thuong tay ninh",
        "Tổ chức hội chợ đặc sản các tỉnh tại Tây Ninh.",
        Chỉ_tiêu="Tổng mức bán lẻ hàng hóa",
        Đơn_vị_tính="tỉ đồng",
        Giá_trị_nền="95.500",
        Giá_trị_mục_tiêu="101.000",
    )
    # A supporting body picked from the suggestions is added as a line of its own.
    type_name(page.locator("#supporting-add"), "so cong thuong dong thap")
    expect(page.locator("#supporting-add + datalist option")).to_have_count(1, timeout=15_000)
    page.locator("#supporting-add").fill(
        page.locator("#supporting-add + datalist option").first.get_attribute("value") or ""
    )
    expect(page.locator("#id_supporting")).to_have_value("Sở Công Thương tỉnh Đồng Tháp (từ 01/07/2025)")
    commitment(
        page,
        "2. Xúc tiến thương mại, đưa đặc sản các tỉnh vào hệ thống phân phối.",
        "Ủy ban nhân dân tỉnh Đồng Tháp",
        "Sở Công Thương Đồng Tháp",
        "Đưa xoài, sầu riêng Đồng Tháp vào hệ thống phân phối của các tỉnh.",
        Giá_trị_mục_tiêu="6,6",
        Chỉ_tiêu="Kim ngạch xuất khẩu",
        Đơn_vị_tính="tỉ USD",
    )
    led = {c.description: c for c in Commitment.objects.filter(item__agreement=agreement).select_related("lead_body")}
    assert {text: c.lead_body.name for text, c in led.items() if c.lead_body} == {
        "Xây dựng tour du lịch kết nối Hà Nội với các tỉnh phía Nam.": "Sở Du lịch thành phố Hà Nội",
        "Tổ chức hội chợ đặc sản các tỉnh tại Tây Ninh.": "Sở Công Thương tỉnh Tây Ninh",
        "Đưa xoài, sầu riêng Đồng Tháp vào hệ thống phân phối của các tỉnh.": "Sở Công Thương tỉnh Đồng Tháp",
    }
    shoot(page, shots, "3-commitments")
    # The parties of the draft, with their offices and signatories (the page of the step "Các bên").
    page.locator("ol.steps").get_by_role("link", name="Các bên").click()
    expect(page.locator("#p-rows > li")).to_have_count(12)
    expect(page.locator("#id_p-0-office")).to_have_value("Văn phòng Ủy ban nhân dân tỉnh Tây Ninh")
    shoot(page, shots, "3b-parties")
    page.locator("ol.steps").get_by_role("link", name="Cam kết").click()

    page.get_by_role("button", name="Ban hành thỏa thuận").click()
    expect(page.locator(".msg-success")).to_contain_text("Đã ban hành thỏa thuận")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".badge").first).to_have_text("Đang hiệu lực")
    expect(page.get_by_test_id("draft-notice")).to_have_count(0)
    parties = page.locator("section.card", has=page.get_by_role("heading", name="Các bên tham gia")).locator("tbody tr")
    expect(parties).to_have_count(10)
    expect(parties.nth(4)).to_contain_text("Ủy ban nhân dân thành phố Hồ Chí Minh")
    listed = page.locator("ul.commitments li")
    expect(listed.filter(has_text="Sở Du lịch thành phố Hà Nội")).to_contain_text(
        "thuộc bên Ủy ban nhân dân thành phố Hà Nội"
    )
    expect(listed.filter(has_text="hội chợ đặc sản")).to_contain_text("Sở Công Thương tỉnh Tây Ninh")
    expect(listed.filter(has_text="hội chợ đặc sản")).to_contain_text("101.000 tỉ đồng")
    expect(listed.filter(has_text="xoài")).to_contain_text("Phối hợp: Sở Công Thương tỉnh Đồng Tháp")
    shoot(page, shots, "4-published")
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.IN_FORCE
    assert not [m for m in messages if "Content Security Policy" in m or "Refused" in m or "pageerror" in m], messages
