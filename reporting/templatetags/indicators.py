"""The rows of the agreement dashboard's indicator table, drawn in Python.

{% load indicators %}
<tbody>{% indicator_rows board.indicators %}</tbody>

Each indicator: its name, the party that carries it out, the target, the latest actual value the reader may
see (with the end of the period that reported it) and the share of the target reached. An agreement of
1,000 commitments has a few hundred (the bench's dashboard: 79), each row fourteen variables through the
template engine: written here, as agreements/templatetags/commitments.py draws the agreement page's
commitments, the same HTML in less than half the time (docs/benchmarks.md, "Stop 25").
`tests/reporting/test_indicator_rows.py` compares the two.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.dateformat import format as format_date
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

from core.rendering import format_html
from core.templatetags.numbers import number
from reporting.dashboards import Indicator

register = template.Library()


@register.simple_tag
def indicator_rows(indicators: Iterable[Indicator]) -> SafeString:
    """A <tr> per indicator, its cells labelled (data-label) as the table's header names them."""
    name, party, target = gettext("Chỉ tiêu"), gettext("Bên chủ trì"), pgettext("indicator target", "Mục tiêu")
    actual, share = pgettext("indicator actual value", "Thực hiện"), pgettext("share of the target reached", "Đạt")
    until, none = gettext("đến"), gettext("chưa có số liệu")
    rows: list[str] = []
    for indicator in indicators:
        c = indicator.commitment
        if indicator.actual is not None:
            reached = format_html(
                '{} {}<br><small class="muted">{} {}</small>',
                number(indicator.actual),
                c.indicator_unit,
                until,
                format_date(indicator.actual_end, "d/m/Y") if indicator.actual_end else "",
            )
        else:
            reached = format_html('<span class="muted">{}</span>', none)
        percent = indicator.percent
        rows.append(
            format_html(
                '\n        <tr><td data-label="{}">{}</td>\n          <td data-label="{}">{}</td>'
                '\n          <td data-label="{}">{} {}</td>\n          <td data-label="{}">{}</td>'
                '\n          <td data-label="{}">{}</td></tr>\n      ',
                name,
                c.indicator_name,
                party,
                c.responsible_party.body.name,
                target,
                number(c.target),
                c.indicator_unit,
                actual,
                reached,
                share,
                f"{number(percent)}%" if percent is not None else "—",
            )
        )
    return mark_safe("".join(rows))  # noqa: S308  every row is format_html's
