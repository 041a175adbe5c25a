"""Every write of the reporting app: periods, entries, evidence, and the review workflow.

Each function takes the acting user, runs in one transaction, writes the audit trail and
raises a ReportingError whose message is shown to the user as it is.  Concurrent edits
are refused by a version check done in the UPDATE itself, so two people saving at once
can never silently overwrite each other.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement, Commitment, CooperationItem, Party, audit
from agreements.permissions import can_edit_report, can_review_report
from core.uploads import sniff_upload
from reporting import periods
from reporting.models import (
    EntryRevision,
    Evidence,
    MeetingDecision,
    ProgressEntry,
    ProgressReport,
    ReportingPeriod,
    ReportTransition,
)

State = ProgressReport.State


class ReportingError(Exception):
    """A rule of the reporting process was broken; the message is for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EditConflict(ReportingError):
    """Someone else saved first. `changes` maps field -> (value now stored, value this user sent)."""

    def __init__(self, message: str, changes: dict[str, tuple[Any, Any]], current: Any) -> None:
        super().__init__(message)
        self.changes = changes
        self.current = current


# --- periods ------------------------------------------------------------------------------


def agreement_windows(agreement: Agreement) -> list[periods.Window]:
    """The windows whose cut-off falls within the agreement's life (from signing, if later)."""
    start = max(agreement.period_start, agreement.signed_on or agreement.period_start)
    return [
        w
        for w in periods.windows_overlapping(start, agreement.period_end, agreement.reporting_cadence_months)
        if start <= w.end <= agreement.period_end
    ]


def open_reporting_periods(agreement: Agreement, today: datetime.date) -> list[ReportingPeriod]:
    """Create every period that has begun by `today`, and one report per party for each."""
    opened: list[ReportingPeriod] = []
    parties = list(agreement.parties.select_related("body"))
    for window in agreement_windows(agreement):
        if window.start > today:
            break
        with transaction.atomic():
            period, _created = ReportingPeriod.objects.get_or_create(
                agreement=agreement,
                start=window.start,
                defaults={
                    "cadence_months": window.cadence_months,
                    "year": window.year,
                    "index": window.index,
                    "end": window.end,
                    "deadline": periods.deadline_after(window.end, agreement.report_deadline_days),
                },
            )
            for party in parties:
                ensure_report(party, period)
        opened.append(period)
    return opened


def _previous_entries(party: Party, period: ReportingPeriod) -> dict[int, ProgressEntry]:
    previous = (
        ProgressReport.objects.filter(party=party, period__start__lt=period.start).order_by("-period__start").first()
    )
    if previous is None:
        return {}
    return {entry.commitment_id: entry for entry in previous.entries.all()}


def ensure_report(party: Party, period: ReportingPeriod) -> ProgressReport:
    report, created = ProgressReport.objects.get_or_create(party=party, period=period)
    if created:
        sync_entries(report)
    return report


def sync_entries(report: ProgressReport) -> int:
    """Give the report an entry for each of its party's commitments, starting from last period's values."""
    if not report.is_editable:
        return 0
    existing = set(report.entries.values_list("commitment_id", flat=True))
    commitments = Commitment.objects.filter(responsible_party=report.party).exclude(pk__in=existing)
    previous = _previous_entries(report.party, report.period)
    new_entries = []
    for commitment in commitments:
        before = previous.get(commitment.pk)
        new_entries.append(
            ProgressEntry(
                report=report,
                commitment=commitment,
                status=before.status if before else commitment.status,
                percent_complete=before.percent_complete if before else 0,
                actual_value=before.actual_value if before else None,
                difficulties=before.difficulties if before else "",
                proposals=before.proposals if before else "",
            )
        )
    ProgressEntry.objects.bulk_create(new_entries, ignore_conflicts=True)
    return len(new_entries)


# --- editing --------------------------------------------------------------------------------

ENTRY_FIELDS = ProgressEntry.TRACKED_FIELDS
REPORT_FIELDS = ("overall_assessment", "shortcomings", "next_period_tasks")


def _require_editable(actor: Any, report: ProgressReport) -> None:
    if not can_edit_report(actor, report):
        raise ReportingError(_("Bạn không có quyền cập nhật báo cáo của đơn vị này."))
    if report.state == State.APPROVED:
        raise ReportingError(_("Báo cáo đã được phê duyệt và đã khóa; cần bộ phận điều phối mở lại để chỉnh sửa."))
    if report.state == State.SUBMITTED:
        raise ReportingError(_("Báo cáo đã gửi đang chờ duyệt; không thể chỉnh sửa lúc này."))


