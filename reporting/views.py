"""Pages of the reporting process. Each view is short: permission helper, form, service, response."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, QuerySet
from django.http import FileResponse, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from agreements.access import (
    get_agreement_for,
    get_agreement_for_audit,
    is_agreement_coordinator,
    my_parties,
    party_roles,
    visible_agreements,
)
from agreements.models import Agreement, Commitment, prefetch_chains
from core import clock, uploads
from core.http import id_param
from core.listing import page_of
from core.models import AuditEntry
from core.numbers import format_decimal
from core.related import share
from core.trail import describe, kinds
from core.types import AuthenticatedHttpRequest
from core.uploads import accepts_uploads
from reporting import dashboard_views, item_pages, workflow
from reporting.access import (
    can_download_report_pdf,
    can_edit_report,
    can_review_report,
    get_evidence_for_edit,
    get_evidence_for_read,
    get_period_for,
    get_report_for_edit,
    get_report_for_read,
    get_report_for_review,
    offers_documents,
    private_audit_entries,
)
from reporting.dashboards import is_leader
from reporting.forms import EntryForm, ReopenForm, ReportFieldsForm, ReturnForm
from reporting.models import EntryRevision, Evidence, ProgressEntry, ProgressReport, ReportingPeriod, ReportTransition
from reporting.queries import (
    consolidate,
    previous_entries,
    previous_entry,
    reports_to_fill,
    reports_to_review,
    submission_check,
)

FIELD_LABELS = {f.name: f.verbose_name for f in ProgressEntry._meta.fields} | {
    f.name: f.verbose_name for f in ProgressReport._meta.fields
}
STATUS_LABELS = dict(Commitment.Status.choices)
NUMBER_FIELDS = ("percent_complete", "actual_value")
NOTHING = "—"
HOME_ROWS = 20  # reports to fill and to review on the home page; the reports list has them all


class HtmxHttpRequest(AuthenticatedHttpRequest):
    htmx: HtmxDetails


def _shown(name: str, value: Any) -> Any:
    """A stored value as a person reads it: a status by its name, a figure in the page's notation, 0 as 0.

    Only nothing (None or "") is shown as "—"; figures come from the trail as text ("101000.0000").
    """
    if value is None or value == "":
        return NOTHING
    if name == "status":
        return STATUS_LABELS.get(value, value)
    if name in NUMBER_FIELDS and not isinstance(value, bool):
        try:
            return format_decimal(Decimal(str(value)))
        except (InvalidOperation, ValueError):
            return value
    return value


def _change_row(name: str, before: Any, after: Any) -> tuple[Any, Any, Any]:
    """One line of a diff as a person reads it: field label, then the values before and after."""
    return FIELD_LABELS.get(name, name), _shown(name, before), _shown(name, after)


SAVED_FIELDS = (*ProgressEntry.TRACKED_FIELDS, "version", "updated_at", "updated_by")


def _copy(saved: ProgressEntry, entry: ProgressEntry) -> None:
    """The values save_entry wrote (the form's own validators kept them within the columns' precision)."""
    for name in SAVED_FIELDS:
        setattr(entry, name, getattr(saved, name))


def _entry_queryset(report: ProgressReport) -> QuerySet[ProgressEntry]:
    return report.entries.select_related("commitment__item").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at"))
    )


@login_required
@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What needs me: drafts to fill and returned reports (staff), submissions to review (coordinators); a
    leader's is their dashboard (reporting.dashboard_views.leader_home)."""
    today = clock.today()
    # A coordinator of 500 agreements has hundreds of reports waiting: the first ones, and the reports list for all.
    to_review = list(reports_to_review(request.user)[: HOME_ROWS + 1])
    context: dict[str, object] = {
        "to_review": to_review[:HOME_ROWS],
        "more_to_review": len(to_review) > HOME_ROWS,
        "today": today,
    }
    if is_leader(request.user):  # their dashboard lists their agreements and what is late, not drafts to fill
        return dashboard_views.leader_home(request, context)
    to_fill = list(reports_to_fill(request.user, today)[: HOME_ROWS + 1])
    agreements = visible_agreements(request.user).annotate(party_count=Count("parties", distinct=True))
    context |= {"to_fill": to_fill[:HOME_ROWS], "more_to_fill": len(to_fill) > HOME_ROWS, "agreements": agreements}
    return render(request, "agreements/home.html", {**context, "page": page_of(request, agreements)})


