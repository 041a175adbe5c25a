from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from agreements.admin import AgreementRowPickers, RowsInline
from agreements.models import Agreement, CooperationItem, Party
from core.admin import AuditedAdmin, PlainTextTabularInline
from core.forms import PlainTextMixin
from meetings.models import MeetingAttendance, MeetingDecision, ReviewMeeting
from meetings.services import MeetingError, adopt_decision


class DecisionInline(AgreementRowPickers, RowsInline, PlainTextTabularInline[MeetingDecision]):
    model = MeetingDecision
    extra = 0
    raw_id_fields = ["commitment"]
    autocomplete_fields = ["target_agreement", "responsible_party", "lead_body"]
    # A decision is carried out in the meeting's agreement or in one that succeeds it.
    agreement_row_fields = ("target_agreement", "responsible_party")

    def agreements_of(self, obj: ReviewMeeting) -> list[int]:
        return [
            obj.agreement_id,
            *Agreement.objects.filter(predecessor_id=obj.agreement_id).values_list("pk", flat=True),
        ]


class AttendanceInline(AgreementRowPickers, RowsInline, PlainTextTabularInline[MeetingAttendance]):
    model = MeetingAttendance
    extra = 0
    autocomplete_fields = ["party"]
    agreement_row_fields = ("party",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[MeetingAttendance]:
        return super().get_queryset(request).select_related("party__body")  # each row is titled by its party

    def agreements_of(self, obj: ReviewMeeting) -> list[int]:
        return [obj.agreement_id]


@admin.register(ReviewMeeting)
class ReviewMeetingAdmin(AgreementRowPickers, AuditedAdmin[ReviewMeeting]):
    list_display = ["agreement", "kind", "held_on", "place", "host_party"]
    list_filter = ["kind"]
    list_select_related = ["agreement", "host_party__body"]
    # Typed, not listed: a select of every party of 2,000 agreements cost one query per party; a meeting's
    # host is then one of its agreement's parties (AgreementRowPickers).
    autocomplete_fields = ["agreement", "host_party"]
    agreement_row_fields = ("host_party",)
    inlines = [AttendanceInline, DecisionInline]

    def agreements_of(self, obj: ReviewMeeting) -> list[int]:
        return [obj.agreement_id]


class MeetingDecisionForm(PlainTextMixin, forms.ModelForm[MeetingDecision]):
    """Lets a coordinator turn a decision into a commitment from the admin, through the service."""

    adopt_item = forms.ModelChoiceField[CooperationItem](
        label=_("Chuyển thành cam kết thuộc nội dung"), queryset=CooperationItem.objects.none(), required=False
    )
    adopt_party = forms.ModelChoiceField[Party](label=_("Bên chủ trì"), queryset=Party.objects.none(), required=False)

    class Meta:
        model = MeetingDecision
        fields = ["meeting", "number", "text"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meeting = self.instance.meeting if self.instance.meeting_id else None
        item_field = cast(forms.ModelChoiceField[CooperationItem], self.fields["adopt_item"])
        party_field = cast(forms.ModelChoiceField[Party], self.fields["adopt_party"])
        if meeting is not None and self.instance.commitment_id is None:
            item_field.queryset = CooperationItem.objects.filter(agreement=meeting.agreement_id)
            party_field.queryset = Party.objects.filter(agreement=meeting.agreement_id).select_related("body")
        else:
            item_field.disabled = party_field.disabled = True
            item_field.help_text = _("Lưu kết luận trước; kết luận đã thành cam kết thì không chuyển lại.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("adopt_item")) != bool(data.get("adopt_party")):
            raise forms.ValidationError(_("Hãy chọn cả nội dung hợp tác và bên chủ trì để chuyển thành cam kết."))
        return data


@admin.register(MeetingDecision)
class MeetingDecisionAdmin(AuditedAdmin[MeetingDecision]):
    form = MeetingDecisionForm
    list_display = ["meeting", "number", "text", "commitment"]
    raw_id_fields = ["meeting"]
    readonly_fields = ["commitment"]

    def save_model(self, request: HttpRequest, obj: MeetingDecision, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        item, party = form.cleaned_data.get("adopt_item"), form.cleaned_data.get("adopt_party")
        if item and party:
            try:
                actor = request.user if isinstance(request.user, User) else None
                adopt_decision(actor, obj, item=item, responsible_party=party)
            except MeetingError as exc:
                messages.error(request, exc.message)


@admin.register(MeetingAttendance)
class MeetingAttendanceAdmin(AuditedAdmin[MeetingAttendance]):
    list_display = ["meeting", "party", "attendees"]
    list_select_related = ["meeting__agreement", "party__body"]
    raw_id_fields = ["meeting"]
    autocomplete_fields = ["party"]
