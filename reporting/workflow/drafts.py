"""Saving a draft report: single entries, the report's own fields, or all of it at once.

Every save is checked against the version the user loaded (versions.bump_version): of two
people saving the same thing, the second is told what changed and nothing of theirs is lost
or silently written.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock, limits, uploads
from core.audit import audit
from reporting.models import EntryRevision, ProgressEntry, ProgressReport
from reporting.workflow.errors import DraftConflict, EditConflict, ReportingError
from reporting.workflow.evidence import add_evidence
from reporting.workflow.guards import lock_editable_report
from reporting.workflow.versions import bump_version

ENTRY_FIELDS = ProgressEntry.TRACKED_FIELDS
REPORT_FIELDS = ("overall_assessment", "shortcomings", "next_period_tasks")


def _display(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _changes(current: Any, values: dict[str, Any], fields: tuple[str, ...]) -> dict[str, list[Any]]:
    return {
        name: [_display(getattr(current, name)), _display(values[name])]
        for name in fields
        if name in values and getattr(current, name) != values[name]
    }


def _conflict(message: str, current: Any, values: dict[str, Any]) -> EditConflict:
    changes = {
        name: (_display(getattr(current, name)), _display(value))
        for name, value in values.items()
        if getattr(current, name) != value
    }
    return EditConflict(message, changes, current)


def _entry_conflict(entry_id: int, values: dict[str, Any]) -> EditConflict:
    current = ProgressEntry.objects.select_related("updated_by").get(pk=entry_id)
    return _conflict(
        _("Nội dung này vừa được %(user)s lưu lúc %(time)s. Hãy xem phần thay đổi và nhập lại.")
        % {
            "user": current.updated_by.get_full_name() if current.updated_by else "?",
            "time": timezone.localtime(current.updated_at).strftime("%H:%M %d/%m/%Y"),
        },
        current,
        values,
    )


def save_entry(actor: User, entry: ProgressEntry, values: dict[str, Any], expected_version: int) -> ProgressEntry:
    """Save the fields staff changed on one commitment, refusing them if someone saved since they loaded it."""
    with transaction.atomic():
        lock_editable_report(actor, entry.report_id)
        current = ProgressEntry.objects.get(pk=entry.pk)
        changed = _changes(current, values, ENTRY_FIELDS)
        if not changed:
            if current.version != expected_version:
                raise _entry_conflict(entry.pk, values)
            return current
        merged = {name: values[name] if name in changed else getattr(current, name) for name in ENTRY_FIELDS}
        try:
            ProgressEntry.check_status_percent(merged["status"], merged["percent_complete"])
            limits.check_lengths(ProgressEntry, {name: values[name] for name in changed})
        except ValidationError as exc:
            raise ReportingError(" ".join(exc.messages)) from None
        written = {name: values[name] for name in changed}
        now = clock.now()
        if not bump_version(ProgressEntry, entry.pk, expected_version, updated_by=actor, updated_at=now, **written):
            raise _entry_conflict(entry.pk, values)
        # The row as the UPDATE left it, without reading it again: it matched expected_version under the report's
        # lock, so it is `current` with `written` and the next version.  Named in the audit entry by the report
        # and commitment the caller read (the views read them with their party, period and item).
        for name, value in {**written, "version": expected_version + 1, "updated_by": actor, "updated_at": now}.items():
            setattr(current, name, value)
        current.report, current.commitment = entry.report, entry.commitment
        EntryRevision.objects.create(entry=current, version=current.version, actor=actor, changes=changed)
        audit(actor, "entry.saved", current, fields=sorted(changed))
        return current


def save_report_fields(
    actor: User, report: ProgressReport, values: dict[str, Any], expected_version: int
) -> ProgressReport:
    with transaction.atomic():
        current = lock_editable_report(actor, report.pk)
        changed = _changes(current, values, REPORT_FIELDS)
        try:
            limits.check_lengths(ProgressReport, {name: values[name] for name in changed})
        except ValidationError as exc:
            raise ReportingError(" ".join(exc.messages)) from None
        if not changed and current.version == expected_version:
            return current
        written = {name: values[name] for name in changed}
        if not changed or not bump_version(
            ProgressReport, report.pk, expected_version, updated_by=actor, updated_at=clock.now(), **written
        ):
            raise _conflict(
                _("Báo cáo vừa được người khác cập nhật. Hãy xem phần thay đổi và nhập lại."), current, values
            )
        current.refresh_from_db()
        audit(actor, "report.saved", current, changes=changed)
        return current


@dataclass
class EntryEdit:
    """What one entry's form brought: the values, the version the user loaded, an optional new file."""

    entry: ProgressEntry
    values: dict[str, Any]
    version: int
    upload: UploadedFile[bytes] | None = None
    # Set by save_draft: the row as its values were written (save_entry's), None when none were.
    saved: ProgressEntry | None = None


def save_draft(
    actor: User,
    report: ProgressReport,
    report_values: dict[str, Any] | None,
    report_version: int,
    edits: list[EntryEdit],
) -> ProgressReport:
    """Save the whole draft at once: all of it, or (on any conflict) none of it."""
    conflicts: dict[str, EditConflict] = {}
    # A file stored for one entry is removed again when another entry's conflict or refusal undoes the save.
    with uploads.atomic_with_files():
        if report_values:
            try:
                report = save_report_fields(actor, report, report_values, report_version)
            except EditConflict as conflict:
                conflicts["report"] = conflict
        for edit in edits:
            try:
                if edit.values:
                    edit.saved = save_entry(actor, edit.entry, edit.values, edit.version)
                if edit.upload is not None:
                    add_evidence(actor, edit.entry, edit.upload)
            except EditConflict as conflict:
                conflicts[f"entry-{edit.entry.pk}"] = conflict
        if conflicts:
            transaction.set_rollback(True)
    if conflicts:
        raise DraftConflict(
            _(
                "Một số nội dung vừa được người khác lưu trước bạn; chưa có gì được lưu. Hãy xem các thay đổi bên dưới, "
                "rồi lưu lại."
            ),
            conflicts,
        )
    # As saved: entries never change their report's row, and save_report_fields returned it read again.
    return report