def _item_of_commitment(agreement: Agreement, value: str) -> int | None:
    """The id of the item holding the agreement's commitment `value` (an id as typed in a URL), if it is one."""
    pk = id_param(value)
    if pk is None:
        return None
    item_id: int | None = (
        Commitment.objects.filter(pk=pk, agreement=agreement).values_list("item_id", flat=True).first()
    )
    return item_id


@login_required
@require_GET
def agreement_detail(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    """An agreement with its parties, items and commitments, and the reporting matrix of periods × parties."""
    agreement = get_agreement_for(request.user, agreement_id)
    # The bodies they became are prefetch_chains' (read with their units), not joined here as well.
    parties = list(
        agreement.parties.select_related("body__unit__successor", "coordinating_office").prefetch_related(
            "body__unit__names"  # the names as signed (Party.name_then)
        )
    )
    prefetch_chains(party.body for party in parties)  # what each is today (Body.today_label)
    # A page of items at a time, as the period page (reporting.item_pages); `?commitment=<id>` (the links to a
    # commitment, with its #commitment-<id> anchor) shows the page that holds it.
    pager = item_pages.pager(
        request,
        item_pages.agreement_outline(agreement.pk),
        item_pages.PERIOD_ROWS,
        holding=_item_of_commitment(agreement, request.GET.get("commitment", "")),
    )
    if pager.jump:
        return redirect(pager.jump)
    # Prefetched into lists (to_attr): into a manager, Django clones a queryset per item and per commitment.
    # Their parties are the ones read above (core.related.share), not joined into every commitment.
    items = list(
        agreement.items.filter(pk__in=pager.item_ids)
        .select_related("sector")
        .prefetch_related(
            "other_sectors",
            Prefetch(
                "commitments",
                queryset=Commitment.objects.select_related("lead_body").prefetch_related(
                    Prefetch("supporting_bodies", to_attr="supporting")
                ),
                to_attr="commitment_list",
            ),
        )
        .order_by("number")
    )
    share((c for item in items for c in item.commitment_list), "responsible_party", parties)
    periods = list(ReportingPeriod.objects.filter(agreement=agreement).order_by("-start"))
    reports: dict[int, dict[int, ProgressReport]] = defaultdict(dict)
    # Unordered: the model's order (period start, party order) would join both tables for a dict.
    for report in (
        ProgressReport.objects.filter(period__agreement=agreement)
        .only("pk", "state", "party_id", "period_id")
        .order_by()
    ):
        reports[report.period_id][report.party_id] = report
    matrix = [(period, [reports[period.pk].get(party.pk) for party in parties]) for period in periods]
    # Periods before the "tracked from" date of an agreement entered after the fact: shown, never reported.
    untracked = [w for w in reversed(workflow.agreement_windows(agreement)) if not agreement.tracks(w.end)]
    status_counts = dict(Commitment.objects.filter(agreement=agreement).values_list("status").annotate(n=Count("pk")))
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "parties": parties,
            "items": items,
            "pager": pager,
            "matrix": matrix,
            "untracked": untracked,
            "status_counts": [(label, status_counts.get(value, 0)) for value, label in Commitment.Status.choices],
            "today": clock.today(),
            "internal_today": agreement.is_internal_today(parties),
            "my_party_ids": {p.pk for p in parties if party_roles(request.user, p)},
            "is_coordinator": is_agreement_coordinator(request.user, agreement),
        },
    )


