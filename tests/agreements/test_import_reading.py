"""The text of an uploaded agreement (agreements.importing.reading): a .docx made with python-docx, a .pdf
rendered by WeasyPrint, plain text in the encodings offices use; and what is refused, with a message that
says why, before any costly work: empty, binary, too large (never read), a zip bomb (never unpacked),
a PDF locked, broken or scanned."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
import weasyprint
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfWriter

from agreements.importing.parsing import parse
from agreements.importing.reading import (
    MAX_BYTES,
    MAX_TEXT_CHARS,
    ImportRefused,
    text_of_bytes,
    text_of_file,
    text_of_upload,
)
from tests.hostile import FAST, vietnamese
from tests.support import pdf_bytes, png_bytes

ITEMS = [
    "Xây dựng, triển khai, quản lý các quy hoạch, kế hoạch phát triển công nghiệp và thương mại của hai tỉnh.",
    "Phát triển các nguồn năng lượng; quản lý sử dụng năng lượng tiết kiệm và hiệu quả.",
    "Liên kết trao đổi kinh nghiệm về cải cách hành chính, nâng cao trình độ quản lý nhà nước.",
]
OPENING = (
    "Ngày 14/10/2011 tại Sở Công Thương tỉnh Tây Ninh, Giám đốc Sở Công Thương hai tỉnh Long An và Tây Ninh "
    "đã trao đổi, thống nhất thỏa thuận các nội dung liên kết, hợp tác phát triển công nghiệp, thương mại "
    "giai đoạn 2011 – 2015."
)


def refused(data: bytes) -> str:
    with pytest.raises(ImportRefused) as caught:
        text_of_bytes(data)
    message = caught.value.message
    assert vietnamese(message), message
    return message


def docx_bytes() -> bytes:
    document = docx.Document()
    header = document.add_table(rows=1, cols=2)
    header.cell(0, 0).text = "UBND TỈNH TÂY NINH\nSỞ CÔNG THƯƠNG"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    document.add_paragraph(OPENING)
    document.add_paragraph("Nội dung hợp tác cụ thể bao gồm:")
    for item in ITEMS:  # Word's own numbering: the numbers are not in the text
        document.add_paragraph(item, style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_file_gives_its_text_with_words_own_list_numbers():
    text = text_of_bytes(docx_bytes())
    assert "UBND TỈNH TÂY NINH" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "1. Xây dựng, triển khai" in text and "3. Liên kết trao đổi" in text
    proposal = parse(text)
    assert [item.text for item in proposal.items] == ITEMS
    assert [p.name for p in proposal.parties] == ["Sở Công Thương tỉnh Long An", "Sở Công Thương tỉnh Tây Ninh"]


def test_a_pdf_made_from_html_gives_its_text():
    html = "<h1>THỎA THUẬN HỢP TÁC</h1>" + f"<p>{OPENING}</p><p>Nội dung hợp tác cụ thể bao gồm:</p>"
    html += "".join(f"<p>{number}. {item}</p>" for number, item in enumerate(ITEMS, start=1))
    data = weasyprint.HTML(string=html).write_pdf()
    text = text_of_bytes(data)
    proposal = parse(text)
    assert [item.text for item in proposal.items] == ITEMS
    assert proposal.signed_on.value.isoformat() == "2011-10-14"
    assert proposal.kind.value == "agreement" and proposal.title.found
    assert unicodedata.is_normalized("NFC", text)


def test_plain_text_in_utf8_with_a_bom_and_windows_line_ends():
    data = "\ufeff".encode() + "1. Quy hoạch.\r\n2. Đầu tư.\r\n".encode()
    assert text_of_bytes(data) == "1. Quy hoạch.\n2. Đầu tư."


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_plain_text_in_utf16_with_or_without_a_bom(encoding):
    assert text_of_bytes(OPENING.encode(encoding)) == OPENING


def windows_1258(text: str) -> bytes:
    """Text as Windows-1258 writes it: the letter with its shape precomposed (â, ơ, ư), the tone mark apart."""
    out = b""
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        shape = "".join(mark for mark in marks if mark in "\u0302\u0306\u031b")
        tones = "".join(mark for mark in marks if mark not in shape)
        out += unicodedata.normalize("NFC", base + shape).encode("cp1258") + tones.encode("cp1258")
    return out


def test_plain_text_in_the_old_windows_vietnamese_encoding():
    data = windows_1258(OPENING)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert text_of_bytes(data) == OPENING


def test_an_empty_file_is_refused():
    assert "rỗng" in refused(b"")
    assert "trống" in refused("  \r\n\t\ufeff ".encode())


def test_binary_files_are_refused():
    assert "không phải văn bản" in refused(png_bytes())
    assert "không phải văn bản" in refused(bytes(range(256)) * 40)
    assert "không phải văn bản" in refused(b"Ngay 14/10/2011\x00\x00\x01\x02" * 100)
    assert ".doc" in refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)


def test_text_longer_than_an_agreement_is_refused():
    assert "vượt giới hạn" in refused(("ạ" * (MAX_TEXT_CHARS + 1)).encode())


class Unreadable:
    """An upload of 50 MB that must not be read: its size alone refuses it."""

    name = "thoa-thuan.pdf"
    size = 50 * 1024 * 1024

    def seek(self, offset: int) -> None:
        raise AssertionError("a file over the limit is not read")

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("a file over the limit is not read")


def test_a_50_mb_upload_is_refused_before_it_is_read():
    with pytest.raises(ImportRefused) as caught:
        text_of_upload(Unreadable())
    assert caught.value.message == "Tệp có dung lượng 50.0 MB, vượt giới hạn 10 MB của văn bản nhập vào."


def test_a_50_mb_file_on_disk_is_refused_before_it_is_read(tmp_path: Path):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: no 50 MB written
    with pytest.raises(ImportRefused, match="vượt giới hạn 10 MB"):
        text_of_file(big)
    with pytest.raises(ImportRefused, match="vượt giới hạn"):
        text_of_bytes(b"a" * (MAX_BYTES + 1))


def test_a_missing_file_is_told():
    with pytest.raises(ImportRefused, match="Không mở được tệp"):
        text_of_file(Path("/nonexistent/thoa-thuan.docx"))


def zip_bomb(unpacked_mb: int) -> bytes:
    """A .docx-shaped archive whose document.xml unpacks to `unpacked_mb` MB of zeros (a few kB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _mb in range(unpacked_mb):
                member.write(chunk)
    return buffer.getvalue()


@pytest.mark.parametrize("unpacked_mb", [20, 200])
def test_a_docx_zip_bomb_is_refused_before_it_is_unpacked(unpacked_mb, monkeypatch):
    data = zip_bomb(unpacked_mb)
    assert len(data) < MAX_BYTES
    monkeypatch.setattr("agreements.importing.reading.open_docx", lambda *a: pytest.fail("opened"))
    message = refused(data)
    assert "giải nén lớn bất thường" in message


def test_a_zip_that_is_no_word_file_and_a_broken_one():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/other.txt", "x")
    assert "không phải tệp Word" in refused(buffer.getvalue())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("word/document.xml", "<w:document")
    assert "bị hỏng" in refused(buffer.getvalue())
    assert "bị hỏng" in refused(docx_bytes()[:3000])


def test_a_pdf_locked_broken_or_scanned_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("mat-khau")
    locked = io.BytesIO()
    writer.write(locked)
    assert "mật khẩu" in refused(locked.getvalue())
    assert "bị hỏng" in refused(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    assert "bản quét" in refused(pdf_bytes())


HEADS = [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\xd0\xcf\x11\xe0"]


@FAST
@given(st.sampled_from(HEADS), st.binary(max_size=3000))
def test_any_bytes_give_text_or_a_refusal(head, body):
    try:
        text = text_of_bytes(head + body)
    except ImportRefused as exc:
        assert vietnamese(exc.message)
    else:
        assert text.strip() and "\x00" not in text and "\r" not in text
