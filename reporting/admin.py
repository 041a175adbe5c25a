from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from core.admin import AuditedAdmin, PlainTextAdmin, PlainTextTabularInline, ReadOnlyAdmin
from core.forms import LocalizedDecimalField
from core.numbers import format_decimal
from reporting.models import (
    DocumentNumberCounter,
    EntryRevision,
    Evidence,
    OfficialDocument,
    ProgressEntry,
    ProgressReport,
    ReportingPeriod,
    ReportTransition,
)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(AuditedAdmin[ReportingPeriod]):
    list_display = ["agreement", "year", "index", "start", "end", "deadline"]
    list_filter = ["year", "cadence_months"]
    list_select_related = ["agreement"]
    autocomplete_fields = ["agreement"]


# The workflow owns these: a state, a version or a review comment changed by hand would bypass the
# review trail and the version check, so the admin shows them and never writes them.
REPORT_WORKFLOW_FIELDS = [
    "state",
    "version",
    "review_comment",
    "submitted_at",
    "approved_at",
    "updated_at",
    "updated_by",
]
ENTRY_WORKFLOW_FIELDS = ["report", "commitment", "version", "review_comment", "updated_at", "updated_by"]
# Figures typed in the admin are read like everywhere else: 101.000 in Vietnamese, 101,000 in English.
TYPED_DECIMALS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.DecimalField: {"form_class": LocalizedDecimalField}
}


class EntryInline(PlainTextTabularInline[ProgressEntry]):
    """A report's entries as a table, each linked to its own form (ProgressEntryAdmin), where an entry is corrected:
    forty entries as forty stacked forms took 0.4 s to draw at national scale, for a correction made one at a time."""

    model = ProgressEntry
    extra = 0
    can_delete = False
    show_change_link = True
    fields = readonly_fields = ("commitment", "status", "percent_complete", "figure", "updated_at", "updated_by")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProgressEntry]:
        # Each row shows its commitment and who last saved it, and is titled by its report: read with the rows.
        return (
            super()
            .get_queryset(request)
            .select_related("commitment", "updated_by", "report__party__body", "report__period")
        )

    @admin.display(description=ProgressEntry._meta.get_field("actual_value").verbose_name)
    def figure(self, entry: ProgressEntry) -> str:
        return format_decimal(entry.actual_value)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TransitionInline(PlainTextTabularInline[ReportTransition]):
    model = ReportTransition
    extra = 0
    readonly_fields = ["from_state", "to_state", "actor", "comment", "created_at"]
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReportTransition]:
        # Each row is titled by its report (party and period): read with the rows.
        return super().get_queryset(request).select_related("actor", "report__party__body", "report__period")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ProgressReport)
class ProgressReportAdmin(AuditedAdmin[ProgressReport]):
    list_display = ["party", "period", "state", "submitted_at", "approved_at"]
    list_filter = ["state", "period__year"]
    list_select_related = ["party__body", "period__agreement"]
    ordering = ["-id"]  # newest first, from the primary key: the model's order (period, party) is two joins
    readonly_fields = ["party", "period", *REPORT_WORKFLOW_FIELDS]
    inlines = [EntryInline, TransitionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # reports are opened with their period, one per party

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Evidence)
class EvidenceAdmin(AuditedAdmin[Evidence]):
    list_display = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    raw_id_fields = ["entry"]


@admin.register(EntryRevision)
class EntryRevisionAdmin(ReadOnlyAdmin[EntryRevision]):
    list_display = ["entry", "version", "actor", "created_at"]
    # Each row names its entry (report, party, period, commitment) and who saved it: read with the rows.
    list_select_related = ["entry__report__party__body", "entry__report__period", "entry__commitment", "actor"]


@admin.register(ProgressEntry)
class ProgressEntryAdmin(AuditedAdmin[ProgressEntry]):
    list_display = ["report", "commitment", "status", "percent_complete", "figure", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["report__party__body", "report__period", "commitment"]
    ordering = ["-id"]  # newest first, from the primary key: the model's order (item, commitment) is three joins
    readonly_fields = ENTRY_WORKFLOW_FIELDS
    formfield_overrides = TYPED_DECIMALS

    @admin.display(description=ProgressEntry._meta.get_field("actual_value").verbose_name, ordering="actual_value")
    def figure(self, entry: ProgressEntry) -> str:
        return format_decimal(entry.actual_value)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReportTransition)
class ReportTransitionAdmin(ReadOnlyAdmin[ReportTransition]):
    list_display = ["created_at", "report", "from_state", "to_state", "actor"]
    list_filter = ["to_state"]
    list_select_related = ["report__party__body", "report__period", "actor"]


@admin.register(OfficialDocument)
class OfficialDocumentAdmin(AuditedAdmin[OfficialDocument]):
    list_display = ["key", "kind", "state", "number", "issued_on", "size"]
    list_filter = ["kind", "state"]
    readonly_fields = [f.name for f in OfficialDocument._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(DocumentNumberCounter)
class DocumentNumberCounterAdmin(PlainTextAdmin[DocumentNumberCounter]):
    list_display = ["body", "year", "last_number"]
    list_select_related = ["body"]
    autocomplete_fields = ["body"]
