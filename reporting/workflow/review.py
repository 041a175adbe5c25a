"""The review of a report: submit, return, approve, reopen (ProgressReport.TRANSITIONS says from where to where)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from agreements.services import record_commitment_statuses
from core import clock, limits
from core.audit import audit
from reporting import signals
from reporting.access import can_edit_report, can_review_report
from reporting.models import ProgressEntry, ProgressReport, ReportTransition
from reporting.queries import submission_check
from reporting.workflow.errors import ReportingError

State = ProgressReport.State


def _transition(
    actor: User,
    report: ProgressReport,
    action: str,
    comment: str = "",
    *,
    trail: dict[str, Any] | None = None,
    **extra: Any,
) -> ProgressReport:
    """Move a report through its review; the row lock makes one of two simultaneous clicks lose cleanly.

    `extra` is written on the report, `trail` only in the audit entry.
    """
    # The report's row alone is locked; its party and period name it in the audit entry.
    current = (
        ProgressReport.objects.select_for_update(of=("self",)).select_related("party__body", "period").get(pk=report.pk)
    )
    to_state = ProgressReport.TRANSITIONS[action][1]
    if not current.allows(action):
        raise ReportingError(
            _("Không thể chuyển báo cáo sang “%(to)s” vì báo cáo đang ở trạng thái “%(state)s”.")
            % {"to": State(to_state).label, "state": current.get_state_display()}
        )
    ProgressReport.objects.filter(pk=report.pk, state=current.state).update(
        state=to_state, version=F("version") + 1, updated_by=actor, updated_at=clock.now(), **extra
    )
    transition = ReportTransition.objects.create(
        report=current, from_state=current.state, to_state=to_state, actor=actor, comment=comment
    )
    audit(actor, f"report.{to_state}", current, from_state=current.state, comment=comment, **(trail or {}))
    report.refresh_from_db()
    signals.report_transitioned.send(sender=ProgressReport, report=report, transition=transition, actor=actor)
    return report


def _check_lengths(model: type[Any], values: dict[str, str]) -> None:
    try:
        limits.check_lengths(model, values)
    except ValidationError as exc:
        raise ReportingError(" ".join(exc.messages)) from None


UNTOUCHED_LISTED = 5  # the message names this many untouched commitments, then counts the rest


def submit_report(actor: User, report: ProgressReport, *, confirm_unchanged: bool = False) -> ProgressReport:
    """Send a report for review: what staff really wrote, and what they confirmed has not changed.

    A report is sent with something in it: its entries or, for a party with no commitment of its
    own, at least the general assessment.  An entry nobody saved since the period opened still
    holds last period's values; it is sent only when the staff member confirms (`confirm_unchanged`)
    that they are still true, and the audit entry keeps which ones were confirmed.
    """
    with transaction.atomic():
        if not can_edit_report(actor, report):
            raise ReportingError(_("Chỉ chuyên viên của đơn vị mới gửi được báo cáo này."))
        current = ProgressReport.objects.select_for_update().get(pk=report.pk)
        check = submission_check(current)
        if current.allows("submit") and check.is_empty:
            raise ReportingError(
                _(
                    "Báo cáo chưa có nội dung để gửi. Đơn vị không chủ trì cam kết nào trong thỏa thuận này: "
                    "hãy ghi ít nhất phần đánh giá chung (kết quả chung, hạn chế, phương hướng kỳ tới) rồi gửi."
                )
            )
        if current.allows("submit") and check.untouched and not confirm_unchanged:
            names = [
                _("Nội dung %(number)s: %(commitment)s")
                % {"number": e.commitment.item.number, "commitment": Truncator(e.commitment.description).chars(80)}
                for e in check.untouched[:UNTOUCHED_LISTED]
            ]
            more = len(check.untouched) - len(names)
            if more:
                names.append(_("và %(count)d cam kết khác") % {"count": more})
            raise ReportingError(
                _(
                    "Chưa gửi: các cam kết sau chưa được cập nhật kể từ khi mở kỳ báo cáo (vẫn là số liệu kỳ trước, "
                    "nếu có): %(list)s. Hãy cập nhật, hoặc xác nhận rằng nội dung không thay đổi so với kỳ trước."
                )
                % {"list": "; ".join(str(name) for name in names)}
            )
        trail = {"confirmed_unchanged": [e.pk for e in check.untouched]} if check.untouched else {}
        return _transition(actor, report, "submit", trail=trail, submitted_at=clock.now())


def return_report(
    actor: User, report: ProgressReport, comment: str, entry_comments: dict[int, str] | None = None
) -> ProgressReport:
    comment = comment.strip()
    entry_comments = {k: v.strip() for k, v in (entry_comments or {}).items() if v and v.strip()}
    if not comment and not entry_comments:
        raise ReportingError(_("Hãy ghi ý kiến để chuyên viên biết cần chỉnh sửa gì."))
    _check_lengths(ProgressReport, {"review_comment": comment})
    for text in entry_comments.values():
        _check_lengths(ProgressEntry, {"review_comment": text})
    with transaction.atomic():
        if not can_review_report(actor, report):
            raise ReportingError(_("Chỉ bộ phận điều phối của đơn vị mới trả lại được báo cáo này."))
        trail = {"entry_comments": entry_comments} if entry_comments else None
        report = _transition(actor, report, "return", comment, trail=trail, review_comment=comment)
        entries = ProgressEntry.objects.filter(report=report)
        entries.update(review_comment="")
        for entry in entries.filter(pk__in=list(entry_comments)):
            entry.review_comment = entry_comments[entry.pk]
            entry.save(update_fields=["review_comment"])
        return report


def approve_report(actor: User, report: ProgressReport) -> ProgressReport:
    with transaction.atomic():
        if not can_review_report(actor, report):
            raise ReportingError(_("Chỉ bộ phận điều phối của đơn vị mới phê duyệt được báo cáo này."))
        report = _transition(actor, report, "approve", approved_at=clock.now())
        # The latest approved word on a commitment becomes its status.
        later_approved = ProgressReport.objects.filter(
            party=report.party, state=State.APPROVED, period__start__gt=report.period.start
        ).exists()
        if not later_approved:
            statuses = dict(report.entries.values_list("commitment_id", "status"))
            record_commitment_statuses(actor, statuses, source=f"report:{report.pk}")
        return report


def reopen_report(actor: User, report: ProgressReport, reason: str) -> ProgressReport:
    reason = reason.strip()
    if not reason:
        raise ReportingError(_("Hãy ghi lý do mở lại báo cáo đã phê duyệt."))
    _check_lengths(ProgressReport, {"review_comment": reason})
    with transaction.atomic():
        if not can_review_report(actor, report):
            raise ReportingError(_("Chỉ bộ phận điều phối của đơn vị mới mở lại được báo cáo này."))
        return _transition(actor, report, "reopen", reason, review_comment=reason, approved_at=None)