def _display(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def save_entry(actor: Any, entry: ProgressEntry, values: dict[str, Any], expected_version: int) -> ProgressEntry:
    """Save the fields staff changed on one commitment, refusing them if someone saved since they loaded it."""
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().select_related("party").get(pk=entry.report_id)
        _require_editable(actor, report)
        current = ProgressEntry.objects.select_for_update().get(pk=entry.pk)
        if current.version != expected_version:
            changes = {
                name: (_display(getattr(current, name)), _display(value))
                for name, value in values.items()
                if getattr(current, name) != value
            }
            raise EditConflict(
                _("Nội dung này vừa được %(user)s lưu lúc %(time)s. Hãy xem phần thay đổi và nhập lại.")
                % {
                    "user": current.updated_by.get_full_name() if current.updated_by else "?",
                    "time": timezone.localtime(current.updated_at).strftime("%H:%M %d/%m/%Y"),
                },
                changes,
                current,
            )
        changed = {
            name: [_display(getattr(current, name)), _display(values[name])]
            for name in ENTRY_FIELDS
            if name in values and getattr(current, name) != values[name]
        }
        if not changed:
            return current
        for name in changed:
            setattr(current, name, values[name])
        if current.status == Commitment.Status.DONE and current.percent_complete != 100:
            raise ReportingError(_("Cam kết đã hoàn thành thì tỷ lệ hoàn thành phải là 100%."))
        current.version = expected_version + 1
        current.updated_by = actor
        current.save()
        EntryRevision.objects.create(entry=current, version=current.version, actor=actor, changes=changed)
        audit(actor, "entry.saved", current, fields=sorted(changed))
        return current


def save_report_fields(
    actor: Any, report: ProgressReport, values: dict[str, Any], expected_version: int
) -> ProgressReport:
    with transaction.atomic():
        current = ProgressReport.objects.select_for_update().select_related("party").get(pk=report.pk)
        _require_editable(actor, current)
        if current.version != expected_version:
            changes = {
                name: (getattr(current, name), value)
                for name, value in values.items()
                if getattr(current, name) != value
            }
            raise EditConflict(
                _("Báo cáo vừa được người khác cập nhật. Hãy xem phần thay đổi và nhập lại."), changes, current
            )
        changed = {
            n: [getattr(current, n), values[n]]
            for n in REPORT_FIELDS
            if n in values and getattr(current, n) != values[n]
        }
        if not changed:
            return current
        for name in changed:
            setattr(current, name, values[name])
        current.version = F("version") + 1
        current.updated_by = actor
        current.save()
        current.refresh_from_db()
        audit(actor, "report.saved", current, changes=changed)
        return current


@dataclass
class EntryEdit:
    """What one entry's form brought: the values, the version the user loaded, an optional new file."""

    entry: ProgressEntry
    values: dict[str, Any]
    version: int
    upload: UploadedFile | None = None


class DraftConflict(ReportingError):
    """One or more parts of the draft were saved by someone else since this user loaded them."""

    def __init__(self, message: str, conflicts: dict[str, EditConflict]) -> None:
        super().__init__(message)
        self.conflicts = conflicts  # "report" or "entry-<id>" -> conflict


def save_draft(
    actor: Any,
    report: ProgressReport,
    report_values: dict[str, Any] | None,
    report_version: int,
    edits: list[EntryEdit],
) -> ProgressReport:
    """Save the whole draft at once: all of it, or (on any conflict) none of it."""
    conflicts: dict[str, EditConflict] = {}
    with transaction.atomic():
        if report_values:
            try:
                report = save_report_fields(actor, report, report_values, report_version)
            except EditConflict as conflict:
                conflicts["report"] = conflict
        for edit in edits:
            try:
                if edit.values:
                    save_entry(actor, edit.entry, edit.values, edit.version)
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
    report.refresh_from_db()
    return report


# --- evidence -------------------------------------------------------------------------------

# Evidence a department keeps: scans and photos, Word and Excel files. Detected from the
# bytes, never from the name or the browser's claim.
ALLOWED_EVIDENCE = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WebP",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
}


def check_evidence_file(upload: UploadedFile) -> str:
    """Return the detected MIME type or raise ValidationError with a message in Vietnamese."""
    mime = sniff_upload(upload)
    if mime not in ALLOWED_EVIDENCE:
        raise ValidationError(
            _(
                "Tệp “%(name)s” không phải PDF, ảnh (JPEG, PNG, WebP), Word hay Excel; nội dung tệp được kiểm tra, "
                "không dựa vào tên tệp."
            )
            % {"name": upload.name}
        )
    return mime


def add_evidence(actor: Any, entry: ProgressEntry, upload: UploadedFile) -> Evidence:
    mime = check_evidence_file(upload)
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().select_related("party").get(pk=entry.report_id)
        _require_editable(actor, report)
        evidence = Evidence(
            entry=entry,
            original_name=(upload.name or "tep")[:255],
            content_type=mime,
            size=upload.size or 0,
            uploaded_by=actor,
        )
        evidence.file.save(upload.name or "tep", upload, save=False)
        # A failed INSERT must not leave the stored file behind.
        try:
            evidence.save()
        except Exception:
            evidence.file.delete(save=False)
            raise
        audit(actor, "evidence.added", evidence, entry=entry.pk, name=evidence.original_name, size=evidence.size)
        return evidence


def remove_evidence(actor: Any, evidence: Evidence) -> None:
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().select_related("party").get(pk=evidence.entry.report_id)
        _require_editable(actor, report)
        audit(actor, "evidence.removed", evidence, name=evidence.original_name)
        stored = evidence.file
        evidence.delete()
        transaction.on_commit(lambda: stored.delete(save=False))


