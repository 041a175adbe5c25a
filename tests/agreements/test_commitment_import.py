"""Importing an agreement's commitments from a spreadsheet (commitment_import, agreements.commitment_import).

The agreement is the 2011 one of the Long An and Tây Ninh departments (nine items, a commitment per item and
party); its owner is la.coord.  Files are a CSV as Vietnamese Excel saves it (BOM, ";"), a workbook made with
openpyxl, and the commitments export itself: importing it back changes nothing, importing a file twice adds
nothing twice, and one bad row anywhere writes nothing, every error named by its row and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import Agreement, Body, Commitment
from core.models import AuditEntry
from tests.agreements.lifecycle_support import agreement_2011

pytestmark = pytest.mark.django_db

HEADER = [
    "Nội dung số",
    "Cam kết",
    "Bên chủ trì",
    "Cơ quan chủ trì thực hiện",
    "Cơ quan phối hợp",
    "Thời hạn",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Giá trị nền",
    "Giá trị mục tiêu",
    "Tình trạng",
]
NEW = "Tổ chức 02 đoàn xúc tiến đầu tư chung tại Thành phố Hồ Chí Minh"
NEW_ROW = [
    "2",
    NEW,
    "so cong thuong tinh long an",  # no diacritics, no capitals: still Long An's department
    "Sở Kế hoạch và Đầu tư tỉnh Long An",
    "Sở Công Thương tỉnh Tây Ninh; sở tài chính tỉnh tây ninh",
    "30/06/2014",
    "Vốn đầu tư thu hút",
    "tỷ đồng",
    "6,6",
    "101.000",
    "Đúng tiến độ",
]


def import_url(agreement: Agreement) -> str:
    return reverse("commitment_import", args=[agreement.pk])


def csv_bytes(rows: list[list[str]], *, delimiter: str = ";", bom: bool = True, header: list[str] = HEADER) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + text.getvalue()).encode()


def upload(client, agreement: Agreement, data: bytes, name: str = "cam-ket.csv"):
    return client.post(import_url(agreement), {"file": SimpleUploadedFile(name, data)})


def confirm(client, agreement: Agreement, preview):
    assert preview.context["payload"], preview.context["result"] and preview.context["result"].errors
    return client.post(import_url(agreement), {"payload": preview.context["payload"]})


def written() -> tuple[int, int]:
    return Commitment.objects.count(), AuditEntry.objects.count()


@pytest.fixture
def owner(client, users):
    client.force_login(users["la.coord"])
    return client


@pytest.fixture
def old(demo) -> Agreement:
    return agreement_2011()


def test_a_csv_saved_by_vietnamese_excel_is_previewed_then_imported(owner, old, users):
    before = written()
    preview = upload(owner, old, csv_bytes([NEW_ROW]))
    assert preview.status_code == 200
    result = preview.context["result"]
    assert (result.new, result.updated, result.unchanged, result.errors) == (1, 0, 0, [])
    assert "Xem trước: chưa có gì được ghi" in preview.content.decode()
    assert written() == before  # the preview writes nothing
    response = confirm(owner, old, preview)
    assert response.status_code == 302 and response["Location"] == reverse("agreement_detail", args=[old.pk])
    made = Commitment.objects.get(description=NEW)
    assert made.item.number == 2 and made.responsible_party.body.name == "Sở Công Thương tỉnh Long An"
    assert made.lead_body is not None and made.lead_body.name == "Sở Kế hoạch và Đầu tư tỉnh Long An"
    # Of the two Tây Ninh departments of one name, the one in office when the agreement was signed.
    assert sorted((b.name, b.valid_from) for b in made.supporting_bodies.all()) == [
        ("Sở Công Thương tỉnh Tây Ninh", None),
        ("Sở Tài chính tỉnh Tây Ninh", dt.date(2025, 7, 1)),
    ]
    assert (made.due_on, made.baseline, made.target) == (dt.date(2014, 6, 30), Decimal("6.6"), Decimal("101000"))
    assert (made.indicator_name, made.indicator_unit, made.status) == ("Vốn đầu tư thu hút", "tỷ đồng", "on_track")
    entry = AuditEntry.objects.get(action="commitment.added", object_id=str(made.pk))
    assert entry.actor_id == users["la.coord"].pk and entry.data["source"] == "import:cam-ket.csv"
    assert "Nhập từ tệp “cam-ket.csv”" in owner.get(reverse("agreement_audit", args=[old.pk])).content.decode()
    # The same file again: the same commitment, nothing written.
    after = written()
    again = upload(owner, old, csv_bytes([NEW_ROW]))
    assert (again.context["result"].new, again.context["result"].unchanged) == (0, 1)
    confirm(owner, old, again)
    assert written() == after


LONG_AN, TAY_NINH = "Sở Công Thương tỉnh Long An", "Sở Công Thương tỉnh Tây Ninh"
# Numbers as numbers, a date cell, figures typed as text the Vietnamese way, and a blank row between.
WORKBOOK_ROWS: list[list[object]] = [
    [3, "Xây dựng 02 cụm công nghiệp", TAY_NINH, None, None, dt.date(2015, 6, 30)],
    [4, "Kim ngạch xuất khẩu", LONG_AN, "", "", None, "Kim ngạch", "triệu USD", 6.6, 101000],
    [5.0, "Doanh thu bán lẻ", LONG_AN, "", "", "", "Doanh thu", "tỷ đồng", "1.234,5", "101.000"],
    [],
    [6, "Tiết kiệm năng lượng", TAY_NINH, "", "", "15/12/2015", "", "", "", "", "Hoàn thành"],
]


def test_a_workbook_with_numbers_dates_and_text_figures(owner, old):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in WORKBOOK_ROWS:
        sheet.append(row)
    data = io.BytesIO()
    workbook.save(data)
    preview = upload(owner, old, data.getvalue(), "cam-ket.xlsx")
    result = preview.context["result"]
    assert result.errors == [] and [row.row for row in result.rows] == [2, 3, 4, 6]
    confirm(owner, old, preview)
    clusters = Commitment.objects.get(description="Xây dựng 02 cụm công nghiệp")
    assert clusters.due_on == dt.date(2015, 6, 30) and clusters.item.number == 3
    export = Commitment.objects.get(description="Kim ngạch xuất khẩu")
    assert (export.baseline, export.target) == (Decimal("6.6"), Decimal("101000"))
    retail = Commitment.objects.get(description="Doanh thu bán lẻ")
    assert (retail.baseline, retail.target) == (Decimal("1234.5"), Decimal("101000"))
    assert Commitment.objects.get(description="Tiết kiệm năng lượng").status == "done"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_export_imported_back_changes_nothing_and_updates_what_was_edited(owner, old, fmt):
    commitment = old.items.get(number=1).commitments.order_by("pk").first()
    Commitment.objects.filter(pk=commitment.pk).update(
        indicator_name="Tỷ lệ", indicator_unit="%", baseline=Decimal("1.5"), target=Decimal("6.123")
    )
    export = owner.get(reverse("commitment_export", args=[fmt]), {"agreement": old.pk})
    data = b"".join(export.streaming_content) if export.streaming else export.getvalue()
    before = written()
    preview = upload(owner, old, data, f"cam-ket.{fmt}")
    result = preview.context["result"]
    assert result.errors == [] and result.unchanged == old.items.filter(commitments__isnull=False).count() > 0
    assert (result.new, result.updated) == (0, 0)
    confirm(owner, old, preview)
    assert written() == before
    commitment.refresh_from_db()
    assert commitment.target == Decimal("6.123")  # "6.1230" in the CSV, never 6 123
    # Edited in the file: the commitment is updated, found by its key, with an audit entry.
    if fmt == "csv":
        text = data.decode("utf-8-sig").replace(commitment.description, "Nội dung đã sửa trong tệp")
        preview = upload(owner, old, text.encode(), "cam-ket.csv")
        assert (preview.context["result"].updated, preview.context["result"].new) == (1, 0)
        confirm(owner, old, preview)
        commitment.refresh_from_db()
        assert commitment.description == "Nội dung đã sửa trong tệp"
        change = AuditEntry.objects.filter(action="commitment.updated", object_id=str(commitment.pk)).get()
        assert set(change.data["changes"]) == {"description"}


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_written(owner, old):
    good = ["1", "Một cam kết đúng", "Sở Công Thương tỉnh Long An", "", "", "", "", "", "", "", ""]

    def row(**cells: str) -> list[str]:
        values = dict(zip(HEADER, good, strict=True)) | {HEADER_KEYS[k]: v for k, v in cells.items()}
        return [values[name] for name in HEADER]

    rows = [
        good,
        row(item="12"),
        row(description=""),
        row(party="Sở Công Thương tỉnh Tiền Giang"),
        row(due="31/02/2026", description="b"),
        row(target="1.23.4", unit="%", indicator="Tỷ lệ", description="c"),
        row(target="100", indicator="Tỷ lệ", description="d"),
        row(status="Xong rồi", description="e"),
        row(lead="Sở Y tế tỉnh Đồng Nai", description="f"),
        row(description="g"),
        row(description="g"),
    ]
    before = written()
    response = upload(owner, old, csv_bytes(rows))
    errors = [(e.row, e.column) for e in response.context["result"].errors]
    assert errors == [
        (3, "Nội dung số"),
        (4, "Cam kết"),
        (5, "Bên chủ trì"),
        (6, "Thời hạn"),
        (7, "Giá trị mục tiêu"),
        (8, "Đơn vị tính"),
        (9, "Tình trạng"),
        (10, "Cơ quan chủ trì thực hiện"),
        (12, ""),
    ]
    page = response.content.decode()
    for text in (
        "Tệp có 9 lỗi: chưa nhập cam kết nào",
        "Thỏa thuận không có nội dung hợp tác số 12 (có: 1–9)",
        "không phải là một bên của thỏa thuận",
        "“31/02/2026” không phải là ngày hợp lệ",
        "“1.23.4” không phải là một số viết đúng cách",
        "phải có đơn vị tính",
        "Không tìm thấy cơ quan “Sở Y tế tỉnh Đồng Nai”",
        "Trùng cam kết với dòng 11",
    ):
        assert text in page, text
    assert response.context["payload"] == ""  # nothing to confirm
    assert written() == before


HEADER_KEYS = {
    "item": "Nội dung số",
    "description": "Cam kết",
    "party": "Bên chủ trì",
    "lead": "Cơ quan chủ trì thực hiện",
    "due": "Thời hạn",
    "indicator": "Chỉ tiêu",
    "unit": "Đơn vị tính",
    "target": "Giá trị mục tiêu",
    "status": "Tình trạng",
}


def test_rows_of_another_agreement_are_refused(owner, old):
    """The export of every commitment the user sees holds the programme's too: they are not this agreement's."""
    export = owner.get(reverse("commitment_export", args=["csv"]))
    response = upload(owner, old, b"".join(export.streaming_content))
    messages = {e.message for e in response.context["result"].errors}
    assert any("thuộc thỏa thuận khác" in message for message in messages)
    assert response.context["payload"] == ""


def test_a_comma_csv_without_bom(owner, old):
    response = upload(owner, old, csv_bytes([NEW_ROW[:3]], delimiter=",", bom=False, header=HEADER[:3]))
    assert response.context["result"].new == 1 and response.context["result"].errors == []


def zip_of(members: dict[str, bytes]) -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return data.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "không phải bảng tính (nhận ra: image/png)"),
        (bytes(range(256)) * 4, "không phải tệp CSV đọc được"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "tệp Excel cũ (.xls)"),
        ("Nôi dung sô;Cam kêt;Bên chu tri\n1;Môt;Hai\n".encode("cp1252"), "UTF-8"),  # Windows' own code page
        (csv_bytes([]), "chỉ có dòng tên cột"),
        (b"\n\n", "dòng đầu tiên phải là tên các cột"),
        (csv_bytes([["1", "x"]], header=["Nội dung số", "Cam kết"]), "Thiếu cột: “Bên chủ trì”"),
        (csv_bytes([["1", "x", "y", "z"]], header=["Nội dung số", "Cam kết", "Bên chủ trì", "cam ket"]), "hai lần"),
        (zip_of({"word/document.xml": b"<w/>"}), "không phải tệp Excel"),
        (zip_of({"xl/workbook.xml": b"not xml", "[Content_Types].xml": b"<x/>"}), "bị hỏng"),
        (zip_of({"xl/workbook.xml": b"<x/>", "xl/worksheets/sheet1.xml": b"\x00" * (60 * 1024 * 1024)}), "bất thường"),
        (b"x" * (5 * 1024 * 1024 + 1), "vượt giới hạn 5 MB"),
        (csv_bytes([["1", f"Cam kết {n}", "Sở Công Thương tỉnh Long An"] for n in range(2001)]), "hơn 2000 dòng"),
    ],
    ids=[
        "png",
        "binary",
        "xls",
        "not-utf8",
        "header-only",
        "blank",
        "missing-column",
        "twice",
        "docx",
        "broken",
        "zip-bomb",
        "huge",
        "too-many-rows",
    ],
)
def test_a_file_that_is_not_a_commitment_list_is_refused(owner, old, data, message):
    before = written()
    response = upload(owner, old, data)
    assert response.status_code == 200
    assert message in response.context["refused"], response.context["refused"]
    assert written() == before


def test_an_empty_upload_is_refused_by_the_form(owner, old):
    response = upload(owner, old, b"")
    assert response.status_code == 200 and response.context["form"].errors["file"]


def test_a_preview_is_confirmed_only_as_it_was_signed_for_its_user(owner, old, client, users):
    preview = upload(owner, old, csv_bytes([NEW_ROW]))
    payload = preview.context["payload"]
    before = written()
    tampered = owner.post(import_url(old), {"payload": payload[:-3] + "abc"})
    assert "Bản xem trước đã hết hạn hoặc không hợp lệ" in tampered.content.decode()
    client.force_login(users["tn.coord"])  # another coordinator of the agreement: not their preview
    assert "Bản xem trước đã hết hạn" in client.post(import_url(old), {"payload": payload}).content.decode()
    assert written() == before


def test_a_change_between_preview_and_confirmation_is_checked_again(owner, old):
    preview = upload(owner, old, csv_bytes([NEW_ROW]))
    Body.objects.filter(name="Sở Kế hoạch và Đầu tư tỉnh Long An").update(name="Sở Kế hoạch - Đầu tư tỉnh Long An")
    response = confirm(owner, old, preview)
    assert response.status_code == 200 and response.context["result"].errors
    assert not Commitment.objects.filter(description=NEW).exists()


def test_the_page_explains_the_columns_and_offers_the_export(owner, old):
    page = owner.get(import_url(old)).content.decode()
    assert "“Mã cam kết”" in page and "Cột bắt buộc" in page
    assert f"{reverse('commitment_export', args=['xlsx'])}?agreement={old.pk}" in page


@pytest.mark.parametrize(("username", "status"), [("la.staff", 403), ("tn.leader", 403), ("tg.coord", 404)])
def test_only_coordinators_import(client, users, old, username, status):
    client.force_login(users[username])
    before = written()
    assert client.get(import_url(old)).status_code == status
    assert upload(client, old, csv_bytes([NEW_ROW])).status_code == status
    assert written() == before


def test_anonymous_is_sent_to_log_in(client, old):
    response = client.get(import_url(old))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
