"""The agreement list as a table for Excel and CSV: the same rows and filters as the page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Body, Commitment, CooperationItem, Sector
from core.tabular import Column, Table, dated


def _parties(agreement: Agreement) -> str:
    names = []
    for party in agreement.listed_parties:  # type: ignore[attr-defined]  # prefetched by the view
        name = party.body.name
        place = party.place
        if place.changed:
            name += f" ({place.then} → {gettext('nay')} {place.now})"
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
    Column(_("Số bên"), lambda a: len(a.listed_parties), 8),  # type: ignore[attr-defined]  # prefetched by the view
    Column(_("Số nội dung"), lambda a: a.item_count, 10),  # type: ignore[attr-defined]  # annotated by the view
    Column(_("Các bên"), _parties, 80),
]


def agreement_table(queryset: QuerySet[Agreement]) -> Table[Agreement]:
    return Table(
        title=pgettext("list title", "Thỏa thuận hợp tác"),
        filename=dated("thoa-thuan"),
        columns=AGREEMENT_COLUMNS,
        rows=queryset.iterator(chunk_size=500),
    )


# The commitments' columns, by key: the export writes them and agreements.commitment_import reads them back.
COMMITMENT_HEADERS = {
    "agreement": pgettext_lazy("column", "Thỏa thuận"),
    "item": _("Nội dung số"),
    "item_text": _("Nội dung hợp tác"),
    "sectors": _("Lĩnh vực"),
    "description": _("Cam kết"),
    "party": _("Bên chủ trì"),
    "due_on": _("Thời hạn"),
    "status": _("Tình trạng"),
    "indicator": _("Chỉ tiêu"),
    "unit": _("Đơn vị tính"),
    "baseline": _("Giá trị nền"),
    "target": _("Giá trị mục tiêu"),
    "lead_body": _("Cơ quan chủ trì thực hiện"),
    "supporting": _("Cơ quan phối hợp"),
    "key": _("Mã cam kết"),
}
# Several bodies in one cell, as the import splits them.
BODY_SEPARATOR = "; "


@dataclass(frozen=True)
class CommitmentRow:
    """A commitment with what its many-to-many columns say, read for the whole export at once."""

    commitment: Commitment
    sectors: str
    supporting: str


H = COMMITMENT_HEADERS
# New columns go at the end: a file made from an older export keeps its column places.
COMMITMENT_COLUMNS: list[Column[CommitmentRow]] = [
    Column(H["agreement"], lambda r: r.commitment.item.agreement.title, 50),
    Column(H["item"], lambda r: r.commitment.item.number, 10),
    Column(H["item_text"], lambda r: r.commitment.item.text, 50),
    Column(H["sectors"], lambda r: r.sectors, 20),
    Column(H["description"], lambda r: r.commitment.description, 60),
    Column(H["party"], lambda r: r.commitment.responsible_party.body.name, 36),
    Column(H["due_on"], lambda r: r.commitment.due_on, 12),
    Column(H["status"], lambda r: r.commitment.get_status_display(), 18),
    Column(H["indicator"], lambda r: r.commitment.indicator_name, 30),
    Column(H["unit"], lambda r: r.commitment.indicator_unit, 12),
    Column(H["baseline"], lambda r: r.commitment.baseline, 14),
    Column(H["target"], lambda r: r.commitment.target, 14),
    # str(): an ended body carries its end ("... (đến 30/06/2025)"), which tells old and new Tây Ninh apart.
    Column(H["lead_body"], lambda r: str(r.commitment.lead_body) if r.commitment.lead_body is not None else "", 36),
    Column(H["supporting"], lambda r: r.supporting, 50),
    Column(H["key"], lambda r: r.commitment.pk, 10),
]


def _supporting(commitment_ids: QuerySet[Commitment, Any]) -> dict[int, str]:
    """Commitment id -> its supporting bodies, in two queries however many rows the export has."""
    pairs = list(
        Commitment.supporting_bodies.through.objects.filter(commitment_id__in=commitment_ids).values_list(
            "commitment_id", "body_id"
        )
    )
    bodies = Body.objects.in_bulk({body_id for _commitment_id, body_id in pairs})
    names: dict[int, list[str]] = defaultdict(list)
    for commitment_id, body_id in pairs:
        names[commitment_id].append(str(bodies[body_id]))
    return {pk: BODY_SEPARATOR.join(sorted(found)) for pk, found in names.items()}


def _other_sectors(commitment_ids: QuerySet[Commitment, Any]) -> dict[int, list[Sector]]:
    """Item id -> its other sectors (CooperationItem.sectors() order), in two queries."""
    sectors = Sector.objects.in_bulk()
    found: dict[int, list[Sector]] = defaultdict(list)
    links = CooperationItem.other_sectors.through.objects.filter(cooperationitem__commitments__in=commitment_ids)
    for item_id, sector_id in links.distinct().values_list("cooperationitem_id", "sector_id"):
        found[item_id].append(sectors[sector_id])
    return {item_id: sorted(others, key=lambda s: (s.order, s.name)) for item_id, others in found.items()}


def commitment_table(queryset: QuerySet[Commitment]) -> Table[CommitmentRow]:
    ids = queryset.values("pk")
    supporting = _supporting(ids)
    others = _other_sectors(ids)

    def rows() -> Iterator[CommitmentRow]:
        related = queryset.select_related("item__agreement", "item__sector", "responsible_party__body", "lead_body")
        for commitment in related.iterator(chunk_size=2000):
            item = commitment.item
            sectors = [item.sector, *(s for s in others.get(item.pk, []) if s.pk != item.sector_id)]
            labels = ", ".join(sector.label for sector in sectors)
            yield CommitmentRow(commitment, labels, supporting.get(commitment.pk, ""))

    return Table(
        title=pgettext("list title", "Cam kết"),
        filename=dated("cam-ket"),
        columns=COMMITMENT_COLUMNS,
        rows=rows(),
    )
