"""Opening reporting periods: one report per party and period, entries seeded from the period before.

`open_due_periods` is the hourly job: it reads every in-force agreement once, works out in Python
which windows have begun and are tracked, and writes only what is missing, in a fixed number of
queries (the same for ten agreements or ten thousand; more only when a run has more than
AGREEMENTS_PER_TRANSACTION agreements to open, or more than INSERT_BATCH rows of one kind to insert).
`open_reporting_periods` is the same rule for one agreement, whatever its status.

Two runs at once: what is missing is decided again under a lock on the agreements concerned
(SELECT ... FOR NO KEY UPDATE, in pk order), so the second run waits, then finds the first one's
rows and creates nothing.  The counts returned are the rows that run inserted, never a conflict.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from agreements.models import Agreement, Commitment, Party
from core.audit import audit, audit_bulk, audit_entry
from reporting import periods
from reporting.models import ProgressEntry, ProgressReport, ReportingPeriod
from reporting.queries import previous_entries

# One transaction (and one lock) per this many agreements: on the day a period opens for thousands of
# agreements, no edit of an agreement waits for the whole run.
AGREEMENTS_PER_TRANSACTION = 500
# Rows per INSERT statement.
INSERT_BATCH = 2000

# What agreement_windows() and Agreement.tracks() read, and the deadline of a new period.
_WINDOW_FIELDS = (
    "period_start",
    "period_end",
    "signed_on",
    "reporting_cadence_months",
    "report_deadline_days",
    "tracked_from",
    "ended_on",
    "status",
)
# What a new entry takes over from the party's entry of the period before (results are the period's own).
_CARRIED_FIELDS = ("status", "percent_complete", "actual_value", "difficulties", "proposals")

_Carried = tuple[Any, ...]  # the values of _CARRIED_FIELDS, in that order
_Key = tuple[int, datetime.date]  # (agreement id, period start): period_unique_start_per_agreement
_Due = dict[_Key, tuple[Agreement, periods.Window]]


@dataclass(frozen=True)
class OpenedSummary:
    """What one run really inserted."""

    agreements: int = 0  # agreements that got a period or a report
    periods: int = 0
    reports: int = 0
    entries: int = 0

    def __add__(self, other: OpenedSummary) -> OpenedSummary:
        return OpenedSummary(
            *(a + b for a, b in zip(dataclasses.astuple(self), dataclasses.astuple(other), strict=True))
        )

    def as_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


def agreement_windows(agreement: Agreement) -> list[periods.Window]:
    """The windows whose cut-off falls within the agreement's life (from signing, if later)."""
    start = max(agreement.period_start, agreement.signed_on or agreement.period_start)
    end = agreement.reporting_end  # a terminated or superseded agreement reports up to the day it ended
    return [
        w for w in periods.windows_overlapping(start, end, agreement.reporting_cadence_months) if start <= w.end <= end
    ]


def open_due_periods(today: datetime.date) -> OpenedSummary:
    """Create every tracked period of an in-force agreement that has begun by `today`, with one report per
    party (also for a period that lacks one party's report), entries seeded from the period before."""
    summary, _period_ids = _open(Q(status=Agreement.Status.IN_FORCE), today)
    return summary


def open_reporting_periods(agreement: Agreement, today: datetime.date) -> list[ReportingPeriod]:
    """The same for one agreement, whatever its status (the demo, an agreement tracked after the fact).

    Returns every tracked period that has begun, opened now or before, by start.  Periods before the
    agreement's "tracked from" date are history: they are never opened.  The agreement is read from
    the database: unsaved changes to `agreement` are not seen.
    """
    _summary, period_ids = _open(Q(pk=agreement.pk), today)
    return list(ReportingPeriod.objects.filter(pk__in=period_ids).order_by("start"))


