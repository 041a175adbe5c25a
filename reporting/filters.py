"""The filters of the reports list: which reports, of which agreements, bodies and periods, in which state."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agreements.filters import in_lineage, province_choices
from agreements.models import Party
from agreements.naming import search_key
from core import clock
from core.listing import DateRange, StableOrderingFilter
from core.search import contains, matches, with_folded
from reporting.models import OfficialDocument, ProgressReport

State = ProgressReport.State


class ReportFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no type information
    q = django_filters.CharFilter(label=_("Tìm kiếm"), method="search")
    province = django_filters.ChoiceFilter(label=_("Tỉnh, thành phố"), method="in_province")
    state = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=State.choices)
    year = django_filters.NumberFilter(label=_("Năm báo cáo"), field_name="period__year")
    deadline = DateRange(label=_("Hạn nộp (từ – đến)"), field_name="period__deadline")
    late = django_filters.BooleanFilter(label=_("Chỉ báo cáo chậm"), method="only_late", widget=forms.CheckboxInput)
    agreement = django_filters.NumberFilter(
        label=pgettext_lazy("column", "Thỏa thuận"), field_name="period__agreement", widget=forms.HiddenInput
    )
    o = StableOrderingFilter(
        label=_("Sắp xếp"),
        fields=(
            ("period__deadline", "deadline"),
            ("submitted_at", "submitted"),
            ("state", "state"),
            ("period__agreement__title", "agreement"),
        ),
        field_labels={
            "period__deadline": _("Hạn nộp"),
            "submitted_at": _("Gửi lúc"),
            "state": _("Trạng thái"),
            "period__agreement__title": pgettext_lazy("column", "Thỏa thuận"),
        },
    )

    class Meta:
        model = ProgressReport
        fields = ["q", "province", "state", "year", "deadline", "late", "agreement"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["province"].extra["choices"] = province_choices()

    def search(self, queryset: QuerySet[ProgressReport], name: str, value: str) -> QuerySet[ProgressReport]:
        """The agreement's title, or the reporting body or its office by name, diacritics aside."""
        key = search_key(value)
        if not key:
            return queryset
        return queryset.filter(
            contains("period__agreement__search_text", value)
            | Q(party__body__search_name__contains=key)
            | Q(party__coordinating_office__search_name__contains=key)
        )

    def in_province(self, queryset: QuerySet[ProgressReport], name: str, value: str) -> QuerySet[ProgressReport]:
        """Reports of the parties in the province, as it was or as it is now."""
        return queryset.filter(party__in=Party.objects.filter(in_lineage([int(value)])))

    def only_late(self, queryset: QuerySet[ProgressReport], name: str, value: bool | None) -> QuerySet[ProgressReport]:
        return queryset.filter(late_reports(clock.today())) if value else queryset


def late_reports(today: Any) -> Q:
    """Sent after the deadline, or past the deadline and not sent (a returned report counts as not sent)."""
    unsent = Q(state__in=(State.DRAFT, State.RETURNED), period__deadline__lt=today)
    sent_late = Q(submitted_at__date__gt=F("period__deadline")) & ~Q(state__in=(State.DRAFT, State.RETURNED))
    return unsent | sent_late


class DocumentFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no type information
    q = django_filters.CharFilter(label=_("Tìm kiếm"), method="search")
    province = django_filters.ChoiceFilter(label=_("Tỉnh, thành phố"), method="in_province")
    kind = django_filters.ChoiceFilter(label=_("Loại văn bản"), choices=OfficialDocument.Kind.choices)
    year = django_filters.NumberFilter(label=_("Năm cấp số"), field_name="number_year")
    issued = DateRange(label=_("Ngày ban hành (từ – đến)"), field_name="issued_on")
    current = django_filters.BooleanFilter(
        label=_("Chỉ văn bản hiện hành"), method="only_current", widget=forms.CheckboxInput
    )
    o = StableOrderingFilter(
        label=_("Sắp xếp"),
        fields=(("issued_on", "issued_on"), ("number", "number"), ("agreement__title", "agreement")),
        field_labels={
            "issued_on": _("Ngày ban hành"),
            "number": _("Số"),
            "agreement__title": pgettext_lazy("column", "Thỏa thuận"),
        },
    )

    class Meta:
        model = OfficialDocument
        fields = ["q", "province", "kind", "year", "issued", "current"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["province"].extra["choices"] = province_choices()

    def search(self, queryset: QuerySet[OfficialDocument], name: str, value: str) -> QuerySet[OfficialDocument]:
        """The agreement's title, the issuing body or the signer, diacritics aside."""
        key = search_key(value)
        if not key:
            return queryset
        return with_folded(queryset, "signer_name").filter(
            contains("agreement__search_text", value)
            | matches("signer_name", value)
            | Q(issuing_body__search_name__contains=key)
            | Q(issuing_party__body__search_name__contains=key)
        )

    def only_current(
        self, queryset: QuerySet[OfficialDocument], name: str, value: bool | None
    ) -> QuerySet[OfficialDocument]:
        # An unticked box is "all", not "only the replaced ones".
        return queryset.filter(is_current=True) if value else queryset

    def in_province(self, queryset: QuerySet[OfficialDocument], name: str, value: str) -> QuerySet[OfficialDocument]:
        """Documents issued in the name of a party in the province, as it was or is now."""
        return queryset.filter(issuing_party__in=Party.objects.filter(in_lineage([int(value)])))
