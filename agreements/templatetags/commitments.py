"""Commitments drawn in Python: an agreement's on its page, and the short lists of the dashboards.

{% load commitments %}
<ul class="commitments">{% commitment_items item.commitment_list %}
</ul>
<ul class="dash-list">
{% commitment_rows commitments empty today show_agreement %}
</ul>

An item's commitments, each as the page lists it: who carries it out (the lead body, "thuộc bên" its party),
what, by when, its indicator and target, the bodies working with it, its status. A page of an agreement
shows up to 150 of them (reporting.item_pages.PERIOD_ROWS), and through the template engine they were a
fifth of the page's time, about ten variables and five conditions each: written here, as Django's admin
writes the rows of its lists (`items_for_result`), the same HTML in 6 ms instead of 14 (docs/benchmarks.md,
"Stop 25"). `tests/agreements/test_commitment_items.py` compares the two.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.dateformat import format as format_date
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from agreements.models import Commitment
from core.rendering import format_html, format_html_join
from core.templatetags.numbers import number

register = template.Library()


@register.simple_tag
def commitment_items(commitments: Iterable[Commitment]) -> SafeString:
    """The <li> of each commitment, with their parties' bodies, lead bodies and `supporting` bodies read."""
    of_party, due, indicator, target, baseline, working_with = (
        gettext("thuộc bên"),
        gettext("Thời hạn"),
        gettext("Chỉ tiêu"),
        gettext("mục tiêu"),
        gettext("nền"),
        gettext("Phối hợp"),
    )
    parts: list[str] = []
    for c in commitments:
        party = c.responsible_party.body.name
        if c.lead_body:
            who = format_html(
                '<strong>{}</strong> <small class="muted">({} {})</small>', c.lead_body.name, of_party, party
            )
        else:
            who = format_html("<strong>{}</strong>", party)
        parts.append(format_html('\n      <li id="commitment-{}">{}: {}\n        ', c.pk, who, c.description))
        if c.due_on:
            parts.append(format_html("<br><small>{}: {}</small>", due, format_date(c.due_on, "d/m/Y")))
        parts.append("\n        ")
        if c.has_indicator:
            base = format_html(" ({} {})", baseline, number(c.baseline)) if c.baseline is not None else ""
            parts.append(
                format_html(
                    "<br><small>{}: {} — {} {} {}{}</small>",
                    indicator,
                    c.indicator_name,
                    target,
                    number(c.target),
                    c.indicator_unit,
                    base,
                )
            )
        parts.append("\n        ")
        supporting = c.supporting  # type: ignore[attr-defined]  # prefetched by the view (to_attr)
        if supporting:
            names = format_html_join(", ", "{}", ((body.name,) for body in supporting))
            parts.append(format_html('<br><small class="muted">{}: {}</small>', working_with, names))
        parts.append(format_html('\n        <span class="pill">{}</span>\n      </li>', c.status_label))
    return mark_safe("".join(parts))  # noqa: S308  every part is format_html's or white space


@register.simple_tag
def commitment_rows(
    commitments: Iterable[Commitment], empty: str, today: Any, show_agreement: Any = False
) -> SafeString:
    """The <li> of each commitment of a dashboard's short list (overdue, at risk, due next), linking to its place on
    the agreement page; `empty` when there is none.  Their item, agreement and party are read by the caller.
    `tests/agreements/test_commitment_items.py` compares it with the template it replaces."""
    due, ongoing = gettext("thời hạn"), gettext("thường xuyên")
    parts: list[str] = []
    for c in commitments:
        agreement = format_html("{} · ", Truncator(c.item.agreement.title).chars(70)) if show_agreement else ""
        when: str = ongoing
        if c.due_on:
            when = format_html(
                "{} <span{}>{}</span>",
                due,
                mark_safe(' class="overdue"') if today and c.due_on < today else "",
                format_date(c.due_on, "d/m/Y"),
            )
        parts.append(
            format_html(
                '\n  <li><a href="{}">{}</a><br>\n    <small class="muted">{}{} ·\n    {}\n'
                '    · <span class="status-{}">{}</span></small></li>\n',
                c.get_absolute_url(),
                Truncator(c.description).chars(110),
                agreement,
                c.responsible_party.body.name,
                when,
                c.status,
                c.status_label,
            )
        )
    if not parts:
        return format_html('<li class="muted">{}</li>', empty)
    return mark_safe("".join(parts))  # noqa: S308  every part is format_html's
