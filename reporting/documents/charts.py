"""The charts of the reports and the dashboards, drawn as plain SVG markup.

The same function draws a chart for the PDF (WeasyPrint draws SVG itself) and for a web page (the
dashboards embed its markup as it is): sizes are in user units with a viewBox, every style is a
presentation attribute (no CSS classes, no scripts, no external references), and the font is the
embedded Liberation Serif with metric-compatible fallbacks, so text measures the same everywhere.
Every label is escaped.  Words and figures are in the active language: a document is drawn in
Vietnamese (kinds.py renders it under translation.override("vi")), a page in its reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop, ngettext

from agreements.models import Commitment
from core.numbers import format_decimal

FONT = "'Liberation Serif', Tinos, 'Times New Roman', serif"
WIDTH = 620
STATUS_COLOURS = {
    Commitment.Status.NOT_STARTED: "#9e9e9e",
    Commitment.Status.ON_TRACK: "#2e7d32",
    Commitment.Status.AT_RISK: "#f9a825",
    Commitment.Status.DELAYED: "#c62828",
    Commitment.Status.DONE: "#1565c0",
    Commitment.Status.CANCELLED: "#6d4c41",
}
NO_DATA = "no_data"
NO_DATA_LABEL = gettext_noop("Chưa có số liệu")  # a document's word; a chart says it in the reader's language
INDICATOR_LIMIT = 12


@dataclass(frozen=True)
class IndicatorRow:
    label: str
    unit: str
    target: Decimal
    actual: Decimal | None
    ratio: Decimal | None  # share of the way from baseline to target


def _clip(text: str, chars: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def _text(x: float, y: float, content: str, *, size: int = 12, anchor: str = "start", weight: str = "normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
        f'fill="#000000">{escape(content)}</text>'
    )


def _rect(x: int, y: int, width: int, height: int, fill: str, *, outline: bool = True) -> str:
    """A bar on whole pixels; its 1 px outline sits on half pixels, so every rasteriser draws it crisp."""
    if width <= 0:
        return ""
    if not outline:
        return f'<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="{fill}"/>'
    return (
        f'<rect x="{x + 0.5}" y="{y + 0.5}" width="{max(width - 1, 0)}" height="{height - 1}" fill="{fill}" '
        'stroke="#000000" stroke-width="1"/>'
    )


def _svg(height: int, title: str, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308  every text and attribute above went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
        f'font-family="{FONT}"><title>{escape(title)}</title>{"".join(body)}</svg>'
    )


def status_chart(counts: dict[str, int], no_data: int = 0) -> SafeString:
    """Horizontal bars: how many commitments are in each status (and how many have no data yet)."""
    rows = [
        (str(label), counts.get(value, 0), STATUS_COLOURS[Commitment.Status(value)])
        for value, label in Commitment.Status.choices
    ]
    if no_data:
        rows.append((gettext(NO_DATA_LABEL), no_data, "#ffffff"))
    total = sum(count for _label, count, _colour in rows)
    biggest = max([count for _label, count, _colour in rows] + [1])
    label_right, bar_x, bar_max, row_h, top = 170, 180, 330, 24, 26
    height = top + row_h * len(rows) + 8
    total_text = ngettext("Tổng số: %(n)s cam kết", "Tổng số: %(n)s cam kết", total) % {"n": format_decimal(total)}
    body = [_text(0, 14, total_text, size=12, weight="bold")]
    for index, (label, count, colour) in enumerate(rows):
        y = top + index * row_h
        width = round(bar_max * count / biggest)
        share = f" ({format_decimal(round(Decimal(100) * count / total, 1))}%)" if total else ""
        body.append(_text(label_right, y + 15, label, anchor="end"))
        body.append(_rect(bar_x, y + 4, width, 14, colour))
        body.append(_text(bar_x + width + 6, y + 15, f"{format_decimal(count)}{share}"))
    return _svg(height, gettext("Biểu đồ tình trạng thực hiện các cam kết"), body)


def indicator_chart(rows: list[IndicatorRow], limit: int = INDICATOR_LIMIT, *, more_where: str = "") -> SafeString:
    """One bar per indicator: the share of the target reached (full bar = 100% of the target).

    Past `limit` indicators a last line says how many more there are and where they are listed
    (`more_where`; the document's appendix by default).
    """
    shown = rows[:limit]
    bar_w, row_h, top = 400, 36, 8
    title = gettext("Biểu đồ tiến độ thực hiện các chỉ tiêu")
    body: list[str] = []
    if not shown:
        body.append(_text(0, 20, gettext("Không có chỉ tiêu định lượng trong kỳ báo cáo."), size=12))
        return _svg(32, title, body)
    for index, row in enumerate(shown):
        y = top + index * row_h
        body.append(_text(0, y + 11, _clip(row.label, 100), size=12))
        body.append(_rect(0, y + 16, bar_w, 12, "#eeeeee"))
        if row.ratio is None or row.actual is None:
            value = gettext(NO_DATA_LABEL).lower()
        else:
            filled = round(bar_w * float(min(max(row.ratio, Decimal(0)), Decimal(1))))
            body.append(_rect(1, y + 17, filled - 2, 10, "#1565c0", outline=False))
            percent = format_decimal(round(row.ratio * 100, 1))
            value = f"{percent}% ({format_decimal(row.actual)}/{format_decimal(row.target)} {row.unit})"
        body.append(_text(bar_w + 8, y + 26, _clip(value, 34), size=12))
    height = top + row_h * len(shown)
    if len(rows) > limit:
        more = ngettext(
            "… và %(n)s chỉ tiêu khác (%(where)s).", "… và %(n)s chỉ tiêu khác (%(where)s).", len(rows) - limit
        ) % {
            "n": format_decimal(len(rows) - limit),
            "where": more_where or gettext("xem Phụ lục"),
        }
        body.append(_text(0, height + 12, more, size=12))
        height += 20
    return _svg(height + 4, title, body)


@dataclass(frozen=True)
class TimelinessRow:
    """The reports of one period (or body) that were due: sent on time, sent late, not sent after the deadline."""

    label: str
    on_time: int
    late: int
    unsent: int  # past the deadline and not sent (a returned report counts as not sent)

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.unsent


TIMELINESS_COLOURS = {"on_time": "#2e7d32", "late": "#f9a825", "unsent": "#c62828"}


def timeliness_chart(rows: list[TimelinessRow]) -> SafeString:
    """One stacked bar per row, full width = the reports due: on time, late, not sent; then "sent/due (rate)"."""
    legend = [
        (gettext("Đúng hạn"), TIMELINESS_COLOURS["on_time"]),
        (gettext("Gửi chậm"), TIMELINESS_COLOURS["late"]),
        (gettext("Quá hạn, chưa gửi"), TIMELINESS_COLOURS["unsent"]),
    ]
    title = gettext("Biểu đồ tỷ lệ báo cáo đúng hạn")
    body: list[str] = []
    x = 0
    for label, colour in legend:
        body.append(_rect(x, 4, 14, 14, colour))
        body.append(_text(x + 20, 15, label))
        x += 30 + 7 * len(label)
    if not rows:
        body.append(_text(0, 44, gettext("Chưa có báo cáo nào đến hạn."), size=12))
        return _svg(56, title, body)
    label_right, bar_x, bar_max, row_h, top = 170, 180, 330, 24, 28
    for index, row in enumerate(rows):
        y = top + index * row_h
        body.append(_text(label_right, y + 15, _clip(row.label, 28), anchor="end"))
        if not row.due:
            body.append(_text(bar_x, y + 15, gettext("chưa đến hạn")))
            continue
        left = bar_x
        for count, colour in (
            (row.on_time, TIMELINESS_COLOURS["on_time"]),
            (row.late, TIMELINESS_COLOURS["late"]),
            (row.unsent, TIMELINESS_COLOURS["unsent"]),
        ):
            width = round(bar_max * count / row.due)
            body.append(_rect(left, y + 4, width, 14, colour))
            left += width
        sent = row.on_time + row.late
        rate = format_decimal(round(Decimal(100) * sent / row.due, 1))
        body.append(_text(bar_x + bar_max + 6, y + 15, f"{format_decimal(sent)}/{format_decimal(row.due)} ({rate}%)"))
    return _svg(top + row_h * len(rows) + 6, title, body)
