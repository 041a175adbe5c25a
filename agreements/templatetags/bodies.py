"""Bodies on the pages that pick them: the label a picker fills a row with, and the validity beside it.

{% load bodies %}
{{ body|validity }}     "đến 30/06/2025", "từ 01/07/2025" or nothing
{{ body|body_label }}   "Ủy ban nhân dân tỉnh Tây Ninh (từ 01/07/2025)"
"""

from __future__ import annotations

from django import template

from agreements import pickers
from agreements.models import Body

register = template.Library()


@register.filter
def validity(body: Body) -> str:
    return pickers.validity(body)


@register.filter
def body_label(body: Body) -> str:
    return pickers.label(body)
