"""The agreements a user can see. An agreement's own page, with its reports, is in reporting.views."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from agreements.access import can_create_agreements, get_agreement_for, visible_agreements, visible_commitments
from agreements.exports import agreement_table, commitment_table
from agreements.filters import AgreementFilter, CommitmentFilter
from agreements.models import AdministrativeUnit, CooperationItem, Party
from core import clock, uploads
from core.listing import page_of
from core.tabular import filtered_export
from core.text import fold
from core.types import AuthenticatedHttpRequest


def parties_then_and_now() -> QuerySet[Party]:
    """Parties with what their province was then (its name of the time) and is now (with what it absorbed).

    A fixed number of queries however many agreements and parties are listed.
    """
    # The unit prefetched, not joined: every party of a province then shares one unit object, whose names and
    # predecessors are read once (joined, each party row had its own copy, and prefetching into each copy cost
    # a fifth of the list's time).
    units = AdministrativeUnit.objects.select_related("successor").prefetch_related(
        "names", "predecessors", "successor__predecessors"
    )
    return Party.objects.select_related("body").prefetch_related(Prefetch("body__unit", queryset=units))


def listed_agreements(request: AuthenticatedHttpRequest) -> AgreementFilter:
    """The user's agreements as the list's filters, search and sorting leave them (the page and its exports)."""
    items_per_agreement = (
        CooperationItem.objects.filter(agreement=OuterRef("pk")).order_by().values("agreement").annotate(n=Count("pk"))
    ).values("n")
    queryset = (
        visible_agreements(request.user)
        .filter(archived_at__isnull=True)  # archived in the admin: kept with its reports, off the list
        # Counted per listed row, not by joining every agreement's parties and items before the page is cut.
        .annotate(item_count=Coalesce(Subquery(items_per_agreement), 0))
        .prefetch_related(Prefetch("parties", queryset=parties_then_and_now(), to_attr="listed_parties"))
    )
    return AgreementFilter(request.GET, queryset=queryset)


@login_required
@require_GET
def agreement_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    agreement_filter = listed_agreements(request)
    page = page_of(request, agreement_filter.qs)
    return render(
        request,
        "agreements/agreement_list.html",
        {"filter": agreement_filter, "page": page, "can_create": can_create_agreements(request.user)},
    )


@login_required
@require_GET
def agreement_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    return filtered_export(request, listed_agreements(request), fmt, agreement_table, "agreement_list")


def listed_commitments(request: AuthenticatedHttpRequest) -> CommitmentFilter:
    """Commitments of the user's agreements, as the list's filters leave them (the page and its exports)."""
    # By due date unless sorted otherwise: what comes due first, read from an index (commitment_due_order);
    # the model's order, by item number, means nothing across agreements and sorted 100,000 rows for an admin.
    queryset = (
        visible_commitments(request.user)
        .select_related("item__agreement", "responsible_party__body", "responsible_party__coordinating_office")
        .order_by("due_on", "pk")
    )
    return CommitmentFilter(request.GET, queryset=queryset, request=request)


@login_required
@require_GET
def commitment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    commitment_filter = listed_commitments(request)
    page = page_of(request, commitment_filter.qs, ids_first=True)
    today = clock.today()
    for commitment in page:
        commitment.overdue = commitment.is_overdue(today)  # for the template
    return render(request, "agreements/commitment_list.html", {"filter": commitment_filter, "page": page})


@login_required
@require_GET
def commitment_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    return filtered_export(request, listed_commitments(request), fmt, commitment_table, "commitment_list")


@login_required
@require_GET
def signed_document_download(request: AuthenticatedHttpRequest, agreement_id: int) -> FileResponse:
    """The scan of the signed agreement, for every party's members: the files are not under any public URL."""
    agreement = get_agreement_for(request.user, agreement_id)
    if not agreement.signed_document:
        raise Http404
    name = agreement.signed_document.name or ""
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"  # named by its detected type
    stem = slugify(fold(agreement.number)) or str(agreement.pk)  # "01/CTr-LK10" -> "01ctr-lk10"
    return uploads.download_response(
        agreement.signed_document, f"van-ban-da-ky-{stem}{Path(name).suffix}", content_type
    )
