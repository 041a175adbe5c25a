"""The check every change of a draft starts with, inside its transaction."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from reporting.access import can_edit_report
from reporting.models import ProgressReport
from reporting.workflow.errors import ReportingError


def lock_editable_report(actor: User, report_id: int) -> ProgressReport:
    """Lock the report row for this transaction and check that the actor may change it now."""
    report = ProgressReport.objects.select_for_update().select_related("party").get(pk=report_id)
    if not can_edit_report(actor, report):
        raise ReportingError(_("Bạn không có quyền cập nhật báo cáo của đơn vị này."))
    if report.state == ProgressReport.State.APPROVED:
        raise ReportingError(_("Báo cáo đã được phê duyệt và đã khóa; cần bộ phận điều phối mở lại để chỉnh sửa."))
    if report.state == ProgressReport.State.SUBMITTED:
        raise ReportingError(_("Báo cáo đã gửi đang chờ duyệt; không thể chỉnh sửa lúc này."))
    return report
