"""The agreement list as a table for Excel and CSV: the same rows and filters as the page."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Commitment
from core import clock
from core.tabular import Column, Table


def _parties(agreement: Agreement) -> str:
    names = []
    for party in agreement.parties.all():
        name = party.body.name
        if party.place_changed:
            name += f" ({party.place_then} → {gettext('nay')} {party.place_now})"
        names.append(name)
    return "; ".join(names)


AGREEMENT_COLUMNS: list[Column[Agreement]] = [
    Column(_("Số văn bản"), lambda a: a.number, 16),
    Column(_("Tên văn bản"), lambda a: a.title, 60),
    Column(_("Loại văn bản"), lambda a: a.get_kind_display(), 22),
    Column(_("Ngày ký"), lambda a: a.signed_on, 12),
    Column(_("Giai đoạn từ"), lambda a: a.period_start, 12),
    Column(_("Giai đoạn đến"), lambda a: a.period_end, 12),
    Column(_("Tình trạng"), lambda a: a.get_status_display(), 16),
    Column(_("Số bên"), lambda a: a.party_count, 8),  # type: ignore[attr-defined]  # annotated by the view
    Column(_("Số nội dung"), lambda a: a.item_count, 10),  # type: ignore[attr-defined]
    Column(_("Các bên"), _parties, 80),
]


def agreement_table(queryset: QuerySet[Agreement]) -> Table[Agreement]:
    return Table(
        title=gettext("Thỏa thuận hợp tác"),
        filename=f"thoa-thuan-{clock.today():%Y%m%d}",
        columns=AGREEMENT_COLUMNS,
        rows=queryset.iterator(chunk_size=500),
    )


COMMITMENT_COLUMNS: list[Column[Commitment]] = [
    Column(_("Thỏa thuận"), lambda c: c.item.agreement.title, 50),
    Column(_("Nội dung số"), lambda c: c.item.number, 10),
    Column(_("Nội dung hợp tác"), lambda c: c.item.text, 50),
    Column(_("Lĩnh vực"), lambda c: c.item.get_sector_display(), 20),
    Column(_("Cam kết"), lambda c: c.description, 60),
    Column(_("Bên chủ trì"), lambda c: c.responsible_party.body.name, 36),
    Column(_("Thời hạn"), lambda c: c.due_on, 12),
    Column(_("Tình trạng"), lambda c: c.get_status_display(), 18),
    Column(_("Chỉ tiêu"), lambda c: c.indicator_name, 30),
    Column(_("Đơn vị tính"), lambda c: c.indicator_unit, 12),
    Column(_("Giá trị nền"), lambda c: c.baseline, 14),
    Column(_("Giá trị mục tiêu"), lambda c: c.target, 14),
]


def commitment_table(queryset: QuerySet[Commitment]) -> Table[Commitment]:
    return Table(
        title=gettext("Cam kết"),
        filename=f"cam-ket-{clock.today():%Y%m%d}",
        columns=COMMITMENT_COLUMNS,
        rows=queryset.iterator(chunk_size=2000),
    )
