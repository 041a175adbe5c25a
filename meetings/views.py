"""Pages of review meetings: planning, attendance, agenda, minutes and decisions, and the yearly review report.

Every member of the agreement's parties reads a meeting; its coordinators record it (meetings/access.py).
Each view: decorators, one access helper, a form, one service, a redirect or a page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements.access import get_agreement_for_edit
from agreements.models import CooperationItem, Party
from core import clock
from core.types import AuthenticatedHttpRequest
from meetings import services
from meetings.access import (
    can_edit_meetings,
    get_decision_for_edit,
    get_meeting_for,
    get_meeting_for_edit,
    visible_target_ids,
    writable_targets,
)
from meetings.documents import YearlyReviewDocument
from meetings.forms import AdoptForm, AgendaForm, AttendanceForm, DecisionForm, MeetingForm, MinutesForm
from meetings.models import MeetingAttendance, MeetingDecision, ReviewMeeting
from reporting.access import get_agreement_pdf_for
from reporting.document_views import deliver, issue, party_param
from reporting.documents.kinds import DocumentUnavailable

GET_POST = ["GET", "POST"]


def _parties(meeting: ReviewMeeting) -> list[Party]:
    return list(Party.objects.filter(agreement_id=meeting.agreement_id).select_related("body").order_by("order", "pk"))


def _form_page(
    request: AuthenticatedHttpRequest, meeting: ReviewMeeting, template: str, **context: Any
) -> HttpResponse:
    return render(request, f"meetings/{template}", {"meeting": meeting, "agreement": meeting.agreement, **context})


def _refused(form: Any, exc: services.MeetingError) -> None:
    form.add_error(None, exc.message)


# --- planning -------------------------------------------------------------------------------------------


@login_required
@require_http_methods(GET_POST)
def meeting_create(request: AuthenticatedHttpRequest, agreement_id: int) -> HttpResponse:
    agreement = get_agreement_for_edit(request.user, agreement_id)
    form = MeetingForm(request.POST or None, agreement=agreement, initial={"kind": ReviewMeeting.Kind.YEARLY})
    if form.is_valid():
        try:
            meeting = services.plan_meeting(request.user, agreement, **form.cleaned_data)
        except services.MeetingError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Đã lên kế hoạch cuộc họp."))
            return redirect("meeting_detail", meeting.pk)
    return render(request, "meetings/meeting_form.html", {"agreement": agreement, "form": form, "meeting": None})


@login_required
@require_http_methods(GET_POST)
def meeting_edit(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_edit(request.user, meeting_id)
    form = MeetingForm(request.POST or None, agreement=meeting.agreement, initial=MeetingForm.initial_of(meeting))
    if form.is_valid():
        try:
            services.update_meeting(request.user, meeting, **form.cleaned_data)
        except services.MeetingError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin cuộc họp."))
            return redirect("meeting_detail", meeting.pk)
    return _form_page(request, meeting, "meeting_form.html", form=form)


@login_required
@require_http_methods(GET_POST)
def meeting_attendance(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_edit(request.user, meeting_id)
    current = dict(MeetingAttendance.objects.filter(meeting=meeting).values_list("party_id", "attendees"))
    form = AttendanceForm(request.POST or None, parties=_parties(meeting), current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_attendance(request.user, meeting, form.attendees())
        except services.MeetingError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Đã lưu thành phần tham dự."))
            return redirect("meeting_detail", meeting.pk)
    return _form_page(request, meeting, "meeting_attendance.html", form=form)


@login_required
@require_http_methods(GET_POST)
def meeting_agenda(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    """The agenda; `?draft=1` fills the box with the app's draft from the reports (nothing is saved until posted)."""
    meeting = get_meeting_for_edit(request.user, meeting_id)
    drafted = request.method == "GET" and request.GET.get("draft") == "1"
    initial = {"agenda": services.draft_agenda(meeting) if drafted else meeting.agenda}
    form = AgendaForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            services.set_agenda(request.user, meeting, form.cleaned_data["agenda"])
        except services.MeetingError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Đã lưu chương trình họp."))
            return redirect("meeting_detail", meeting.pk)
    return _form_page(request, meeting, "meeting_agenda.html", form=form, drafted=drafted)


