"""Text on pages, shortened without cutting a word in two.

{% load text %}
<span title="{{ item.text }}">{{ item.text|shorten:90 }}</span>    at most 90 characters, whole words, "…"
"""

from __future__ import annotations

from typing import Any

from django import template

from core.text import shorten as shorten_text

register = template.Library()


@register.filter
def shorten(value: Any, limit: Any) -> str:
    """core.text.shorten: the full text belongs in the element's title."""
    return shorten_text("" if value is None else str(value), int(limit))
