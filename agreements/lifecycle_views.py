"""An agreement's life in the app, for its coordinators: the next period, status changes, amendments, and its
commitments imported from a spreadsheet.  Each view: decorators, get_agreement_for_edit, one service, one template."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agreements import commitment_import, services
from agreements.access import get_agreement_for_edit, is_site_admin, roles_by_body, visible_agreements
from agreements.exports import COMMITMENT_HEADERS
from agreements.lifecycle_forms import AmendmentForm, CommitmentFileForm, StatusChangeForm
from agreements.models import Agreement
from core import clock
from core.models import AuditEntry
from core.trail import describe
from core.types import AuthenticatedHttpRequest

STATUS_HISTORY = 20  # changes of status listed on the status page (the history page has them all)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_renew(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    """What the next period will be (today's parties, the items, the period), and the button that drafts it."""
    agreement = get_agreement_for_edit(request.user, agreement_id)
    if request.method == "POST":
        try:
            successor = services.prepare_successor(request.user, agreement)
        except services.AgreementError as exc:
            messages.error(request, exc.message)
            return redirect("agreement_renew", agreement.pk)
        if visible_agreements(request.user).filter(pk=successor.pk).exists():
            messages.success(
                request,
                _("Đã tạo dự thảo giai đoạn %(period)s. Hãy rà soát các bên, nội dung hợp tác và cam kết rồi ban hành.")
                % {"period": successor.period_label},
            )
            return redirect("agreement_detail", successor.pk)
        messages.success(
            request,
            _(
                "Đã tạo dự thảo giai đoạn %(period)s. Các bên của giai đoạn mới là các cơ quan hiện nay; bộ phận "
                "điều phối của các cơ quan đó rà soát và ban hành dự thảo."
            )
            % {"period": successor.period_label},
        )
        return redirect("agreement_detail", agreement.pk)
    draft = agreement.successors.filter(status=Agreement.Status.DRAFT).first()
    parties = services.successor_parties(agreement) if not agreement.is_draft else []
    held = roles_by_body(request.user)
    start, end = services.next_period(agreement)
    return render(
        request,
        "agreements/lifecycle/renew.html",
        {
            "agreement": agreement,
            "draft": draft,
            "draft_visible": draft is not None and visible_agreements(request.user).filter(pk=draft.pk).exists(),
            "parties": parties,
            # The new parties are today's bodies: an account of a body that has ended does not act for them.
            "will_see": is_site_admin(request.user)
            or any(
                held.get(p.body.pk) or (p.coordinating_office is not None and held.get(p.coordinating_office.pk))
                for p in parties
            ),
            "start": start,
            "end": end,
            "item_count": agreement.items.count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_status(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    """Change the status (in force, expired, terminated, superseded) with the day it takes effect."""
    agreement = get_agreement_for_edit(request.user, agreement_id)
    form = StatusChangeForm(
        request.POST if request.method == "POST" else None, agreement=agreement, initial={"effective_on": clock.today()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_status(request.user, agreement, data["status"], data["effective_on"], note=data["note"])
        except services.AgreementError as exc:
            form.add_error(None, exc.message)
        else:
            agreement.refresh_from_db()
            messages.success(
                request,
                _("Đã chuyển tình trạng thỏa thuận sang “%(status)s”.") % {"status": agreement.get_status_display()},
            )
            return redirect("agreement_detail", agreement.pk)
    changes = AuditEntry.objects.filter(agreement_id=agreement.pk, action="agreement.status").order_by(
        "-created_at", "-pk"
    )[:STATUS_HISTORY]
    return render(
        request,
        "agreements/lifecycle/status.html",
        {"agreement": agreement, "form": form, "changes": [describe(entry) for entry in changes]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_amend(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    """The amendments of an agreement (date, document, what changed), and the form that records one."""
    agreement = get_agreement_for_edit(request.user, agreement_id)
    form = AmendmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_amendment(
                request.user,
                agreement,
                amended_on=data["amended_on"],
                summary=data["summary"],
                document_number=data["document_number"],
            )
        except services.AgreementError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã ghi nhận văn bản sửa đổi, bổ sung."))
            return redirect(reverse("agreement_amend", args=[agreement.pk]) + "#amendments")
    return render(
        request,
        "agreements/lifecycle/amendments.html",
        {"agreement": agreement, "form": form, "amendments": agreement.amendments.select_related("recorded_by")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def commitment_import_view(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    """Upload a spreadsheet of commitments, see what it would do (or its errors, row by row), then confirm."""
    agreement = get_agreement_for_edit(request.user, agreement_id)
    confirming = request.method == "POST" and "payload" in request.POST
    upload = CommitmentFileForm(request.POST, request.FILES) if request.method == "POST" else CommitmentFileForm()
    result = None
    payload = ""
    refused = ""
    try:
        if confirming:  # the confirmation of a preview: its rows come back signed, checked again, written
            sheet = commitment_import.unsign(request.POST.get("payload", ""), agreement, request.user)
            result = commitment_import.import_commitments(request.user, agreement, sheet, commit=True)
            if result.written:
                messages.success(
                    request,
                    _("Đã nhập cam kết từ tệp “%(file)s”: %(new)d thêm mới, %(updated)d cập nhật, %(same)d không đổi.")
                    % {"file": sheet.filename, "new": result.new, "updated": result.updated, "same": result.unchanged},
                )
                return redirect("agreement_detail", agreement.pk)
        elif request.method == "POST" and upload.is_valid():
            sheet = commitment_import.read_upload(upload.cleaned_data["file"])
            result = commitment_import.import_commitments(request.user, agreement, sheet, commit=False)
            if not result.errors:
                payload = commitment_import.sign(sheet, agreement, request.user)
    except commitment_import.ImportRefused as exc:
        refused = exc.message
    return render(
        request,
        "agreements/commitment_import.html",
        {
            "agreement": agreement,
            "form": CommitmentFileForm() if confirming else upload,
            "result": result,
            "payload": payload,
            "refused": refused,
            "headers": [str(COMMITMENT_HEADERS[key]) for key in commitment_import.READ if key != "agreement"],
            "required": [str(COMMITMENT_HEADERS[key]) for key in commitment_import.REQUIRED],
            "limit": commitment_import.MAX_ROWS,
        },
    )