def ensure_report(party: Party, period: ReportingPeriod) -> ProgressReport:
    """The party's report for the period, created (and seeded) if it has none."""
    with transaction.atomic():
        agreements = _lock(Q(pk=period.agreement_id), [period.agreement_id])
        if not ProgressReport.objects.filter(party=party, period=period).exists():
            reports, entries = _create_reports([(party.pk, period.pk)])
            _audit_opened(
                {agreement.pk: agreement for agreement in agreements},
                {},
                {period.agreement_id: list(reports.values())},
                {period.agreement_id: sum(entries.values())},
            )
    report = ProgressReport.objects.get(party=party, period=period)
    report.party, report.period = party, period
    return report


def sync_entries(report: ProgressReport) -> int:
    """Give the report an entry for each of its party's commitments, starting from last period's values."""
    if not report.is_editable:
        return 0
    # Every view of the edit form asks: in one query, and last period's entries read only when one is missing.
    commitments = list(
        Commitment.objects.filter(responsible_party_id=report.party_id)
        .exclude(Exists(ProgressEntry.objects.filter(report_id=report.pk, commitment_id=OuterRef("pk"))))
        .only("pk", "status")
    )
    if not commitments:
        return 0
    previous = previous_entries(report.party_id, report.period.start)
    new_entries = []
    for commitment in commitments:
        before = previous.get(commitment.pk)
        values = None if before is None else tuple(getattr(before, name) for name in _CARRIED_FIELDS)
        new_entries.append(_seeded_entry(report.pk, commitment.pk, commitment.status, values))
    ProgressEntry.objects.bulk_create(new_entries, ignore_conflicts=True)
    if new_entries:  # commitments added since the period opened (by the system, when the report is opened)
        audit(None, "entries.added", report, commitments=sorted(entry.commitment_id for entry in new_entries))
    return len(new_entries)


def _seeded_entry(report_id: int, commitment_id: int, commitment_status: str, before: _Carried | None) -> ProgressEntry:
    """A new entry: the party's values of the period before (_CARRIED_FIELDS); with none, the commitment's own
    status at the percentage that status means (the entry_* constraints): done starts at 100%, any other at 0%."""
    if before is not None:
        return ProgressEntry(
            report_id=report_id, commitment_id=commitment_id, **dict(zip(_CARRIED_FIELDS, before, strict=True))
        )
    fresh_percent = 100 if commitment_status == Commitment.Status.DONE else 0
    return ProgressEntry(
        report_id=report_id, commitment_id=commitment_id, status=commitment_status, percent_complete=fresh_percent
    )


# --- the bulk path ---------------------------------------------------------------------------------


def _open(scope: Q, today: datetime.date) -> tuple[OpenedSummary, list[int]]:
    """Open what is due for the agreements `scope` selects; the ids of every due period (new or not).

    Three queries when nothing is missing; the agreements with something missing are then opened under
    their lock, AGREEMENTS_PER_TRANSACTION at a time.
    """
    agreements = Agreement.objects.filter(scope)
    due = _due_windows(agreements.only(*_WINDOW_FIELDS).order_by("pk"), today)
    if not due:
        return OpenedSummary(), []
    in_scope = agreements.values("pk")
    period_ids = _period_ids(ReportingPeriod.objects.filter(agreement__in=in_scope, start__lte=today))
    missing_reports = _missing_reports(Party.objects.filter(agreement__in=in_scope), today, due)
    pending = sorted({agreement_id for agreement_id, _start in due.keys() - period_ids.keys()} | set(missing_reports))
    summary = OpenedSummary()
    for first in range(0, len(pending), AGREEMENTS_PER_TRANSACTION):
        opened, ids = _open_locked(scope, pending[first : first + AGREEMENTS_PER_TRANSACTION], today)
        summary += opened
        period_ids.update(ids)
    return summary, [period_ids[key] for key in sorted(due, key=lambda key: key[1]) if key in period_ids]


def _due_windows(agreements: Iterable[Agreement], today: datetime.date) -> _Due:
    """(agreement, start) -> window for every tracked window that has begun: the rule, in Python."""
    due: _Due = {}
    for agreement in agreements:
        for window in agreement_windows(agreement):
            if window.start > today:
                break
            if agreement.tracks(window.end):
                due[(agreement.pk, window.start)] = (agreement, window)
    return due


