"""Opening reporting periods: one report per party and period, entries seeded from the period before."""

from __future__ import annotations

import datetime

from django.db import transaction

from agreements.models import Agreement, Commitment, Party
from reporting import periods
from reporting.models import ProgressEntry, ProgressReport, ReportingPeriod
from reporting.queries import previous_entries


def agreement_windows(agreement: Agreement) -> list[periods.Window]:
    """The windows whose cut-off falls within the agreement's life (from signing, if later)."""
    start = max(agreement.period_start, agreement.signed_on or agreement.period_start)
    return [
        w
        for w in periods.windows_overlapping(start, agreement.period_end, agreement.reporting_cadence_months)
        if start <= w.end <= agreement.period_end
    ]


def open_reporting_periods(agreement: Agreement, today: datetime.date) -> list[ReportingPeriod]:
    """Create every tracked period that has begun by `today`, and one report per party for each.

    Periods before the agreement's "tracked from" date are history: they are never opened.
    """
    opened: list[ReportingPeriod] = []
    parties = list(agreement.parties.select_related("body"))
    for window in agreement_windows(agreement):
        if window.start > today:
            break
        if not agreement.tracks(window.end):
            continue
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
    previous = previous_entries(report.party_id, report.period.start)
    new_entries = []
    for commitment in commitments:
        before = previous.get(commitment.pk)
        # With no report before, the commitment's own status, at the percentage that status means
        # (the entry_* constraints): a commitment recorded as done starts at 100%, any other at 0%.
        status = before.status if before else commitment.status
        fresh_percent = 100 if status == Commitment.Status.DONE else 0
        new_entries.append(
            ProgressEntry(
                report=report,
                commitment=commitment,
                status=status,
                percent_complete=before.percent_complete if before else fresh_percent,
                actual_value=before.actual_value if before else None,
                difficulties=before.difficulties if before else "",
                proposals=before.proposals if before else "",
            )
        )
    ProgressEntry.objects.bulk_create(new_entries, ignore_conflicts=True)
    return len(new_entries)
