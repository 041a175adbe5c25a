"""The filters of the agreement list.

A province, chosen or typed, stands for its whole lineage: "Ninh Bình" (today) finds the agreements of
Hà Nam, Nam Định and the old Ninh Bình; the old Hà Nam finds today's Ninh Bình too.  Typed names match
with or without diacritics, in any case, through the folded `search_name` columns (no database
extension: the same on PostgreSQL and SQLite).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agreements.access import parties_of, roles_by_body
from agreements.graph import kept_walk
from agreements.merger import MERGER_DATE
from agreements.models import (
    AdministrativeUnit,
    Agreement,
    Body,
    Commitment,
    CommitmentQuerySet,
    CooperationItem,
    Party,
    Sector,
)
from agreements.naming import search_key
from core import clock
from core.ids import one_of
from core.listing import DateRange, StableOrderingFilter
from core.search import contains
from core.text import fold


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


def with_body(condition: Q) -> Q:
    """A party whose body or coordinating office meets `condition` (a condition on Body).

    The bodies are found first and the parties by their ids: joining every party to its two bodies before
    testing them took 6 to 8 ms per query at national scale (6,600 parties), the bodies alone 1. The ids are
    read here, once, and passed as arrays (core.ids.one_of): as a subquery, PostgreSQL read the bodies
    twice in every query that used it (a list and its count: four times), and then every party to test them.
    """
    return _with_body_ids(list(Body.objects.filter(condition).order_by().values_list("pk", flat=True)))


def _with_body_ids(bodies: list[int]) -> Q:
    return Q(one_of("body_id", bodies)) | Q(one_of("coordinating_office_id", bodies))


def in_lineage(unit_ids: Iterable[int]) -> Q:
    """A party whose body or coordinating office sits in one of the units, in a unit they were formed from
    or in one they became (AdministrativeUnitQuerySet.lineage_ids).

    The bodies depend only on the units and the graph of bodies and units: they are kept between requests
    (agreements.graph), one cache read instead of four queries on every filtered list.
    """
    return _with_body_ids(kept_walk("lineage-bodies", set(unit_ids), _lineage_bodies))


def _lineage_bodies(unit_ids: set[int]) -> list[int]:
    units = AdministrativeUnit.objects.lineage_ids(unit_ids)
    return list(Body.objects.filter(unit_id__in=units).order_by().values_list("pk", flat=True))


class AgreementFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no type information
    q = django_filters.CharFilter(label=_("Tìm kiếm"), method="search")
    province = django_filters.ChoiceFilter(label=_("Tỉnh, thành phố"), method="in_province")
    status = django_filters.ChoiceFilter(label=_("Tình trạng"), choices=Agreement.Status.choices)
    kind = django_filters.ChoiceFilter(label=_("Loại văn bản"), choices=Agreement.Kind.choices)
    sector = django_filters.ModelChoiceFilter(
        label=_("Lĩnh vực"), queryset=Sector.objects.all(), method="in_sector", distinct=True
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

    def in_sector(self, queryset: QuerySet[Agreement], name: str, value: Sector | None) -> QuerySet[Agreement]:
        """An item of it has the sector, as its main one or another."""
        if value is None:
            return queryset
        items = CooperationItem.objects.filter(Q(sector=value) | Q(other_sectors=value))
        return queryset.filter(pk__in=items.values("agreement_id"))

    def search(self, queryset: QuerySet[Agreement], name: str, value: str) -> QuerySet[Agreement]:
        """Title or number as typed; a party's body or office by name, and by province, diacritics aside."""
        key = search_key(value)
        if not key:
            return queryset
        parties = with_body(Q(search_name__contains=key))
        units = list(AdministrativeUnit.objects.matching(value).order_by().values_list("pk", flat=True))
        if units:
            parties |= in_lineage(units)
        return queryset.filter(
            contains("search_text", value) | Q(pk__in=Party.objects.filter(parties).values("agreement_id"))
        )

    def in_province(self, queryset: QuerySet[Agreement], name: str, value: str) -> QuerySet[Agreement]:
        return with_party_in(queryset, in_lineage([int(value)]))


class CommitmentFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no type information
    """Commitments across the user's agreements: by province then or now, body, sector, status, due date."""

    q = django_filters.CharFilter(label=_("Tìm kiếm"), method="search")
    province = django_filters.ChoiceFilter(label=_("Tỉnh, thành phố"), method="in_province")
    body = django_filters.CharFilter(label=_("Cơ quan chủ trì"), method="led_by")
    sector = django_filters.ModelChoiceFilter(label=_("Lĩnh vực"), queryset=Sector.objects.all(), method="in_sector")
    status = django_filters.ChoiceFilter(label=_("Tình trạng"), choices=Commitment.Status.choices)
    due = DateRange(label=_("Thời hạn (từ – đến)"), field_name="due_on")
    overdue = django_filters.BooleanFilter(
        label=_("Chỉ việc quá hạn"), method="only_overdue", widget=forms.CheckboxInput
    )
    mine = django_filters.BooleanFilter(
        label=_("Chỉ cam kết của bên mình"), method="only_mine", widget=forms.CheckboxInput
    )
    agreement = django_filters.NumberFilter(
        label=pgettext_lazy("column", "Thỏa thuận"), field_name="agreement", widget=forms.HiddenInput
    )
    o = StableOrderingFilter(
        label=_("Sắp xếp"),
        fields=(
            ("due_on", "due_on"),
            ("status", "status"),
            ("agreement__title", "agreement"),
            ("item__number", "item"),
        ),
        field_labels={
            "due_on": _("Thời hạn"),
            "status": _("Tình trạng"),
            "agreement__title": pgettext_lazy("column", "Thỏa thuận"),
            "item__number": _("Nội dung"),
        },
    )

    class Meta:
        model = Commitment
        fields = ["q", "province", "body", "sector", "status", "due", "overdue", "mine", "agreement"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["province"].extra["choices"] = province_choices()
        if self.request is None or not roles_by_body(self.request.user):
            del self.filters["mine"]  # offered to whoever acts for a party (read already: no query)

    def search(self, queryset: QuerySet[Commitment], name: str, value: str) -> QuerySet[Commitment]:
        if not fold(value):
            return queryset
        return queryset.filter(
            contains("search_text", value)
            | contains("item__search_text", value)
            | contains("agreement__search_text", value)
        )

    def in_province(self, queryset: QuerySet[Commitment], name: str, value: str) -> QuerySet[Commitment]:
        units = in_lineage([int(value)])
        return queryset.filter(agreement__in=Party.objects.filter(units).values("agreement_id"))

    def led_by(self, queryset: QuerySet[Commitment], name: str, value: str) -> QuerySet[Commitment]:
        key = search_key(value)
        if not key:
            return queryset
        return queryset.filter(
            Q(responsible_party__body__search_name__contains=key)
            | Q(responsible_party__coordinating_office__search_name__contains=key)
            | Q(lead_body__search_name__contains=key)
        )

    def in_sector(self, queryset: QuerySet[Commitment], name: str, value: Sector | None) -> QuerySet[Commitment]:
        """Its item's main sector or one of its others."""
        if value is None:
            return queryset
        items = CooperationItem.objects.filter(Q(sector=value) | Q(other_sectors=value))
        return queryset.filter(item__in=items.values("pk"))

    def only_mine(self, queryset: QuerySet[Commitment], name: str, value: bool | None) -> QuerySet[Commitment]:
        """Those of the parties the user acts for, of agreements not archived: what a leader's home counts as
        theirs (reporting.dashboards.leader_home), so that its link lists as many as it says."""
        if not value:
            return queryset
        parties = parties_of(self.request.user).filter(agreement__archived_at__isnull=True)
        return queryset.filter(responsible_party__in=parties.values("pk"))

    def only_overdue(self, queryset: QuerySet[Commitment], name: str, value: bool | None) -> QuerySet[Commitment]:
        # The view starts from Commitment.objects: its queryset class comes through the filters.
        return cast(CommitmentQuerySet, queryset).overdue(clock.today()) if value else queryset
