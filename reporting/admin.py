from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from agreements.models import CooperationItem, Party
from reporting.models import (
    DocumentNumberCounter,
    EntryRevision,
    Evidence,
    MeetingDecision,
    OfficialDocument,
    ProgressEntry,
    ProgressReport,
    ReportingPeriod,
    ReportTransition,
    ReviewMeeting,
)
from reporting.services import ReportingError, adopt_decision


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["agreement", "year", "index", "start", "end", "deadline"]
    list_filter = ["year", "cadence_months"]
    list_select_related = ["agreement"]


class EntryInline(admin.StackedInline):
    model = ProgressEntry
    extra = 0
    readonly_fields = ["version", "updated_at", "updated_by"]
    raw_id_fields = ["commitment"]


class TransitionInline(admin.TabularInline):
    model = ReportTransition
    extra = 0
    readonly_fields = ["from_state", "to_state", "actor", "comment", "created_at"]
    can_delete = False


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["party", "period", "state", "submitted_at", "approved_at"]
    list_filter = ["state", "period__year"]
    list_select_related = ["party__body", "period__agreement"]
    readonly_fields = ["version", "updated_at", "updated_by"]
    inlines = [EntryInline, TransitionInline]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    raw_id_fields = ["entry"]


@admin.register(EntryRevision)
class EntryRevisionAdmin(admin.ModelAdmin):
    list_display = ["entry", "version", "actor", "created_at"]
    readonly_fields = ["entry", "version", "actor", "changes", "created_at"]


class DecisionInline(admin.TabularInline):
    model = MeetingDecision
    extra = 0
    raw_id_fields = ["commitment"]


@admin.register(ReviewMeeting)
class ReviewMeetingAdmin(admin.ModelAdmin):
    list_display = ["agreement", "kind", "held_on", "place", "host_party"]
    list_filter = ["kind"]
    inlines = [DecisionInline]


@admin.register(ProgressEntry)
class ProgressEntryAdmin(admin.ModelAdmin):
    list_display = ["report", "commitment", "status", "percent_complete", "actual_value", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["report__party__body", "report__period", "commitment"]
    raw_id_fields = ["report", "commitment"]
    readonly_fields = ["version", "updated_at", "updated_by"]


@admin.register(ReportTransition)
class ReportTransitionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "report", "from_state", "to_state", "actor"]
    list_filter = ["to_state"]
    list_select_related = ["report__party__body", "report__period", "actor"]
    readonly_fields = ["report", "from_state", "to_state", "actor", "comment", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class MeetingDecisionForm(forms.ModelForm):
    """Lets a coordinator turn a decision into a commitment from the admin, through the service."""

    adopt_item = forms.ModelChoiceField(
        label=_("Chuyển thành cam kết thuộc nội dung"), queryset=CooperationItem.objects.none(), required=False
    )
    adopt_party = forms.ModelChoiceField(label=_("Bên chủ trì"), queryset=Party.objects.none(), required=False)

    class Meta:
        model = MeetingDecision
        fields = ["meeting", "number", "text"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meeting = self.instance.meeting if self.instance.meeting_id else None
        item_field = cast(forms.ModelChoiceField, self.fields["adopt_item"])
        party_field = cast(forms.ModelChoiceField, self.fields["adopt_party"])
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
class MeetingDecisionAdmin(admin.ModelAdmin):
    form = MeetingDecisionForm
    list_display = ["meeting", "number", "text", "commitment"]
    raw_id_fields = ["meeting"]
    readonly_fields = ["commitment"]

    def save_model(self, request: HttpRequest, obj: MeetingDecision, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        item, party = form.cleaned_data.get("adopt_item"), form.cleaned_data.get("adopt_party")
        if item and party:
            try:
                adopt_decision(request.user, obj, item=item, responsible_party=party)
            except ReportingError as exc:
                messages.error(request, exc.message)


@admin.register(OfficialDocument)
class OfficialDocumentAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "state", "number", "issued_on", "size"]
    list_filter = ["kind", "state"]
    readonly_fields = [f.name for f in OfficialDocument._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(DocumentNumberCounter)
class DocumentNumberCounterAdmin(admin.ModelAdmin):
    list_display = ["body", "year", "last_number"]
    list_select_related = ["body"]
