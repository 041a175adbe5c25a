"""The rows of the admin's tabular inlines, drawn in Python.

{% load admin_rows %}
<tbody>
     {% inline_rows inline_admin_formset %}
     </tbody>

admin/edit_inline/tabular_drawn.html is Django's admin/edit_inline/tabular.html with its loop over the rows
replaced by this tag (core.admin.PlainTextTabularInline uses it).  An agreement's form has two such tables,
ten parties and twenty-odd items, each row's cells a nest of three loops and a dozen conditions: the two
inlines were 40 of the form's 60 ms, and drawing their rows here (the widgets inside are drawn by
core.rendering as before) took the form from a p50 of 58-61 ms to 50-51 (in process, the bench data).
`tests/core/test_admin_rows.py` compares every inline of the project's admin pages, with and
without errors, with what Django's own template draws: an upgrade of Django that changes its template fails
there, and the copy is then taken again.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.admin.templatetags.admin_modify import cell_count
from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from core.rendering import template_value

register = template.Library()


def _current_app(context: Any) -> str | None:
    """As {% url %} finds it."""
    request = getattr(context, "request", None)
    current_app = getattr(request, "current_app", None)
    if current_app is None:
        current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
    return current_app


def _cell(field: Any) -> str:
    bound = field.field  # a BoundField, or a dict for a read-only field
    name = bound["name"] if isinstance(bound, dict) else bound.name
    hidden = bound["is_hidden"] if isinstance(bound, dict) else bound.is_hidden
    css = (f"field-{template_value(name)}" if name else "") + (" hidden" if hidden else "")
    if field.is_readonly:
        inside = f"\n                  <p>{template_value(field.contents())}</p>\n              "
    else:
        inside = f"\n                  {template_value(bound.errors.as_ul())}\n                  {template_value(bound)}\n              "
    return f'\n              <td class="{css}">\n              {inside}\n              </td>\n            '


@register.simple_tag(takes_context=True)
def inline_rows(context: Any, formset: Any) -> SafeString:
    prefix = template_value(formset.formset.prefix)
    can_delete = formset.formset.can_delete and formset.has_delete_permission
    forms = list(formset)
    parts: list[str] = []
    for index, row in enumerate(forms):
        empty = index == len(forms) - 1 and formset.has_add_permission
        original, show_url = row.original, row.show_url
        parts.append("\n        ")
        errors = row.form.non_field_errors()
        if errors:
            parts.append(
                f'\n        <tr class="row-form-errors"><td colspan="{template_value(cell_count(row))}">'
                f"{template_value(errors)}</td></tr>\n        "
            )
        parts.append(
            '\n        <tr class="form-row '
            + ("has_original" if original or show_url else "")
            + (" empty-form" if empty else "")
            + f'"\n             id="{prefix}-'
            + ("empty" if empty else template_value(index))
            + '">\n        <td class="original">\n          '
        )
        if original or show_url:
            parts.append("<p>\n          ")
            if original:
                parts.append(f"\n          {template_value(original)}\n          ")
                admin = row.model_admin
                if admin.show_change_link and admin.has_registered_model:
                    opts = admin.opts
                    url = reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_change",
                        args=[quote(original.pk)],
                        current_app=_current_app(context),
                    )
                    changes = formset.has_change_permission
                    parts.append(
                        f'<a href="{template_value(url)}" class="{"inlinechangelink" if changes else "inlineviewlink"}">'
                        f"{template_value(gettext('Change') if changes else gettext('View'))}</a>"
                    )
                parts.append("\n          ")
            parts.append("\n          ")
            if show_url:
                parts.append(
                    f'<a href="{template_value(row.absolute_url)}">{template_value(gettext("View on site"))}</a>'
                )
            parts.append("\n            </p>")
        parts.append("\n          ")
        if row.needs_explicit_pk_field():
            parts.append(template_value(row.pk_field().field))
        parts.append("\n          ")
        fk_field = row.fk_field()
        if fk_field:
            parts.append(template_value(fk_field.field))
        parts.append("\n        </td>\n        ")
        for fieldset in row:
            parts.append("\n          ")
            for line in fieldset:
                parts.append("\n            ")
                parts.extend(_cell(field) for field in line)
                parts.append("\n          ")
            parts.append("\n        ")
        parts.append('\n        <td class="delete">')
        if can_delete and original:
            parts.append(template_value(row.deletion_field().field))
        parts.append("</td>\n        </tr>\n     ")
    return mark_safe("".join(parts))  # noqa: S308  every value escaped by template_value, the widgets drawn by Django
