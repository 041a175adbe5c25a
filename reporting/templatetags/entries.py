"""A report's entries drawn in Python: on the draft's edit form, and their values where they are read.

{% load entries %}
{% entry_fieldset row %}
{% entry_values entry %}

One <fieldset> per commitment of the page (reporting/_entry_fieldset.html, which the form includes for each
row and the inline save of one entry returns): the item and the commitment, the coordinator's comment, an
error and a conflict, the entry's fields, last period's results, the evidence and the button that saves it.
A page holds up to 60 of them (reporting.item_pages.REPORT_ROWS); through the template engine, about fifteen
variables and ten conditions each besides the fields, they were a third of the staff member's report form
(docs/benchmarks.md, "Stop 27"). Written here as agreements/templatetags/commitments.py draws an agreement's
commitments; `tests/reporting/test_entry_fieldset_tag.py` compares it with the template it replaces.

`row` is the view's: entry (with its commitment, item and evidence read), form, previous (last period's
entry, if any), conflict_rows, error.  `report` and `saved` come from the page's context.
"""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.template import Context
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import linebreaksbr
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from core.rendering import format_html, format_html_join, template_value
from core.templatetags.fields import field_block
from core.templatetags.numbers import filesize, number

register = template.Library()

CONFLICT = "reporting/_conflict.html"


@functools.cache
def _no_conflict() -> str:
    """What the conflict template draws without rows (its line end), the same for every entry."""
    return str(get_template(CONFLICT).render({"rows": []}))


def _conflict(rows: list[tuple[Any, Any, Any]]) -> str:
    return str(get_template(CONFLICT).render({"rows": rows})) if rows else _no_conflict()


@register.simple_tag(takes_context=True)
def entry_fieldset(context: Context, row: dict[str, Any]) -> SafeString:
    entry, form = row["entry"], row["form"]
    commitment = entry.commitment
    error = row.get("error")
    previous = row.get("previous")
    evidence = entry.evidence.all()
    parts: list[str] = [
        format_html(
            '  <fieldset class="card entry" id="entry-{}"{}>\n    <legend>{} {}</legend>\n'
            '    <p class="muted item-text">{}</p>\n    <p class="commitment"><strong>{}</strong>\n      ',
            template_value(entry.pk),
            " data-unsaved" if error or form.errors else "",
            gettext("Nội dung"),
            mark_safe(template_value(commitment.item.number)),  # noqa: S308  escaped by template_value
            Truncator(commitment.item.text).chars(200),
            commitment.description,
        )
    ]
    if commitment.has_indicator:
        parts.append(
            format_html(
                "<br><small>{}: {} — {} {} {}</small>",
                gettext("Chỉ tiêu"),
                commitment.indicator_name,
                gettext("mục tiêu"),
                number(commitment.target),
                commitment.indicator_unit,
            )
        )
    parts.append("</p>\n    ")
    if entry.review_comment:
        parts.append(
            format_html(
                '<p class="msg msg-warning">{}: {}</p>', gettext("Ý kiến của bộ phận điều phối"), entry.review_comment
            )
        )
    parts.append("\n    ")
    if error:
        parts.append(format_html('<p class="msg msg-error">{}</p>', mark_safe(template_value(error))))  # noqa: S308  escaped by template_value
    parts.append("\n    ")
    parts.append(_conflict(row.get("conflict_rows") or []))
    parts.append(format_html("\n    {}\n    ", form["version"]))
    parts.extend(format_html('<p class="error">{}</p>', mark_safe(template_value(e))) for e in form.non_field_errors())  # noqa: S308  escaped by template_value
    parts.append('\n    <div class="row2">\n      ')
    parts.append(field_block(form["status"]))
    parts.append("\n      ")
    parts.append(field_block(form["percent_complete"]))
    parts.append("\n      ")
    if "actual_value" in form.fields:
        parts.append(field_block(form["actual_value"]))
    parts.append("\n    </div>\n    ")
    parts.append(field_block(form["results"]))
    parts.append("\n    ")
    if previous and previous.results:
        parts.append(
            format_html(
                '<details class="previous"><summary>{}</summary><p class="prose">{}</p></details>',
                gettext("Kết quả kỳ trước"),
                linebreaksbr(previous.results, autoescape=True),
            )
        )
    parts.append("\n    ")
    parts.append(field_block(form["difficulties"]))
    parts.append("\n    ")
    parts.append(field_block(form["proposals"]))
    parts.append("\n    ")
    if evidence:
        remove = gettext("Xóa")
        parts.append('\n    <ul class="evidence">')
        parts.extend(
            format_html(
                '\n      <li><a href="{}">{}</a> <small class="muted">({})</small>\n'
                '        <button type="submit" class="link danger" formaction="{}" formnovalidate>{}</button></li>\n    ',
                reverse("evidence_download", args=[ev.pk]),
                ev.original_name,
                filesize(ev.size),
                reverse("evidence_delete", args=[ev.pk]),
                remove,
            )
            for ev in evidence
        )
        parts.append("</ul>\n    ")
    parts.append("\n    ")
    parts.append(field_block(form["evidence"]))
    parts.append(
        format_html(
            '\n    <div class="inline-save">\n      <button type="button" class="small"\n'
            '              hx-post="{}"\n'
            '              hx-include="closest fieldset" hx-encoding="multipart/form-data"\n'
            '              hx-target="closest fieldset" hx-swap="outerHTML"\n'
            '              data-save-too-large="{}"\n'
            '              data-save-failed="{}">{}</button>\n      ',
            reverse("report_entry_save", args=[context["report"].pk, entry.pk]),
            # What static/js/inline-save.js says in the entry when htmx gets no fieldset back.
            gettext(
                "Chưa lưu được: tệp đính kèm quá lớn để gửi. Hãy chọn tệp nhỏ hơn rồi lưu lại; nội dung bạn nhập vẫn còn trên trang."
            ),
            gettext(
                "Chưa lưu được: máy chủ không nhận hoặc mất kết nối. Nội dung bạn nhập vẫn còn trên trang; hãy thử lưu lại, hoặc tải lại trang nếu phiên làm việc đã hết."
            ),
            gettext("Lưu mục này"),
        )
    )
    if context.get("saved"):
        parts.append(
            format_html(
                '<span class="saved" role="status">{} {}</span>',
                gettext("Đã lưu"),
                date_filter(timezone.localtime(), "H:i"),  # {% now "H:i" %}
            )
        )
    parts.append("\n    </div>\n  </fieldset>")  # the template's own line end follows
    return mark_safe("".join(parts))  # noqa: S308  every part is format_html's, a field's or a template's