@login_required
@require_GET
def agreement_audit(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    """The agreement's history: every change to it and to what hangs on it, newest first, by kind of object."""
    agreement = get_agreement_for_audit(request.user, agreement_id)
    trail = AuditEntry.objects.filter(agreement_id=agreement.pk)
    kind = request.GET.get("kind", "")
    page = page_of(request, (trail.filter(object_type=kind) if kind else trail).order_by("-created_at", "-pk"))
    entries = list(page.object_list)
    private = private_audit_entries(request.user, entries)
    return render(
        request,
        "reporting/agreement_audit.html",
        {
            "agreement": agreement,
            "page": page,
            "lines": [describe(entry, private=entry.pk in private) for entry in entries],
            "kind": kind,
            "kinds": kinds(trail.order_by().values_list("object_type", flat=True).distinct()),
        },
    )


@login_required
@require_GET
def period_detail(request: AuthenticatedHttpRequest, period_id: int) -> HttpResponse:
    """Every party's entries side by side, a page of items at a time (reporting.item_pages); the reports table
    and the counts above them are the whole period's."""
    period = get_period_for(request.user, period_id)
    pager = item_pages.pager(request, item_pages.period_outline(period), item_pages.PERIOD_ROWS)
    if pager.jump:
        return redirect(pager.jump)
    consolidated = consolidate(period, viewer=request.user, items=pager.item_ids)
    today = clock.today()
    totals = consolidated.status_counts()
    return render(
        request,
        "reporting/period_detail.html",
        {
            "period": period,
            "agreement": period.agreement,
            "consolidated": consolidated,
            "pager": pager,
            "report_rows": [
                (
                    party,
                    consolidated.reports.get(party.pk),
                    consolidated.visible[party.pk],
                    consolidated.totals[party.pk].commitments,
                    _by_status(consolidated.totals[party.pk].statuses),
                )
                for party in consolidated.parties
            ],
            "commitment_total": sum(t.commitments for t in consolidated.totals.values()),
            "status_totals": _by_status(totals),
            "overdue": period.is_overdue(today),
            "is_coordinator": is_agreement_coordinator(request.user, period.agreement),
            "mine": {p.pk for p in my_parties(request.user, period.agreement)},
            **_documents_section(request, period, report=None),
        },
    )


def _by_status(counts: dict[str, int]) -> list[tuple[str, str | Promise, int]]:
    """(value, label, count) of the statuses counted, in the order of Commitment.Status."""
    return [(value, label, counts[value]) for value, label in Commitment.Status.choices if counts.get(value)]


def _documents_section(
    request: AuthenticatedHttpRequest, period: ReportingPeriod, report: ProgressReport | None
) -> dict[str, Any]:
    """Whether the page shows its official documents (templates/reporting/_documents.html), and the link it shows
    before the list is loaded: only one the user may download, never one that answers 403."""
    if not offers_documents(request.user, period.agreement):
        return {"documents_offered": False, "document_pdf_url": ""}
    if report is None:
        url = reverse("document_consolidated_pdf", args=[period.pk])
    elif can_download_report_pdf(request.user, report):
        url = reverse("document_report_pdf", args=[report.pk])
    else:
        url = ""  # another party's report: the list offers the user's own party's documents instead
    return {"documents_offered": True, "document_pdf_url": url}


@login_required
@require_GET
def report_detail(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    """A report, its entries a page of items at a time, as its edit form pages them."""
    report = get_report_for_read(request.user, report_id)
    pager = item_pages.pager(request, item_pages.report_outline(report), item_pages.REPORT_ROWS)
    if pager.jump:
        return redirect(pager.jump)
    can_review = can_review_report(request.user, report)
    returning = can_review and report.state == ProgressReport.State.SUBMITTED
    context = {
        "report": report,
        "period": report.period,
        "agreement": report.period.agreement,
        "entries": list(_entry_queryset(report).filter(commitment__item_id__in=pager.item_ids)),
        "pager": pager,
        "transitions": report.transitions.select_related("actor"),
        "can_edit": can_edit_report(request.user, report) and report.is_editable,
        "can_submit": can_edit_report(request.user, report) and report.is_editable,
        "can_review": can_review,
        # Returning is one act on the whole report (return_report clears every entry's comment and writes
        # those sent): its form has a comment box for every entry, whatever page is shown.  Built only for the
        # coordinator who may send it back, in one query.
        "return_form": ReturnForm(entries=list(report.entries.select_related("commitment"))) if returning else None,
        "reopen_form": ReopenForm(),
        **_documents_section(request, report.period, report=report),
    }
    return render(request, "reporting/report_detail.html", context)


def _conflict_rows(conflict: workflow.EditConflict | None) -> list[tuple[Any, Any, Any]]:
    if conflict is None:
        return []
    return [_change_row(name, now, yours) for name, (now, yours) in conflict.changes.items()]


def _save_draft(
    request: AuthenticatedHttpRequest,
    report: ProgressReport,
    report_form: ReportFieldsForm,
    entry_forms: list[EntryForm],
    done: str,
) -> HttpResponse | dict[str, workflow.EditConflict]:
    """Save the posted draft; a redirect to `done` on success, the conflicts (maybe none) otherwise."""
    if not (report_form.is_valid() & all([form.is_valid() for form in entry_forms])):
        messages.error(
            request, _("Chưa lưu được: hãy sửa các ô được đánh dấu bên dưới. Nội dung bạn đã nhập vẫn còn nguyên.")
        )
        return {}
    edits = [
        workflow.EntryEdit(
            entry=form.instance,
            values={n: form.cleaned_data[n] for n in form.changed_data if n in ProgressEntry.TRACKED_FIELDS},
            version=form.cleaned_data["version"],
            upload=form.cleaned_data.get("evidence"),
        )
        for form in entry_forms
    ]
    report_values = {n: report_form.cleaned_data[n] for n in report_form.changed_data if n in workflow.REPORT_FIELDS}
    try:
        workflow.save_draft(request.user, report, report_values, report_form.cleaned_data["version"], edits)
    except workflow.DraftConflict as exc:
        messages.error(request, exc.message)
        return exc.conflicts
    except workflow.ReportingError as exc:
        messages.error(request, exc.message)
        return {}
    messages.success(request, _("Đã lưu nháp."))
    if "submit" in request.POST:
        # Saved; sending it is the next, deliberate step: the confirmation page says what it holds.
        return _submit_confirmation(request, report)
    return redirect(done)


def _submit_confirmation(request: AuthenticatedHttpRequest, report: ProgressReport) -> HttpResponse:
    """The step before sending: what is still empty, which entries nobody touched, and the confirm button."""
    report.refresh_from_db()
    return render(
        request,
        "reporting/report_submit.html",
        {
            "report": report,
            "period": report.period,
            "agreement": report.period.agreement,
            "check": submission_check(report),
        },
    )


def _posted_entry_ids(data: Any) -> set[int]:
    """The entries a posted form holds, by their version fields (`e<id>-version`)."""
    ids = set()
    for name in data:
        head, _sep, tail = name.partition("-")
        if tail == "version" and head.startswith("e") and (pk := id_param(head[1:])) is not None:
            ids.add(pk)
    return ids


def _edit_url(report: ProgressReport, params: QueryDict, page: int, anchor: str = "") -> str:
    """The edit form at `page` (the first page without saying so), with the other parameters given."""
    params = params.copy()
    params.pop("item", None)
    params.pop("page", None)
    if page > 1:
        params["page"] = str(page)
    query = f"?{params.urlencode()}" if params else ""
    return f"{reverse('report_edit', args=[report.pk])}{query}{anchor}"


def _entry_url(report: ProgressReport, item_id: int, entry_id: int) -> str:
    """The page of the edit form holding an entry, at the entry."""
    page = item_pages.page_holding(item_pages.report_outline(report), item_pages.REPORT_ROWS, item_id)
    return _edit_url(report, QueryDict(), page, f"#entry-{entry_id}")


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    """The draft's entries a page of items at a time (reporting.item_pages), the report's own texts on every page.

    A POST saves the entries it holds and nothing else: those of the page it was sent from, named by their
    fields (not by the page's number, which an item added since would shift).  The report's texts are on every
    page, so that the general assessment can be written or read again from any of them: only the boxes
    changed since the page was loaded are saved, and under the report's version, so an untouched copy posted
    from another page changes nothing and a stale one is a conflict.
    """
    report = get_report_for_edit(request.user, report_id)
    if not report.is_editable:
        messages.error(
            request, _("Báo cáo đang ở trạng thái “%(s)s”, không thể chỉnh sửa.") % {"s": report.get_state_display()}
        )
        return redirect("report_detail", report.pk)
    workflow.sync_entries(report)
    pager = item_pages.pager(request, item_pages.report_outline(report), item_pages.REPORT_ROWS)
    if pager.jump and request.method == "GET":
        return redirect(pager.jump)
    entries = _entry_queryset(report)
    if request.method == "POST":
        entries = entries.filter(pk__in=_posted_entry_ids(request.POST))
    else:
        entries = entries.filter(commitment__item_id__in=pager.item_ids)
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
    conflicts: dict[str, workflow.EditConflict] = {}
    if request.method == "POST":
        page = pager.page.number
        after = page + 1 if "next_page" in request.POST and pager.page.has_next() else page
        outcome = _save_draft(request, report, report_form, entry_forms, _edit_url(report, request.GET, after))
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
    previous = previous_entries(report.party_id, report.period.start)
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
            "pager": pager,
            "report_conflict_rows": _conflict_rows(conflicts.get("report")),
            # A POST shown again (refused or in conflict): what is in the boxes is not saved yet.
            "unsaved": request.method == "POST",
        },
    )


