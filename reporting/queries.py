"""Read models of reporting: what pages, documents and jobs read, each in a fixed number of queries.

- `consolidate`: one agreement and period, every item (or a page of them), every party's entries side by side
  (the coordinator's page and the PDF renderer, so both show the same thing), with the period's counts;
- `previous_entries`: what a party reported last time, to seed and to show beside the form;
- `reports_needing`: a user's drafts to fill and submissions to review (the home page);
- `submission_check`: what a report would be sent with: empty texts, entries nobody touched.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Subquery, prefetch_related_objects
from django.utils.functional import Promise

from agreements.access import holds_role, parties_of
from agreements.models import Commitment, CooperationItem, Party, Role
from core.related import share
from core.types import Actor
from reporting.access import can_read_report
from reporting.models import EntryRevision, Evidence, ProgressEntry, ProgressReport, ReportingPeriod


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
class PartyTotals:
    """One party's figures over the whole period, counted in the database (a page of items shows only some)."""

    commitments: int  # the commitments it leads in the agreement
    statuses: dict[str, int]  # its entries by status; empty when the viewer may not read its report


@dataclass
class Consolidated:
    period: ReportingPeriod
    parties: list[Party]
    reports: dict[int, ProgressReport]  # party id -> report
    visible: dict[int, bool]
    items: list[ItemBlock]  # every item, or the page of them asked for
    totals: dict[int, PartyTotals]  # party id -> its figures over the whole period, whatever `items` holds

    def status_counts(self) -> dict[str, int]:
        """The period's entries by status, every item (not only the page's), of the reports the viewer may read."""
        counts: dict[str, int] = defaultdict(int)
        for totals in self.totals.values():
            for status, n in totals.statuses.items():
                counts[status] += n
        return dict(counts)