def _period_ids(queryset: QuerySet[ReportingPeriod]) -> dict[_Key, int]:
    return {
        (agreement_id, start): pk for pk, agreement_id, start in queryset.values_list("pk", "agreement_id", "start")
    }


def _missing_reports(parties: QuerySet[Party], today: datetime.date, due: _Due) -> dict[int, list[tuple[int, int]]]:
    """agreement id -> (party id, period id) of every due period that lacks that party's report: one query,
    and no row at all when every report exists (the database does the comparison, not Python)."""
    rows = (
        parties.annotate(
            period_id=F("agreement__reporting_periods__pk"), period_start=F("agreement__reporting_periods__start")
        )
        .filter(period_start__lte=today)
        .filter(~Exists(ProgressReport.objects.filter(party=OuterRef("pk"), period=OuterRef("period_id"))))
        .order_by("agreement_id", "period_start", "order", "pk")
        .values_list("pk", "agreement_id", "period_id", "period_start")
    )
    missing: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for party_id, agreement_id, period_id, start in rows:
        # A period outside today's windows (dates changed since) or before "tracked from" is left alone.
        if (agreement_id, start) in due:
            missing[agreement_id].append((party_id, period_id))
    return missing


def _lock(scope: Q, agreement_ids: Sequence[int]) -> list[Agreement]:
    # NO KEY UPDATE: runs of this module wait for each other, while inserts that merely refer to the
    # agreement (a document, a party) do not wait for the run.
    return list(
        Agreement.objects.select_for_update(no_key=True)
        .filter(scope, pk__in=agreement_ids)
        .only(*_WINDOW_FIELDS, "title")  # the title names the agreement in the audit entry
        .order_by("pk")
    )


def _open_locked(scope: Q, agreement_ids: Sequence[int], today: datetime.date) -> tuple[OpenedSummary, dict[_Key, int]]:
    """Decide again, under the agreements' lock, what is missing, and insert exactly that."""
    with transaction.atomic():
        agreements = _lock(scope, agreement_ids)  # read again: a run that held the lock may have changed them
        due = _due_windows(agreements, today)
        if not due:
            return OpenedSummary(), {}
        locked_ids = [agreement.pk for agreement in agreements]
        in_window = ReportingPeriod.objects.filter(agreement_id__in=locked_ids, start__lte=today)
        before = _period_ids(in_window)
        new_periods = [
            ReportingPeriod.for_window(agreement, window)
            for key, (agreement, window) in due.items()
            if key not in before
        ]
        after = before
        if new_periods:
            # ignore_conflicts: a period added by hand meanwhile (the admin takes no lock) is not an error.
            # It sets no pk on PostgreSQL, hence the ids read again; only keys absent under the lock a moment
            # before are counted (a period the admin saved in that very moment would be the one miscount).
            ReportingPeriod.objects.bulk_create(new_periods, batch_size=INSERT_BATCH, ignore_conflicts=True)
            after = _period_ids(in_window)
        created_periods = after.keys() - before.keys()
        missing = _missing_reports(Party.objects.filter(agreement_id__in=locked_ids), today, due)
        agreement_of = {pair: agreement_id for agreement_id, pairs in missing.items() for pair in pairs}
        reports, entries = _create_reports(list(agreement_of))
        opened_periods: dict[int, list[int]] = defaultdict(list)
        for key in created_periods:
            opened_periods[key[0]].append(after[key])
        opened_reports: dict[int, list[int]] = defaultdict(list)
        opened_entries: dict[int, int] = defaultdict(int)
        for pair, report_id in reports.items():
            opened_reports[agreement_of[pair]].append(report_id)
            opened_entries[agreement_of[pair]] += entries[report_id]
        _audit_opened(
            {agreement.pk: agreement for agreement in agreements}, opened_periods, opened_reports, opened_entries
        )
        summary = OpenedSummary(
            agreements=len(opened_periods.keys() | opened_reports.keys()),
            periods=len(created_periods),
            reports=len(reports),
            entries=sum(entries.values()),
        )
        return summary, after