@accepts_uploads
@login_required
@require_POST
def report_entry_save(request: HtmxHttpRequest, report_id: int, entry_id: int) -> HttpResponse:
    """Save one entry in place (htmx); without htmx, the same post goes back to the full form."""
    report = get_report_for_edit(request.user, report_id)
    entry = get_object_or_404(_entry_queryset(report), pk=entry_id)
    prefix = f"e{entry.pk}"
    data = request.POST.copy()
    form = EntryForm(data, request.FILES, instance=entry, prefix=prefix)
    error, conflict_rows, saved = "", [], False
    if not report.is_editable:
        error = _("Báo cáo đang ở trạng thái “%(s)s”, không thể chỉnh sửa.") % {"s": report.get_state_display()}
    elif form.is_valid():
        edit = workflow.EntryEdit(
            entry=entry,
            values={n: form.cleaned_data[n] for n in form.changed_data if n in ProgressEntry.TRACKED_FIELDS},
            version=form.cleaned_data["version"],
            upload=form.cleaned_data.get("evidence"),
        )
        try:
            workflow.save_draft(request.user, report, None, report.version, [edit])
        except workflow.DraftConflict as exc:
            conflict = exc.conflicts[f"entry-{entry.pk}"]
            form.rebase(data, conflict.current)
            form = EntryForm(data, instance=entry, prefix=prefix)
            conflict_rows = _conflict_rows(conflict)
            error = exc.message
        except workflow.ReportingError as exc:
            error = exc.message
        else:
            saved = True
            if edit.upload is not None:
                entry = _entry_queryset(report).get(pk=entry.pk)
            elif edit.saved is not None:  # what was saved, onto the entry read above with its commitment and evidence
                _copy(edit.saved, entry)
            else:  # nothing to write: the entry as it is stored now
                entry.refresh_from_db(fields=SAVED_FIELDS)
            form = EntryForm(instance=entry, initial={"version": entry.version}, prefix=prefix)
    if not request.htmx:
        if error:
            messages.error(request, error)
        elif saved:
            messages.success(request, _("Đã lưu."))
        else:
            messages.error(request, _("Chưa lưu được: hãy sửa các ô được đánh dấu."))
        return redirect(_entry_url(report, entry.commitment.item_id, entry.pk))
    previous = previous_entry(report.party_id, report.period.start, entry.commitment_id)
    row = {"entry": entry, "form": form, "conflict_rows": conflict_rows, "error": error, "previous": previous}
    return render(request, "reporting/_entry_fieldset.html", {"row": row, "report": report, "saved": saved})


