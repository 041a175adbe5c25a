from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Sector


class AgreementFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no type information
    q = django_filters.CharFilter(label=_("Tìm kiếm"), method="search")
    status = django_filters.ChoiceFilter(label=_("Tình trạng"), choices=Agreement.Status.choices)
    kind = django_filters.ChoiceFilter(label=_("Loại văn bản"), choices=Agreement.Kind.choices)
    sector = django_filters.ChoiceFilter(
        label=_("Lĩnh vực"), choices=Sector.choices, field_name="items__sector", distinct=True
    )

    class Meta:
        model = Agreement
        fields = ["q", "status", "kind", "sector"]

    def search(self, queryset: QuerySet[Agreement], name: str, value: str) -> QuerySet[Agreement]:
        return queryset.filter(
            Q(title__icontains=value) | Q(number__icontains=value) | Q(parties__body__name__icontains=value)
        ).distinct()
