"""Pages of the reporting process. Each view is short: permission helper, form, service, response."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from agreements.models import Commitment
from agreements.permissions import (
    can_edit_report,
    can_review_report,
    get_evidence_for,
    get_period_for,
    get_report_for,
    is_agreement_coordinator,
    my_parties,
)
from reporting import services
from reporting.consolidation import consolidate
from reporting.forms import EntryForm, ReopenForm, ReportFieldsForm, ReturnForm
from reporting.models import EntryRevision, Evidence, ProgressEntry, ProgressReport, ReportTransition

FIELD_LABELS = {f.name: f.verbose_name for f in ProgressEntry._meta.fields} | {
    f.name: f.verbose_name for f in ProgressReport._meta.fields
}
STATUS_LABELS = dict(Commitment.Status.choices)


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _change_row(name: str, before: Any, after: Any) -> tuple[Any, Any, Any]:
    """One line of a diff as a person reads it: field label, and status codes as their names."""
    if name == "status":
        before, after = STATUS_LABELS.get(before, before), STATUS_LABELS.get(after, after)
    return FIELD_LABELS.get(name, name), before, after


def _entry_queryset(report: ProgressReport) -> QuerySet[ProgressEntry]:
    return report.entries.select_related("commitment__item", "updated_by").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at"))
    )


def _entries(report: ProgressReport) -> list[ProgressEntry]:
    return list(_entry_queryset(report))


def _previous_entries(report: ProgressReport) -> dict[int, ProgressEntry]:
    previous = (
        ProgressReport.objects.filter(party=report.party, period__start__lt=report.period.start)
        .order_by("-period__start")
        .first()
    )
    if previous is None:
        return {}
    return {e.commitment_id: e for e in previous.entries.all()}


@login_required
@require_GET
def period_detail(request: HttpRequest, period_id: int) -> HttpResponse:
    period = get_period_for(request.user, period_id)
    consolidated = consolidate(period, viewer=request.user)
    today = timezone.localdate()
    return render(
        request,
        "reporting/period_detail.html",
        {
            "period": period,
            "agreement": period.agreement,
            "consolidated": consolidated,
            "report_rows": [
                (party, consolidated.reports.get(party.pk), consolidated.visible[party.pk])
                for party in consolidated.parties
            ],
            "overdue": period.is_overdue(today),
            "is_coordinator": is_agreement_coordinator(request.user, period.agreement),
            "mine": {p.pk for p in my_parties(request.user, period.agreement)},
        },
    )


@login_required
@require_GET
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for(request.user, report_id)
    entries = _entries(report)
    context = {
        "report": report,
        "period": report.period,
        "agreement": report.period.agreement,
        "entries": entries,
        "transitions": report.transitions.select_related("actor"),
        "can_edit": can_edit_report(request.user, report) and report.is_editable,
        "can_submit": can_edit_report(request.user, report) and report.is_editable,
        "can_review": can_review_report(request.user, report),
        "return_form": ReturnForm(entries=entries),
        "reopen_form": ReopenForm(),
    }
    return render(request, "reporting/report_detail.html", context)


def _conflict_rows(conflict: services.EditConflict | None) -> list[tuple[Any, Any, Any]]:
    if conflict is None:
        return []
    return [_change_row(name, now, yours) for name, (now, yours) in conflict.changes.items()]


def _save_draft(
    request: HttpRequest, report: ProgressReport, report_form: ReportFieldsForm, entry_forms: list[EntryForm]
) -> HttpResponse | dict[str, services.EditConflict]:
    """Save the posted draft; a redirect on success, the conflicts (maybe none) otherwise."""
    if not (report_form.is_valid() & all([form.is_valid() for form in entry_forms])):
        messages.error(
            request, _("Chưa lưu được: hãy sửa các ô được đánh dấu bên dưới. Nội dung bạn đã nhập vẫn còn nguyên.")
        )
        return {}
    edits = [
        services.EntryEdit(
            entry=form.instance,
            values={n: form.cleaned_data[n] for n in form.changed_data if n in ProgressEntry.TRACKED_FIELDS},
            version=form.cleaned_data["version"],
            upload=form.cleaned_data.get("evidence"),
        )
        for form in entry_forms
    ]
    report_values = {n: report_form.cleaned_data[n] for n in report_form.changed_data if n in services.REPORT_FIELDS}
    try:
        services.save_draft(request.user, report, report_values, report_form.cleaned_data["version"], edits)
    except services.DraftConflict as exc:
        messages.error(request, exc.message)
        return exc.conflicts
    except services.ReportingError as exc:
        messages.error(request, exc.message)
        return {}
    if "submit" in request.POST:
        try:
            services.submit_report(request.user, report)
        except services.ReportingError as exc:
            messages.error(request, exc.message)
            return redirect("report_edit", report.pk)
        messages.success(request, _("Đã gửi báo cáo cho bộ phận điều phối."))
        return redirect("report_detail", report.pk)
    messages.success(request, _("Đã lưu nháp."))
    return redirect("report_edit", report.pk)


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for(request.user, report_id, "edit")
    if not report.is_editable:
        messages.error(
            request, _("Báo cáo đang ở trạng thái “%(s)s”, không thể chỉnh sửa.") % {"s": report.get_state_display()}
        )
        return redirect("report_detail", report.pk)
    services.sync_entries(report)
    entries = _entries(report)
    data = request.POST.copy() if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None

    def build(data: Any, files: Any) -> tuple[ReportFieldsForm, list[EntryForm]]:
        report_form = ReportFieldsForm(data, instance=report, initial={"version": report.version}, prefix="report")
        entry_forms = [
            EntryForm(data, files, instance=entry, initial={"version": entry.version}, prefix=f"e{entry.pk}")
            for entry in entries
        ]
        return report_form, entry_forms

    report_form, entry_forms = build(data, files)
    conflicts: dict[str, services.EditConflict] = {}
    if request.method == "POST":
        outcome = _save_draft(request, report, report_form, entry_forms)
        if isinstance(outcome, HttpResponse):
            return outcome
        conflicts = outcome
        if conflicts:
            # Keep what the user typed, but based on what is stored now, so saving again is deliberate.
            if "report" in conflicts:
                report_form.rebase(data, conflicts["report"].current)
            for form in entry_forms:
                if f"entry-{form.instance.pk}" in conflicts:
                    form.rebase(data, conflicts[f"entry-{form.instance.pk}"].current)
            report_form, entry_forms = build(data, None)
    previous = _previous_entries(report)
    rows = [
        {
            "entry": form.instance,
            "form": form,
            "previous": previous.get(form.instance.commitment_id),
            "conflict_rows": _conflict_rows(conflicts.get(f"entry-{form.instance.pk}")),
        }
        for form in entry_forms
    ]
    return render(
        request,
        "reporting/report_edit.html",
        {
            "report": report,
            "period": report.period,
            "agreement": report.period.agreement,
            "report_form": report_form,
            "rows": rows,
            "report_conflict_rows": _conflict_rows(conflicts.get("report")),
        },
    )


@login_required
@require_POST
def report_entry_save(request: HtmxHttpRequest, report_id: int, entry_id: int) -> HttpResponse:
    """Save one entry in place (htmx); without htmx, the same post goes back to the full form."""
    report = get_report_for(request.user, report_id, "edit")
    entry = get_object_or_404(_entry_queryset(report), pk=entry_id)
    prefix = f"e{entry.pk}"
    data = request.POST.copy()
    form = EntryForm(data, request.FILES, instance=entry, prefix=prefix)
    error, conflict_rows, saved = "", [], False
    if not report.is_editable:
        error = _("Báo cáo đang ở trạng thái “%(s)s”, không thể chỉnh sửa.") % {"s": report.get_state_display()}
    elif form.is_valid():
        edit = services.EntryEdit(
            entry=entry,
            values={n: form.cleaned_data[n] for n in form.changed_data if n in ProgressEntry.TRACKED_FIELDS},
            version=form.cleaned_data["version"],
            upload=form.cleaned_data.get("evidence"),
        )
        try:
            services.save_draft(request.user, report, None, report.version, [edit])
        except services.DraftConflict as exc:
            conflict = exc.conflicts[f"entry-{entry.pk}"]
            form.rebase(data, conflict.current)
            form = EntryForm(data, instance=entry, prefix=prefix)
            conflict_rows = _conflict_rows(conflict)
            error = exc.message
        except services.ReportingError as exc:
            error = exc.message
        else:
            saved = True
            entry = _entry_queryset(report).get(pk=entry.pk)
            form = EntryForm(instance=entry, initial={"version": entry.version}, prefix=prefix)
    if not request.htmx:
        if error:
            messages.error(request, error)
        elif saved:
            messages.success(request, _("Đã lưu."))
        else:
            messages.error(request, _("Chưa lưu được: hãy sửa các ô được đánh dấu."))
        return redirect(reverse("report_edit", args=[report.pk]) + f"#entry-{entry.pk}")
    row = {"entry": entry, "form": form, "conflict_rows": conflict_rows, "error": error}
    return render(request, "reporting/_entry_fieldset.html", {"row": row, "report": report, "saved": saved})


def _transition(request: HttpRequest, report: ProgressReport, move: Callable[[], object], done: str) -> HttpResponse:
    """Run one move of the review workflow and go back to the report with its outcome."""
    try:
        move()
        messages.success(request, done)
    except services.ReportingError as exc:
        messages.error(request, exc.message)
    return redirect("report_detail", report.pk)


@login_required
@require_POST
def report_submit(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for(request.user, report_id, "edit")
    return _transition(
        request,
        report,
        lambda: services.submit_report(request.user, report),
        _("Đã gửi báo cáo cho bộ phận điều phối."),
    )


@login_required
@require_POST
def report_return(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for(request.user, report_id, "review")
    form = ReturnForm(request.POST, entries=list(report.entries.select_related("commitment")))
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, str(error))
        return redirect("report_detail", report.pk)
    return _transition(
        request,
        report,
        lambda: services.return_report(request.user, report, form.cleaned_data["comment"], form.entry_comments()),
        _("Đã trả lại báo cáo để chuyên viên chỉnh sửa."),
    )


@login_required
@require_POST
def report_approve(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for(request.user, report_id, "review")
    return _transition(
        request,
        report,
        lambda: services.approve_report(request.user, report),
        _("Đã phê duyệt báo cáo. Báo cáo đã được khóa."),
    )


@login_required
@require_POST
def report_reopen(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for(request.user, report_id, "review")
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi lý do mở lại báo cáo đã phê duyệt."))
        return redirect("report_detail", report.pk)
    return _transition(
        request,
        report,
        lambda: services.reopen_report(request.user, report, form.cleaned_data["reason"]),
        _("Đã mở lại báo cáo để chỉnh sửa."),
    )


@login_required
@require_GET
def report_history(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for(request.user, report_id)
    revisions = (
        EntryRevision.objects.filter(entry__report=report)
        .select_related("actor", "entry__commitment__item")
        .order_by("-created_at", "-pk")
    )
    rows = [
        {
            "revision": r,
            "changes": [_change_row(name, old, new) for name, (old, new) in r.changes.items()],
        }
        for r in revisions
    ]
    transitions = ReportTransition.objects.filter(report=report).select_related("actor").order_by("-created_at")
    return render(
        request,
        "reporting/report_history.html",
        {
            "report": report,
            "period": report.period,
            "agreement": report.period.agreement,
            "rows": rows,
            "transitions": transitions,
        },
    )


@login_required
@require_GET
def evidence_download(request: HttpRequest, evidence_id: int) -> FileResponse:
    evidence = get_evidence_for(request.user, evidence_id)
    response = FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name)
    response["Content-Type"] = evidence.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def evidence_delete(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence = get_evidence_for(request.user, evidence_id, "edit")
    report_id = evidence.entry.report_id
    try:
        services.remove_evidence(request.user, evidence)
        messages.success(request, _("Đã xóa tệp minh chứng."))
    except services.ReportingError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("report_edit", args=[report_id]))
