"""What every long list shares: sorting that pages cleanly, and pages of a fixed size."""

from __future__ import annotations

from typing import Any, TypeVar

import django_filters
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest

M = TypeVar("M", bound=Model)

PAGE_SIZE = 50


class StableOrderingFilter(django_filters.OrderingFilter):  # type: ignore[misc]  # django-filter is untyped
    """Column sorting with the primary key as the last key: equal values never swap between two pages."""

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        qs = super().filter(qs, value)
        ordering = list(qs.query.order_by) or list(qs.model._meta.ordering)
        return qs.order_by(*ordering, "pk")


def page_of(request: HttpRequest, queryset: QuerySet[M], per_page: int = PAGE_SIZE) -> Page[M]:
    """The requested page; a page number that is not one, or past the end, gives the nearest real page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