@login_required
@require_http_methods(GET_POST)
def meeting_minutes(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_edit(request.user, meeting_id)
    initial = {"minutes": meeting.minutes, "shortcomings": meeting.shortcomings}
    form = MinutesForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            services.record_minutes(request.user, meeting, **form.cleaned_data)
        except services.MeetingError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Đã lưu biên bản cuộc họp."))
            return redirect("meeting_detail", meeting.pk)
    held = meeting.is_held(clock.today())
    return _form_page(request, meeting, "meeting_minutes.html", form=form, held=held)


# --- decisions ------------------------------------------------------------------------------------------


@login_required
@require_http_methods(GET_POST)
def meeting_decision_add(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_edit(request.user, meeting_id)
    targets = writable_targets(request.user, meeting.agreement)
    form = DecisionForm(
        request.POST or None, meeting=meeting, targets=targets, initial={"target": meeting.agreement_id}
    )
    if form.is_valid():
        try:
            decision = services.add_decision(request.user, meeting, **form.values())
        except services.MeetingError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Đã ghi kết luận số %(n)s.") % {"n": decision.number})
            return redirect("meeting_detail", meeting.pk)
    held = meeting.is_held(clock.today())
    return _form_page(request, meeting, "meeting_decision_form.html", form=form, decision=None, held=held)


@login_required
@require_http_methods(GET_POST)
def meeting_decision_edit(request: AuthenticatedHttpRequest, meeting_id: int, decision_id: int) -> HttpResponse:
    decision = get_decision_for_edit(request.user, meeting_id, decision_id)
    meeting = decision.meeting
    if decision.commitment_id is not None:
        messages.error(request, _("Kết luận này đã được chuyển thành cam kết; hãy sửa cam kết trong thỏa thuận."))
        return redirect("meeting_detail", meeting.pk)
    targets = writable_targets(request.user, meeting.agreement)
    initial = DecisionForm.initial_of(decision)
    form = DecisionForm(request.POST or None, meeting=meeting, targets=targets, initial=initial)
    if form.is_valid():
        try:
            services.update_decision(request.user, decision, **form.values())
        except services.MeetingError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Đã lưu kết luận số %(n)s.") % {"n": decision.number})
            return redirect("meeting_detail", meeting.pk)
    return _form_page(request, meeting, "meeting_decision_form.html", form=form, decision=decision, held=True)


@login_required
@require_POST
def meeting_decision_adopt(request: AuthenticatedHttpRequest, meeting_id: int, decision_id: int) -> HttpResponse:
    """A decision becomes a commitment under the item chosen on the meeting's page; errors go back there."""
    decision = get_decision_for_edit(request.user, meeting_id, decision_id)
    target = decision.target_agreement or decision.meeting.agreement
    if target.pk not in {a.pk for a in writable_targets(request.user, decision.meeting.agreement)}:
        messages.error(request, _("Bạn không phải bộ phận điều phối của thỏa thuận thực hiện kết luận này."))
        return redirect("meeting_detail", meeting_id)
    form = AdoptForm(request.POST, items=list(CooperationItem.objects.filter(agreement=target).order_by("number")))
    if not form.is_valid():
        messages.error(request, _("Hãy chọn nội dung hợp tác mà cam kết thuộc về."))
        return redirect("meeting_detail", meeting_id)
    try:
        services.adopt_decision(request.user, decision, item=form.chosen_item())
    except services.MeetingError as exc:
        messages.error(request, exc.message)
        return redirect("meeting_detail", meeting_id)
    messages.success(
        request,
        _("Kết luận số %(n)s đã thành cam kết của “%(title)s”.") % {"n": decision.number, "title": target.title},
    )
    return redirect(reverse("meeting_detail", args=[meeting_id]) + f"#decision-{decision.pk}")


# --- reading --------------------------------------------------------------------------------------------


@login_required
@require_GET
def meeting_detail(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for(request.user, meeting_id)
    editable = can_edit_meetings(request.user, meeting.agreement)
    attendance = list(MeetingAttendance.objects.filter(meeting=meeting).select_related("party__body"))
    decisions = list(
        MeetingDecision.objects.filter(meeting=meeting)
        .select_related("target_agreement", "responsible_party__body", "lead_body", "commitment__item")
        .order_by("number")
    )
    own = meeting.agreement
    linked = visible_target_ids(request.user, {d.target_agreement_id for d in decisions if d.target_agreement_id})
    writable = {a.pk for a in writable_targets(request.user, own)} if editable else set()
    items: dict[int, list[CooperationItem]] = {}
    if writable and any(d.commitment_id is None for d in decisions):
        for item in CooperationItem.objects.filter(agreement__in=writable).order_by("number"):
            items.setdefault(item.agreement_id, []).append(item)
    rows = []
    for decision in decisions:
        target_id = decision.target_agreement_id or own.pk
        adoptable = editable and decision.commitment_id is None and decision.responsible_party_id is not None
        rows.append(
            {
                "decision": decision,
                "target": decision.target_agreement or own,
                "elsewhere": target_id != own.pk,
                "linked": target_id == own.pk or target_id in linked,
                "adopt_form": AdoptForm(items=items.get(target_id, []), auto_id=f"d{decision.pk}-%s")
                if adoptable and target_id in writable and items.get(target_id)
                else None,
            }
        )
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "agreement": own,
            "attendance": attendance,
            "rows": rows,
            "editable": editable,
            "held": meeting.is_held(clock.today()),
            "today": clock.today(),
        },
    )


# --- the yearly review report ---------------------------------------------------------------------------


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
