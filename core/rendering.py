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

from collections.abc import Callable, Iterable, Mapping
from html import escape as html_escape
from typing import Any

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from django.templatetags.static import static
from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext
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


def format_html(format_string: str, *args: Any) -> SafeString:
    """django.utils.html.format_html for the tags that draw hundreds of rows in Python: the same text, each
    argument escaped unless it is safe (as conditional_escape), without the lazy-string wrapper Django puts
    around every escape, which was two thirds of its time (3.4 µs a call against 9.6; an agreement's page
    makes 700 of them).  `tests/core/test_rendering.py` compares the two."""
    return SafeString(format_string.format(*map(_escaped, args)))


def format_html_join(sep: str, format_string: str, args_generator: Iterable[Iterable[Any]]) -> SafeString:
    """django.utils.html.format_html_join through format_html above."""
    return SafeString(_escaped(sep).join(format_html(format_string, *args) for args in args_generator))


def _escaped(value: Any) -> str:
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html_escape(str(value))


def template_value(value: Any) -> str:
    """`{{ value }}` as the Django engine writes it: localised, then escaped unless already safe.  For the
    template tags that draw rows in Python (reporting/templatetags/, core/templatetags/admin_rows.py)."""
    return str(conditional_escape(localize(value)))


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


RELATED_WRAPPER = "admin/widgets/related_widget_wrapper.html"
# The links beside a select of related rows, in the template's order and with its spacing: (flag, markup, title).
_RELATED_LINKS = (
    (
        "can_change_related",
        '<a class="related-widget-wrapper-link change-related" id="change_id_{name}"\n'
        '            data-href-template="{change_related_template_url}?{url_params}"\n'
        '            data-popup="yes"\n            title="{title}">',
        "Change selected %(model)s",
        "admin/img/icon-changelink.svg",
    ),
    (
        "can_add_related",
        '<a class="related-widget-wrapper-link add-related" id="add_id_{name}"\n            data-popup="yes"\n'
        '            href="{add_related_url}?{url_params}"\n            title="{title}">',
        "Add another %(model)s",
        "admin/img/icon-addlink.svg",
    ),
    (
        "can_delete_related",
        '<a class="related-widget-wrapper-link delete-related" id="delete_id_{name}"\n'
        '            data-href-template="{delete_related_template_url}?{url_params}"\n'
        '            data-popup="yes"\n            title="{title}">',
        "Delete selected %(model)s",
        "admin/img/icon-deletelink.svg",
    ),
    (
        "can_view_related",
        '<a class="related-widget-wrapper-link view-related" id="view_id_{name}"\n'
        '             data-href-template="{change_related_template_url}?{view_related_url_params}"\n'
        '             title="{title}">',
        "View selected %(model)s",
        "admin/img/icon-viewlink.svg",
    ),
)
_URLS = (
    "url_params",
    "add_related_url",
    "change_related_template_url",
    "delete_related_template_url",
    "view_related_url_params",
)


def _related_widget_wrapper(context: Mapping[str, Any]) -> str:
    """The admin's select of related rows with its change/add/delete/view links (about twenty on an agreement's
    form, each a Django template with four {% static %}), written as the template's {% spaceless %} leaves it and
    escaped as the Django engine escapes (&quot;, where Jinja2's markupsafe writes &#34;)."""
    model_ref = (
        "" if context["model_has_limit_choices_to"] else f'data-model-ref="{conditional_escape(context["model_name"])}"'
    )
    links = []
    if not context["is_hidden"]:
        values = {key: conditional_escape(context[key]) for key in _URLS if key in context}
        name, model = conditional_escape(context["name"]), conditional_escape(context["model"])
        for flag, markup, title, icon in _RELATED_LINKS:
            if context[flag]:
                # As {% blocktranslate %}: the translation as it is, the value in it escaped.
                opening = markup.format(name=name, title=gettext(title) % {"model": model}, **values)
                links.append(
                    f'{opening}<img src="{conditional_escape(static(icon))}" alt="" width="24" height="24"></a>'
                )
    return (
        f'<div class="related-widget-wrapper" {model_ref}>\n    {conditional_escape(context["rendered_widget"])}\n    \n        '
        f"{''.join(links)}\n    \n</div>"  # a form renderer strips what it draws
    )


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
        if template_name == RELATED_WRAPPER:
            return _related_widget_wrapper(context)
        draw = DRAWN.get(template_name)
        if draw is not None and "widget" in context:
            html = draw(context["widget"])
            if html is not None:
                return html
        rendered: str = super().render(template_name, context, request)
        return rendered
