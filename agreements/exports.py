"""The agreement list as a table for Excel and CSV: the same rows and filters as the page."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement
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
