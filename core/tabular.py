"""Exporting a list as a table: Excel (.xlsx) and CSV, written row by row so a long list streams.

One `Table` (columns and the rows of a filtered queryset) gives both files, so an export and the
page it comes from never disagree about what a column holds.

- CSV is UTF-8 with a byte order mark: without it, Excel opens Vietnamese text as mojibake.
- Excel cells keep their types (numbers, dates), headers are frozen and columns sized.
- A text cell that begins with =, +, -, @, a tab or a carriage return is written as text that
  cannot run (OWASP "CSV injection"): in CSV with a leading apostrophe, in Excel as a string cell.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet
from django.http import FileResponse, Http404, HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.cell import Cell as XlsxCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core import clock
from core.listing import stable

T = TypeVar("T")
M = TypeVar("M", bound=Model)
Cell = str | int | float | Decimal | datetime.date | datetime.datetime | None

FORMATS = ("xlsx", "csv")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS_PER_FETCH = 2000


def neutralise(text: str) -> str:
    """Text that a spreadsheet would take for a formula, made inert for CSV."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str | Promise
    value: Callable[[T], Cell]
    width: int = 18


@dataclass
class Table(Generic[T]):
    """What an export holds: a sheet title, a file name (without extension), columns, rows."""

    title: str
    filename: str
    columns: list[Column[T]]
    rows: Iterable[T]

    def headers(self) -> list[str]:
        return [force_str(column.header) for column in self.columns]

    def values(self) -> Iterator[list[Cell]]:
        for row in self.rows:
            yield [column.value(row) for column in self.columns]


def dated(stem: str) -> str:
    """An export's file name: what it holds and the day it was taken ("bao-cao-20261123")."""
    return f"{stem}-{clock.today():%Y%m%d}"


def listing_table(title: str, stem: str, columns: list[Column[M]], queryset: QuerySet[M]) -> Table[M]:
    """A filtered list as its page orders it (primary key last, so nothing is skipped or repeated), read in chunks."""
    return Table(title=title, filename=dated(stem), columns=columns, rows=stable(queryset).iterator(ROWS_PER_FETCH))


def _attachment(filename: str) -> str:
    return content_disposition_header(as_attachment=True, filename=filename) or "attachment"


class _Echo:
    """csv.writer writes into this and gets the line back, so each row is yielded as it is made."""

    def write(self, value: str) -> str:
        return value


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value) if timezone.is_aware(value) else value:%d/%m/%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")  # 101000, not 101000.0000 or 1.01E+5
        # "6.123" reads as 6123 where "." groups thousands (Vietnamese, and the commitments import):
        # a fourth place ("6.1230") leaves it only one reading.
        return text + "0" if len(text.partition(".")[2]) == 3 else text
    return str(value)


def csv_response(table: Table[T]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(table.headers())
        for values in table.values():
            yield writer.writerow([_csv_text(value) for value in values])

    response = StreamingHttpResponse((line.encode("utf-8") for line in lines()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _attachment(f"{table.filename}.csv")
    return response


def _xlsx_cell(sheet: Any, value: Cell) -> XlsxCell:
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # never a formula, whatever the text begins with
        return cell
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: the time as it reads in Việt Nam.
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        cell = WriteOnlyCell(sheet, value=local.replace(tzinfo=None))
        cell.number_format = "DD/MM/YYYY HH:MM"
        return cell
    cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
    if isinstance(value, datetime.date):
        cell.number_format = "DD/MM/YYYY"
    return cell


def xlsx_response(table: Table[T]) -> FileResponse:
    """The workbook is written row by row to a temporary file (write-only mode), then streamed from it."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.title[:31] or "Sheet")
    sheet.freeze_panes = "A2"
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    bold = Font(bold=True)
    header = []
    for text in table.headers():
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for values in table.values():
        sheet.append([_xlsx_cell(sheet, value) for value in values])
    # Deleted when the response closes it, after the last byte is sent.
    spool = tempfile.TemporaryFile()  # noqa: SIM115  # closed by the response
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=f"{table.filename}.xlsx", content_type=XLSX_TYPE)


def filtered_export(
    request: HttpRequest, filterset: Any, fmt: str, table: Callable[[QuerySet[M]], Table[T]], list_url: str
) -> HttpResponseBase:
    """A list's rows as its filters leave them, as `fmt`; a filter value the list cannot use (?status=junk, a
    date that is none) is a 400 page that names it, with a link back to the list (`list_url`, a URL name).

    The list's page shows such a value beside rows it did not filter; a file has no place for that and would
    hold every row as though they were the ones asked for. A `fmt` not in FORMATS is a page that does not
    exist."""
    if fmt not in FORMATS:
        raise Http404
    if not filterset.is_valid():
        return render(request, "export_refused.html", {"filter": filterset, "list_url": list_url}, status=400)
    rows = table(stable(filterset.qs))  # in the page's order, primary key last; read as the file is written
    return xlsx_response(rows) if fmt == "xlsx" else csv_response(rows)
