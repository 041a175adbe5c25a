"""Uploaded files: what they really are (from their bytes and size, never from their name or the browser's
claim), the name they are stored under (generated, never the user's), and their storage following the
transaction that records them."""

from __future__ import annotations

import io
import logging
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import DependencyError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

from core import clock

logger = logging.getLogger(__name__)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
PDF = "application/pdf"


def sniff_upload(upload: Any) -> str:
    """The MIME type read from the file's first bytes ("" if unknown); refuses empty and oversized files,
    and PDFs that would act when opened (see refuse_active_pdf)."""
    limit = settings.MAX_UPLOAD_BYTES
    size = getattr(upload, "size", 0) or 0
    if size == 0:
        raise ValidationError(_("Tệp “%(name)s” rỗng.") % {"name": upload.name})
    if size > limit:
        raise ValidationError(
            _("Tệp “%(name)s” có dung lượng %(size).1f MB, vượt giới hạn %(limit).0f MB.")
            % {"name": upload.name, "size": size / 1048576, "limit": limit / 1048576}
        )
    mime = detected_type(upload)
    if mime == PDF:
        refuse_active_pdf(upload)
    return mime


def detected_type(upload: Any) -> str:
    """The MIME type its first bytes say ("" if unknown), and nothing else checked."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None:
        return str(kind.mime)
    if head.startswith(_OLE_MAGIC):
        # Legacy .doc/.xls are OLE containers; filetype cannot tell which, the name can.
        return "application/vnd.ms-excel" if (upload.name or "").lower().endswith(".xls") else "application/msword"
    return ""


# --- PDFs that act when opened ----------------------------------------------------------------------

# Names that make a PDF viewer do something rather than show a page: run a script (JS, JavaScript,
# XFA forms), start a program (Launch), carry other files (EmbeddedFile(s): an .exe rides along),
# play Flash (RichMedia).  Evidence is a scan or an exported document, which needs none of them;
# the reviewers who open it are the other provinces' officials.
ACTIVE_PDF_NAMES = frozenset({"JavaScript", "JS", "Launch", "EmbeddedFile", "EmbeddedFiles", "RichMedia", "XFA"})
_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]+)")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Stream data (page content, images, compressed object streams) is not PDF syntax: a scan would find
# names by chance in a photograph's bytes.  The objects inside compressed streams are read by pypdf.
_STREAM_DATA = re.compile(rb"\bstream(?:\r\n|\r|\n).*?endstream", re.DOTALL)
_MAX_DEPTH = 64


def _raw_active_names(data: bytes) -> set[str]:
    """The active names written anywhere outside stream data, `/J#61vaScript` read as `/JavaScript`.

    This sees the objects a viewer may find that pypdf does not visit: those outside the
    cross-reference table, left over from an earlier revision or written to be found by a repair.
    """
    found = set()
    for match in _NAME.finditer(_STREAM_DATA.sub(b" ", data)):
        name = _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        text = name.decode("latin-1")
        if text in ACTIVE_PDF_NAMES:
            found.add(text)
    return found


def _parsed_active_names(reader: PdfReader) -> set[str]:
    """The active names of every object pypdf reads, those inside compressed object streams included."""
    found: set[str] = set()

    def walk(obj: PdfObject | None, depth: int) -> None:
        if depth > _MAX_DEPTH:
            raise ValueError("PDF objects nested too deeply")
        if isinstance(obj, DictionaryObject):  # stream objects too: their dictionary
            for key, value in obj.items():
                found.update({str(key)[1:]} & ACTIVE_PDF_NAMES)
                walk(value, depth + 1)
        elif isinstance(obj, ArrayObject):
            for value in obj:
                walk(value, depth + 1)
        elif isinstance(obj, NameObject):
            found.update({str(obj)[1:]} & ACTIVE_PDF_NAMES)
        # An indirect reference is left to its own turn in the loop below.

    references = {(number, 0) for number in reader.xref_objStm}
    for generation, table in reader.xref.items():
        references.update((number, generation) for number in table)
    for number, generation in sorted(references):
        walk(reader.get_object(IndirectObject(number, generation, reader)), 0)
    walk(reader.trailer, 0)
    return found


def refuse_active_pdf(upload: Any) -> None:
    """Raise ValidationError for a PDF with scripts, launch actions, embedded files or Flash, and for one
    that cannot be read to be sure (damaged, or locked by a password).

    Refused rather than cleaned: rewriting a signed or stamped PDF would change the very document that
    is the evidence, and "print it to PDF again" is a step every office knows.  A PDF pypdf cannot read
    is refused too: a viewer that repairs it might find what the check could not.
    """
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    name = upload.name or ""
    reprint = _("Hãy mở tệp và in lại thành PDF (Microsoft Print to PDF hoặc “Lưu dưới dạng PDF”), rồi tải lên bản đó.")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                _("Tệp “%(name)s” được đặt mật khẩu: người xem khác sẽ không mở được. %(reprint)s")
                % {"name": name, "reprint": reprint}
            )
        found = _parsed_active_names(reader)
    except ValidationError:
        raise
    except (DependencyError, NotImplementedError):
        # An encryption pypdf cannot open here (AES without the `cryptography` package).
        raise ValidationError(
            _("Tệp “%(name)s” được mã hóa nên không kiểm tra được nội dung. %(reprint)s")
            % {"name": name, "reprint": reprint}
        ) from None
    except Exception:  # pypdf raises many kinds (PdfReadError, KeyError, RecursionError...) on a damaged file
        raise ValidationError(
            _("Tệp “%(name)s” không đọc được như một tệp PDF (có thể bị hỏng). %(reprint)s")
            % {"name": name, "reprint": reprint}
        ) from None
    found |= _raw_active_names(data)
    if found:
        raise ValidationError(
            _(
                "Tệp “%(name)s” chứa mã lệnh (JavaScript), lệnh chạy chương trình hoặc tệp đính kèm, có thể gây hại "
                "cho người mở. %(reprint)s"
            )
            % {"name": name, "reprint": reprint}
        )


# --- stored names -----------------------------------------------------------------------------------

# The extension a stored file gets from its detected type: what it is, not what its name said.
EXTENSIONS = {
    PDF: ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
}


def download_response(file: FieldFile, filename: str, content_type: str) -> FileResponse:
    """A stored upload streamed as an attachment under `filename`, typed as its content was, never sniffed by the
    browser (an upload that looked like a page must not become one)."""
    response = FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def generated_name(folder: str, content_type: str) -> str:
    """`folder/yyyy/mm/<random>.<ext>`: nothing of the user's file name reaches the disk (no path tricks,
    no clashes, no names shown in a directory listing); the name is kept in the row, for the download."""
    today = clock.today()
    return f"{folder}/{today:%Y}/{today:%m}/{uuid.uuid4().hex}{EXTENSIONS.get(content_type, '')}"


# --- storage that follows the transaction -----------------------------------------------------------

_local = threading.local()


def _open_blocks() -> list[list[FieldFile]]:
    blocks: list[list[FieldFile]] | None = getattr(_local, "blocks", None)
    if blocks is None:
        blocks = _local.blocks = []
    return blocks


def _remove(files: list[FieldFile]) -> None:
    for stored in files:
        try:
            if stored.name:
                stored.storage.delete(stored.name)
        except Exception:  # the storage is down: the error that undid the write matters more
            logger.exception("Could not remove %s after its transaction was rolled back", stored.name)


@contextmanager
def atomic_with_files() -> Iterator[None]:
    """transaction.atomic() for a write that stores files (store_file): a file stored inside the block is
    removed again if the block does not commit, whether it raised or was marked for rollback.

    Django runs code after a commit (on_commit), never after a rollback, so the block keeps the list.
    Nested, an inner block that commits hands its files to the outer one, which decides.  The outermost
    block must be the outermost transaction that can roll back.
    """
    blocks = _open_blocks()
    blocks.append([])
    try:
        with transaction.atomic():
            yield
            rolled_back = transaction.get_rollback()
    except BaseException:
        _remove(blocks.pop())
        raise
    files = blocks.pop()
    if rolled_back:
        _remove(files)
    elif blocks:
        blocks[-1].extend(files)


def store_file(field_file: FieldFile, content: File[Any]) -> None:
    """Write an uploaded file to its field's storage, under the name upload_to generates, inside an
    atomic_with_files() block that takes it back if the transaction does not commit."""
    blocks = _open_blocks()
    if not blocks:
        raise RuntimeError("store_file() outside atomic_with_files(): the file would outlive a rollback")
    field_file.save(content.name or "", content, save=False)
    blocks[-1].append(field_file)


# --- views that take files --------------------------------------------------------------------------

_View = TypeVar("_View", bound=Callable[..., Any])


def accepts_uploads(view: _View) -> _View:
    """Marks a view whose form carries files: coopportal.middleware.RequestSizeLimitMiddleware allows it
    a body of settings.REQUEST_MAX_BYTES_UPLOAD instead of REQUEST_MAX_BYTES."""
    view.accepts_uploads = True  # type: ignore[attr-defined]
    return view
