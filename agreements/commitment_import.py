"""An agreement's commitments from a workbook (.xlsx) or a CSV file with the columns of the commitments export.

Reading (`read_upload`) knows the file by its bytes, never its name: its size is checked before it is read,
a workbook's declared unpacked sizes before openpyxl opens it, and at most MAX_ROWS rows are taken.

Importing (`import_commitments`) reads and checks every row, then writes each through
agreements.services.save_commitment (audited), all in one transaction: one error anywhere and nothing is
written; each error names its row (as the spreadsheet numbers it) and column.  A row is a commitment
already there when it carries its key ("Mã cam kết", which the export writes), or else when its item
number and description match: importing the same file twice updates, never duplicates.  Rows that
change nothing are not written (no audit entry).

Numbers are read as the user types them (core.numbers: "101.000" and "6,6" in Vietnamese); a workbook's
number cells are numbers already, and the CSV export's plain "6.6" is read too.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import Any

import openpyxl
from django.core import signing
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException

from agreements import services
from agreements.exports import BODY_SEPARATOR, COMMITMENT_HEADERS
from agreements.models import AdministrativeUnit, Agreement, Body, Commitment, CooperationItem, Party
from agreements.naming import search_key
from core import limits, uploads
from core.forms import UNPRINTABLE
from core.numbers import NumberFormatError, parse_decimal
from core.tabular import FORMULA_STARTS
from core.text import composed, excerpt, has_unprintable
from core.types import Actor

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2_000  # commitments in one file; an agreement has tens, a programme of ten provinces a few hundred
MAX_COLUMNS = 40
MAX_SCANNED_ROWS = 20_000  # rows read (empty ones too: a workbook formatted down to row 1,048,576 stops here)
MAX_ERRORS_SHOWN = 200
# A workbook is a zip archive: what its members say they unpack to is checked before openpyxl opens it.
MAX_UNPACKED = 50 * 1024 * 1024
MAX_RATIO = 100  # a sheet compresses 5 to 30 times; a zip bomb thousands of times
MAX_MEMBERS = 500
PREVIEW_SECONDS = 2 * 60 * 60  # a preview's rows are confirmed within two hours, or uploaded again
_SALT = "agreements.commitment_import"
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"
# The CSV export writes figures as Python does ("6.6", "-0.25"): one point, no grouping.
_PLAIN_FIGURE = re.compile(r"-?[0-9]+\.[0-9]+")
_ITEM_NUMBER = re.compile(r"([0-9]{1,4})\.?")
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")

# A cell as the preview keeps it (JSON): text, a workbook's number, a date as {"date": "2026-06-30"}.
Cell = str | int | float | dict[str, str] | None
REQUIRED = ("item", "description", "party")
READ = (
    "key",
    "agreement",
    "item",
    "description",
    "party",
    "lead_body",
    "supporting",
    "due_on",
    "status",
    "indicator",
    "unit",
    "baseline",
    "target",
)


class ImportRefused(services.AgreementError):
    """The file as a whole cannot be imported (not a spreadsheet, too big, no header): the message says why."""


@dataclass
class Sheet:
    """The rows of an upload, each with its number in the file (the header is row `header_row`)."""

    filename: str
    header: list[str]
    rows: list[tuple[int, list[Cell]]]
    language: str = "vi"  # how the figures typed as text are read


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the column's header as the page shows it; "" for the row as a whole
    message: str


@dataclass(frozen=True)
class RowResult:
    row: int
    action: str  # "new", "updated", "unchanged"
    item: int
    description: str

    def get_action_display(self) -> str:
        return {"new": _("Thêm mới"), "updated": _("Cập nhật"), "unchanged": _("Không đổi")}[self.action]


@dataclass
class ImportResult:
    rows: list[RowResult] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def new(self) -> int:
        return self.count("new")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def shown_errors(self) -> list[RowError]:
        return self.errors[:MAX_ERRORS_SHOWN]


# --- reading the file ----------------------------------------------------------------------------


def read_upload(upload: Any) -> Sheet:
    """The rows of an uploaded file (Django's UploadedFile): its size is checked before it is read."""
    size = int(getattr(upload, "size", 0) or 0)
    if size > MAX_BYTES:
        raise _too_large(size)
    upload.seek(0)
    return read_bytes(upload.read(MAX_BYTES + 1), str(getattr(upload, "name", "") or ""))


def read_bytes(data: bytes, filename: str) -> Sheet:
    """The rows of a .xlsx or .csv file, its type told by its bytes."""
    name = excerpt(PurePath(filename.replace("\\", "/")).name, 100)
    if not data:
        raise ImportRefused(_("Tệp rỗng: không có dòng nào để nhập."))
    if len(data) > MAX_BYTES:
        raise _too_large(len(data))
    if data.startswith(_ZIP):
        rows = _xlsx_rows(data)
    elif data.startswith(_OLE):
        raise ImportRefused(
            _("Đây là tệp Excel cũ (.xls). Hãy mở bằng Excel và lưu lại dưới dạng “Excel Workbook (.xlsx)” hoặc CSV.")
        )
    else:
        probe = io.BytesIO(data)
        probe.name = ""
        if mime := uploads.detected_type(probe):
            raise ImportRefused(
                _("Tệp này không phải bảng tính (nhận ra: %(type)s). Hãy tải lên tệp .xlsx hoặc .csv.") % {"type": mime}
            )
        rows = _csv_rows(data)
    return _sheet(name, rows)


def _too_large(size: int) -> ImportRefused:
    return ImportRefused(
        _("Tệp có dung lượng %(size).1f MB, vượt giới hạn %(limit).0f MB của tệp danh sách cam kết.")
        % {"size": size / 1048576, "limit": MAX_BYTES / 1048576}
    )


def _too_many_rows() -> ImportRefused:
    return ImportRefused(
        _("Tệp có hơn %(limit)d dòng cam kết; hãy chia thành nhiều tệp nhỏ hơn.") % {"limit": MAX_ROWS}
    )


def _csv_rows(data: bytes) -> Iterator[list[Cell]]:
    if b"\x00" in data:
        raise ImportRefused(
            _("Tệp này không phải tệp CSV đọc được (có thể là tệp nhị phân). Hãy tải lên .xlsx hoặc .csv.")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            _(
                "Tệp CSV phải được lưu với bảng mã UTF-8. Trong Excel: Lưu thành (Save As) → “CSV UTF-8”, "
                "hoặc tải lên tệp .xlsx."
            )
        ) from None
    first_line = text.split("\n", 1)[0]
    # Excel writes ";" where "," is the decimal mark (Vietnamese settings), "," elsewhere.
    delimiter = max((";", ",", "\t"), key=lambda sign: len(next(csv.reader([first_line], delimiter=sign), [])))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for record in reader:
            yield [_unescaped(value) for value in record[:MAX_COLUMNS]]
    except csv.Error as exc:
        raise ImportRefused(
            _("Tệp CSV bị lỗi ở dòng %(row)d: %(reason)s") % {"row": reader.line_num, "reason": exc}
        ) from None


def _unescaped(value: str) -> str:
    """A CSV cell as it was before the export made it inert for spreadsheets ("'=..." -> "=...")."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value


def _check_archive(data: bytes) -> None:
    """Refuse a zip that would unpack to too much, or compresses too well, before openpyxl opens it.

    zipfile stops a member at the size its header declares, so the declared sizes bound what is unpacked.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise ImportRefused(_("Tệp Excel bị hỏng, không đọc được. Hãy mở và lưu lại bằng Excel.")) from None
    if not any(member.filename == "xl/workbook.xml" for member in members):
        raise ImportRefused(_("Tệp nén này không phải tệp Excel (.xlsx). Hãy tải lên tệp .xlsx hoặc .csv."))
    unpacked = sum(member.file_size for member in members)
    suspicious = any(
        member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED or suspicious:
        raise ImportRefused(
            _(
                "Tệp Excel này khi giải nén lớn bất thường (%(size).0f MB), có thể là tệp độc hại; không mở tệp. "
                "Hãy chỉ giữ lại bảng danh sách cam kết và lưu lại."
            )
            % {"size": unpacked / 1048576}
        )


# What openpyxl raises on a damaged workbook: SyntaxError is the XML parsers' (lxml's and xml.etree's), zlib.error
# a member's broken compression, IndexError a workbook without a worksheet.
_DAMAGED = (
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    OSError,
    EOFError,
    SyntaxError,
)


def _xlsx_rows(data: bytes) -> Iterator[list[Cell]]:
    _check_archive(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _DAMAGED:
        raise ImportRefused(_("Tệp Excel bị hỏng, không đọc được. Hãy mở và lưu lại bằng Excel.")) from None
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            yield [_xlsx_cell(value) for value in values]
    except _DAMAGED:
        raise ImportRefused(_("Tệp Excel bị hỏng, không đọc được. Hãy mở và lưu lại bằng Excel.")) from None
    finally:
        workbook.close()


def _xlsx_cell(value: Any) -> Cell:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime.datetime):
        return {"date": value.date().isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    return str(value)


def _blank(cells: Sequence[Cell]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _sheet(filename: str, rows: Iterable[list[Cell]]) -> Sheet:
    """The header (the first row that is not blank) and the rows under it; blank rows left out."""
    header: list[str] | None = None
    data: list[tuple[int, list[Cell]]] = []
    for number, cells in enumerate(rows, start=1):
        if number > MAX_SCANNED_ROWS:
            raise _too_many_rows()
        if _blank(cells):
            continue
        if header is None:
            header = [_plain(cell) for cell in cells]
            continue
        if len(data) == MAX_ROWS:
            raise _too_many_rows()
        data.append((number, cells))
    if header is None:
        raise ImportRefused(_("Tệp không có dòng nào: dòng đầu tiên phải là tên các cột."))
    if not data:
        raise ImportRefused(_("Tệp chỉ có dòng tên cột, chưa có cam kết nào."))
    return Sheet(filename, header, data, translation.get_language() or "vi")


# --- the preview's rows, kept by the page ---------------------------------------------------------


def sign(sheet: Sheet, agreement: Agreement, actor: Actor) -> str:
    """The rows of a preview, signed: the confirmation posts them back, nobody uploads the file twice."""
    content = {"a": agreement.pk, "u": actor.pk, "f": sheet.filename, "h": sheet.header, "r": sheet.rows}
    return signing.dumps({**content, "l": sheet.language}, salt=_SALT, compress=True)


def unsign(payload: str, agreement: Agreement, actor: Actor) -> Sheet:
    expired = ImportRefused(_("Bản xem trước đã hết hạn hoặc không hợp lệ; hãy tải tệp lên lại."))
    try:
        content = signing.loads(payload, salt=_SALT, max_age=PREVIEW_SECONDS)
    except signing.BadSignature:
        raise expired from None
    if content.get("a") != agreement.pk or content.get("u") != actor.pk:
        raise expired
    rows = [(int(number), list(cells)) for number, cells in content["r"]]
    return Sheet(str(content["f"]), [str(h) for h in content["h"]], rows, str(content["l"]))


# --- the columns ------------------------------------------------------------------------------------


def header_label(key: str) -> str:
    return str(COMMITMENT_HEADERS[key])


def _header_keys() -> dict[str, str]:
    """Folded header -> column key, the headers of both languages (an English export is read back too)."""
    keys: dict[str, str] = {}
    for language in ("vi", "en"):
        with translation.override(language):
            for key in READ:
                keys.setdefault(search_key(str(COMMITMENT_HEADERS[key])), key)
    return keys


def _columns(header: list[str]) -> dict[str, int]:
    known = _header_keys()
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        key = known.get(search_key(title))
        if key is None:
            continue  # a column of the export that is not read back ("Lĩnh vực"), or the user's own
        if key in columns:
            raise ImportRefused(_("Cột “%(column)s” có hai lần trong dòng tên cột.") % {"column": excerpt(title)})
        columns[key] = index
    missing = [header_label(key) for key in REQUIRED if key not in columns]
    if missing:
        raise ImportRefused(
            _("Thiếu cột: %(columns)s. Dòng đầu của tệp phải là tên các cột như trong tệp xuất danh sách cam kết.")
            % {"columns": ", ".join(f"“{name}”" for name in missing)}
        )
    return columns


# --- the cells --------------------------------------------------------------------------------------


class _CellError(Exception):
    """What is wrong with one cell; the row and column are added by the caller."""


def _plain(cell: Cell) -> str:
    """The cell as text: composed (NFC), Windows line ends made "\\n", without the spaces around it."""
    if cell is None:
        return ""
    if isinstance(cell, dict):
        day = datetime.date.fromisoformat(cell["date"])
        return f"{day:%d/%m/%Y}"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return composed(str(cell)).replace("\r\n", "\n").strip()


def _text(cell: Cell, limit: int) -> str:
    text = _plain(cell)
    if has_unprintable(text):
        raise _CellError(str(UNPRINTABLE))
    if len(text) > limit:
        raise _CellError(
            _("dài %(length)d ký tự, vượt giới hạn %(limit)d ký tự.") % {"length": len(text), "limit": limit}
        )
    return text


def _figure(cell: Cell, language: str) -> Decimal | None:
    if cell is None or cell == "":
        return None
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        value = Decimal(str(cell))
    else:
        text = _plain(cell)
        if not text:
            return None
        try:
            value = parse_decimal(text, language)
        except NumberFormatError as exc:
            # The CSV export's "6.6" (never ambiguous: it writes "6.1230", not "6.123").
            if language[:2] == "vi" and _PLAIN_FIGURE.fullmatch(text):
                value = Decimal(text)
            else:
                raise _CellError(str(exc)) from None
    if not value.is_finite() or abs(value) >= Decimal(10) ** 14:
        raise _CellError(_("số quá lớn."))
    if value != value.quantize(Decimal("0.0001")):
        raise _CellError(_("chỉ được có tối đa 4 chữ số thập phân."))
    return value


def _day(cell: Cell) -> datetime.date | None:
    if isinstance(cell, dict):
        return datetime.date.fromisoformat(cell["date"])
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        # A date cell formatted as a number in Excel: its serial day (1954-2119 are plausible dues).
        if 20_000 <= cell <= 80_000:
            value = from_excel(cell)
            if isinstance(value, datetime.datetime):
                return value.date()
        raise _CellError(_("“%(text)s” không phải là ngày (ngày/tháng/năm).") % {"text": _plain(cell)})
    text = _plain(cell)
    if not text:
        return None
    text = re.sub(r"\s+0{1,2}:0{2}(:0{2})?$", "", text)  # "30/06/2026 00:00" from a spreadsheet
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007  # a day, no time of day
        except ValueError:
            continue
    raise _CellError(
        _("“%(text)s” không phải là ngày hợp lệ; hãy ghi ngày/tháng/năm, ví dụ 30/06/2026.") % {"text": excerpt(text)}
    )


def _whole(cell: Cell) -> int | None:
    if isinstance(cell, int) and not isinstance(cell, bool):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    text = _plain(cell)
    if not text:
        return None
    match = _ITEM_NUMBER.fullmatch(text)
    if match is None:
        raise _CellError(_("“%(text)s” không phải là một số thứ tự.") % {"text": excerpt(text)})
    return int(match.group(1))


# --- what the rows name -----------------------------------------------------------------------------


def _body_keys(body: Body) -> set[str]:
    """The body's name, and its name as the export writes an ended body ("... (đến 30/06/2025)")."""
    keys = {search_key(body.name)}
    for language in ("vi", "en"):
        with translation.override(language):
            keys.add(search_key(str(body)))
    return keys


@dataclass
class _Scope:
    """What the rows of one agreement may name, read once (a fixed number of queries)."""

    agreement: Agreement
    items: dict[int, CooperationItem]
    parties: list[Party]
    party_keys: dict[int, set[str]]
    bodies: dict[int, list[Body]]  # today's unit id -> the bodies of that province, old and new
    body_keys: dict[int, set[str]]
    today_unit: dict[int, int]  # unit id -> today's unit id
    commitments: dict[int, Commitment]
    by_text: dict[tuple[int, str], list[Commitment]]

    @classmethod
    def read(cls, agreement: Agreement) -> _Scope:
        items = {item.number: item for item in CooperationItem.objects.filter(agreement=agreement)}
        parties = list(
            Party.objects.filter(agreement=agreement)
            .select_related("body__unit")
            .prefetch_related("body__unit__names")
            .order_by("order", "pk")
        )
        party_keys = {}
        for party in parties:
            party.agreement = agreement
            party_keys[party.pk] = _body_keys(party.body) | {search_key(party.name_then)}
        units = dict(AdministrativeUnit.objects.values_list("pk", "successor_id"))
        ends = dict(AdministrativeUnit.objects.filter(valid_to__isnull=False).values_list("pk", "valid_to"))
        today_unit = {pk: _today(pk, units, ends) for pk in units}
        wanted = {today_unit[party.body.unit_id] for party in parties}
        bodies: dict[int, list[Body]] = defaultdict(list)
        body_keys = {}
        for body in Body.objects.filter(unit_id__in=[pk for pk, now in today_unit.items() if now in wanted]):
            bodies[today_unit[body.unit_id]].append(body)
            body_keys[body.pk] = _body_keys(body)
        commitments = {
            c.pk: c
            for c in Commitment.objects.filter(agreement=agreement)
            .select_related("item")
            .prefetch_related("supporting_bodies")
        }
        by_text: dict[tuple[int, str], list[Commitment]] = defaultdict(list)
        for commitment in commitments.values():
            by_text[(commitment.item.number, search_key(commitment.description))].append(commitment)
        return cls(agreement, items, parties, party_keys, bodies, body_keys, today_unit, commitments, by_text)

    def party(self, text: str) -> Party:
        key = search_key(text)
        found = [party for party in self.parties if key in self.party_keys[party.pk]]
        if len(found) == 1:
            return found[0]
        names = "; ".join(party.body.name for party in self.parties)
        if not found:
            raise _CellError(
                _("“%(text)s” không phải là một bên của thỏa thuận. Các bên: %(names)s.")
                % {"text": excerpt(text, 80), "names": names}
            )
        raise _CellError(
            _("Có nhiều bên tên “%(text)s”; hãy ghi như trong tệp xuất, kèm ngày hết hiệu lực.")
            % {"text": excerpt(text)}
        )

    def province_bodies(self, party: Party) -> list[Body]:
        return self.bodies[self.today_unit[party.body.unit_id]]

    def body(self, text: str, candidates: list[Body], current: Iterable[Body], where: str) -> Body:
        """The body named `text` among `candidates`; the one already recorded when the name fits it; of two
        bodies of one name (old and new Tây Ninh), the one in office on the agreement's day, else today's."""
        key = search_key(text)
        found = [body for body in candidates if key in self.body_keys[body.pk]]
        kept = [body for body in current if body in found]
        if kept:
            return kept[0]
        if not found:
            raise _CellError(
                _("không tìm thấy cơ quan “%(text)s” %(where)s.") % {"text": excerpt(text, 80), "where": where}
            )
        day = self.agreement.reference_date
        for narrowed in (found, [b for b in found if b.is_valid_on(day)], [b for b in found if b.valid_to is None]):
            if len(narrowed) == 1:
                return narrowed[0]
        raise _CellError(
            _("Có nhiều cơ quan tên “%(text)s”; hãy ghi kèm ngày hết hiệu lực như trong tệp xuất.")
            % {"text": excerpt(text)}
        )


def _today(pk: int, successors: Mapping[int, int | None], ends: Mapping[int, datetime.date]) -> int:
    """The unit `pk` is today: the end of its successor chain."""
    seen = {pk}
    while pk in ends and (following := successors.get(pk)) is not None and following not in seen:
        seen.add(following)
        pk = following
    return pk


@dataclass
class _Row:
    """A row read and checked: what save_commitment is given."""

    number: int
    item: CooperationItem
    description: str
    party: Party
    lead_body: Body | None
    supporting: list[Body]
    due_on: datetime.date | None
    indicator_name: str
    indicator_unit: str
    baseline: Decimal | None
    target: Decimal | None
    status: str | None
    commitment: Commitment | None

    def changes(self) -> bool:
        """Whether writing the row would change its commitment (a new one always does)."""
        c = self.commitment
        if c is None:
            return True
        return (
            c.item_id != self.item.pk
            or c.description != self.description
            or c.responsible_party_id != self.party.pk
            or c.lead_body_id != (self.lead_body.pk if self.lead_body is not None else None)
            or {b.pk for b in c.supporting_bodies.all()} != {b.pk for b in self.supporting}
            or c.due_on != self.due_on
            or c.indicator_name != self.indicator_name
            or c.indicator_unit != self.indicator_unit
            or c.baseline != self.baseline
            or c.target != self.target
            or (self.status is not None and c.status != self.status)
        )


def _statuses() -> dict[str, str]:
    found: dict[str, str] = {}
    for language in ("vi", "en"):
        with translation.override(language):
            for value, label in Commitment.Status.choices:
                found[search_key(str(label))] = value
                found[search_key(value)] = value
    return found


class _RowReader:
    def __init__(self, scope: _Scope, columns: dict[str, int], language: str) -> None:
        self.scope, self.columns, self.language = scope, columns, language
        self.statuses = _statuses()
        self.errors: list[RowError] = []

    def cell(self, cells: list[Cell], key: str) -> Cell:
        index = self.columns.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    def read(self, number: int, cells: list[Cell]) -> _Row | None:
        """The row, or None with its errors recorded (every cell is checked, not only the first wrong one)."""
        errors_before = len(self.errors)
        scope = self.scope

        def take(key: str, read: Any) -> Any:
            try:
                return read(self.cell(cells, key))
            except _CellError as exc:
                self.errors.append(RowError(number, header_label(key), str(exc)))
                return None

        title = _plain(self.cell(cells, "agreement"))
        if title and search_key(title) != search_key(scope.agreement.title):
            self.errors.append(
                RowError(
                    number,
                    header_label("agreement"),
                    _(
                        "dòng này thuộc thỏa thuận khác (“%(title)s”); hãy xuất danh sách cam kết của riêng thỏa thuận này."
                    )
                    % {"title": excerpt(title, 80)},
                )
            )
        item = take("item", self._item)
        description = take("description", self._description)
        party = take("party", self._party)
        commitment = take("key", self._commitment)
        if commitment is None and item is not None and description and not self._has(errors_before, "key"):
            matches = scope.by_text.get((item.number, search_key(description)), [])
            if len(matches) > 1:
                self.errors.append(
                    RowError(
                        number,
                        header_label("description"),
                        _("có %(count)d cam kết trùng nội dung này trong nội dung số %(item)d; hãy ghi “%(key)s”.")
                        % {"count": len(matches), "item": item.number, "key": header_label("key")},
                    )
                )
            commitment = matches[0] if len(matches) == 1 else None
        lead_body = None
        if party is not None:
            current = [commitment.lead_body] if commitment is not None and commitment.lead_body else []
            lead_body = take("lead_body", lambda cell: self._lead_body(cell, party, current))
        supporting = take("supporting", lambda cell: self._supporting(cell, commitment)) or []
        due_on = take("due_on", _day)
        status = take("status", self._status)
        indicator_name = take("indicator", lambda cell: _text(cell, _max_length("indicator_name")))
        indicator_unit = take("unit", lambda cell: _text(cell, _max_length("indicator_unit")))
        baseline = take("baseline", lambda cell: _figure(cell, self.language))
        target = take("target", lambda cell: _figure(cell, self.language))
        self._indicator_rules(number, indicator_name, indicator_unit, baseline, target, errors_before)
        if len(self.errors) > errors_before:
            return None
        return _Row(
            number,
            item,
            description,
            party,
            lead_body,
            supporting,
            due_on,
            indicator_name or "",
            indicator_unit or "",
            baseline,
            target,
            status,
            commitment,
        )

    def _has(self, since: int, key: str) -> bool:
        return any(error.column == header_label(key) for error in self.errors[since:])

    def _item(self, cell: Cell) -> CooperationItem:
        number = _whole(cell)
        if number is None:
            raise _CellError(_("hãy ghi số thứ tự nội dung hợp tác."))
        item = self.scope.items.get(number)
        if item is None:
            numbers = sorted(self.scope.items)
            have = f"{numbers[0]}–{numbers[-1]}" if numbers else "—"
            raise _CellError(
                _("thỏa thuận không có nội dung hợp tác số %(number)d (có: %(have)s).")
                % {"number": number, "have": have}
            )
        return item

    def _description(self, cell: Cell) -> str:
        text = _text(cell, limits.COMMITMENT_TEXT)
        if not text:
            raise _CellError(_("hãy ghi nội dung cam kết."))
        return text

    def _party(self, cell: Cell) -> Party:
        text = _plain(cell)
        if not text:
            raise _CellError(_("hãy ghi tên bên chủ trì (một bên của thỏa thuận)."))
        return self.scope.party(text)

    def _commitment(self, cell: Cell) -> Commitment | None:
        if cell is None or cell == "":
            return None
        try:
            pk = _whole(cell)
        except _CellError:
            pk = None
        found = self.scope.commitments.get(pk) if pk is not None else None
        if found is None:
            raise _CellError(
                _("không có cam kết mã “%(text)s” trong thỏa thuận này; để trống ô này nếu là cam kết mới.")
                % {"text": excerpt(_plain(cell))}
            )
        return found

    def _lead_body(self, cell: Cell, party: Party, current: list[Body]) -> Body | None:
        text = _plain(cell)
        if not text:
            return None
        where = _("thuộc tỉnh của bên chủ trì (%(party)s)") % {"party": party.body.name}
        body = self.scope.body(text, self.scope.province_bodies(party), current, where)
        return None if body.pk == party.body_id else body  # the party's own body leads: nothing to name

    def _supporting(self, cell: Cell, commitment: Commitment | None) -> list[Body]:
        text = _plain(cell)
        names = [name.strip() for name in re.split(rf"[{re.escape(BODY_SEPARATOR.strip())}\n]", text) if name.strip()]
        candidates = [body for bodies in self.scope.bodies.values() for body in bodies]
        current = list(commitment.supporting_bodies.all()) if commitment is not None else []
        where = _("thuộc tỉnh của một bên")
        found: list[Body] = []
        for name in names:
            body = self.scope.body(name, candidates, current, where)
            if body not in found:
                found.append(body)
        return found

    def _status(self, cell: Cell) -> str | None:
        text = _plain(cell)
        if not text:
            return None
        status = self.statuses.get(search_key(text))
        if status is None:
            raise _CellError(
                _("“%(text)s” không phải là tình trạng cam kết; dùng một trong: %(labels)s.")
                % {"text": excerpt(text), "labels": ", ".join(str(label) for label in Commitment.Status.labels)}
            )
        return status

    def _indicator_rules(
        self,
        number: int,
        name: str | None,
        unit: str | None,
        baseline: Decimal | None,
        target: Decimal | None,
        since: int,
    ) -> None:
        """The indicator's constraints (commitment_target_needs_*), said on the column to fill."""
        if any(self._has(since, key) for key in ("indicator", "unit", "baseline", "target")):
            return
        if target is not None and not name:
            self.errors.append(
                RowError(number, header_label("indicator"), _("chỉ tiêu có giá trị mục tiêu phải có tên."))
            )
        if target is not None and not unit:
            self.errors.append(
                RowError(number, header_label("unit"), _("chỉ tiêu có giá trị mục tiêu phải có đơn vị tính."))
            )
        if baseline is not None and target is None:
            self.errors.append(
                RowError(number, header_label("target"), _("đã có giá trị nền thì phải có giá trị mục tiêu."))
            )


def _max_length(name: str) -> int:
    found = Commitment._meta.get_field(name)
    assert isinstance(found, models.CharField) and found.max_length is not None
    return found.max_length


# --- importing ----------------------------------------------------------------------------------------


def import_commitments(actor: Actor, agreement: Agreement, sheet: Sheet, *, commit: bool) -> ImportResult:
    """Check every row and write them all, or nothing (`commit` False: a preview, always rolled back).

    Raises ImportRefused when the file as a whole is wrong (its header); row errors are in the result.
    """
    columns = _columns(sheet.header)
    result = ImportResult()
    source = f"import:{sheet.filename}"
    with transaction.atomic():
        # One import at a time per agreement: two at once would both add the same new rows.
        Agreement.objects.select_for_update().get(pk=agreement.pk)
        reader = _RowReader(_Scope.read(agreement), columns, sheet.language)
        rows = [row for number, cells in sheet.rows if (row := reader.read(number, cells)) is not None]
        result.errors = reader.errors
        _duplicates(rows, result.errors)
        if not result.errors:
            for row in rows:
                action = _write(actor, row, source, result.errors)
                if action is not None:
                    result.rows.append(RowResult(row.number, action, row.item.number, row.description))
        result.errors.sort(key=lambda error: error.row)
        result.written = commit and not result.errors
        if not result.written:
            transaction.set_rollback(True)
    return result


def _duplicates(rows: list[_Row], errors: list[RowError]) -> None:
    """Two rows of the file that are the same commitment: the second one is an error."""
    first: dict[Any, int] = {}
    for row in rows:
        key: Any = row.commitment.pk if row.commitment is not None else (row.item.number, search_key(row.description))
        if key in first:
            errors.append(RowError(row.number, "", _("trùng cam kết với dòng %(row)d của tệp.") % {"row": first[key]}))
        else:
            first[key] = row.number


def _write(actor: Actor, row: _Row, source: str, errors: list[RowError]) -> str | None:
    if not row.changes():
        return "unchanged"
    try:
        services.save_commitment(
            actor,
            row.item,
            responsible_party=row.party,
            description=row.description,
            commitment=row.commitment,
            lead_body=row.lead_body,
            supporting_bodies=row.supporting,
            due_on=row.due_on,
            indicator_name=row.indicator_name,
            indicator_unit=row.indicator_unit,
            baseline=row.baseline,
            target=row.target,
            status=row.status,
            source=source,
        )
    except services.AgreementError as exc:
        errors.append(RowError(row.number, "", exc.message))
        return None
    return "new" if row.commitment is None else "updated"
