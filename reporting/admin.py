from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

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


@admin.register(MeetingDecision)
class MeetingDecisionAdmin(admin.ModelAdmin):
    list_display = ["meeting", "number", "text", "commitment"]
    raw_id_fields = ["meeting", "commitment"]


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