def _refused(request: AuthenticatedHttpRequest, form: forms.Form, report: ProgressReport) -> HttpResponse:
    """Back to the report with every error of a review form as a message, each named by its field."""
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        for error in errors:
            messages.error(request, f"{field.label}: {error}" if field is not None and field.label else str(error))
    return redirect("report_detail", report.pk)


def _transition(
    request: AuthenticatedHttpRequest, report: ProgressReport, move: Callable[[], object], done: str
) -> HttpResponse:
    """Run one move of the review workflow and go back to the report with its outcome."""
    try:
        move()
        messages.success(request, done)
    except workflow.ReportingError as exc:
        messages.error(request, exc.message)
    return redirect("report_detail", report.pk)


@login_required
@require_POST
def report_submit(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    """First POST: the confirmation page.  With confirm=1 (and confirm_unchanged=1 for untouched entries): send."""
    report = get_report_for_edit(request.user, report_id)
    if request.POST.get("confirm") != "1" and report.allows("submit"):
        return _submit_confirmation(request, report)
    try:
        workflow.submit_report(request.user, report, confirm_unchanged=request.POST.get("confirm_unchanged") == "1")
    except workflow.ReportingError as exc:
        messages.error(request, exc.message)
        report.refresh_from_db()
        return (
            _submit_confirmation(request, report) if report.allows("submit") else redirect("report_detail", report.pk)
        )
    messages.success(request, _("Đã gửi báo cáo cho bộ phận điều phối."))
    return redirect("report_detail", report.pk)


@login_required
@require_POST
def report_return(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for_review(request.user, report_id)
    form = ReturnForm(request.POST, entries=list(report.entries.select_related("commitment")))
    if not form.is_valid():
        return _refused(request, form, report)
    return _transition(
        request,
        report,
        lambda: workflow.return_report(request.user, report, form.cleaned_data["comment"], form.entry_comments()),
        _("Đã trả lại báo cáo để chuyên viên chỉnh sửa."),
    )


@login_required
@require_POST
def report_approve(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for_review(request.user, report_id)
    return _transition(
        request,
        report,
        lambda: workflow.approve_report(request.user, report),
        _("Đã phê duyệt báo cáo. Báo cáo đã được khóa."),
    )


@login_required
@require_POST
def report_reopen(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for_review(request.user, report_id)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return _refused(request, form, report)
    return _transition(
        request,
        report,
        lambda: workflow.reopen_report(request.user, report, form.cleaned_data["reason"]),
        _("Đã mở lại báo cáo để chỉnh sửa."),
    )


@login_required
@require_GET
def report_history(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for_read(request.user, report_id)
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
def evidence_download(request: AuthenticatedHttpRequest, evidence_id: int) -> FileResponse:
    evidence = get_evidence_for_read(request.user, evidence_id)
    return uploads.download_response(evidence.file, evidence.original_name, evidence.content_type)


@login_required
@require_POST
def evidence_delete(request: AuthenticatedHttpRequest, evidence_id: int) -> HttpResponse:
    evidence = get_evidence_for_edit(request.user, evidence_id)
    entry = evidence.entry
    try:
        workflow.remove_evidence(request.user, evidence)
        messages.success(request, _("Đã xóa tệp minh chứng."))
    except workflow.ReportingError as exc:
        messages.error(request, exc.message)
    item_id = Commitment.objects.values_list("item_id", flat=True).get(pk=entry.commitment_id)
    return redirect(_entry_url(entry.report, item_id, entry.pk))
