"""Forms drawn fast: Django's simplest widgets in Python, its other form templates through Jinja2, the rest as before.

A report form draws about 500 widgets, the admin's agreement form 300 (1,300 options): with the Django
template engine that was three quarters of those pages' time. Django ships each of its form templates in
both languages, the same markup; Jinja2 compiles them to Python. Templates it does not have (the admin's
widget wrappers, any of ours) are drawn by the Django engine, as before.

Even through Jinja2, a report form of 44 commitments rendered some 1,800 templates (each option of a select,
each hidden initial value and each attribute list is an include of its own): about 40 % of the page. The
inputs, selects and text areas, whose templates are a line each, are written here instead, character for
character as Django's Jinja2 templates write them, with the same escaping (markupsafe's, which Jinja2 uses);
Django still builds every widget's context (its attributes, value and options), so only the drawing moves.
`tests/core/test_rendering.py` compares the two on random widgets.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from markupsafe import escape

WIDGETS = "django/forms/widgets/"
# Every template of Django's that is only `{% include "django/forms/widgets/input.html" %}`.
INPUT_TEMPLATES = frozenset(
    WIDGETS + name
    for name in (
        "input.html",
        "checkbox.html",
        "color.html",
        "date.html",
        "datetime.html",
        "email.html",
        "file.html",
        "hidden.html",
        "number.html",
        "password.html",
        "search.html",
        "tel.html",
        "text.html",
        "time.html",
        "url.html",
    )
)
OPTION_TEMPLATE = WIDGETS + "select_option.html"


def _attrs(attrs: Mapping[str, Any]) -> str:
    """attrs.html: `name="value"`, a bare name for True, nothing for False."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: Mapping[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
    return f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _textarea(widget: Mapping[str, Any]) -> str:
    value = escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _select(widget: Mapping[str, Any]) -> str | None:
    parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION_TEMPLATE:
                return None  # an option drawn by another template: Jinja2 draws the whole select
            parts.append(
                f'\n  <option value="{escape(option["value"])}"{_attrs(option["attrs"])}>{escape(option["label"])}</option>'
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


ERROR_LISTS = frozenset({"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"})

DRAWN: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    **dict.fromkeys(INPUT_TEMPLATES, _input),
    WIDGETS + "textarea.html": _textarea,
    WIDGETS + "select.html": _select,
}


class FormRenderer(Jinja2):
    fallback = DjangoTemplates()

    def get_template(self, template_name: str) -> Any:
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name in ERROR_LISTS and not context.get("errors", True):
            return ""  # a field without errors: the admin asks every field's list, and the template draws nothing
        draw = DRAWN.get(template_name)
        if draw is not None and "widget" in context:
            html = draw(context["widget"])
            if html is not None:
                return html
        rendered: str = super().render(template_name, context, request)
        return rendered
