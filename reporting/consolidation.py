"""The consolidated view of one agreement and period: every item, every party's entries side by side.

Used by the coordinator's page and by the PDF renderer, so both show the same thing.  A
fixed number of queries whatever the size of the agreement.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch

from agreements.models import Commitment, CooperationItem, Party
from agreements.permissions import can_read_report
from reporting.models import ProgressEntry, ProgressReport, ReportingPeriod


@dataclass
class CommitmentRow:
    commitment: Commitment
    entry: ProgressEntry | None  # None when the party's report is not visible or has no entry


@dataclass
class PartyColumn:
    party: Party
    report: ProgressReport | None
    visible: bool
    rows: list[CommitmentRow] = field(default_factory=list)


@dataclass
class ItemBlock:
    item: CooperationItem
    columns: list[PartyColumn]

    @property
    def commitment_count(self) -> int:
        return sum(len(c.rows) for c in self.columns)


@dataclass
class Consolidated:
    period: ReportingPeriod
    parties: list[Party]
    reports: dict[int, ProgressReport]  # party id -> report
    visible: dict[int, bool]
    items: list[ItemBlock]

    def status_counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for block in self.items:
            for column in block.columns:
                for row in column.rows:
                    if row.entry is not None:
                        counts[row.entry.status] += 1
        return dict(counts)


def consolidate(period: ReportingPeriod, viewer: Any = None) -> Consolidated:
    """Build the consolidated view; a viewer sees other parties' entries only where they may read the report."""
    agreement = period.agreement
    parties = list(agreement.parties.select_related("body__unit", "coordinating_office"))
    reports: dict[int, ProgressReport] = {
        r.party_id: r
        for r in ProgressReport.objects.filter(period=period)
        .select_related("party__body", "party__agreement")
        .annotate(evidence_count=Count("entries__evidence"))
    }
    for report in reports.values():
        report.party = next(p for p in parties if p.pk == report.party_id)
        report.party.agreement = agreement
    visible = {p.pk: (viewer is None or (p.pk in reports and can_read_report(viewer, reports[p.pk]))) for p in parties}
    entries = {
        (e.report.party_id, e.commitment_id): e
        for e in ProgressEntry.objects.filter(
            report__period=period, report__party_id__in=[p for p, v in visible.items() if v]
        )
        .select_related("report")
        .prefetch_related("evidence")
    }
    items = (
        CooperationItem.objects.filter(agreement=agreement)
        .order_by("number")
        .prefetch_related(
            Prefetch(
                "commitments",
                queryset=Commitment.objects.order_by("order", "pk").prefetch_related("supporting_bodies"),
            )
        )
    )
    blocks: list[ItemBlock] = []
    for item in items:
        columns = []
        for party in parties:
            column = PartyColumn(party=party, report=reports.get(party.pk), visible=visible[party.pk])
            for commitment in item.commitments.all():
                if commitment.responsible_party_id == party.pk:
                    commitment.responsible_party = party
                    entry = entries.get((party.pk, commitment.pk)) if column.visible else None
                    if entry is not None:
                        entry.commitment = commitment
                    column.rows.append(CommitmentRow(commitment, entry))
            columns.append(column)
        blocks.append(ItemBlock(item=item, columns=columns))
    return Consolidated(period=period, parties=parties, reports=reports, visible=visible, items=blocks)
