"""The text of an agreement from the bytes of an upload (.docx, .pdf, .txt), its type read from its content.

Nothing is stored: the text is all that is kept, and only to fill the proposal form.  What cannot be read
is refused with a sentence that says why and what to do (ImportRefused), before any expensive work: the
size before the bytes are read, a Word file's declared sizes before it is unpacked.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from docx import Document as open_docx
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf import PdfReader
from pypdf.errors import DependencyError

from core import uploads
from core.errors import DomainError

MAX_BYTES = 10 * 1024 * 1024
# An agreement is a few pages (the seeds' longest is under 9,000 characters); more is not an agreement.
MAX_TEXT_CHARS = 200_000
# A Word file is a zip archive: what it says its members unpack to is checked before anything opens it.
MAX_DOCX_UNPACKED = 50 * 1024 * 1024
MAX_DOCX_RATIO = 100  # a text document compresses 5 to 20 times; a zip bomb thousands of times
MAX_DOCX_MEMBERS = 2_000
MAX_PDF_PAGES = 300
# Fewer letters than this in a whole PDF: its pages are pictures (a scan), not text.
MIN_PDF_LETTERS = 20

PDF = uploads.PDF
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP = "application/zip"


class ImportRefused(DomainError):
    """The upload or the text cannot be imported; the message says why, for the user."""


# --- text as people paste it -----------------------------------------------------------------------

_LINE_BREAKS = re.compile(r"\r\n|\r|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Invisible characters that come with copied text: soft hyphens, zero-width spaces and joiners, BOMs.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
# Spaces of other widths (non-breaking ones from Word) and tabs are plain spaces in the proposal.
_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Control characters nobody types (core.text's list, line breaks aside): dropped, the forms refuse them.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """The text composed (NFC), with "\\n" line ends and without the invisible and control characters that
    copying from Word or a PDF brings along; trailing spaces of each line removed."""
    text = unicodedata.normalize("NFC", text)
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _CONTROL.sub("", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def _checked_length(text: str) -> str:
    text = clean_text(text)
    if not text.strip():
        raise ImportRefused(_("Không có nội dung: văn bản trống."))
    if len(text) > MAX_TEXT_CHARS:
        raise ImportRefused(
            _("Văn bản dài %(length)s ký tự, vượt giới hạn %(limit)s ký tự của một thỏa thuận.")
            % {"length": f"{len(text):,}".replace(",", "."), "limit": f"{MAX_TEXT_CHARS:,}".replace(",", ".")}
        )
    return text


# --- uploads ---------------------------------------------------------------------------------------


def _too_large(size: int) -> ImportRefused:
    return ImportRefused(
        _("Tệp có dung lượng %(size).1f MB, vượt giới hạn %(limit).0f MB của văn bản nhập vào.")
        % {"size": size / 1048576, "limit": MAX_BYTES / 1048576}
    )


def text_of_upload(upload: Any) -> str:
    """The text of an uploaded file (Django's UploadedFile): its size is checked before it is read."""
    size = int(getattr(upload, "size", 0) or 0)
    if size > MAX_BYTES:
        raise _too_large(size)
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    return text_of_bytes(data)


def text_of_file(path: Path) -> str:
    """The text of a file on disk (the management command): its size is checked before it is read."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _too_large(size)
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ImportRefused(_("Không mở được tệp: %(reason)s") % {"reason": exc.strerror or exc}) from None
    return text_of_bytes(data)


def text_of_bytes(data: bytes) -> str:
    """The text of a .docx, .pdf or plain-text file, its type told by its bytes, never by a name."""
    if not data:
        raise ImportRefused(_("Tệp rỗng: không có nội dung để nhập."))
    if len(data) > MAX_BYTES:
        raise _too_large(len(data))
    probe = io.BytesIO(data)
    probe.name = ""
    mime = uploads.detected_type(probe)
    if mime == PDF:
        return _checked_length(_pdf_text(data))
    if mime in (DOCX, ZIP):
        return _checked_length(_docx_text(data))
    if mime == "application/msword":
        raise ImportRefused(
            _(
                "Đây là tệp Word cũ (.doc), chưa đọc được. Hãy mở tệp bằng Word và lưu lại dưới dạng .docx, "
                "hoặc sao chép nội dung và dán vào ô văn bản."
            )
        )
    if mime:
        raise ImportRefused(
            _(
                "Tệp này không phải văn bản (nhận ra: %(type)s). Hãy tải lên tệp .docx, .pdf hoặc .txt, hoặc dán "
                "nội dung vào ô văn bản."
            )
            % {"type": mime}
        )
    return _checked_length(_plain_text(data))


# --- plain text ------------------------------------------------------------------------------------

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a byte-order mark: most letters (ASCII and Latin) have a zero high byte."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_zero = sample[0::2].count(0) / (len(sample) // 2)
    odd_zero = sample[1::2].count(0) / (len(sample) // 2)
    if odd_zero > 0.3 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.3 and odd_zero < 0.05:
        return "utf-16-be"
    return None


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\x0c")
    return "\x00" in text or controls > max(2, len(text) // 100)


def _plain_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16/32 with a BOM or UTF-16 without, else Windows-1258 (Vietnamese)."""
    encodings = [encoding for bom, encoding in _BOMS if data.startswith(bom)][:1]
    guessed = _utf16_without_bom(data)
    encodings += [guessed] if guessed else []
    encodings += ["utf-8", "cp1258"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _looks_binary(text):
            return text
    raise ImportRefused(
        _("Tệp này không phải văn bản đọc được (có thể là tệp nhị phân). Hãy tải lên tệp .docx, .pdf hoặc .txt.")
    )


# --- Word ------------------------------------------------------------------------------------------


def _check_archive(data: bytes) -> None:
    """Refuse a zip whose members would unpack to too much, or compress too well, before anything unpacks them.

    zipfile stops a member at the size its header declares (and fails its checksum if the data says
    otherwise), so the declared sizes are what python-docx can ever unpack.
    """
    broken = _(
        "Tệp Word (.docx) bị hỏng, không đọc được. Hãy mở và lưu lại bằng Word, hoặc dán nội dung vào ô văn bản."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise ImportRefused(broken) from None
    if not any(member.filename == "word/document.xml" for member in members):
        raise ImportRefused(_("Tệp nén này không phải tệp Word (.docx). Hãy tải lên tệp .docx, .pdf hoặc .txt."))
    unpacked = sum(member.file_size for member in members)
    suspicious = [
        member
        for member in members
        if member.file_size > 1024 * 1024 and member.file_size > MAX_DOCX_RATIO * max(member.compress_size, 1)
    ]
    if len(members) > MAX_DOCX_MEMBERS or unpacked > MAX_DOCX_UNPACKED or suspicious:
        raise ImportRefused(
            _(
                "Tệp Word này khi giải nén lớn bất thường (%(size).0f MB), có thể là tệp độc hại; không mở tệp. "
                "Hãy lưu lại văn bản bằng Word hoặc dán nội dung vào ô văn bản."
            )
            % {"size": unpacked / 1048576}
        )


_DIGITS = re.compile(r"\d{1,9}")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _child(element: Any, *path: str) -> Any:
    """The first child along a path of WordprocessingML tags ("pPr", "numPr"), or None."""
    for tag in path:
        if element is None:
            return None
        element = next((child for child in element if child.tag == _W + tag), None)
    return element


def _val(element: Any, *path: str) -> str:
    """The w:val attribute at the end of a path ("" if absent), digits only where a number is meant."""
    found = _child(element, *path)
    return str(found.get(_W + "val") or "") if found is not None else ""


class _Numbering:
    """The numbers Word shows before list paragraphs: they are not in the text, Word counts them."""

    def __init__(self, document: Any) -> None:
        try:
            self.root: Any = document.part.numbering_part.element
        except (KeyError, NotImplementedError, ValueError):
            self.root = None
        self.counters: dict[str, list[int]] = {}

    def _level(self, num_id: str, level: int) -> tuple[str, str, int]:
        """(format, text pattern, start) of a list level, e.g. ("decimal", "%1.", 1)."""
        plain = ("decimal", f"%{level + 1}.", 1)
        if self.root is None:
            return plain
        num = next((n for n in self.root if n.tag == _W + "num" and n.get(_W + "numId") == num_id), None)
        abstract_id = _val(num, "abstractNumId")
        abstract = next(
            (a for a in self.root if a.tag == _W + "abstractNum" and a.get(_W + "abstractNumId") == abstract_id),
            None,
        )
        if num is None or abstract is None:
            return plain
        lvl = next((x for x in abstract if x.tag == _W + "lvl" and x.get(_W + "ilvl") == str(level)), None)
        if lvl is None:
            return plain
        start = _val(lvl, "start")
        begin = int(start) if _DIGITS.fullmatch(start) else 1
        return (_val(lvl, "numFmt") or "decimal"), (_val(lvl, "lvlText") or plain[1]), begin

    def marker(self, paragraph: Paragraph) -> str:
        """ "1.", "a)", "-" for a numbered or bulleted paragraph; "" for any other."""
        found = _numbering_of(paragraph)
        if found is None:
            return ""
        num_id, level = found
        fmt, pattern, start = self._level(num_id, level)
        if fmt == "bullet":
            return "-"
        if fmt == "none":
            return ""
        counts = self.counters.setdefault(num_id, [])
        while len(counts) <= level:
            counts.append(start - 1)
        counts[level] += 1
        del counts[level + 1 :]  # a deeper list starts again under each new item
        text = pattern
        for index, count in enumerate(counts):
            text = text.replace(f"%{index + 1}", _formatted(count, fmt if index == level else "decimal"))
        return re.sub(r"%\d", "", text).strip()


def _formatted(count: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        number = count
        while number > 0:
            number, rest = divmod(number - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(count)
        return roman.lower() if fmt == "lowerRoman" else roman
    return str(count)


def _roman(number: int) -> str:
    values = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL")]
    values += [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in values:
        while number >= value:
            out += letters
            number -= value
    return out


def _numbering_of(paragraph: Paragraph) -> tuple[str, int] | None:
    """(numbering id, level) of a list paragraph, from its own properties or its style's ("List Number")."""
    num_id = _val(paragraph._p, "pPr", "numPr", "numId")
    level = _val(paragraph._p, "pPr", "numPr", "ilvl")
    style: Any = paragraph.style
    for _depth in range(10):  # styles are based on styles; a loop in a damaged file must end
        if num_id or style is None:
            break
        num_id = _val(style.element, "pPr", "numPr", "numId")
        level = level or _val(style.element, "pPr", "numPr", "ilvl")
        style = style.base_style
    if not _DIGITS.fullmatch(num_id) or num_id == "0":
        return None
    return num_id, min(int(level), 8) if _DIGITS.fullmatch(level) else 0


def _docx_text(data: bytes) -> str:
    _check_archive(data)
    try:
        document = open_docx(io.BytesIO(data))
        numbering = _Numbering(document)
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                marker = numbering.marker(block)
                lines.append(f"{marker} {block.text}" if marker else block.text)
            elif isinstance(block, Table):
                lines += _table_lines(block)
    except ImportRefused:
        raise
    except Exception:  # python-docx and lxml raise many kinds (KeyError, XMLSyntaxError...) on a damaged file
        raise ImportRefused(
            _("Tệp Word (.docx) bị hỏng, không đọc được. Hãy mở và lưu lại bằng Word, hoặc dán nội dung vào ô văn bản.")
        ) from None
    return "\n".join(lines)


def _table_lines(table: Table) -> list[str]:
    """A table read row by row, each cell's paragraphs as lines: the heading and signature blocks of an
    official document are two-column tables."""
    lines: list[str] = []
    for row in table.rows:
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is listed once per column it spans
                continue
            seen.add(id(cell._tc))
            lines += [paragraph.text for paragraph in cell.paragraphs]
    return lines


# --- PDF -------------------------------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    reprint = _("Hãy mở tệp và in lại thành PDF, hoặc sao chép nội dung và dán vào ô văn bản.")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ImportRefused(_("Tệp PDF được đặt mật khẩu nên không đọc được. %(reprint)s") % {"reprint": reprint})
        pages = reader.pages
        if len(pages) > MAX_PDF_PAGES:
            raise ImportRefused(
                _("Tệp PDF có %(pages)d trang, quá dài cho một thỏa thuận (tối đa %(limit)d trang).")
                % {"pages": len(pages), "limit": MAX_PDF_PAGES}
            )
        texts = [page.extract_text() or "" for page in pages]
    except ImportRefused:
        raise
    except (DependencyError, NotImplementedError):
        raise ImportRefused(_("Tệp PDF được mã hóa nên không đọc được. %(reprint)s") % {"reprint": reprint}) from None
    except Exception:  # pypdf raises many kinds (PdfReadError, KeyError, RecursionError...) on a damaged file
        raise ImportRefused(_("Tệp PDF bị hỏng, không đọc được. %(reprint)s") % {"reprint": reprint}) from None
    text = "\n".join(texts)
    if sum(1 for ch in text if ch.isalpha()) < MIN_PDF_LETTERS:
        raise ImportRefused(
            _(
                "Tệp PDF không có chữ để đọc: có thể đây là bản quét (ảnh chụp các trang). Hãy tải lên tệp Word hoặc "
                "PDF xuất từ Word, hoặc gõ/dán nội dung vào ô văn bản."
            )
        )
    return text
