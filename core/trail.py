"""Reading the audit trail: what an entry says, in words (an agreement's history page).

The trail's vocabulary is here, in one place: the label of each action the services and the admin
write (core.audit), and of the details they keep.  Models are found by their label through Django's
registry, never imported: core knows no app above it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import AuditEntry
from core.numbers import format_decimal

NOTHING = "—"

ACTIONS: dict[str, Promise] = {
    "report.saved": gettext_lazy("Lưu báo cáo"),
    "report.submitted": gettext_lazy("Gửi báo cáo"),
    "report.returned": gettext_lazy("Trả lại báo cáo"),
    "report.approved": gettext_lazy("Phê duyệt báo cáo"),
    "entry.saved": gettext_lazy("Cập nhật kết quả thực hiện cam kết"),
    "entries.added": gettext_lazy("Bổ sung cam kết mới vào báo cáo"),
    "evidence.added": gettext_lazy("Đính kèm minh chứng"),
    "evidence.removed": gettext_lazy("Gỡ minh chứng"),
    "periods.opened": gettext_lazy("Mở kỳ báo cáo"),
    "commitment.added": gettext_lazy("Thêm cam kết"),
    "commitment.status": gettext_lazy("Cập nhật tình trạng cam kết theo báo cáo đã phê duyệt"),
    "decision.adopted": gettext_lazy("Chuyển kết luận cuộc họp thành cam kết"),
    "document.issued": gettext_lazy("Ban hành văn bản (cấp số)"),
    "agreement.archived": gettext_lazy("Lưu trữ thỏa thuận"),
    "agreement.unarchived": gettext_lazy("Đưa thỏa thuận trở lại danh sách"),
    # Entering and carrying an agreement in the app (agreements/services.py, issue 10).
    "agreement.created": gettext_lazy("Tạo dự thảo thỏa thuận"),
    "agreement.updated": gettext_lazy("Sửa thông tin chung của thỏa thuận"),
    "agreement.parties": gettext_lazy("Cập nhật các bên tham gia"),
    "agreement.items": gettext_lazy("Cập nhật các nội dung hợp tác"),
    "agreement.published": gettext_lazy("Ban hành thỏa thuận"),
    "agreement.status": gettext_lazy("Đổi tình trạng thỏa thuận"),
    "agreement.amended": gettext_lazy("Ghi nhận văn bản sửa đổi, bổ sung"),
    "agreement.renewed": gettext_lazy("Chuẩn bị giai đoạn tiếp theo"),
    "body.added": gettext_lazy("Thêm cơ quan vào danh mục"),
    "commitment.updated": gettext_lazy("Sửa cam kết"),
    # Review meetings (meetings/services.py, issue 10).
    "meeting.planned": gettext_lazy("Lên kế hoạch cuộc họp"),
    "meeting.updated": gettext_lazy("Sửa thông tin cuộc họp"),
    "meeting.attendance": gettext_lazy("Cập nhật thành phần tham dự cuộc họp"),
    "meeting.agenda": gettext_lazy("Lưu chương trình họp"),
    "meeting.minutes": gettext_lazy("Ghi biên bản cuộc họp"),
    "decision.added": gettext_lazy("Ghi kết luận cuộc họp"),
    "decision.updated": gettext_lazy("Sửa kết luận cuộc họp"),
}
# The admin's writes (core.admin.AuditedAdmin), of any kind of row.
ADMIN_ACTIONS: dict[str, Promise] = {
    "admin.created": gettext_lazy("Thêm %(kind)s (trang quản trị)"),
    "admin.updated": gettext_lazy("Sửa %(kind)s (trang quản trị)"),
    "admin.deleted": gettext_lazy("Xóa %(kind)s (trang quản trị)"),
}
REOPENED = gettext_lazy("Mở lại báo cáo đã phê duyệt")


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Line:
    """One entry as the history page shows it; `private` when its details are not the reader's to see."""

    entry: AuditEntry
    action: str
    kind: str
    name: str
    private: bool = False
    changes: list[Change] = field(default_factory=list)
    details: list[tuple[str, str]] = field(default_factory=list)


