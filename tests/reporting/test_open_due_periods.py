"""The hourly job opens only what is due, in a fixed number of queries, and says what it really created.

`open_due_periods` is checked against the per-agreement rule as it was before it (`old_open`, kept
here verbatim as the oracle): the same periods, deadlines, reports and seeded entries, on the demo
and on generated agreements of 2 to 10 provincial People's Committees each.
"""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement, Body, Commitment, CooperationItem, Party
from reporting import periods
from reporting.models import ProgressEntry, ProgressReport, ReportingPeriod
from reporting.queries import previous_entries
from reporting.tasks import open_due_reporting_periods
from reporting.workflow import OpenedSummary, agreement_windows, open_due_periods, open_reporting_periods
from tests.support import VN, ensure_demo

pytestmark = pytest.mark.django_db

TITLE = "Chương trình hợp tác thử tải mở kỳ báo cáo"
TODAY = datetime.date(2026, 11, 22)  # tests.support.FROZEN_AT
OPENING_DAY = datetime.date(2026, 12, 15)  # the first day of the 2027 reporting year, of every cadence
STATUSES = ["not_started", "on_track", "done", "at_risk", "delayed", "cancelled"]


# --- the rule as it was: one agreement at a time, get_or_create for every period and party --------------


def old_open(agreement: Agreement, today: datetime.date) -> None:
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
                report, created = ProgressReport.objects.get_or_create(party=party, period=period)
                if created:
                    old_sync_entries(report)


def old_sync_entries(report: ProgressReport) -> None:
    existing = set(report.entries.values_list("commitment_id", flat=True))
    commitments = Commitment.objects.filter(responsible_party=report.party).exclude(pk__in=existing)
    previous = previous_entries(report.party_id, report.period.start)
    new_entries = []
    for commitment in commitments:
        before = previous.get(commitment.pk)
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


# --- generated agreements ------------------------------------------------------------------------------


def build(count: int, *, first: int = 0, **fields: Any) -> list[Agreement]:
    """`count` agreements (numbered from `first`) of 2 to 10 People's Committees each, built in bulk.

    Their shape turns with the number: cadence 6, 6, 3, 12 months; a deadline 10, 15, 7 or 30 days after
    the cut-off; one in five signed in August 2025 (its first period is the second half of 2025). Each
    party leads one to three commitments in every status, some with an indicator.
    """
    bodies = list(
        Body.objects.filter(kind=Body.Kind.PEOPLES_COMMITTEE, parent=None).order_by("pk").values_list("pk", flat=True)
    )
    agreements = Agreement.objects.bulk_create(
        Agreement(
            kind=Agreement.Kind.PROGRAMME,
            title=f"{TITLE} số {first + i}",
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2027, 12, 31),
            reporting_cadence_months=(6, 6, 3, 12)[(first + i) % 4],
            report_deadline_days=(10, 15, 7, 30)[(first + i) % 4],
            signed_on=datetime.date(2025, 8, 1) if (first + i) % 5 == 4 else None,
            **({"status": Agreement.Status.IN_FORCE} | fields),
        )
        for i in range(count)
    )
    parties = Party.objects.bulk_create(
        Party(agreement=agreement, body_id=bodies[(n * 7 + order) % len(bodies)], order=order + 1)
        for n, agreement in enumerate(agreements, start=first)
        for order in range(2 + n % 9)
    )
    items = {
        item.agreement_id: item
        for item in CooperationItem.objects.bulk_create(
            CooperationItem(agreement=agreement, number=1, text="Kết nối giao thương", sector_id="trade")
            for agreement in agreements
        )
    }
    commitments = []
    for n, party in enumerate(parties):
        for order in range(1 + n % 3):
            indicator = (n + order) % 2 == 0
            commitments.append(
                Commitment(
                    item=items[party.agreement_id],
                    responsible_party=party,
                    description=f"Cam kết {order + 1} của bên {party.order}",
                    status=STATUSES[(n + order) % len(STATUSES)],
                    order=order + 1,
                    indicator_name="Số doanh nghiệp tham gia" if indicator else "",
                    indicator_unit="doanh nghiệp" if indicator else "",
                    target=Decimal(120) if indicator else None,
                )
            )
    Commitment.objects.bulk_create(commitments)
    return agreements


def counts() -> tuple[int, int, int]:
    return ReportingPeriod.objects.count(), ProgressReport.objects.count(), ProgressEntry.objects.count()


def created_since(before: tuple[int, int, int]) -> tuple[int, int, int]:
    periods_now, reports_now, entries_now = counts()
    return periods_now - before[0], reports_now - before[1], entries_now - before[2]


