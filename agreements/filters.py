"""The filters of the agreement list.

A province, chosen or typed, stands for its whole lineage: "Ninh Bình" (today) finds the agreements of
Hà Nam, Nam Định and the old Ninh Bình; the old Hà Nam finds today's Ninh Bình too.  Typed names match
with or without diacritics, in any case, through the folded `search_name` columns (no database
extension: the same on PostgreSQL and SQLite).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from agreements.merger import MERGER_DATE
from agreements.models import AdministrativeUnit, Agreement, Party, Sector
from agreements.naming import search_key
from core.listing import StableOrderingFilter
from core.search import matches, with_folded


def province_choices() -> list[tuple[Any, list[tuple[str, str]]]]:
    """Today's 34 units, then the units that ended with the merger (each with its end), by name: one query."""
    units = sorted(AdministrativeUnit.objects.all(), key=lambda unit: search_key(unit.short_name))
    return [
        (_("Hiện nay"), [(str(unit.pk), unit.name) for unit in units if unit.valid_to is None]),
        (
            _("Trước ngày %(day)s") % {"day": f"{MERGER_DATE:%d/%m/%Y}"},
            [(str(unit.pk), str(unit)) for unit in units if unit.valid_to is not None],
        ),
    ]


def with_party_in(queryset: QuerySet[Agreement], parties: Q) -> QuerySet[Agreement]:
    """Agreements with a party matching `parties` (a subquery: the list's party counts stay whole)."""
    return queryset.filter(pk__in=Party.objects.filter(parties).values("agreement_id"))


def in_units(unit_ids: Iterable[int]) -> Q:
    """A party whose body or coordinating office sits in one of the units."""
    ids = list(unit_ids)
    return Q(body__unit_id__in=ids) | Q(coordinating_office__unit_id__in=ids)


class AgreementFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no type information
    q = django_filters.CharFilter(label=_("Tìm kiếm"), method="search")
    province = django_filters.ChoiceFilter(label=_("Tỉnh, thành phố"), method="in_province")
    status = django_filters.ChoiceFilter(label=_("Tình trạng"), choices=Agreement.Status.choices)
    kind = django_filters.ChoiceFilter(label=_("Loại văn bản"), choices=Agreement.Kind.choices)
    sector = django_filters.ChoiceFilter(
        label=_("Lĩnh vực"), choices=Sector.choices, field_name="items__sector", distinct=True
    )
    # Sorting by a column header; the pk breaks ties so that pages never repeat or skip a row.
    o = StableOrderingFilter(
        label=_("Sắp xếp"),
        fields=(("title", "title"), ("signed_on", "signed_on"), ("period_start", "period_start"), ("status", "status")),
        field_labels={
            "title": _("Tên văn bản"),
            "signed_on": _("Ngày ký"),
            "period_start": _("Giai đoạn"),
            "status": _("Tình trạng"),
        },
    )

    class Meta:
        model = Agreement
        fields = ["q", "province", "status", "kind", "sector"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["province"].extra["choices"] = province_choices()

    def search(self, queryset: QuerySet[Agreement], name: str, value: str) -> QuerySet[Agreement]:
        """Title or number as typed; a party's body or office by name, and by province, diacritics aside."""
        key = search_key(value)
        if not key:
            return queryset
        parties = Q(body__search_name__contains=key) | Q(coordinating_office__search_name__contains=key)
        units = AdministrativeUnit.objects.lineage_ids(
            AdministrativeUnit.objects.matching(value).values_list("pk", flat=True)
        )
        if units:
            parties |= in_units(units)
        return with_folded(queryset, "title", "number").filter(
            matches("title", value)
            | matches("number", value)
            | Q(pk__in=Party.objects.filter(parties).values("agreement_id"))
        )

    def in_province(self, queryset: QuerySet[Agreement], name: str, value: str) -> QuerySet[Agreement]:
        return with_party_in(queryset, in_units(AdministrativeUnit.objects.lineage_ids([int(value)])))
