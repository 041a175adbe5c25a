"""Pages of review meetings: the yearly review report that a meeting is prepared from."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET, require_POST

from core.types import AuthenticatedHttpRequest
from meetings.documents import YearlyReviewDocument
from reporting.access import get_agreement_pdf_for
from reporting.document_views import deliver, issue, party_param
from reporting.documents.kinds import DocumentUnavailable


def _document(request: AuthenticatedHttpRequest, agreement_id: int, year: int) -> YearlyReviewDocument:
    agreement, party = get_agreement_pdf_for(request.user, agreement_id, party_param(request))
    try:
        return YearlyReviewDocument(agreement, year, party, viewer=request.user)
    except DocumentUnavailable as exc:
        raise Http404(str(exc)) from None


@login_required
@require_POST
def review_issue(request: AuthenticatedHttpRequest, agreement_id: int, year: int) -> HttpResponse:
    return issue(request, _document(request, agreement_id, year))


@login_required
@require_GET
def review_pdf(request: AuthenticatedHttpRequest, agreement_id: int, year: int) -> HttpResponseBase:
    return deliver(request, _document(request, agreement_id, year))