def _party_totals(period: ReportingPeriod, parties: list[Party], visible: dict[int, bool]) -> dict[int, PartyTotals]:
    """Two grouped queries, whatever the size of the agreement."""
    led = dict(
        Commitment.objects.filter(agreement_id=period.agreement_id)
        .values_list("responsible_party_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    statuses: dict[int, dict[str, int]] = defaultdict(dict)
    for party_id, status, n in (
        ProgressEntry.objects.filter(report__period=period, report__party_id__in=[p for p, v in visible.items() if v])
        .values_list("report__party_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        statuses[party_id][status] = n
    return {p.pk: PartyTotals(commitments=led.get(p.pk, 0), statuses=statuses[p.pk]) for p in parties}


def consolidate(
    period: ReportingPeriod,
    viewer: Actor | None = None,
    items: Sequence[CooperationItem | int] | None = None,
) -> Consolidated:
    """Build the consolidated view; a viewer sees other parties' entries only where they may read the report.

    `items` (items or their ids): only these items, their commitments and entries are read (a page of the
    period page); None: every item (the documents).  The parties, their reports and `totals` are always the
    whole period's.  A fixed number of queries either way.
    """
    agreement = period.agreement
    # Kept on the agreement too: can_read_report reads each shared report's agreement's parties.
    prefetch_related_objects(
        [agreement], Prefetch("parties", queryset=Party.objects.select_related("body__unit", "coordinating_office"))
    )
    parties = list(agreement.parties.all())
    # The parties read above, not joined again; unordered (the model's order joins periods and parties).
    reports: dict[int, ProgressReport] = {
        r.party_id: r for r in share(ProgressReport.objects.filter(period=period).order_by(), "party", parties)
    }
    for party in parties:
        party.agreement = agreement
    visible = {p.pk: (viewer is None or (p.pk in reports and can_read_report(viewer, reports[p.pk]))) for p in parties}
    item_ids = None if items is None else [i if isinstance(i, int) else i.pk for i in items]
    entry_rows = ProgressEntry.objects.filter(
        report__period=period, report__party_id__in=[p for p, v in visible.items() if v]
    )
    item_rows = CooperationItem.objects.filter(agreement=agreement)
    if item_ids is not None:
        entry_rows = entry_rows.filter(commitment__item_id__in=item_ids)
        item_rows = item_rows.filter(pk__in=item_ids)
    # With the reports read above (core.related.share), not joined: a report's row carries its long texts.
    entries = {
        (e.report.party_id, e.commitment_id): e
        for e in share(entry_rows.order_by().prefetch_related("evidence"), "report", reports.values())
    }
    item_rows = item_rows.order_by("number").prefetch_related(
        Prefetch(
            "commitments",
            queryset=Commitment.objects.order_by("order", "pk"),
        )
    )
    blocks: list[ItemBlock] = []
    for item in item_rows:
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
    return Consolidated(
        period=period,
        parties=parties,
        reports=reports,
        visible=visible,
        items=blocks,
        totals=_party_totals(period, parties, visible),
    )


def _latest_before(party_id: int, before: datetime.date) -> QuerySet[ProgressReport]:
    """The party's reports of periods starting before `before`, the latest first."""
    return ProgressReport.objects.filter(party_id=party_id, period__start__lt=before).order_by("-period__start")


def previous_entries(party_id: int, before: datetime.date) -> dict[int, ProgressEntry]:
    """Commitment id -> the party's entry in its latest report of a period starting before `before`."""
    previous = _latest_before(party_id, before).first()
    if previous is None:
        return {}
    return {entry.commitment_id: entry for entry in previous.entries.all()}


def previous_entry(party_id: int, before: datetime.date, commitment_id: int) -> ProgressEntry | None:
    """previous_entries()'s entry for one commitment, in one query (an entry saved alone shows it again)."""
    latest = Subquery(_latest_before(party_id, before).values("pk")[:1])
    return ProgressEntry.objects.filter(report=latest, commitment_id=commitment_id).first()


def _with_context(reports: QuerySet[ProgressReport]) -> QuerySet[ProgressReport]:
    return reports.select_related("party__body", "party__coordinating_office", "period__agreement")


def reports_to_fill(user: Actor, today: datetime.date) -> QuerySet[ProgressReport]:
    """Drafts and returned reports of the staff's parties whose period has begun: returned first, then by deadline."""
    mine = parties_of(user, {Role.STAFF}).values("pk")
    return _with_context(
        ProgressReport.objects.filter(
            party_id__in=mine, state__in=ProgressReport.EDITABLE_STATES, period__start__lte=today
        )
    ).order_by("-state", "-period__deadline", "party__agreement_id")


def reports_to_review(user: Actor) -> QuerySet[ProgressReport]:
    """Submitted reports of the parties the user coordinates, oldest submission first."""
    if not holds_role(user, Role.COORDINATOR):
        # Nothing, without building the query: every home page asks, and most users coordinate nothing.
        return ProgressReport.objects.none()
    mine = parties_of(user, {Role.COORDINATOR}).values("pk")
    return _with_context(
        ProgressReport.objects.filter(party_id__in=mine, state=ProgressReport.State.SUBMITTED)
    ).order_by("submitted_at", "pk")


# The report's own texts, in the order the edit page shows them.
REPORT_TEXTS = ("overall_assessment", "shortcomings", "next_period_tasks")


@dataclass
class SubmissionCheck:
    """What a report would be sent with: the confirmation page shows it, submit_report enforces it."""

    report: ProgressReport
    entries: Sequence[ProgressEntry]
    empty_texts: list[str | Promise]  # labels of the report's own texts that are still empty
    without_results: Sequence[ProgressEntry]  # entries whose "results achieved" is empty
    # Nobody saved a value or attached a file since the period opened: last period's values as they were.
    untouched: Sequence[ProgressEntry]

    @property
    def is_empty(self) -> bool:
        """Nothing to send: no commitment of the party's own and no general assessment either."""
        return not self.entries and not self.report.overall_assessment.strip()


def submission_check(report: ProgressReport) -> SubmissionCheck:
    """Read `report` (as given: pass the locked or freshly read row) and its entries, in one query for the entries."""
    entries = list(
        report.entries.select_related("commitment__item")
        .annotate(
            revised=Exists(EntryRevision.objects.filter(entry=OuterRef("pk"))),
            evidenced=Exists(Evidence.objects.filter(entry=OuterRef("pk"))),
        )
        .order_by("commitment__item__number", "commitment__order", "commitment_id")
    )
    return SubmissionCheck(
        report=report,
        entries=entries,
        empty_texts=[
            ProgressReport._meta.get_field(name).verbose_name  # type: ignore[union-attr]
            for name in REPORT_TEXTS
            if not getattr(report, name).strip()
        ],
        without_results=[e for e in entries if not e.results.strip()],
        untouched=[e for e in entries if e.version == 1 and not e.revised and not e.evidenced],
    )