# --- workflow ------------------------------------------------------------------------------


def _transition(
    actor: Any, report: ProgressReport, allowed_from: tuple[str, ...], to_state: str, comment: str = "", **extra: Any
) -> ProgressReport:
    """Move a report through its review; the row lock makes one of two simultaneous clicks lose cleanly."""
    current = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if current.state not in allowed_from:
        raise ReportingError(
            _("Không thể chuyển báo cáo sang “%(to)s” vì báo cáo đang ở trạng thái “%(state)s”.")
            % {"to": State(to_state).label, "state": current.get_state_display()}
        )
    ProgressReport.objects.filter(pk=report.pk, state=current.state).update(
        state=to_state, version=F("version") + 1, updated_by=actor, updated_at=timezone.now(), **extra
    )
    ReportTransition.objects.create(
        report=current, from_state=current.state, to_state=to_state, actor=actor, comment=comment
    )
    audit(actor, f"report.{to_state}", current, from_state=current.state, comment=comment)
    report.refresh_from_db()
    return report


def submit_report(actor: Any, report: ProgressReport) -> ProgressReport:
    with transaction.atomic():
        if not can_edit_report(actor, report):
            raise ReportingError(_("Chỉ chuyên viên của đơn vị mới gửi được báo cáo này."))
        if not report.entries.exists():
            raise ReportingError(_("Báo cáo chưa có nội dung cam kết nào để gửi."))
        return _transition(actor, report, (State.DRAFT, State.RETURNED), State.SUBMITTED, submitted_at=timezone.now())


def return_report(
    actor: Any, report: ProgressReport, comment: str, entry_comments: dict[int, str] | None = None
) -> ProgressReport:
    comment = comment.strip()
    entry_comments = {k: v.strip() for k, v in (entry_comments or {}).items() if v and v.strip()}
    if not comment and not entry_comments:
        raise ReportingError(_("Hãy ghi ý kiến để chuyên viên biết cần chỉnh sửa gì."))
    with transaction.atomic():
        if not can_review_report(actor, report):
            raise ReportingError(_("Chỉ bộ phận điều phối của đơn vị mới trả lại được báo cáo này."))
        report = _transition(actor, report, (State.SUBMITTED,), State.RETURNED, comment, review_comment=comment)
        entries = ProgressEntry.objects.filter(report=report)
        entries.update(review_comment="")
        for entry in entries.filter(pk__in=list(entry_comments)):
            entry.review_comment = entry_comments[entry.pk]
            entry.save(update_fields=["review_comment"])
        return report


def approve_report(actor: Any, report: ProgressReport) -> ProgressReport:
    with transaction.atomic():
        if not can_review_report(actor, report):
            raise ReportingError(_("Chỉ bộ phận điều phối của đơn vị mới phê duyệt được báo cáo này."))
        report = _transition(actor, report, (State.SUBMITTED,), State.APPROVED, approved_at=timezone.now())
        # The latest approved word on a commitment becomes its status.
        later_approved = ProgressReport.objects.filter(
            party=report.party, state=State.APPROVED, period__start__gt=report.period.start
        ).exists()
        if not later_approved:
            for commitment_id, status in report.entries.values_list("commitment_id", "status"):
                Commitment.objects.filter(pk=commitment_id).exclude(status=status).update(status=status)
        return report


def reopen_report(actor: Any, report: ProgressReport, reason: str) -> ProgressReport:
    reason = reason.strip()
    if not reason:
        raise ReportingError(_("Hãy ghi lý do mở lại báo cáo đã phê duyệt."))
    with transaction.atomic():
        if not can_review_report(actor, report):
            raise ReportingError(_("Chỉ bộ phận điều phối của đơn vị mới mở lại được báo cáo này."))
        return _transition(
            actor, report, (State.APPROVED,), State.RETURNED, reason, review_comment=reason, approved_at=None
        )


# --- review meetings -------------------------------------------------------------------------


def adopt_decision(
    actor: Any,
    decision: MeetingDecision,
    *,
    item: CooperationItem,
    responsible_party: Party,
    due_on: datetime.date | None = None,
) -> Commitment:
    """Turn a meeting's decision into a commitment under one of the agreement's items, once."""
    agreement_id = decision.meeting.agreement_id
    if item.agreement_id != agreement_id or responsible_party.agreement_id != agreement_id:
        raise ReportingError(_("Nội dung hợp tác và bên chủ trì phải thuộc thỏa thuận của cuộc họp."))
    with transaction.atomic():
        commitment = Commitment.objects.create(
            item=item,
            responsible_party=responsible_party,
            description=decision.text,
            due_on=due_on,
            order=item.commitments.count() + 1,
        )
        claimed = MeetingDecision.objects.filter(pk=decision.pk, commitment__isnull=True).update(commitment=commitment)
        if not claimed:
            raise ReportingError(_("Kết luận này đã được chuyển thành cam kết."))
        audit(actor, "decision.adopted", decision, commitment=commitment.pk)
    decision.refresh_from_db()
    return commitment
