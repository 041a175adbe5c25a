"""Pages of review meetings: the yearly review report that a meeting is prepared from."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from core.types import AuthenticatedHttpRequest
from meetings.documents import YearlyReviewDocument
from reporting.access import get_agreement_pdf_for
from reporting.document_views import deliver, party_param
from reporting.documents.kinds import DocumentUnavailable


@login_required
@require_GET
def review_pdf(request: AuthenticatedHttpRequest, agreement_id: int, year: int) -> HttpResponseBase:
    agreement, party = get_agreement_pdf_for(request.user, agreement_id, party_param(request))
    try:
        document = YearlyReviewDocument(agreement, year, party, viewer=request.user)
    except DocumentUnavailable as exc:
        raise Http404(str(exc)) from None
    return deliver(request, document)
