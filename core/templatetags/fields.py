"""`{% field_block field %}`: a form field with its label, help text and errors, as every form of the app shows it.

A tag, not an included template: the report form draws six per commitment (some 250 on a page), and each
include added about 30 µs to a field's 200 (measured in process; the markup is the same, byte for byte).
"""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from core.rendering import format_html, format_html_join

register = template.Library()


@register.simple_tag
def field_block(field: BoundField) -> SafeString:
    errors = field.errors
    return format_html(
        '<div class="field{}">\n  <label for="{}">{}</label>\n  {}\n  {}\n  {}\n</div>\n',
        " has-error" if errors else "",
        field.id_for_label,
        field.label,
        field,
        format_html('<small class="muted">{}</small>', field.help_text) if field.help_text else "",
        format_html_join("", '<p class="error">{}</p>', ((error,) for error in errors)),
    )
