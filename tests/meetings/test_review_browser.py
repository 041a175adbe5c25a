"""Issue 10, done when: a mid-term review (hội nghị sơ kết) of the old programme whose decisions become
commitments of the new one, with due dates and the bodies that lead them, in Debian's chromium.

The demo's three-province programme (2025–2026) was signed by the Long An, Tây Ninh and Tiền Giang
departments; since the 2025 merger they are two provinces.  It is renewed with
agreements.services.prepare_successor (the renewal page is another part of the issue): the draft for
2027–2028 has today's Tây Ninh and Đồng Tháp departments as parties.  The coordinating office of today's
Sở Công Thương Tây Ninh (a coordinator with no admin rights, who answers for the old Long An and Tây Ninh
departments too) plans the review before its day is fixed, fixes the day, records who attended, drafts the
agenda from the reports, records the minutes and two decisions that become commitments of the new programme.

Screenshots: test-artifacts/meetings/.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Page, expect

from agreements import services as agreements
from agreements.models import AdministrativeUnit, Agreement, Body, Commitment, Membership, Role
from demo.data import DEMO_PASSWORD
from meetings.models import MeetingDecision, ReviewMeeting
from tests.support import login, programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COORDINATOR = "tn.dieuphoi"
TAY_NINH = "Sở Công Thương tỉnh Tây Ninh"
DONG_THAP = "Sở Công Thương tỉnh Đồng Tháp"
FINANCE_TN = "Sở Tài chính tỉnh Tây Ninh"
FARMING_DT = "Sở Nông nghiệp và Môi trường tỉnh Đồng Tháp"
DECISION_1 = "Xây dựng danh mục dự án kêu gọi đầu tư chung vào các cụm công nghiệp giáp ranh giai đoạn 2027 – 2028."
DECISION_2 = "Tổ chức chuỗi phiên kết nối tiêu thụ nông sản Đồng Tháp tại các hệ thống phân phối lớn của Tây Ninh."


@pytest.fixture
def shots(artifacts: Path) -> Path:
    folder = artifacts / "meetings"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def renewed(live_demo: Any) -> tuple[Agreement, Agreement]:
    """The old programme and its successor's draft; today's Tây Ninh coordinator; a department added."""
    old = programme()
    admin = get_user_model().objects.get(username="admin")
    new = agreements.prepare_successor(admin, old)
    coordinator = get_user_model().objects.create_user(
        COORDINATOR, password=DEMO_PASSWORD, first_name="Điều phối", last_name="Tây Ninh (từ 2025)"
    )
    Membership.objects.create(
        user=coordinator, body=Body.objects.get(name=TAY_NINH, valid_to__isnull=True), role=Role.COORDINATOR
    )
    assert not coordinator.is_staff and not coordinator.is_superuser
    dong_thap = AdministrativeUnit.objects.get(short_name="Đồng Tháp", valid_to__isnull=True)
    agreements.add_body(admin, name=FARMING_DT, kind=Body.Kind.DEPARTMENT, unit=dong_thap)
    return old, new


def listen(page: Page, problems: list[str]) -> None:
    page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))


def shoot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def option_value(page: Page, select: str, label: str, group: str | None = None) -> str:
    """The value of the option `label` of a select (inside the optgroup whose label contains `group`)."""
    scope = f'{select} optgroup[label*="{group}"] option' if group else f"{select} option"
    value = page.locator(scope, has_text=label).first.get_attribute("value")
    assert value, (select, label, group)
    return value


def add_decision(page: Page, new: Agreement, text: str, party: str, lead: str, due: str) -> None:
    page.get_by_role("link", name="Thêm kết luận").click()
    page.fill("#id_text", text)
    page.select_option("#id_target", str(new.pk))
    page.select_option("#id_responsible_party", option_value(page, "#id_responsible_party", party, new.period_label))
    page.select_option("#id_lead_body", option_value(page, "#id_lead_body", lead))
    page.fill("#id_due_on", due)
    page.get_by_role("button", name="Ghi kết luận").click()
    expect(page.locator(".msg-success")).to_contain_text("Đã ghi kết luận")


def test_a_mid_term_review_decides_the_new_programme(page: Page, live_demo: Any, renewed: Any, shots: Path):
    old, new = renewed
    base = live_demo.url
    problems: list[str] = []
    listen(page, problems)
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, base, COORDINATOR)

    # Planned from the old programme's page, for a month: the day is not fixed yet.
    page.goto(f"{base}{reverse('agreement_detail', args=[old.pk])}")
    page.get_by_role("link", name="Lên kế hoạch cuộc họp").click()
    page.select_option("#id_kind", "midterm")
    page.fill("#id_planned_month", "2026-11")
    page.fill("#id_place", "Hội trường Sở Công Thương tỉnh Tây Ninh (cơ sở Tân An)")
    page.select_option("#id_host_party", label="Sở Công Thương tỉnh Long An")
    shoot(page, shots, "1-plan")
    page.get_by_role("button", name="Lên kế hoạch").click()
    expect(page.locator("h1")).to_contain_text("Hội nghị sơ kết · tháng 11/2026 (chưa chốt ngày)")
    meeting = ReviewMeeting.objects.get(agreement=old)
    page.goto(f"{base}{reverse('agreement_detail', args=[old.pk])}#meetings")
    expect(page.locator(f"#meeting-{meeting.pk}")).to_contain_text("chưa chốt ngày")

    # The day is fixed.
    page.locator(f"#meeting-{meeting.pk} a").first.click()
    page.get_by_role("link", name="Sửa thông tin cuộc họp").click()
    page.fill("#id_held_on", "2026-11-20")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("h1")).to_contain_text("Hội nghị sơ kết · 20/11/2026")
    expect(page.locator(".meta .badge")).to_have_text("đã họp")

    # Who attended, by party.
    page.get_by_role("link", name="Thành phần tham dự").click()
    parties = list(old.parties.select_related("body").order_by("order"))
    attendees = [
        "Ông Huỳnh Văn Quang Hùng, Giám đốc Sở\nBà Nguyễn Thị Thu Hà, Trưởng phòng Kế hoạch - Tài chính",
        "Ông Trần Văn Bình, Phó Giám đốc Sở",
        "Bà Lê Thị Ngọc Hân, Phó Giám đốc Sở",
    ]
    for party, text in zip(parties, attendees, strict=True):
        page.fill(f"#id_party_{party.pk}", text)
    page.get_by_role("button", name="Lưu thành phần tham dự").click()
    expect(page.locator("#attendance")).to_contain_text("Bà Nguyễn Thị Thu Hà, Trưởng phòng Kế hoạch - Tài chính")

    # The agenda: the app's draft from the reports, edited, then saved.
    page.get_by_role("link", name="Chương trình họp").click()
    page.get_by_role("link", name="Soạn dự thảo từ báo cáo").click()
    box = page.locator("#id_agenda")
    expect(box).to_have_value(re.compile(r"^DỰ THẢO CHƯƠNG TRÌNH HỘI NGHỊ SƠ KẾT"))
    drafted = box.input_value()
    assert "Các bên chưa gửi báo cáo:" in drafted and "Kỳ 6 tháng cuối năm 2025" in drafted
    assert "Kiến nghị, đề xuất chưa được giải quyết:" in drafted
    shoot(page, shots, "2-agenda-draft")
    agenda = (
        drafted.replace("DỰ THẢO CHƯƠNG TRÌNH", "CHƯƠNG TRÌNH")
        + "\n9. Ký kết Chương trình hợp tác giai đoạn 2027 – 2028."
    )
    box.fill(agenda)
    page.get_by_role("button", name="Lưu chương trình họp").click()
    expect(page.locator("#agenda")).to_contain_text("9. Ký kết Chương trình hợp tác giai đoạn 2027 – 2028.")

    # Minutes and shortcomings.
    page.get_by_role("link", name="Biên bản").click()
    page.fill(
        "#id_minutes",
        "Hội nghị đã nghe các bên báo cáo kết quả thực hiện Chương trình giai đoạn 2025 – 2026, thảo luận và thống "
        "nhất các nhiệm vụ trọng tâm của giai đoạn 2027 – 2028.",
    )
    page.fill("#id_shortcomings", "Việc chia sẻ dữ liệu thị trường giữa các bên chưa đồng bộ; một số báo cáo nộp chậm.")
    page.get_by_role("button", name="Lưu biên bản").click()
    expect(page.locator("#shortcomings")).to_contain_text("chưa đồng bộ")

    # Two decisions carried out in the new programme, each led by a department of the party's province.
    add_decision(page, new, DECISION_1, TAY_NINH, FINANCE_TN, "2027-06-30")
    add_decision(page, new, DECISION_2, DONG_THAP, FARMING_DT, "2027-03-31")
    decisions = list(MeetingDecision.objects.filter(meeting=meeting).order_by("number"))
    assert [d.target_agreement_id for d in decisions] == [new.pk, new.pk]
    shoot(page, shots, "3-decisions")

    # Each becomes a commitment under an item of the new programme.
    for decision, number in zip(decisions, (3, 2), strict=True):
        row = page.locator(f"#decision-{decision.pk}")
        item = new.items.get(number=number)
        row.locator("select").select_option(str(item.pk))
        row.get_by_role("button", name="Chuyển thành cam kết").click()
        expect(page.locator(".msg-success")).to_contain_text(f"Kết luận số {decision.number} đã thành cam kết")
    commitments = {
        c.description: c for c in Commitment.objects.filter(item__agreement=new, source_decision__isnull=False)
    }
    assert set(commitments) == {DECISION_1, DECISION_2}
    first = commitments[DECISION_1]
    link = page.locator(f'#decision-{decisions[0].pk} a[href$="#commitment-{first.pk}"]')
    expect(link).to_be_visible()
    shoot(page, shots, "4-meeting")

    # The new programme's page shows them, with their due dates and the bodies that lead them.
    link.click()
    expect(page).to_have_url(f"{base}{first.get_absolute_url()}")
    shown = page.locator(f"#commitment-{first.pk}")
    expect(shown).to_contain_text(DECISION_1)
    expect(shown).to_contain_text("Thời hạn: 30/06/2027")
    expect(shown).to_contain_text(FINANCE_TN)
    second = page.locator(f"#commitment-{commitments[DECISION_2].pk}")
    expect(second).to_contain_text("Thời hạn: 31/03/2027")
    expect(second).to_contain_text(FARMING_DT)
    expect(second).to_contain_text(f"thuộc bên {DONG_THAP}")
    shown.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "5-new-programme-commitments.png"))

    # The old programme's page lists the meeting with its decisions and where they went.
    page.goto(f"{base}{reverse('agreement_detail', args=[old.pk])}")
    section = page.locator("#meetings")
    expect(section).to_contain_text("Hội nghị sơ kết · 20/11/2026")
    expect(section).to_contain_text("thời hạn 30/06/2027")
    section.scroll_into_view_if_needed()
    section.screenshot(path=str(shots / "6-old-programme-meetings.png"))
    assert not problems, problems
