"""Downloads of the official report PDFs, their render progress, and the panel the report pages include.

Thin views: the permission helpers of agreements.permissions decide who may download (leaders
and coordinators; staff get 403), reporting.documents.services decides how the file is made.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agreements.permissions import (
    document_parties,
    get_agreement_pdf_for,
    get_period_for,
    get_report_pdf_for,
)
from reporting.documents import services
from reporting.documents.kinds import (
    BaseDocument,
    ConsolidatedReportDocument,
    DocumentUnavailable,
    PartyReportDocument,
    YearlyReviewDocument,
)
from reporting.models import OfficialDocument, ReportingPeriod


def _party_param(request: HttpRequest) -> int | None:
    value = request.GET.get("party", "")
    return int(value) if value.isdigit() else None


def _query(request: HttpRequest, **changes: str | None) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    return f"?{params.urlencode()}" if params else ""


def _deliver(request: HttpRequest, document: BaseDocument) -> HttpResponseBase:
    if request.GET.get("format") == "html":  # the same document in the browser (charts, layout)
        return HttpResponse(document.html(for_browser=True))
    delivery = services.deliver(document, request.user, retry=request.GET.get("retry") == "1")
    if delivery.generated is not None:
        response = HttpResponse(delivery.generated.data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{delivery.filename}"'
        return response
    stored = delivery.stored
    assert stored is not None
    if delivery.ready:
        return FileResponse(
            stored.file.open("rb"), as_attachment=True, filename=delivery.filename, content_type="application/pdf"
        )
    context = {
        "document": document,
        "stored": stored,
        "status": services.status(stored),
        "status_url": reverse("document_status", args=[stored.pk]),
        "download_url": request.path + _query(request, retry=None),
        "retry_url": request.path + _query(request, retry="1"),
    }
    return render(request, "documents/progress.html", context, status=202)


@login_required
@require_GET
def report_pdf(request: HttpRequest, report_id: int) -> HttpResponseBase:
    report = get_report_pdf_for(request.user, report_id)
    return _deliver(request, PartyReportDocument(report, viewer=request.user))


@login_required
@require_GET
def consolidated_pdf(request: HttpRequest, period_id: int) -> HttpResponseBase:
    period = get_period_for(request.user, period_id)
    _agreement, party = get_agreement_pdf_for(request.user, period.agreement_id, _party_param(request))
    return _deliver(request, ConsolidatedReportDocument(period, party, viewer=request.user))


@login_required
@require_GET
def review_pdf(request: HttpRequest, agreement_id: int, year: int) -> HttpResponseBase:
    agreement, party = get_agreement_pdf_for(request.user, agreement_id, _party_param(request))
    try:
        document = YearlyReviewDocument(agreement, year, party, viewer=request.user)
    except DocumentUnavailable as exc:
        raise Http404(str(exc)) from None
    return _deliver(request, document)


@login_required
@require_GET
def document_status(request: HttpRequest, document_id: int) -> JsonResponse:
    stored = get_object_or_404(OfficialDocument, pk=document_id)
    if stored.kind == OfficialDocument.Kind.PARTY_REPORT:
        assert stored.report_id is not None
        get_report_pdf_for(request.user, stored.report_id)
    else:
        get_agreement_pdf_for(request.user, stored.agreement_id, stored.issuing_party_id)
    return JsonResponse(services.status(stored))


def _panel(request: HttpRequest, links: list[services.DocumentLink]) -> HttpResponse:
    if not links:
        return HttpResponse(status=204)
    busy = any(link.status["busy"] for link in links)
    return render(request, "documents/_panel.html", {"links": links, "busy": busy})


@login_required
@require_GET
def report_documents_panel(request: HttpRequest, report_id: int) -> HttpResponse:
    try:
        report = get_report_pdf_for(request.user, report_id)
    except PermissionDenied:
        return HttpResponse(status=204)  # staff: nothing to offer
    document = PartyReportDocument(report, viewer=request.user)
    url = reverse("document_report_pdf", args=[report.pk])
    return _panel(
        request,
        [
            services.document_link(
                document,
                _("Báo cáo %(period)s của %(party)s") % {"period": report.period.label, "party": report.party},
                url,
            )
        ],
    )


@login_required
@require_GET
def period_documents_panel(request: HttpRequest, period_id: int) -> HttpResponse:
    period: ReportingPeriod = get_period_for(request.user, period_id)
    parties = document_parties(request.user, period.agreement)
    links = []
    for party in parties:
        suffix = f"?party={party.pk}" if len(parties) > 1 else ""
        by = f" ({party.body.name})" if len(parties) > 1 else ""
        links.append(
            services.document_link(
                ConsolidatedReportDocument(period, party, viewer=request.user),
                _("Báo cáo tổng hợp %(period)s") % {"period": period.label} + by,
                reverse("document_consolidated_pdf", args=[period.pk]) + suffix,
            )
        )
        review: Any = YearlyReviewDocument(period.agreement, period.year, party, viewer=request.user)
        links.append(
            services.document_link(
                review,
                _("Báo cáo đánh giá năm %(year)s (họp định kỳ hàng năm)") % {"year": period.year} + by,
                reverse("document_review_pdf", args=[period.agreement_id, period.year]) + suffix,
            )
        )
    return _panel(request, links)
