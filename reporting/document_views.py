"""Downloads of the official report PDFs, their render progress, and the panel the report pages include.

Thin views: the access helpers of reporting.access decide who may download (leaders and
coordinators; staff get 403), reporting.documents.services decides how the file is made.
The yearly review report's own download is in meetings.views.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from agreements.access import document_parties
from agreements.models import Membership
from core.http import id_param, local_url
from core.types import AuthenticatedHttpRequest
from reporting.access import (
    can_download_report_pdf,
    get_agreement_pdf_for,
    get_period_for,
    get_report_for_read,
    get_report_pdf_for,
)
from reporting.documents import services
from reporting.documents.kinds import (
    DRAFT_PREFIX,
    REGISTRY,
    BaseDocument,
    ConsolidatedReportDocument,
    PartyReportDocument,
    document_for,
)
from reporting.documents.rendering import stored_rows
from reporting.models import OfficialDocument, ProgressReport, ReportingPeriod


class IssueForm(forms.Form):
    """Cấp số: who signs, and the confirmation that a numbered document never changes."""

    signer = forms.ModelChoiceField(queryset=Membership.objects.none(), label=gettext_lazy("Người ký"))
    confirm = forms.BooleanField(
        label=gettext_lazy("Tôi xác nhận cấp số và ban hành; văn bản đã ban hành không thể sửa, chỉ có thể thay thế."),
        error_messages={"required": gettext_lazy("Hãy xác nhận việc cấp số và ban hành văn bản.")},
    )

    def __init__(self, *args: Any, signers: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["signer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Membership.objects.filter(pk__in=[m.pk for m in signers])
        field.error_messages["invalid_choice"] = gettext_lazy(
            "Hãy chọn người ký trong số lãnh đạo của cơ quan ban hành."
        )
        field.error_messages["required"] = gettext_lazy("Hãy chọn người ký.")


def party_param(request: HttpRequest) -> int | None:
    return id_param(request.GET.get("party", ""))


def _query(request: HttpRequest, **changes: str | None) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    return f"?{params.urlencode()}" if params else ""


def deliver(request: AuthenticatedHttpRequest, document: BaseDocument) -> HttpResponseBase:
    """The answer to a download: the PDF, or the progress page while the worker renders it."""
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
def report_pdf(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponseBase:
    report = get_report_pdf_for(request.user, report_id)
    return deliver(request, PartyReportDocument(report, viewer=request.user))


@login_required
@require_GET
def consolidated_pdf(request: AuthenticatedHttpRequest, period_id: int) -> HttpResponseBase:
    period = get_period_for(request.user, period_id)
    _agreement, party = get_agreement_pdf_for(request.user, period.agreement_id, party_param(request))
    return deliver(request, ConsolidatedReportDocument(period, party, viewer=request.user))


def issue(request: AuthenticatedHttpRequest, document: BaseDocument) -> HttpResponse:
    """Issue (cấp số) a document: the signer chosen and the act confirmed; back to the page it was asked from."""
    form = IssueForm(request.POST, signers=services.signers(document))
    back = local_url(request, request.POST.get("next", ""))
    if not back:  # no page to go back to: the document itself, in the name it was issued
        back = document.url()
        if document.kind != OfficialDocument.Kind.PARTY_REPORT:
            back += f"?party={document.issuing_party.pk}"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)
    try:
        stored = services.issue(request.user, document, form.cleaned_data["signer"])
    except services.DocumentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã cấp số %(number)s ngày %(day)s; văn bản đã được ban hành và không thay đổi nữa.")
            % {"number": services.number_text(stored), "day": f"{stored.issued_on:%d/%m/%Y}"},
        )
        notice = services.status(stored)["notice"]
        if notice:  # issued, but its file waits for the background service
            messages.warning(request, notice)
    return redirect(back)


@login_required
@require_POST
def report_issue(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = get_report_pdf_for(request.user, report_id)
    return issue(request, PartyReportDocument(report, viewer=request.user))


@login_required
@require_POST
def consolidated_issue(request: AuthenticatedHttpRequest, period_id: int) -> HttpResponse:
    period = get_period_for(request.user, period_id)
    _agreement, party = get_agreement_pdf_for(request.user, period.agreement_id, party_param(request))
    return issue(request, ConsolidatedReportDocument(period, party, viewer=request.user))


def _stored_for(request: AuthenticatedHttpRequest, document_id: int) -> OfficialDocument:
    stored = get_object_or_404(stored_rows(), pk=document_id)
    if stored.key.startswith(DRAFT_PREFIX) and stored.requested_by_id != request.user.pk:
        raise Http404  # a large draft is drawn for the reader who asked for it, and only for them
    if stored.kind == OfficialDocument.Kind.PARTY_REPORT:
        assert stored.report_id is not None
        get_report_pdf_for(request.user, stored.report_id)
    else:
        get_agreement_pdf_for(request.user, stored.agreement_id, stored.issuing_party_id)
    return stored


@login_required
@require_GET
def document_status(request: AuthenticatedHttpRequest, document_id: int) -> JsonResponse:
    return JsonResponse(services.status(_stored_for(request, document_id)))


@login_required
@require_GET
def document_download(request: AuthenticatedHttpRequest, document_id: int) -> FileResponse:
    """An issued document as it was issued, the replaced ones included."""
    stored = _stored_for(request, document_id)
    if stored.number is None or stored.state != OfficialDocument.State.READY or not stored.file:
        raise Http404
    filename = document_for(stored).filename()
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")


def _panel(request: AuthenticatedHttpRequest, links: list[services.DocumentLink], note: str = "") -> HttpResponse:
    if not links:
        return HttpResponse(status=204)
    busy = any(link.status["busy"] for link in links)
    context = {"links": links, "busy": busy, "next": request.GET.get("next", ""), "note": note}
    return render(request, "documents/_panel.html", context)


def _report_link(request: AuthenticatedHttpRequest, report: ProgressReport) -> services.DocumentLink:
    document = PartyReportDocument(report, viewer=request.user)
    return services.document_link(document, document.link_title(), document.url(), request.user)


def _period_links(request: AuthenticatedHttpRequest, period: ReportingPeriod) -> list[services.DocumentLink]:
    """The period's documents in the name of each party the user issues for (consolidated, yearly review), party
    by party: each kind's links are read together (services.party_links), in the same queries for any parties."""
    parties = document_parties(request.user, period.agreement)
    if not parties:
        return []
    by_party: list[list[services.DocumentLink]] = [[] for _party in parties]
    for kind in REGISTRY.values():
        # A kind offers its document to every party or to none: asked of the first, copied for the others.
        document = kind.for_period(period, parties[0], request.user)
        if document is None:
            continue
        for links, party, link in zip(
            by_party, parties, services.party_links(document, parties, request.user), strict=True
        ):
            if len(parties) > 1:
                link.title += f" ({party.body.name})"
                link.url += f"?party={party.pk}"
            links.append(link)
    return [link for links in by_party for link in links]


@login_required
@require_GET
def report_documents_panel(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    """The report's own PDF for its party's leaders and coordinators; on another party's report, what the
    user may download instead: their own party's report of the period and the period's documents in its name."""
    report = get_report_for_read(request.user, report_id)
    if can_download_report_pdf(request.user, report):
        return _panel(request, [_report_link(request, report)])
    period = report.period
    parties = document_parties(request.user, period.agreement)
    own = period.reports.filter(party__in=parties).select_related("party__body", "period__agreement")
    links = [_report_link(request, other) for other in own.order_by("party__order", "pk")]
    note = _(
        "Văn bản PDF của báo cáo này do bên báo cáo ban hành và chỉ lãnh đạo, bộ phận điều phối của bên đó tải được. "
        "Văn bản của bên bạn trong kỳ này:"
    )
    return _panel(request, links + _period_links(request, period), note=note)  # staff: none, the section hides


@login_required
@require_GET
def period_documents_panel(request: AuthenticatedHttpRequest, period_id: int) -> HttpResponse:
    period = get_period_for(request.user, period_id)
    return _panel(request, _period_links(request, period))
