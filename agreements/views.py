"""Home dashboard and the agreements a user can see."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from agreements.filters import AgreementFilter
from agreements.models import Commitment, Party, Role
from agreements.permissions import get_agreement_for, party_roles, roles_by_body, visible_agreements
from reporting.models import ProgressReport, ReportingPeriod


def _my_report_queryset(request: HttpRequest) -> list[ProgressReport]:
    body_ids = list(roles_by_body(request.user))
    return list(
        ProgressReport.objects.filter(Q(party__body_id__in=body_ids) | Q(party__coordinating_office_id__in=body_ids))
        .select_related("party__body", "party__coordinating_office", "period__agreement")
        .order_by("-period__start", "party__agreement_id")
    )


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """What needs me: drafts to fill and returned reports (staff), submissions to review (coordinators)."""
    today = timezone.localdate()
    to_fill: list[ProgressReport] = []
    to_review: list[ProgressReport] = []
    recent: list[ProgressReport] = []
    for report in _my_report_queryset(request):
        roles = party_roles(request.user, report.party)
        if Role.STAFF in roles and report.is_editable and report.period.start <= today:
            to_fill.append(report)
        if Role.COORDINATOR in roles and report.state == report.State.SUBMITTED:
            to_review.append(report)
        if report.state != report.State.DRAFT and len(recent) < 10:
            recent.append(report)
    agreements = visible_agreements(request.user).annotate(
        party_count=Count("parties", distinct=True), item_count=Count("items", distinct=True)
    )
    to_fill.sort(key=lambda r: (r.state != r.State.RETURNED, -r.period.deadline.toordinal()))
    return render(
        request,
        "agreements/home.html",
        {"to_fill": to_fill, "to_review": to_review, "recent": recent, "agreements": agreements, "today": today},
    )


@login_required
@require_GET
def agreement_list(request: HttpRequest) -> HttpResponse:
    queryset = (
        visible_agreements(request.user)
        .annotate(party_count=Count("parties", distinct=True), item_count=Count("items", distinct=True))
        .prefetch_related(Prefetch("parties", queryset=Party.objects.select_related("body__unit")))
    )
    agreement_filter = AgreementFilter(request.GET, queryset=queryset)
    return render(request, "agreements/agreement_list.html", {"filter": agreement_filter})


@login_required
@require_GET
def agreement_detail(request: HttpRequest, agreement_id: int) -> HttpResponse:
    agreement = get_agreement_for(request.user, agreement_id)
    parties = list(
        agreement.parties.select_related("body__unit__successor", "coordinating_office", "body__successor__unit")
    )
    items = agreement.items.prefetch_related(
        Prefetch(
            "commitments",
            queryset=Commitment.objects.select_related("responsible_party__body").prefetch_related("supporting_bodies"),
        )
    ).order_by("number")
    periods = list(ReportingPeriod.objects.filter(agreement=agreement).order_by("-start"))
    reports: dict[int, dict[int, ProgressReport]] = defaultdict(dict)
    for report in ProgressReport.objects.filter(period__agreement=agreement).only(
        "pk", "state", "party_id", "period_id"
    ):
        reports[report.period_id][report.party_id] = report
    matrix = [(period, [reports[period.pk].get(party.pk) for party in parties]) for period in periods]
    status_counts = dict(
        Commitment.objects.filter(item__agreement=agreement).values_list("status").annotate(n=Count("pk"))
    )
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "parties": parties,
            "items": items,
            "matrix": matrix,
            "status_counts": [(label, status_counts.get(value, 0)) for value, label in Commitment.Status.choices],
            "today": timezone.localdate(),
            "internal_today": len({p.body.unit.current().pk for p in parties}) == 1,
            "my_party_ids": {p.pk for p in parties if party_roles(request.user, p)},
        },
    )
