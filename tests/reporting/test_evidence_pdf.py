"""Evidence PDFs that act when opened (scripts, launch actions, embedded files) are refused, and so are PDFs
that cannot be read to be sure; ordinary scans and exports go through (issue 12, point 7).

Every PDF is built here: with pypdf (the way a tool would add a script), with pydyf (WeasyPrint's writer,
which packs objects into compressed object streams where a byte search cannot see them) or with Pillow
(a scanned page).
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import pydyf  # type: ignore[import-untyped]
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, TextStringObject

from reporting.models import Evidence
from reporting.workflow import check_evidence_file
from tests.support import pdf_bytes, post_with_file

pytestmark = pytest.mark.django_db

ACTIVE = "chứa mã lệnh (JavaScript), lệnh chạy chương trình hoặc tệp đính kèm"


def written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def blank_writer() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return writer


def with_open_script() -> bytes:
    writer = blank_writer()
    writer.add_open_action(JavaScript("app.alert('Xin chào');"))
    return written(writer)


def with_launch_action() -> bytes:
    writer = blank_writer()
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
    )
    return written(writer)


def with_embedded_file() -> bytes:
    writer = blank_writer()
    writer.add_attachment("hoa-don.exe", b"MZ\x90\x00")
    return written(writer)


def with_script_in_an_object_stream() -> bytes:
    """The script's dictionary inside a compressed object stream: no `/JavaScript` in the file's bytes."""
    pdf = pydyf.PDF()
    action = pydyf.Dictionary({"Type": "/Action", "S": "/JavaScript", "JS": pydyf.String("app.alert(1)")})
    pdf.add_object(action)
    pdf.catalog["OpenAction"] = action.reference
    page = pydyf.Dictionary({"Type": "/Page", "Parent": pdf.pages.reference, "MediaBox": pydyf.Array([0, 0, 595, 842])})
    pdf.add_page(page)
    buffer = io.BytesIO()
    pdf.write(buffer, compress=True)
    data = buffer.getvalue()
    assert b"JavaScript" not in data and b"/JS" not in data
    return data


def with_obfuscated_name() -> bytes:
    """`/J#61vaScript` is `/JavaScript` to a viewer; written after the end, outside the cross-reference table
    pypdf follows (a viewer repairing the file finds it)."""
    return pdf_bytes() + b"99 0 obj\n<< /S /J#61vaScript /J#53 (app.alert(1)) >>\nendobj\n"


def scanned_page() -> bytes:
    """What a scanner makes: one photograph per page, whose bytes may hold `/JS` by chance."""
    noise = random.Random(7)  # noqa: S311  a fixed picture, not a secret
    image = Image.new("RGB", (300, 300))
    image.putdata([(noise.randrange(256), noise.randrange(256), noise.randrange(256)) for _ in range(300 * 300)])
    buffer = io.BytesIO()
    image.save(buffer, "PDF")
    return buffer.getvalue()


def text_about_scripts() -> bytes:
    """A page whose text talks about /JavaScript: page content is not an action."""
    writer = blank_writer()
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 12 Tf 72 720 Td (Quy che cam /JavaScript /Launch /JS) Tj ET")
    writer.pages[0][NameObject("/Contents")] = writer._add_object(content)
    return written(writer)


def encrypted(user_password: str, owner_password: str) -> bytes:
    writer = blank_writer()
    writer.encrypt(user_password, owner_password=owner_password, algorithm="RC4-128")
    return written(writer)


def check(data: bytes, name: str = "minh-chung.pdf") -> str:
    return check_evidence_file(SimpleUploadedFile(name, data))


@pytest.mark.parametrize(
    "build",
    [with_open_script, with_launch_action, with_embedded_file, with_script_in_an_object_stream, with_obfuscated_name],
)
def test_a_pdf_that_acts_when_opened_is_refused(build):
    with pytest.raises(ValidationError) as refused:
        check(build())
    assert ACTIVE in refused.value.messages[0] and "in lại thành PDF" in refused.value.messages[0]


@pytest.mark.parametrize("build", [pdf_bytes, scanned_page, text_about_scripts])
def test_ordinary_pdfs_are_accepted(build):
    assert check(build()) == "application/pdf"


def test_a_pdf_locked_by_a_password_is_refused():
    with pytest.raises(ValidationError, match="được đặt mật khẩu"):
        check(encrypted("mat-khau", "chu-so-huu"))


def test_a_pdf_that_only_restricts_printing_is_read_and_accepted():
    """An owner password alone (no password to open it) is common on official documents: read, checked, kept."""
    assert check(encrypted("", "chu-so-huu")) == "application/pdf"


@pytest.mark.parametrize("data", [b"%PDF-1.4\n%%EOF\n", pdf_bytes()[:400]], ids=["no objects", "cut short"])
def test_a_pdf_that_cannot_be_read_is_refused(data):
    with pytest.raises(ValidationError, match="không đọc được như một tệp PDF"):
        check(data)


def test_the_edit_page_refuses_a_scripted_pdf_and_stores_nothing(staff, la_report, media: Path):
    upload = SimpleUploadedFile("bao-cao.pdf", with_script_in_an_object_stream(), content_type="application/pdf")
    response, entry = post_with_file(staff, la_report, upload)
    assert response.status_code == 200
    assert ACTIVE in response.content.decode()
    assert not Evidence.objects.filter(entry=entry).exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
