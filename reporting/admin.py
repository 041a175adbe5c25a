from __future__ import annotations

from django.contrib import admin

from reporting.models import (
    EntryRevision,
    Evidence,
    MeetingDecision,
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
