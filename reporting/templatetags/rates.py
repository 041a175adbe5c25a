"""Reporting rates on the dashboards, and a leader's table of their agreements, drawn in Python.

{% load rates %}
{% rate_cell rate %}                         "75%" with what it counts on hover, "—" when nothing is due
{% timeliness_cell rate %}                   "50%" sent on time, "—" when nothing is due
<tbody>{% standing_rows board.standings %}</tbody>
{% status_cells row total_heading %}          an item's or a sector's commitments by status, and their total

A rate is drawn in every row and every total of the dashboards, each an included template until stop 26
(the overview across agreements draws dozens: its p50 about 8 ms less in process). The leader's home page
draws twenty agreements, each seven cells and a dozen variables through the template engine: 4.3 of its
10 ms of rendering, written here as agreements/templatetags/commitments.py draws the agreement page's
commitments (docs/benchmarks.md, "Stop 26"). `tests/reporting/test_rates_tags.py`
compares both with the templates they replace.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, pgettext

from core.rendering import format_html, template_value
from core.templatetags.numbers import number
from reporting.dashboards import AgreementStanding, Rate, StatusRow

register = template.Library()


@register.simple_tag
def rate_cell(rate: Rate) -> SafeString:
    """The share of the reports due that were sent, with the counts behind it as its title."""
    if not rate.due:
        return mark_safe('<span class="muted">—</span>')
    counts = {"sent": rate.sent, "due": rate.due, "on_time": rate.on_time}
    # As {% blocktranslate %} does it: the translation is trusted, the values are escaped.
    title = gettext("Đã gửi %(sent)s/%(due)s báo cáo đến hạn, %(on_time)s đúng hạn") % {
        name: template_value(value) for name, value in counts.items()
    }
    return format_html('<span title="{}">{}%</span>', mark_safe(title), number(rate.rate))  # noqa: S308  values escaped above


@register.simple_tag
def timeliness_cell(rate: Rate) -> str:
    """The share of the reports due that were sent on time, "—" when nothing is due."""
    return f"{number(rate.timeliness)}%" if rate.due else "—"


@register.simple_tag
def standing_rows(standings: Iterable[AgreementStanding]) -> SafeString:
    """A <tr> per agreement: its status, reporting rate and timeliness, commitments done, overdue, next deadline."""
    labels = (
        pgettext("column", "Thỏa thuận"),
        gettext("Tình trạng"),
        gettext("Báo cáo đã gửi"),
        gettext("Đúng hạn (%%)").replace("%%", "%"),  # the template's msgid: {% translate %} doubles a %
        gettext("Cam kết hoàn thành"),
        gettext("Quá hạn"),
        gettext("Hạn nộp tới"),
    )
    commitments = reverse("commitment_list")
    rows: list[str] = []
    for s in standings:
        a, rate = s.agreement, s.rate
        overdue = (
            format_html(
                '<a class="overdue" href="{}?agreement={}&amp;overdue=1">{}</a>', commitments, a.pk, number(s.overdue)
            )
            if s.overdue
            else "0"
        )
        rows.append(
            format_html(
                '\n      <tr><td data-label="{}"><a href="{}">{}</a><br><small class="muted">{}</small></td>'
                '\n        <td data-label="{}"><span class="badge">{}</span></td>'
                '\n        <td data-label="{}">{}</td>'
                '\n        <td data-label="{}">{}</td>'
                '\n        <td data-label="{}">{}/{}</td>'
                '\n        <td data-label="{}">{}</td>'
                '\n        <td data-label="{}">{}</td></tr>\n    ',
                labels[0],
                reverse("agreement_dashboard", args=[a.pk]),
                Truncator(a.title).chars(110),
                a.period_label,
                labels[1],
                a.status_label,
                labels[2],
                rate_cell(rate),
                labels[3],
                timeliness_cell(rate),
                labels[4],
                number(s.done),
                number(s.commitments),
                labels[5],
                overdue,
                labels[6],
                format_date(s.next_deadline, "d/m/Y") if s.next_deadline else "—",
            )
        )
    return mark_safe("".join(rows))  # noqa: S308  every row is format_html's


@register.simple_tag
def status_cells(row: StatusRow, total_heading: str) -> SafeString:
    """The cells of an item's or a sector's row on the agreement dashboard: its commitments in each status (a
    muted 0 for none) and their total.  Seven cells in each of a few dozen rows, through the template engine a
    quarter of the page's rendering."""
    cells = [
        format_html('<td data-label="{}">{}</td>', label, number(n))
        if n
        else format_html('<td data-label="{}"><span class="muted">0</span></td>', label)
        for _value, label, n in row.counts
    ]
    cells.append(format_html('<td data-label="{}"><strong>{}</strong></td>', total_heading, number(row.total)))
    return mark_safe("".join(cells))  # noqa: S308  every part is format_html's
