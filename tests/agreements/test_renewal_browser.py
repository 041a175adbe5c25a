"""An agreement's life in Debian's chromium, as a coordinator with no admin rights, with a screenshot of each step.

The coordinator works for today's Sở Công Thương Tây Ninh, which succeeded the Long An and Tây Ninh departments
in 2025.  The 2011 agreement of those two departments cannot be renewed between them (they are one body
today): the page says so.  The three-province programme is renewed: the draft's parties are today's
departments of Tây Ninh and Đồng Tháp, and each agreement links the other.  Then the programme records an
amendment and is terminated on a day.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from agreements.models import Agreement
from tests.agreements.lifecycle_support import merged_coordinator
from tests.support import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROGRAMME = "Chương trình hợp tác phát triển ngành Công Thương giữa ba tỉnh Long An, Tây Ninh và Tiền Giang"


HEADER = "Nội dung số;Cam kết;Bên chủ trì;Cơ quan phối hợp;Thời hạn;Chỉ tiêu;Đơn vị tính;Giá trị nền;Giá trị mục tiêu\n"
ROWS = (
    "1;Chia sẻ dữ liệu thị trường hằng tháng;Sở Công Thương tỉnh Tây Ninh;Sở Công Thương tỉnh Đồng Tháp;"
    "31/12/2027;;;;\n"
    "2;Tổ chức 04 phiên kết nối cung - cầu;so cong thuong tinh dong thap;;30/06/2028;Phiên kết nối;phiên;;4\n"
)


def test_a_coordinator_renews_amends_and_terminates(page: Page, live_demo, artifacts, tmp_path):
    base = live_demo.url
    user = merged_coordinator()
    assert not user.is_staff and not user.is_superuser
    shot = lambda name: page.screenshot(path=str(artifacts / f"renewal-{name}.png"), full_page=True)  # noqa: E731
    login(page, base, user.username)

    # 1. The 2011 agreement: both departments are today's Tây Ninh department, so no successor between them.
    page.goto(f"{base}/agreements/")
    page.get_by_role("link", name=re.compile("giai đoạn 2011 – 2015")).first.click()
    panel = page.locator("#lifecycle")
    expect(panel).to_contain_text("Hết hiệu lực")
    panel.get_by_role("link", name="Chuẩn bị giai đoạn tiếp theo").click()
    expect(page.get_by_test_id("renew-refused")).to_contain_text("các bên nay là cùng một cơ quan")
    expect(page.get_by_role("button", name="Tạo dự thảo giai đoạn tiếp theo")).to_have_count(0)
    shot("01-2011-cannot-renew")

    # 2. The programme: the preview names today's parties, then the draft is made.
    page.goto(f"{base}/agreements/")
    page.get_by_role("link", name=PROGRAMME).first.click()
    page.locator("#lifecycle").get_by_role("link", name="Chuẩn bị giai đoạn tiếp theo").click()
    parties = page.get_by_test_id("successor-parties")
    expect(parties).to_contain_text("Sở Công Thương tỉnh Tây Ninh")
    expect(parties).to_contain_text("Sở Công Thương tỉnh Đồng Tháp")
    expect(parties).not_to_contain_text("Tiền Giang")
    expect(page.locator("main")).to_contain_text("01/01/2027 – 31/12/2028")
    shot("02-programme-preview")
    page.get_by_role("button", name="Tạo dự thảo giai đoạn tiếp theo").click()
    expect(page.locator(".msg-success")).to_contain_text("Đã tạo dự thảo giai đoạn 2027–2028")
    expect(page.locator("h1")).to_contain_text("(giai đoạn 2027 – 2028)")
    chain = page.get_by_test_id("renewal-chain")
    expect(chain).to_contain_text("Giai đoạn trước")
    expect(chain.get_by_role("link", name=PROGRAMME)).to_be_visible()
    shot("03-draft-with-its-predecessor")
    draft = Agreement.objects.get(predecessor__title=PROGRAMME)
    assert draft.status == Agreement.Status.DRAFT

    # 3. The draft's commitments from a spreadsheet: a wrong item number is shown on its row, nothing is written;
    #    the corrected file is previewed, then imported.
    bad = tmp_path / "cam-ket-2027.csv"
    bad.write_bytes(("\ufeff" + HEADER + "9;Khảo sát thị trường;Sở Công Thương tỉnh Tây Ninh;;;;;;;\n").encode())
    page.locator("#lifecycle").get_by_role("link", name="Nhập cam kết từ Excel/CSV").click()
    page.get_by_label("Tệp danh sách cam kết (.xlsx hoặc .csv)").set_input_files(str(bad))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_test_id("import-error")).to_contain_text("Thỏa thuận không có nội dung hợp tác số 9")
    shot("03a-import-errors")
    good = tmp_path / "cam-ket-2027-sua.csv"
    good.write_bytes(("\ufeff" + HEADER + ROWS).encode())
    page.get_by_label("Tệp danh sách cam kết (.xlsx hoặc .csv)").set_input_files(str(good))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_test_id("import-preview")).to_contain_text("Thêm mới: 2")
    shot("03b-import-preview")
    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.locator(".msg-success")).to_contain_text("2 thêm mới")
    expect(page.locator("main")).to_contain_text("Tổ chức 04 phiên kết nối cung - cầu")
    shot("03c-imported")
    assert draft.items.filter(commitments__isnull=False).count() == 2
    chain = page.get_by_test_id("renewal-chain")

    # 4. The programme's page links its successor.
    chain.get_by_role("link", name=PROGRAMME).click()
    chain = page.get_by_test_id("renewal-chain")
    expect(chain).to_contain_text("Giai đoạn tiếp theo")
    expect(chain.get_by_role("link", name=draft.title)).to_be_visible()
    shot("04-programme-with-its-successor")

    # 5. An amendment, recorded and listed on the agreement's page.
    page.locator("#lifecycle").get_by_role("link", name="Sửa đổi, bổ sung").click()
    page.get_by_label("Ngày sửa đổi").fill("15/03/2026")
    page.get_by_label("Số văn bản sửa đổi").fill("12/BTT-SCT")
    page.get_by_label("Nội dung sửa đổi, bổ sung").fill(
        "Bổ sung nội dung kết nối tiêu thụ sầu riêng, khóm; điều chỉnh thời hạn hội chợ sang quý II/2026."
    )
    shot("05-amendment-form")
    page.get_by_role("button", name="Ghi nhận").click()
    expect(page.locator(".msg-success")).to_contain_text("Đã ghi nhận văn bản sửa đổi, bổ sung.")
    expect(page.get_by_test_id("amendment-row")).to_contain_text("12/BTT-SCT")
    shot("06-amendment-listed")

    # 6. Terminated on a day: a wrong date first, then the right one.
    page.locator(".crumbs a").nth(1).click()  # back to the agreement
    expect(page.get_by_test_id("amendments")).to_contain_text("12/BTT-SCT")
    page.locator("#lifecycle").get_by_role("link", name="Đổi tình trạng").click()
    page.get_by_label("Tình trạng mới").select_option(label="Chấm dứt")
    page.get_by_label("Có hiệu lực từ ngày").fill("31/02/2026")
    page.get_by_role("button", name="Đổi tình trạng").click()
    expect(page.locator(".field.has-error")).to_contain_text("Nhập một ngày hợp lệ")
    shot("07-status-bad-date")
    page.get_by_label("Có hiệu lực từ ngày").fill("01/10/2026")
    page.get_by_label("Căn cứ, ghi chú").fill("Theo Thông báo số 15/TB-SCT ngày 25/09/2026 của các bên.")
    page.get_by_role("button", name="Đổi tình trạng").click()
    expect(page.locator(".msg-success")).to_contain_text("Chấm dứt")
    expect(page.get_by_test_id("lifecycle-status")).to_contain_text("Chấm dứt từ ngày 01/10/2026")
    shot("08-terminated")
    page.get_by_role("link", name="Lịch sử thay đổi").click()
    expect(page.locator("main")).to_contain_text("Đổi tình trạng thỏa thuận")
    expect(page.locator("main")).to_contain_text("Đang hiệu lực → Chấm dứt")
    expect(page.locator("main")).to_contain_text("Chuẩn bị giai đoạn tiếp theo")
    shot("09-history")