def model_of(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def kind_label(object_type: str) -> str:
    """ "Báo cáo tiến độ" for reporting.progressreport; the label itself for a model that is gone."""
    model = model_of(object_type)
    return capfirst(str(model._meta.verbose_name)) if model is not None else object_type


def kinds(object_types: Iterable[str]) -> list[tuple[str, str]]:
    """(object type, its label) for a filter, by label."""
    return sorted(((t, kind_label(t)) for t in set(object_types)), key=lambda pair: pair[1])


def action_label(entry: AuditEntry) -> str:
    if entry.action in ADMIN_ACTIONS:
        model = model_of(entry.object_type)
        kind = str(model._meta.verbose_name) if model is not None else entry.object_type
        return str(ADMIN_ACTIONS[entry.action]) % {"kind": kind}
    if entry.action == "report.returned" and entry.data.get("from_state") == "approved":
        return str(REOPENED)  # the review's "reopen" leads back to "returned"
    label = ACTIONS.get(entry.action)
    return str(label) if label is not None else entry.action


def shown(model: type[models.Model] | None, name: str, value: Any) -> str:
    """A value the trail keeps (core.audit.plain), as a person reads it: a choice by its label, a date as
    dd/mm/yyyy, a figure in the page's notation; nothing as "—"."""
    if value is None or value == "" or value == []:
        return NOTHING
    if isinstance(value, list):
        return ", ".join(shown(model, name, item) for item in value)
    try:
        model_field = model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        model_field = None
    if isinstance(model_field, models.Field):
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(model_field, models.BooleanField):
            return _("Có") if value else _("Không")
        if isinstance(model_field, models.DateTimeField):
            moment = _parse(datetime.datetime.fromisoformat, value)
            if isinstance(moment, datetime.datetime):
                return f"{timezone.localtime(moment):%d/%m/%Y %H:%M}"
        elif isinstance(model_field, models.DateField):
            day = _parse(datetime.date.fromisoformat, value)
            if isinstance(day, datetime.date):
                return f"{day:%d/%m/%Y}"
        if isinstance(model_field, models.DecimalField | models.IntegerField) and not isinstance(value, bool):
            try:
                return format_decimal(Decimal(str(value)))
            except (InvalidOperation, ValueError):
                pass
    return str(value)


def _parse(parse: Any, value: Any) -> Any:
    try:
        return parse(value)
    except (TypeError, ValueError):
        return None


def _field_label(model: type[models.Model] | None, name: str) -> str:
    try:
        found = model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        found = None
    return capfirst(str(found.verbose_name)) if isinstance(found, models.Field) else name


def _values(model: type[models.Model] | None, values: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [(_field_label(model, name), shown(model, name, value)) for name, value in values.items() if value]


def _deleted_with(object_type: str, counts: Mapping[str, int]) -> str:
    """ "2 bên tham gia, 3 nội dung hợp tác": what went with a deleted row (itself not counted)."""
    parts = []
    for label, count in sorted(counts.items()):
        count -= 1 if label.lower() == object_type else 0
        model = model_of(label)
        if count > 0:
            parts.append(f"{count} {model._meta.verbose_name if model is not None else label}")
    return ", ".join(parts)


def _source(source: str) -> str:
    """Where a created or changed row came from: "form", "import:<file name>", "renewal:<agreement id>"."""
    kind, _sep, rest = source.partition(":")
    if kind == "form":
        return _("Nhập trên trang")
    if kind == "import":
        return _("Nhập từ tệp “%(file)s”") % {"file": rest} if rest else _("Nhập từ tệp")
    if kind == "renewal":
        return _("Chuẩn bị từ giai đoạn trước")
    return source


def _lifecycle_details(action: str, model: type[models.Model] | None, data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What the agreement services keep beside an action (agreements/services.py), in words."""
    details: list[tuple[str, str]] = []
    if source := data.get("source"):
        details.append((_("Nguồn"), _source(str(source))))
    if action == "agreement.status" and (on := data.get("on")):
        details.append((_("Có hiệu lực từ ngày"), _day(str(on))))
    if action == "agreement.amended" and (on := data.get("on")):
        details.append((_("Ngày sửa đổi"), _day(str(on))))
    if action == "agreement.status" and (note := data.get("note")):
        details.append((_("Ghi chú"), str(note)))
    if action == "agreement.published" and (status := data.get("status")):
        details.append((_field_label(model, "status"), shown(model, "status", status)))
    if action in ("agreement.created", "agreement.parties") and isinstance(data.get("parties"), list):
        details.append((_("Số bên"), str(len(data["parties"]))))
    if action in ("agreement.created", "agreement.items") and isinstance(data.get("items"), int):
        details.append((_("Số nội dung hợp tác"), str(data["items"])))
    if action == "agreement.renewed" and (title := data.get("title")):
        details.append((_("Văn bản kế tiếp"), str(title)))
    return details


def _day(value: str) -> str:
    day = _parse(datetime.date.fromisoformat, value)
    return f"{day:%d/%m/%Y}" if isinstance(day, datetime.date) else value


def describe(entry: AuditEntry, *, private: bool = False) -> Line:
    """What the entry says.  A private entry (a report the reader may not read) shows what was done and
    when, never its contents or the name of its object (an evidence file's name is its content)."""
    model = model_of(entry.object_type)
    kind = kind_label(entry.object_type)
    line = Line(entry, action_label(entry), kind, entry.object_repr or f"{kind} #{entry.object_id}")
    if private:
        line.private, line.name = True, kind
        return line
    data = entry.data
    for name, (before, after) in (data.get("changes") or {}).items():
        line.changes.append(Change(_field_label(model, name), shown(model, name, before), shown(model, name, after)))
    if entry.action in ("commitment.status", "agreement.status"):
        line.changes.append(
            Change(
                _field_label(model, "status"),
                shown(model, "status", data.get("before")),
                shown(model, "status", data.get("after")),
            )
        )
    line.details += _values(model, data.get("values") or {})
    line.details += _lifecycle_details(entry.action, model, data)
    if data.get("deleted") and (together := _deleted_with(entry.object_type, data["deleted"])):
        line.details.append((_("Xóa kèm theo"), together))
    if fields := data.get("fields"):
        line.details.append((_("Nội dung đã sửa"), ", ".join(_field_label(model, name) for name in fields)))
    if comment := data.get("comment"):
        line.details.append((_("Ý kiến"), str(comment)))
    if entry_comments := data.get("entry_comments"):
        line.details.append((_("Ý kiến cho từng cam kết"), "; ".join(str(text) for text in entry_comments.values())))
    if confirmed := data.get("confirmed_unchanged"):
        line.details.append(
            (_("Xác nhận không đổi so với kỳ trước"), _("%(count)d cam kết") % {"count": len(confirmed)})
        )
    if number := data.get("number"):
        line.details.append((_("Số văn bản"), str(number)))
    if signer := data.get("signer"):
        line.details.append((_("Người ký"), str(signer)))
    if entry.action == "periods.opened":
        line.details.append(
            (
                _("Đã mở"),
                _("%(periods)d kỳ, %(reports)d báo cáo, %(entries)d dòng kết quả")
                % {
                    "periods": len(data.get("periods") or []),
                    "reports": len(data.get("reports") or []),
                    "entries": data.get("entries") or 0,
                },
            )
        )
    if commitments := data.get("commitments"):
        line.details.append((_("Cam kết bổ sung"), _("%(count)d cam kết") % {"count": len(commitments)}))
    return line