def snapshot(agreements: list[Agreement]) -> dict[str, list[tuple[Any, ...]]]:
    """Every period, report and entry of these agreements, with what the job decides about each."""
    ids = [a.pk for a in agreements]
    return {
        "periods": sorted(
            ReportingPeriod.objects.filter(agreement_id__in=ids).values_list(
                "agreement_id", "start", "end", "deadline", "cadence_months", "year", "index"
            )
        ),
        "reports": sorted(
            ProgressReport.objects.filter(period__agreement_id__in=ids).values_list(
                "party_id", "period__start", "state", "version"
            )
        ),
        "entries": sorted(
            ProgressEntry.objects.filter(report__period__agreement_id__in=ids).values_list(
                "report__party_id",
                "report__period__start",
                "commitment_id",
                "status",
                "percent_complete",
                "actual_value",
                "results",
                "difficulties",
                "proposals",
                "version",
            )
        ),
    }


def agrees_with_old_rule(agreements: list[Agreement], today: datetime.date) -> OpenedSummary:
    """Run the job and the old rule on the same data (the job's writes rolled back) and compare.

    Leaves the old rule's result in the database; returns what the job said it created, after checking
    that it is what it really created.
    """
    before = counts()
    with transaction.atomic():
        opened = open_due_periods(today)
        assert created_since(before) == (opened.periods, opened.reports, opened.entries)
        by_job = snapshot(agreements)
        transaction.set_rollback(True)
    assert counts() == before
    for agreement in Agreement.objects.filter(status=Agreement.Status.IN_FORCE).order_by("pk"):
        old_open(agreement, today)
    assert created_since(before) == (opened.periods, opened.reports, opened.entries)
    assert by_job == snapshot(agreements)
    return opened


# --- the tests ---------------------------------------------------------------------------------------------


def test_a_second_run_on_the_demo_creates_nothing_and_says_so(demo):
    before = counts()
    assert open_due_periods(TODAY) == OpenedSummary()
    assert counts() == before

    programme = Agreement.objects.get(kind=Agreement.Kind.PROGRAMME)
    latest = programme.reporting_periods.order_by("-start").first()
    commitments = Commitment.objects.filter(item__agreement=programme).count()
    latest.delete()  # as if the job had not run since the period began
    after_delete = counts()
    opened = open_due_periods(TODAY)
    assert opened == OpenedSummary(agreements=1, periods=1, reports=programme.parties.count(), entries=commitments)
    assert created_since(after_delete) == (1, programme.parties.count(), commitments)
    assert open_due_periods(TODAY) == OpenedSummary()
    assert created_since(after_delete) == (1, programme.parties.count(), commitments)


def test_the_same_periods_reports_and_entries_as_the_rule_one_agreement_at_a_time(demo):
    agreements = build(12)
    opened = agrees_with_old_rule(agreements, TODAY)  # every period since 2025, chained from one to the next
    assert opened.agreements == 12 and opened.periods > 12 * 3

    # The second half of 2026, as the parties left it: values that the 2027 reports must start from.
    latest = ProgressEntry.objects.filter(
        report__period__agreement__in=agreements, report__period__start=datetime.date(2026, 6, 15)
    ).select_related("commitment")
    for n, entry in enumerate(latest.order_by("pk")):
        status, percent = [("on_track", 40), ("delayed", 15), ("done", 100), ("cancelled", 55)][n % 4]
        entry.status, entry.percent_complete = status, percent
        entry.actual_value = Decimal("48.5") if entry.commitment.target is not None else None
        entry.results, entry.difficulties, entry.proposals = "Đã tổ chức 02 hội nghị", "Thiếu kinh phí", "Hỗ trợ"
        entry.version = 3
        entry.save()
    # An agreement whose 2026 periods went missing: 2026 is opened again, each half from the one before,
    # from the second half of 2025 as its parties left it.
    gap = agreements[0]
    ProgressEntry.objects.filter(
        report__period__agreement=gap, report__period__start=datetime.date(2025, 6, 15)
    ).update(difficulties="Thiếu mặt bằng", version=2)
    gap.reporting_periods.filter(start__year=2025, start__month=12).delete()
    gap.reporting_periods.filter(start=datetime.date(2026, 6, 15)).delete()
    # A party that joined after the start: a report for it in every period already open, and the next one.
    joined = Party.objects.create(
        agreement=agreements[1], body=Body.objects.get(name="Ủy ban nhân dân tỉnh Tây Ninh", valid_to=None), order=20
    )
    Commitment.objects.create(
        item=agreements[1].items.get(), responsible_party=joined, description="Cam kết của bên mới", status="on_track"
    )

    opened = agrees_with_old_rule(agreements, OPENING_DAY)
    assert opened.agreements == 12 and opened.periods == 12 + 2
    carried = ProgressEntry.objects.filter(  # number 5: semi-annual, its last period began on 15/06/2026
        report__period__agreement=agreements[5], report__period__start=OPENING_DAY
    )
    assert carried and all(e.difficulties == "Thiếu kinh phí" and e.results == "" and e.version == 1 for e in carried)
    assert {e.status for e in carried} <= {"on_track", "delayed", "done", "cancelled"}
    gap_2027 = ProgressEntry.objects.filter(report__period__agreement=gap, report__period__start=OPENING_DAY)
    assert gap_2027 and all(e.difficulties == "Thiếu mặt bằng" and e.version == 1 for e in gap_2027)