@register.simple_tag
def entry_values(entry: Any) -> SafeString:
    """What an entry reports, as the period page sets the parties' entries side by side (150 to a page) and a
    report's page lists them: status and completion, the indicator's figure, the texts, the evidence.  Through
    the template engine, an include per entry, it was a third of the period page's time.
    `tests/reporting/test_entry_values_tag.py` compares it with the template it replaces."""
    commitment = entry.commitment
    parts: list[str] = [
        format_html(
            '<dl class="values">\n  <dt>{}</dt><dd><span class="pill status-{}">{}</span> · {}%</dd>\n  ',
            gettext("Tình trạng"),
            entry.status,
            entry.status_label,
            number(entry.percent_complete),
        )
    ]
    if commitment.has_indicator:
        parts.append(
            format_html(
                "<dt>{}</dt><dd>{} / {} {}</dd>",
                gettext("Chỉ tiêu"),
                number(entry.actual_value) or "—",
                number(commitment.target),
                commitment.indicator_unit,
            )
        )
    parts.append("\n  ")
    for label, text in (
        (gettext("Kết quả"), entry.results),
        (gettext("Khó khăn, vướng mắc"), entry.difficulties),
        (gettext("Kiến nghị, đề xuất"), entry.proposals),
    ):
        if text:
            parts.append(
                format_html('<dt>{}</dt><dd class="prose">{}</dd>', label, linebreaksbr(text, autoescape=True))
            )
        parts.append("\n  ")
    evidence = entry.evidence.all()
    if evidence:
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("evidence_download", args=[ev.pk]), ev.original_name) for ev in evidence),
        )
        parts.append(format_html("<dt>{}</dt><dd>{}</dd>", gettext("Minh chứng"), links))
    parts.append("\n</dl>\n")
    return mark_safe("".join(parts))  # noqa: S308  every part is format_html's or white space
