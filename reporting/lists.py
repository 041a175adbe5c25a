"""The reports list across agreements, and its exports: the same filters on the page and in the files."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from core import clock
from core.listing import page_of
from core.tabular import Column, Table, filtered_export, listing_table
from core.types import AuthenticatedHttpRequest
from reporting.access import issued_documents, readable_reports
from reporting.documents.numbering import format_number
from reporting.filters import DocumentFilter, ReportFilter
from reporting.models import OfficialDocument, ProgressReport


def timeliness(report: ProgressReport) -> str:
    """On time, late, or not sent (yet): what a reporting-rate table says of one report."""
    deadline = report.period.deadline
    if report.submitted_at is None or report.state in (ProgressReport.State.DRAFT, ProgressReport.State.RETURNED):
        return gettext("Chưa gửi, quá hạn") if clock.today() > deadline else gettext("Chưa gửi")
    sent_on = timezone.localdate(report.submitted_at)
    return (
        gettext("Đúng hạn")
        if sent_on <= deadline
        else gettext("Chậm %(days)d ngày") % {"days": (sent_on - deadline).days}
    )


REPORT_COLUMNS: list[Column[ProgressReport]] = [
    Column(pgettext_lazy("column", "Thỏa thuận"), lambda r: r.period.agreement.title, 50),
    Column(pgettext_lazy("column", "Kỳ báo cáo"), lambda r: r.period.label, 24),
    Column(_("Bên báo cáo"), lambda r: r.party.body.name, 36),
    Column(_("Hạn nộp"), lambda r: r.period.deadline, 12),
    Column(_("Trạng thái"), lambda r: r.get_state_display(), 14),
    Column(_("Gửi lúc"), lambda r: r.submitted_at, 18),
    Column(_("Phê duyệt lúc"), lambda r: r.approved_at, 18),
    Column(_("Tình hình nộp"), timeliness, 18),
]


def listed_reports(request: AuthenticatedHttpRequest) -> ReportFilter:
    queryset = readable_reports(request.user).select_related(
        "period__agreement", "party__body", "party__coordinating_office"
    )
    return ReportFilter(request.GET, queryset=queryset)


@login_required
@require_GET
def report_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    report_filter = listed_reports(request)
    page = page_of(request, report_filter.qs, ids_first=True)
    for report in page:
        report.timeliness = timeliness(report)  # for the template
    return render(request, "reporting/report_list.html", {"filter": report_filter, "page": page})


@login_required
@require_GET
def report_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    def table(rows: QuerySet[ProgressReport]) -> Table[ProgressReport]:
        return listing_table(gettext("Báo cáo"), "bao-cao", REPORT_COLUMNS, rows)

    return filtered_export(request, listed_reports(request), fmt, table, "report_list")


def number_text(document: OfficialDocument) -> str:
    """ "05/BC-SCT": the number with the code of the body that issued it."""
    return format_number(document.number, document.issuing_body or document.issuing_party.body)


DOCUMENT_COLUMNS: list[Column[OfficialDocument]] = [
    Column(_("Số"), number_text, 14),
    Column(_("Ngày ban hành"), lambda d: d.issued_on, 12),
    Column(_("Loại văn bản"), lambda d: d.get_kind_display(), 30),
    Column(pgettext_lazy("column", "Thỏa thuận"), lambda d: d.agreement.title, 50),
    Column(_("Cơ quan ban hành"), lambda d: (d.issuing_body or d.issuing_party.body).name, 36),
    Column(_("Người ký"), lambda d: d.signer_name, 24),
    Column(_("Hiện hành"), lambda d: gettext("Có") if d.is_current else gettext("Đã được thay thế"), 14),
]


def listed_documents(request: AuthenticatedHttpRequest) -> DocumentFilter:
    queryset = issued_documents(request.user).select_related(
        "agreement", "issuing_body", "issuing_party__body", "period", "report__period"
    )
    return DocumentFilter(request.GET, queryset=queryset)


@login_required
@require_GET
def document_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    document_filter = listed_documents(request)
    page = page_of(request, document_filter.qs)
    for document in page:
        document.number_text = number_text(document)  # for the template
    return render(request, "reporting/document_list.html", {"filter": document_filter, "page": page})


@login_required
@require_GET
def document_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    def table(rows: QuerySet[OfficialDocument]) -> Table[OfficialDocument]:
        return listing_table(gettext("Văn bản đã ban hành"), "van-ban", DOCUMENT_COLUMNS, rows)

    return filtered_export(request, listed_documents(request), fmt, table, "document_list")
