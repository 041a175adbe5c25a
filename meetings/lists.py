"""The review meetings of the user's agreements as a list, with its filters and exports."""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth.decorators import login_required
from django.db.models import Count, QuerySet
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from agreements.access import visible_agreements
from agreements.filters import in_lineage, province_choices
from agreements.models import Party
from core.listing import DateRange, StableOrderingFilter, page_of
from core.search import contains, matches, with_folded
from core.tabular import Column, Table, filtered_export, listing_table
from core.text import fold
from core.types import AuthenticatedHttpRequest
from meetings.models import ReviewMeeting


class MeetingFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no type information
    q = django_filters.CharFilter(label=_("Tìm kiếm"), method="search")
    province = django_filters.ChoiceFilter(label=_("Tỉnh, thành phố"), method="in_province")
    kind = django_filters.ChoiceFilter(label=_("Loại cuộc họp"), choices=ReviewMeeting.Kind.choices)
    held = DateRange(label=_("Ngày họp (từ – đến)"), field_name="held_on")
    o = StableOrderingFilter(
        label=_("Sắp xếp"),
        fields=(("held_on", "held_on"), ("agreement__title", "agreement"), ("kind", "kind")),
        field_labels={
            "held_on": _("Ngày họp"),
            "agreement__title": pgettext_lazy("column", "Thỏa thuận"),
            "kind": _("Loại cuộc họp"),
        },
    )

    class Meta:
        model = ReviewMeeting
        fields = ["q", "province", "kind", "held"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["province"].extra["choices"] = province_choices()

    def search(self, queryset: QuerySet[ReviewMeeting], name: str, value: str) -> QuerySet[ReviewMeeting]:
        if not fold(value):
            return queryset
        return with_folded(queryset, "place", "minutes").filter(
            contains("agreement__search_text", value) | matches("place", value) | matches("minutes", value)
        )

    def in_province(self, queryset: QuerySet[ReviewMeeting], name: str, value: str) -> QuerySet[ReviewMeeting]:
        units = in_lineage([int(value)])
        return queryset.filter(agreement__in=Party.objects.filter(units).values("agreement_id"))


MEETING_COLUMNS: list[Column[ReviewMeeting]] = [
    Column(pgettext_lazy("column", "Thỏa thuận"), lambda m: m.agreement.title, 50),
    Column(_("Loại cuộc họp"), lambda m: m.get_kind_display(), 22),
    Column(_("Ngày họp"), lambda m: m.held_on, 12),
    Column(_("Địa điểm"), lambda m: m.place, 30),
    Column(_("Bên chủ trì"), lambda m: m.host_party.body.name if m.host_party else "", 36),
    Column(_("Số kết luận"), lambda m: m.decision_count, 10),  # type: ignore[attr-defined]  # annotated below
    # A meeting planned before its day is fixed: the month it is planned for, or "chưa xác định thời gian".
    Column(_("Thời gian dự kiến"), lambda m: "" if m.held_on is not None else m.when_label, 24),
]


def listed_meetings(request: AuthenticatedHttpRequest) -> MeetingFilter:
    queryset = (
        ReviewMeeting.objects.filter(agreement__in=visible_agreements(request.user).values("pk"))
        .select_related("agreement", "host_party__body")
        .annotate(decision_count=Count("decisions"))
    )
    return MeetingFilter(request.GET, queryset=queryset)


@login_required
@require_GET
def meeting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    meeting_filter = listed_meetings(request)
    page = page_of(request, meeting_filter.qs)
    return render(request, "meetings/meeting_list.html", {"filter": meeting_filter, "page": page})


@login_required
@require_GET
def meeting_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    def table(rows: QuerySet[ReviewMeeting]) -> Table[ReviewMeeting]:
        return listing_table(gettext("Cuộc họp đánh giá"), "cuoc-hop", MEETING_COLUMNS, rows)

    return filtered_export(request, listed_meetings(request), fmt, table, "meeting_list")
