"""What every long list shares: sorting that pages cleanly, and pages of a fixed size."""

from __future__ import annotations

from typing import Any, TypeVar

import django_filters
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest

M = TypeVar("M", bound=Model)

PAGE_SIZE = 50


def stable(queryset: QuerySet[M]) -> QuerySet[M]:
    """The queryset's order (or its model's: a GROUP BY query drops Meta.ordering) with the primary key last.

    Equal values then never swap between two pages, and a sort key the filter refused (`?o=junk`)
    still leaves a defined order.
    """
    ordering: list[Any] = list(queryset.query.order_by) or list(queryset.model._meta.ordering or ())
    if not any(key in ("pk", "-pk") for key in ordering):
        ordering.append("pk")
    ordered: QuerySet[M] = queryset.order_by(*ordering)
    return ordered


class StableOrderingFilter(django_filters.OrderingFilter):  # type: ignore[misc]  # django-filter is untyped
    """Column sorting with the primary key as the last key."""

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        return stable(super().filter(qs, value))


def page_of(request: HttpRequest, queryset: QuerySet[M], per_page: int = PAGE_SIZE) -> Page[M]:
    """The requested page; a page number that is not one, or past the end, gives the nearest real page."""
    return Paginator(stable(queryset), per_page).get_page(request.GET.get("page"))
