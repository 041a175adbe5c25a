"""What every long list shares: sorting that pages cleanly, and pages of a fixed size."""

from __future__ import annotations

from typing import Any, TypeVar, cast

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


class IdsFirstPaginator(Paginator[Any]):
    """Pages of a list whose rows join many tables: the page's ids first, in order, from the sort's own columns,
    then those rows with every join. At national scale the commitments list sorted 100,000 rows carrying
    six tables' columns to keep 50 (220 ms); their ids alone sort in 50 ms, and 50 rows are read by key."""

    def page(self, number: int | str) -> Page[Any]:
        page = super().page(number)  # its rows: a slice of the queryset, not read yet
        ids = list(cast(QuerySet[Any], page.object_list).values_list("pk", flat=True))
        rows = cast(QuerySet[Any], self.object_list).filter(pk__in=ids).in_bulk()
        # A row deleted between the two reads is left out rather than failing the page.
        page.object_list = [rows[pk] for pk in ids if pk in rows]
        return page


def page_of(
    request: HttpRequest, queryset: QuerySet[M], per_page: int = PAGE_SIZE, *, ids_first: bool = False
) -> Page[M]:
    """The requested page; a page number that is not one, or past the end, gives the nearest real page.

    `ids_first` for a list of many joined rows (IdsFirstPaginator): one query more, a much cheaper sort.
    """
    paginator = (IdsFirstPaginator if ids_first else Paginator)(stable(queryset), per_page)
    page: Page[M] = paginator.get_page(request.GET.get("page"))
    return page
