"""generate_bench_data: the national-scale benchmark data set, checked at scale 0.05 (10 agreements).

The data must be data the app accepts as its own: constraints hold (the bulk inserts would fail
otherwise), parties are the bodies of their day and hand over as the model says, periods are the app's
windows (the hourly job finds nothing to open), and the pages work for the users it creates.  It must
also stay apart from the demo: refused twice, replaced without a demo row touched.
"""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from django.urls import reverse

from agreements.access import visible_agreements
from agreements.merger import MERGER_DATE
from agreements.models import AdministrativeUnit, Agreement, Body, Commitment, CooperationItem, Membership, Party
from agreements.naming import body_search_text
from core import clock
from demo import bench_data
from reporting import periods, workflow
from reporting.models import ProgressEntry, ProgressReport, ReportingPeriod, ReportTransition

pytestmark = pytest.mark.django_db

SCALE = 0.05
TARGETS = bench_data.targets(SCALE)


def generate(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_bench_data", "--scale", str(SCALE), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def bench(demo: None) -> str:
    return generate()


def bench_agreements() -> Any:
    return Agreement.objects.filter(number__startswith="BENCH-")


def test_it_makes_the_counts_of_its_scale_and_says_so(bench: str) -> None:
    assert (TARGETS.agreements, TARGETS.items, TARGETS.commitments) == (10, 100, 500)
    assert bench_agreements().count() == TARGETS.agreements
    assert CooperationItem.objects.filter(agreement__in=bench_agreements()).count() == TARGETS.items
    assert Commitment.objects.filter(item__agreement__in=bench_agreements()).count() == TARGETS.commitments
    for agreement in bench_agreements().prefetch_related("parties"):
        assert 2 <= len(agreement.parties.all()) <= 10
        assert (agreement.meeting_cadence_months, agreement.report_deadline_days) == (12, 10)
        assert agreement.items.count() >= 2
    statuses = set(bench_agreements().values_list("status", flat=True))
    assert {Agreement.Status.IN_FORCE, Agreement.Status.SUPERSEDED} <= statuses and len(statuses) >= 3
    renewal = bench_agreements().get(predecessor__isnull=False)
    assert renewal.predecessor.number.startswith("BENCH-") and renewal.predecessor.period_end < renewal.period_start
    assert bench_agreements().filter(tracked_from__isnull=False).exists()
    assert "Đã sinh dữ liệu thử tải (quy mô 0.05, hạt giống 1) trong" in bench and "giây" in bench
    assert "agreements                      10" in bench and "entries" in bench
    assert f"mật khẩu chung: {bench_data.BENCH_PASSWORD}" in bench
    assert (
        "bench.coord500  điều phối viên của 3 thỏa thuận" in bench
        and "bench.leader" in bench
        and "bench.admin" in bench
    )


def test_parties_are_the_bodies_of_their_day_across_old_and_new_provinces(bench: str) -> None:
    parties = list(Party.objects.filter(agreement__in=bench_agreements()).select_related("agreement", "body__unit"))
    for party in parties:
        assert party.body.is_valid_on(party.agreement.reference_date), party.body
        assert party.coordinating_office is not None and party.coordinating_office.parent_id == party.body_id
        assert party.coordinating_office.kind == Body.Kind.OFFICE
    before = {p.body.unit_id for p in parties if p.agreement.reference_date < MERGER_DATE}
    after = {p.body.unit_id for p in parties if p.agreement.reference_date >= MERGER_DATE}
    old_units = set(AdministrativeUnit.objects.filter(valid_to__isnull=False).values_list("pk", flat=True))
    new_units = set(AdministrativeUnit.objects.filter(valid_from__isnull=False).values_list("pk", flat=True))
    assert not before & new_units and not after & old_units
    assert len(before & old_units) >= 8 and len(after & new_units) >= 3
    assert any(p.body.kind == Body.Kind.PEOPLES_COMMITTEE for p in parties)
    assert len({p.body.function for p in parties}) >= 3


def test_departments_hand_over_to_the_merged_provinces_departments(bench: str) -> None:
    binh_duong = AdministrativeUnit.objects.get(key="tinhbinhduong")
    hcmc = AdministrativeUnit.objects.get(key="thanhphohochiminh", valid_from__isnull=False)
    old = Body.objects.get(unit=binh_duong, name="Sở Công Thương tỉnh Bình Dương")
    new = Body.objects.get(unit=hcmc, name="Sở Công Thương thành phố Hồ Chí Minh")
    assert (old.kind, old.function, old.valid_to, old.successor_id) == (
        "department",
        "Sở Công Thương",
        binh_duong.valid_to,
        None,
    )
    assert old.search_name == body_search_text(old.name, old.abbreviation) == "so cong thuong tinh binh duong | sct"
    assert old.next_in_chain() == new and (old.pk, new.pk) in Body.objects.handovers_to({new.pk})
    office = old.children.get(kind=Body.Kind.OFFICE)
    assert office.next_in_chain() == new.children.get(kind=Body.Kind.OFFICE)
    # Sở Kế hoạch và Đầu tư went into Sở Tài chính on 01/03/2025, which went into the merged province's.
    planning = Body.objects.get(unit=binh_duong, name="Sở Kế hoạch và Đầu tư tỉnh Bình Dương")
    assert [body.name for body in planning.chain()] == [
        "Sở Kế hoạch và Đầu tư tỉnh Bình Dương",
        "Sở Tài chính tỉnh Bình Dương",
        "Sở Tài chính thành phố Hồ Chí Minh",
    ]
    assert str(planning.valid_to) == "2025-02-28" and str(planning.successor.valid_from) == "2025-03-01"


def test_one_coordinator_coordinates_many_agreements_and_every_body_has_its_people(bench: str) -> None:
    coordinator = User.objects.get(username=bench_data.COORDINATOR_500)
    assert coordinator.email == "bench.coord500@bench.coopportal.local"
    assert coordinator.check_password(bench_data.BENCH_PASSWORD)
    coordinated = bench_data.coordinated_by(bench_data.COORDINATOR_500)
    assert coordinated.count() == TARGETS.hub_agreements == 3
    assert set(visible_agreements(coordinator)) == set(coordinated)  # nothing of the demo's
    assert set(visible_agreements(User.objects.get(username=bench_data.LEADER))) == set(coordinated)
    assert visible_agreements(User.objects.get(username=bench_data.ADMIN)).count() == Agreement.objects.count()
    roles: dict[int, set[str]] = defaultdict(set)
    for body_id, role in Membership.objects.filter(user__username__startswith="bench.").values_list("body_id", "role"):
        roles[body_id].add(role)
    for party in Party.objects.filter(agreement__in=bench_agreements()):
        assert {"staff", "leader"} <= roles[party.body_id] and "coordinator" in roles[party.coordinating_office_id]
    la_staff = User.objects.get(username="la.staff")
    assert not visible_agreements(la_staff).filter(number__startswith="BENCH-").exists()


def test_reports_are_in_every_state_with_entries_the_database_accepts(bench: str) -> None:
    reports = ProgressReport.objects.filter(period__agreement__in=bench_agreements())
    assert set(reports.values_list("state", flat=True)) == {"draft", "submitted", "returned", "approved"}
    assert not reports.filter(state="approved", approved_at__isnull=True).exists()
    assert not reports.exclude(state="draft").filter(submitted_at__isnull=True).exists()
    returned = reports.filter(state="returned").first()
    assert returned.review_comment and [t.to_state for t in returned.transitions.all()] == ["submitted", "returned"]
    assert ReportTransition.objects.filter(
        report__in=reports, created_at__lt=clock.now().replace(year=2026, month=1)
    ).exists()
    commitments = defaultdict(set)
    for pk, party_id in Commitment.objects.filter(item__agreement__in=bench_agreements()).values_list(
        "pk", "responsible_party"
    ):
        commitments[party_id].add(pk)
    entries = ProgressEntry.objects.filter(report__in=reports)
    by_report = defaultdict(set)
    for report_id, commitment_id, status, percent in entries.values_list(
        "report", "commitment", "status", "percent_complete"
    ):
        by_report[report_id].add(commitment_id)
        ProgressEntry.check_status_percent(status, percent)
    for report in reports:
        assert by_report[report.pk] == commitments[report.party_id]
    # A commitment's status is its latest approved report's word.
    latest: dict[int, str] = {}
    for commitment_id, status in (
        entries.filter(report__state="approved").order_by("-report__period__start").values_list("commitment", "status")
    ):
        latest.setdefault(commitment_id, status)
    for commitment in Commitment.objects.filter(pk__in=latest):
        assert commitment.status == latest[commitment.pk]
    assert (
        len(set(Commitment.objects.filter(item__agreement__in=bench_agreements()).values_list("status", flat=True)))
        >= 5
    )


def test_periods_are_the_apps_windows_and_the_hourly_job_has_nothing_to_open(bench: str) -> None:
    today = clock.today()
    for agreement in bench_agreements():
        windows = {(w.start, w.end) for w in workflow.agreement_windows(agreement)}
        rows = list(agreement.reporting_periods.all())
        assert len(rows) <= 4
        for period in rows:
            assert (period.start, period.end) in windows and agreement.tracks(period.end)
            assert period.deadline == periods.deadline_after(period.end, agreement.report_deadline_days)
        if agreement.status == Agreement.Status.IN_FORCE:
            due = {
                (w.start, w.end)
                for w in workflow.agreement_windows(agreement)
                if w.start <= today and agreement.tracks(w.end)
            }
            assert {(p.start, p.end) for p in rows} == due
    counts = (ReportingPeriod.objects.count(), ProgressReport.objects.count(), ProgressEntry.objects.count())
    for agreement in bench_agreements().filter(status=Agreement.Status.IN_FORCE):
        workflow.open_reporting_periods(agreement, today)
    assert (ReportingPeriod.objects.count(), ProgressReport.objects.count(), ProgressEntry.objects.count()) == counts


def test_the_pages_work_for_its_users(bench: str, client: Any) -> None:
    # The password is checked as the login page checks it (django-axes needs the request to do so).
    credentials = {"username": bench_data.COORDINATOR_500, "password": bench_data.BENCH_PASSWORD}
    assert client.login(request=RequestFactory().post("/login/"), **credentials)
    agreement = bench_data.coordinated_by(bench_data.COORDINATOR_500).filter(status="in_force").first()
    report = ProgressReport.objects.filter(period__agreement=agreement).first()
    for url in (
        reverse("home"),
        reverse("agreement_list"),
        reverse("agreement_detail", args=[agreement.pk]),
        reverse("period_detail", args=[report.period_id]),
        reverse("report_detail", args=[report.pk]),
    ):
        assert client.get(url).status_code == 200, url
    assert agreement.title in client.get(reverse("home")).content.decode()
    client.force_login(User.objects.get(username=bench_data.ADMIN))
    assert client.get(reverse("agreement_list")).status_code == 200


def snapshot() -> dict[str, Any]:
    """Every row that is not bench data (bodies included: a second run reuses the first's)."""
    other_agreements = Agreement.objects.exclude(number__startswith="BENCH-")
    return {
        "agreements": sorted(other_agreements.values_list("pk", "title", "status", "updated_at")),
        "parties": sorted(
            Party.objects.filter(agreement__in=other_agreements).values_list("pk", "body", "coordinating_office")
        ),
        "commitments": sorted(
            Commitment.objects.filter(item__agreement__in=other_agreements).values_list("pk", "status")
        ),
        "reports": sorted(
            ProgressReport.objects.filter(period__agreement__in=other_agreements).values_list("pk", "state", "version")
        ),
        "entries": ProgressEntry.objects.filter(report__period__agreement__in=other_agreements).count(),
        "users": sorted(User.objects.exclude(username__startswith="bench.").values_list("pk", "username", "password")),
        "memberships": sorted(
            Membership.objects.exclude(user__username__startswith="bench.").values_list("pk", "body", "role")
        ),
        "bodies": sorted(Body.objects.values_list("pk", "name", "function", "valid_from", "valid_to", "successor")),
    }


def natural() -> list[tuple[Any, ...]]:
    """The bench agreements by what they say, not by id."""
    return [
        (a.number, a.title, a.signed_on, a.status, tuple(p.body_id for p in a.parties.all()), a.items.count())
        for a in bench_agreements().order_by("number").prefetch_related("parties")
    ]


def test_a_second_run_is_refused_and_replace_renews_bench_data_only(bench: str) -> None:
    before, first = snapshot(), natural()
    first_ids = set(bench_agreements().values_list("pk", flat=True))
    with pytest.raises(CommandError) as refused:
        generate()
    message = str(refused.value)
    assert "đã có dữ liệu thử tải (10 thỏa thuận BENCH-…" in message and "--replace" in message
    assert natural() == first
    output = generate("--replace")
    assert output.startswith("Đã xóa dữ liệu thử tải cũ: 10 thỏa thuận")
    assert snapshot() == before  # the demo untouched, and the provinces' departments found again, not doubled
    assert natural() == first  # the same seed, the same data
    assert not first_ids & set(bench_agreements().values_list("pk", flat=True))
    generate("--replace", "--seed", "2")
    assert natural() != first and bench_agreements().count() == TARGETS.agreements
    assert snapshot() == before


def test_the_scale_must_be_a_positive_number(demo: None) -> None:
    with pytest.raises(CommandError, match="Quy mô phải lớn hơn 0"):
        call_command("generate_bench_data", "--scale", "0")
    with pytest.raises(CommandError, match="không phải là một số"):
        call_command("generate_bench_data", "--scale", "mười")
    assert not bench_agreements().exists()


def test_an_account_that_acted_is_retired_not_deleted(bench: str) -> None:
    """The audit trail never loses who acted: a bench account that wrote something survives --replace,
    with no role and no login, and its name is free for the new run."""
    from core.audit import audit
    from core.models import AuditEntry

    coordinator = User.objects.get(username=bench_data.COORDINATOR_500)
    agreement = bench_data.coordinated_by(bench_data.COORDINATOR_500)[0]
    entry = audit(coordinator, "agreement.archived", agreement)
    generate("--replace")
    retired = User.objects.get(pk=coordinator.pk)
    assert retired.username == f"retired.{coordinator.pk}.{bench_data.COORDINATOR_500}" and not retired.is_active
    assert not retired.memberships.exists()
    assert AuditEntry.objects.get(pk=entry.pk).actor == retired
    assert User.objects.get(username=bench_data.COORDINATOR_500).pk != coordinator.pk