def _audit_opened(
    agreements: dict[int, Agreement],
    period_ids: dict[int, list[int]],
    report_ids: dict[int, list[int]],
    entry_counts: dict[int, int],
) -> None:
    """One audit entry per agreement that got periods or reports, by the system, all in one INSERT."""
    audit_bulk(
        audit_entry(
            None,
            "periods.opened",
            agreements[pk],
            periods=sorted(period_ids.get(pk, [])),
            reports=sorted(report_ids.get(pk, [])),
            entries=entry_counts.get(pk, 0),
        )
        for pk in sorted(period_ids.keys() | report_ids.keys())
    )


def _create_reports(pairs: Sequence[tuple[int, int]]) -> tuple[dict[tuple[int, int], int], dict[int, int]]:
    """Create the reports (party id, period id) and seed their entries: the id of each report created, by its
    pair, and the number of entries inserted in each.

    The caller holds the lock of the agreements and has just found these pairs missing.  A fixed number
    of queries: the inserts; every report of these parties, read back (the new ones' ids, and for each
    the party's report before it, the rule of queries.previous_entries); the parties' commitments; the
    entries of those earlier reports that were not created here.
    """
    if not pairs:
        return {}, {}
    ProgressReport.objects.bulk_create(
        [ProgressReport(party_id=party_id, period_id=period_id) for party_id, period_id in pairs],
        batch_size=INSERT_BATCH,
        ignore_conflicts=True,
    )
    wanted = set(pairs)
    # A few reports per party: cheaper in Python than a correlated subquery per new report.
    history: dict[int, list[tuple[datetime.date, int, bool]]] = defaultdict(list)
    created_pairs: dict[tuple[int, int], int] = {}
    for pk, party_id, period_id, start in ProgressReport.objects.filter(
        party_id__in={party_id for party_id, _period_id in pairs}
    ).values_list("pk", "party_id", "period_id", "period__start"):
        is_new = (party_id, period_id) in wanted
        history[party_id].append((start, pk, is_new))
        if is_new:
            created_pairs[(party_id, period_id)] = pk
    created: list[tuple[datetime.date, int, int, int | None]] = []  # (start, report, party, report before)
    for party_id, reports in history.items():
        reports.sort()
        for index, (start, pk, is_new) in enumerate(reports):
            if is_new:
                created.append((start, pk, party_id, reports[index - 1][1] if index else None))
    if not created:
        return {}, {}
    new_ids = {pk for _start, pk, _party_id, _previous_id in created}
    commitments: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, party_id, status in Commitment.objects.filter(responsible_party_id__in=list(history)).values_list(
        "pk", "responsible_party_id", "status"
    ):
        commitments[party_id].append((pk, status))
    carried: dict[int, dict[int, _Carried]] = defaultdict(dict)  # report id -> commitment id -> its values
    earlier = {previous_id for *_rest, previous_id in created if previous_id is not None} - new_ids
    if earlier:
        for report_id, commitment_id, *values in (
            ProgressEntry.objects.filter(report_id__in=earlier)
            .order_by()
            .values_list("report_id", "commitment_id", *_CARRIED_FIELDS)
        ):
            carried[report_id][commitment_id] = tuple(values)
    new_entries = []
    seeded: dict[int, int] = {pk: 0 for _start, pk, _party_id, _previous_id in created}
    # By period start: a report created here for the period before is seeded before this one copies it.
    created.sort()
    for _start, pk, party_id, previous_id in created:
        before = carried.get(previous_id, {}) if previous_id is not None else {}
        for commitment_id, status in commitments[party_id]:
            entry = _seeded_entry(pk, commitment_id, status, before.get(commitment_id))
            carried[pk][commitment_id] = tuple(getattr(entry, name) for name in _CARRIED_FIELDS)
            new_entries.append(entry)
            seeded[pk] += 1
    # No ignore_conflicts: nobody else can see a report this transaction has just created.
    ProgressEntry.objects.bulk_create(new_entries, batch_size=INSERT_BATCH)
    return created_pairs, seeded
