"""The agreement page's panel of its life: the renewal chain, the amendments, and its coordinators' actions.

{% load lifecycle %}{% lifecycle_panel %}   in a page whose context has `agreement` and `is_coordinator`
"""

from __future__ import annotations

from typing import Any

from django import template

from agreements.lifecycle import renewal_links
from agreements.models import Agreement

register = template.Library()


@register.inclusion_tag("agreements/lifecycle/_panel.html", takes_context=True)
def lifecycle_panel(context: template.Context) -> dict[str, Any]:
    """Two queries: the chain (with what the reader may open) and the amendments."""
    agreement: Agreement = context["agreement"]
    return {
        "agreement": agreement,
        "links": renewal_links(context["user"], agreement),
        "amendments": list(agreement.amendments.all()),
        "is_coordinator": bool(context.get("is_coordinator")),
    }