def test_periods_are_opened_only_for_in_force_agreements_from_their_tracked_from_date(demo):
    for status in [Agreement.Status.DRAFT, Agreement.Status.EXPIRED, Agreement.Status.TERMINATED]:
        build(2, first=0, status=status)
    tracked = build(1, first=100, tracked_from=datetime.date(2026, 1, 1))[0]  # entered after the fact
    history = build(1, first=101, tracked_from=datetime.date(2028, 1, 1))[0]  # entered after its end
    before = counts()
    opened = open_due_periods(TODAY)
    assert (
        not ReportingPeriod.objects.filter(agreement__title__startswith=TITLE)
        .exclude(agreement__in=[tracked, history])
        .exists()
    )
    assert not history.reporting_periods.exists()
    # Cadence 6 (number 100): the 2026 halves; the 2025 ones were cut off before the agreement was tracked.
    assert list(tracked.reporting_periods.order_by("start").values_list("start", "end", "deadline")) == [
        (datetime.date(2025, 12, 15), datetime.date(2026, 6, 14), datetime.date(2026, 6, 24)),
        (datetime.date(2026, 6, 15), datetime.date(2026, 12, 14), datetime.date(2026, 12, 24)),
    ]
    assert opened.agreements == 1 and opened.periods == 2
    assert created_since(before) == (opened.periods, opened.reports, opened.entries)
    assert opened.reports == 2 * tracked.parties.count()


def measure(size: int) -> dict[str, Any]:
    """Queries of a run with nothing to open and of the run on the day a period opens, for `size` agreements
    (rolled back afterwards)."""
    with transaction.atomic():
        build(size)
        open_due_periods(TODAY)  # every period up to today
        with CaptureQueriesContext(connection) as idle:
            nothing = open_due_periods(TODAY)
        before = counts()
        with CaptureQueriesContext(connection) as opening:
            opened = open_due_periods(OPENING_DAY)
        really = created_since(before)
        transaction.set_rollback(True)
    return {
        "idle": len(idle.captured_queries),
        "nothing": nothing,
        "opening": len(opening.captured_queries),
        "opened": opened,
        "really": really,
    }


def test_the_number_of_queries_does_not_grow_with_the_number_of_agreements(demo):
    small, large = measure(5), measure(50)
    assert small["nothing"] == large["nothing"] == OpenedSummary()
    # The in-force agreements, the periods that have begun, the reports that are missing (none).
    assert small["idle"] == large["idle"] == 3
    assert small["opened"].periods == 5 and large["opened"].periods == 50
    assert large["opened"].reports > 5 * small["opened"].reports
    for run in (small, large):
        assert run["really"] == (run["opened"].periods, run["opened"].reports, run["opened"].entries)
    # Then, under the lock: the agreements again, the periods before and after their insert, the missing
    # reports, their insert, the reports read back, the commitments, the entries before, their insert, the
    # audit entries (one per agreement, one INSERT) (and the savepoint of the transaction, released).
    assert small["opening"] == large["opening"] == 16


def test_the_hourly_task_opens_the_new_period_on_its_first_day(demo, travel):
    agreements = build(3)
    open_due_periods(TODAY)
    travel(datetime.datetime(2026, 12, 14, 23, 59, tzinfo=VN))
    assert open_due_reporting_periods() == {
        "today": "2026-12-14",
        "agreements": 0,
        "periods": 0,
        "reports": 0,
        "entries": 0,
    }
    travel(datetime.datetime(2026, 12, 15, 0, 1, tzinfo=VN))
    before = counts()
    result = open_due_reporting_periods()
    parties = Party.objects.filter(agreement__in=agreements).count()
    assert result == {
        "today": "2026-12-15",
        "agreements": 3,
        "periods": 3,
        "reports": parties,
        "entries": created_since(before)[2],
    }
    assert result["entries"] == Commitment.objects.filter(item__agreement__in=agreements).count()
    assert open_due_reporting_periods()["periods"] == 0


def test_one_agreement_is_opened_by_the_same_rule_whatever_its_status(demo):
    agreement = build(1, status=Agreement.Status.EXPIRED)[0]
    opened = open_reporting_periods(agreement, TODAY)
    assert [p.start for p in opened] == [w.start for w in agreement_windows(agreement) if w.start <= TODAY]
    assert open_reporting_periods(agreement, TODAY) == opened  # existing ones are returned, not created again
    assert all(p.reports.count() == agreement.parties.count() for p in opened)


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_create_everything_once_and_count_it_once() -> None:
    ensure_demo()
    build(30)
    before = counts()
    results: list[OpenedSummary] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def run() -> None:
        try:
            start.wait()
            results.append(open_due_periods(TODAY))
        except BaseException as error:  # the assertion below shows it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    total = results[0] + results[1]
    assert created_since(before) == (total.periods, total.reports, total.entries)
    assert total.agreements == 30
    assert open_due_periods(TODAY) == OpenedSummary()
