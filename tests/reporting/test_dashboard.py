"""The dashboards (reporting.dashboard_views, reporting.dashboards): one agreement's, the user's agreements
across provinces and bodies, and a leader's home page.

Who sees what (coordinator, leader, admin, a party of another agreement, a user of no body, anonymous),
the numbers on data built here (each report's timeliness by its submission day against its deadline, the
commitments' statuses and due dates, the provinces then and now), the charts being the documents' own SVG
(the very markup of the PDF for the same data), the English page, and a number of queries that stays the
same with one agreement or ten.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from agreements.models import Agreement, Body, Commitment, CooperationItem, Membership, Party, Role
from core import clock
from reporting import workflow
from reporting.dashboards import Cell, Rate
from reporting.documents.charts import status_chart
from reporting.documents.kinds import ConsolidatedReportDocument
from reporting.models import OfficialDocument, ProgressReport
from tests.support import (
    FROZEN_AT,
    VN,
    fill_and_approve_period,
    issue_now,
    periods_of,
    programme,
    switch_language,
    track,
)

pytestmark = pytest.mark.django_db

TITLE_2011 = "giai đoạn 2011 – 2015"  # in the 2011 agreement's title only
LONG_AN = "Sở Công Thương tỉnh Long An"
TAY_NINH = "Sở Công Thương tỉnh Tây Ninh"
TIEN_GIANG = "Sở Công Thương tỉnh Tiền Giang"


def dashboard_url(agreement: Agreement) -> str:
    return reverse("agreement_dashboard", args=[agreement.pk])


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, url
    return len(ctx.captured_queries)


def sent_on(report: ProgressReport, day: dt.date) -> None:
    """The report was sent at 9:00 (Hồ Chí Minh City) on `day`, as if submitted then."""
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=dt.datetime.combine(day, dt.time(9), tzinfo=VN))


def report_of(period, body_name: str) -> ProgressReport:
    return period.reports.get(party__body__name=body_name)


# --- who sees what ----------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["la.coord", "la.leader", "admin", "tg.staff"])
def test_the_overview_opens_for_every_signed_in_user_with_their_own_agreements(client, users, username):
    client.force_login(users[username])
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    board = response.context["board"]
    page = response.content.decode()
    if username == "tg.staff":  # Tiền Giang is a party of the programme only
        assert board.scope_count == 1 and TITLE_2011 not in page
    else:
        assert board.scope_count == 3
    assert board.is_admin == (username == "admin")
    assert ("Toàn bộ 3 thỏa thuận trên hệ thống" in page) == (username == "admin")


def test_a_user_of_no_body_sees_an_empty_overview(client, demo):
    nobody = get_user_model().objects.create_user("nobody", password="x")
    client.force_login(nobody)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    board = response.context["board"]
    assert (board.scope_count, board.provinces, board.waiting_count, board.overdue_count) == (0, [], 0, 0)
    assert "thỏa thuận" in response.content.decode() and TITLE_2011 not in response.content.decode()


def test_anonymous_users_are_sent_to_the_login_page(client, demo):
    for url in (reverse("dashboard"), dashboard_url(programme())):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("username", "status"),
    [("la.coord", 200), ("la.leader", 200), ("admin", 200), ("tn.staff", 200), ("tg.coord", 404)],
)
def test_an_agreement_dashboard_is_for_its_parties_and_admins(client, users, agreement, username, status):
    client.force_login(users[username])
    assert client.get(dashboard_url(agreement)).status_code == status


def test_the_agreement_page_and_the_top_bar_link_the_dashboards(client, users):
    client.force_login(users["la.coord"])
    page = client.get(reverse("agreement_detail", args=[programme().pk])).content.decode()
    assert f'href="{dashboard_url(programme())}"' in page and f'href="{reverse("dashboard")}"' in page


# --- one agreement: the matrix, commitments, indicators, deadlines, the chain -------------------------


def test_the_matrix_says_of_each_party_and_period_what_became_of_its_report(client, users):
    """The programme on 22/11/2026: both 2025 halves are past their deadlines with nothing sent, the first half
    of 2026 (deadline 24/06/2026) has Long An's report sent on the deadline day, Tây Ninh's a day after it,
    Tiền Giang's returned; the second half is not due until 24/12/2026."""
    agreement = programme()
    first_2026 = agreement.reporting_periods.get(year=2026, index=1)
    assert first_2026.deadline == dt.date(2026, 6, 24)
    sent_on(report_of(first_2026, LONG_AN), dt.date(2026, 6, 24))
    sent_on(report_of(first_2026, TAY_NINH), dt.date(2026, 6, 25))
    client.force_login(users["la.coord"])
    response = client.get(dashboard_url(agreement))
    board = response.context["board"]
    assert [column.label for column in board.columns] == [
        "6 tháng đầu năm 2025",
        "6 tháng cuối năm 2025",
        "6 tháng đầu năm 2026",
        "6 tháng cuối năm 2026",
    ]
    kinds = {row.party.body.name: [cell.kind for cell in row.cells] for row in board.rows}
    assert kinds == {
        LONG_AN: [Cell.MISSING, Cell.MISSING, Cell.ON_TIME, Cell.NOT_DUE],
        TAY_NINH: [Cell.MISSING, Cell.MISSING, Cell.LATE, Cell.NOT_DUE],
        TIEN_GIANG: [Cell.MISSING, Cell.MISSING, Cell.RETURNED, Cell.NOT_DUE],
    }
    # Rates: of 9 reports due, 2 sent (1 on time); the returned one counts as not sent.
    assert board.totals == Rate(on_time=1, late=1, returned=1, missing=6, not_due=3, overdue=7)
    assert (board.totals.rate, board.totals.timeliness) == (Decimal("22.2"), Decimal("11.1"))
    assert [c.rate.rate for c in board.columns] == [Decimal(0), Decimal(0), Decimal("66.7"), None]
    assert dict((kind, n) for kind, _label, n in board.cell_counts) == {
        "on_time": 1,
        "late": 1,
        "returned": 1,
        "missing": 6,
        "not_due": 3,
        "not_tracked": 0,
    }
    # A cell links the report only where the coordinator may read it: Tiền Giang's returned report is not sent.
    links = {row.party.body.name: [bool(cell.url) for cell in row.cells] for row in board.rows}
    assert links[LONG_AN] == [True] * 4 and links[TAY_NINH] == [False, False, True, False]
    assert links[TIEN_GIANG] == [False] * 4
    late = next(c for c in board.rows[1].cells if c.kind == Cell.LATE)
    assert late.detail.startswith("Chậm 1 ngày")
    page = response.content.decode()
    assert 'class="cell cell-late"' in page and "22,2%" in page


def test_windows_before_the_tracked_from_day_are_shown_as_not_tracked(client, users, agreement):
    agreement.tracked_from = dt.date(2013, 1, 1)
    agreement.save(update_fields=["tracked_from"])
    agreement.reporting_periods.filter(end__lt=dt.date(2013, 1, 1)).delete()
    client.force_login(users["la.leader"])
    board = client.get(dashboard_url(agreement)).context["board"]
    assert [c.period for c in board.columns[:3]] == [None, None, None]
    assert {cell.kind for row in board.rows for cell in row.cells[:3]} == {Cell.NOT_TRACKED}
    assert board.columns[3].period is not None


def test_commitments_by_status_item_and_sector_and_the_overdue_and_at_risk_lists(client, users):
    agreement = programme()
    today = clock.today()
    commitments = list(Commitment.objects.filter(item__agreement=agreement).order_by("item__number", "order", "pk"))
    late, risky, done = commitments[0], commitments[1], commitments[2]
    Commitment.objects.filter(pk=late.pk).update(due_on=today - dt.timedelta(days=1), status="on_track")
    Commitment.objects.filter(pk=risky.pk).update(due_on=today + dt.timedelta(days=200), status="at_risk")
    Commitment.objects.filter(pk=done.pk).update(due_on=today - dt.timedelta(days=30), status="done")
    client.force_login(users["la.coord"])
    board = client.get(dashboard_url(agreement)).context["board"]
    expected_overdue = set(
        Commitment.objects.filter(item__agreement=agreement).overdue(today).values_list("pk", flat=True)
    )
    assert late.pk in expected_overdue and done.pk not in expected_overdue
    assert {c.pk for c in board.overdue} == expected_overdue and board.overdue_count == len(expected_overdue)
    assert risky.pk in {c.pk for c in board.at_risk} and not {c.pk for c in board.at_risk} & expected_overdue
    statuses = dict(Commitment.objects.filter(item__agreement=agreement).values_list("status").annotate(n=Count("pk")))
    assert {value: n for value, _label, n in board.status_counts if n} == statuses
    assert sum(row.total for row in board.items) == sum(row.total for row in board.sectors) == len(commitments)
    by_sector = Commitment.objects.filter(item__agreement=agreement).values_list("item__sector", "status")
    expected = {(sector, status): n for sector, status, n in by_sector.annotate(n=Count("pk")).order_by()}
    assert len({sector for sector, _status in expected}) > 1  # the sums are over items of several sectors
    assert {(row.key, value): n for row in board.sectors for value, _label, n in row.counts if n} == expected
    first_item = CooperationItem.objects.filter(agreement=agreement).order_by("number").first()
    row = board.items[0]
    assert row.label.startswith("1. ") and row.key == first_item.sector_id
    assert row.total == first_item.commitments.count()


def test_deadlines_meeting_and_renewal_chain(client, users, agreement):
    """The plan renews the 2011 agreement and the programme renews the plan; the next meeting is on the calendar."""
    from meetings.models import ReviewMeeting

    plan = Agreement.objects.get(kind=Agreement.Kind.PLAN)
    plan.predecessor = agreement
    plan.save(update_fields=["predecessor"])
    prog = programme()
    prog.predecessor = plan
    prog.save(update_fields=["predecessor"])
    ReviewMeeting.objects.create(agreement=prog, held_on=dt.date(2026, 12, 10), place="Tây Ninh")
    ReviewMeeting.objects.create(agreement=prog, held_on=dt.date(2025, 12, 20), place="Long An")
    client.force_login(users["la.coord"])
    response = client.get(dashboard_url(plan))
    board = response.context["board"]
    assert [(link.agreement.pk, link.visible, link.current) for link in board.chain] == [
        (agreement.pk, True, False),
        (plan.pk, True, True),
        (prog.pk, True, False),
    ]
    board = client.get(dashboard_url(prog)).context["board"]
    assert board.next_meeting.held_on == dt.date(2026, 12, 10) and board.last_meeting.held_on == dt.date(2025, 12, 20)
    assert [p.deadline for p in board.deadlines] == [dt.date(2026, 12, 24)]
    assert board.deadlines[0].unsent == 3
    # Tiền Giang is a party of the programme only: the earlier agreements are named by kind, not by title.
    client.force_login(users["tg.coord"])
    response = client.get(dashboard_url(prog))
    assert [link.visible for link in response.context["board"].chain] == [False, False, True]
    page = response.content.decode()
    assert TITLE_2011 not in page and plan.title not in page
    assert dashboard_url(plan) not in page and dashboard_url(agreement) not in page


def test_the_charts_on_the_page_are_the_pdf_s_charts_for_the_same_data(client, users):
    """The plan's first 2021 period approved for both parties: the commitments' statuses are the period's, and the
    consolidated report of the period draws its two charts with the very markup the dashboard shows."""
    plan = track(Agreement.objects.get(kind=Agreement.Kind.PLAN))
    period = plan.reporting_periods.order_by("start").first()
    party = plan.parties.order_by("order").first()
    assert period is not None and party is not None
    fill_and_approve_period(users, period)
    document = ConsolidatedReportDocument(period, party)
    with translation.override("vi"):
        context = document.context()
    client.force_login(users["la.coord"])
    response = client.get(dashboard_url(plan))
    page = response.content.decode()
    board = response.context["board"]
    assert len(board.indicators) == 9 and all(i.actual is not None for i in board.indicators)
    assert str(context["status_chart"]) == str(board.status_svg) and str(board.status_svg) in page
    assert str(context["indicator_chart"]) == str(board.indicator_svg) and str(board.indicator_svg) in page
    # Each chart has its numbers beside it: every indicator's target in the table.
    for indicator in board.indicators:
        assert indicator.commitment.indicator_name in page


def test_indicators_in_the_order_of_items_parties_and_commitments(client, users):
    agreement = programme()
    commitments = Commitment.objects.filter(agreement=agreement)
    commitments.update(target=100, indicator_name="Chỉ số", indicator_unit="%")
    client.force_login(users["la.coord"])
    board = client.get(dashboard_url(agreement)).context["board"]
    in_order = ("item__number", "responsible_party__order", "responsible_party_id", "order", "pk")
    assert [i.commitment.pk for i in board.indicators] == list(
        commitments.order_by(*in_order).values_list("pk", flat=True)
    )
    listed = [(i.commitment.item.number, i.commitment.responsible_party.order) for i in board.indicators]
    assert len({party for _item, party in listed}) > 1 and listed != sorted(listed, key=lambda row: row[1])


def test_indicators_show_only_what_the_reader_may_read(client, users):
    """Long An's staff wrote an actual value in a draft: Tây Ninh's coordinator does not see it, Long An's does;
    once the report is sent, both do."""
    plan = track(Agreement.objects.get(kind=Agreement.Kind.PLAN))
    period = plan.reporting_periods.order_by("start").first()
    draft = period.reports.get(party__body__name=LONG_AN)
    entry = draft.entries.filter(commitment__target__isnull=False).select_related("commitment").first()
    assert entry is not None and entry.commitment.target is not None
    workflow.save_entry(
        users["la.staff"],
        entry,
        {"status": "on_track", "percent_complete": 50, "actual_value": entry.commitment.target / 2},
        entry.version,
    )

    def shown(username):
        client.force_login(users[username])
        board = client.get(dashboard_url(plan)).context["board"]
        return next(i for i in board.indicators if i.commitment.pk == entry.commitment_id)

    assert shown("la.coord").percent == Decimal("50.0") and shown("la.coord").actual_end == period.end
    assert shown("tn.coord").actual is None and shown("tn.coord").percent is None
    workflow.submit_report(users["la.staff"], draft, confirm_unchanged=True)
    assert shown("tn.coord").percent == Decimal("50.0")


# --- across agreements ---------------------------------------------------------------------------------


def test_the_overview_counts_provinces_then_and_now_bodies_periods_and_lists(client, users):
    first_2026 = periods_of(2026)[0]
    sent_on(report_of(first_2026, TAY_NINH), dt.date(2026, 6, 20))
    client.force_login(users["la.coord"])
    board = client.get(reverse("dashboard")).context["board"]
    provinces = {row.unit.short_name: row for row in board.provinces}
    # Long An and Tây Ninh are one Tây Ninh today: each of the three agreements counts there once.
    assert (provinces["Tây Ninh"].agreements, provinces["Tây Ninh"].in_force) == (3, 1)
    assert [(unit.short_name, n) for unit, n in provinces["Tây Ninh"].then] == [("Long An", 3), ("Tây Ninh", 3)]
    assert provinces["Tây Ninh"].unit.valid_to is None
    assert provinces["Đồng Tháp"].agreements == 1
    assert [(unit.short_name, n) for unit, n in provinces["Đồng Tháp"].then] == [("Tiền Giang", 1)]
    sectors = {row.sector: row for row in board.sectors}
    assert sectors["trade"].agreements == 3 and sectors["investment"].agreements == 3
    assert sum(row.commitments for row in board.sectors) == Commitment.objects.count()
    windows = dict(board.windows)
    assert windows["6 tháng đầu năm 2026"] == Rate(on_time=1, late=1, returned=1, not_due=0, overdue=1)
    bodies = dict(board.body_rates)
    assert bodies[TAY_NINH].on_time == 1 and bodies[LONG_AN].late == 1
    # The tile of reports overdue and not sent is the sum of that column of the table by body, where it leads;
    # the reports list shows only what the user may read (no other party's draft) and reports sent late too.
    assert board.totals.overdue == sum(rate.overdue for _name, rate in board.body_rates) > 0
    page = client.get(reverse("dashboard")).content.decode()
    assert f'<a class="kpi bad" href="#bodies"><strong>{board.totals.overdue}</strong>' in page
    # The programme ends on 31/12/2026, within 90 days; Tây Ninh's report waits for Tây Ninh's coordinator.
    assert [(e.agreement.pk, e.days_left) for e in board.ending] == [(programme().pk, 39)]
    assert board.waiting == [] and board.waiting_count == 0
    client.force_login(users["tn.coord"])
    board = client.get(reverse("dashboard")).context["board"]
    assert [r.party.body.name for r in board.waiting] == [TAY_NINH]
    client.force_login(users["admin"])
    board = client.get(reverse("dashboard")).context["board"]
    assert board.waiting_count == ProgressReport.objects.filter(state="submitted").count() == 1


def test_the_overview_counts_overdue_and_at_risk_commitments_once_each(client, users):
    """Counted in the one pass over the scope's commitments: an overdue one that is also at risk counts as overdue
    only, one at risk with no due date counts as at risk, a finished one past its date as neither."""
    today = clock.today()
    ours = Commitment.objects.filter(item__agreement__in=Agreement.objects.all())
    ours.update(status="on_track", due_on=None)
    late_risky, open_risky, delayed_later, done_late = list(ours.order_by("pk")[:4])
    Commitment.objects.filter(pk=late_risky.pk).update(status="at_risk", due_on=today - dt.timedelta(days=1))
    Commitment.objects.filter(pk=open_risky.pk).update(status="at_risk")
    Commitment.objects.filter(pk=delayed_later.pk).update(status="delayed", due_on=today)
    Commitment.objects.filter(pk=done_late.pk).update(status="done", due_on=today - dt.timedelta(days=90))
    client.force_login(users["admin"])
    board = client.get(reverse("dashboard")).context["board"]
    assert (board.overdue_count, [c.pk for c in board.overdue]) == (1, [late_risky.pk])
    assert (board.at_risk_count, [c.pk for c in board.at_risk]) == (2, [delayed_later.pk, open_risky.pk])
    assert board.overdue_count == ours.overdue(today).count() and board.at_risk_count == ours.at_risk(today).count()
    assert sum(row.overdue for row in board.sectors) == 1


def test_a_body_of_a_province_that_kept_its_name_counts_once(client, users):
    """A unit untouched by the merger (one record throughout) is its own province then and now."""
    hanoi = Body.objects.filter(unit__short_name="Hà Nội", kind=Body.Kind.PEOPLES_COMMITTEE).first()
    if hanoi is None:
        pytest.skip("no Hà Nội body in this database")
    agreement = Agreement.objects.create(
        title="Thỏa thuận thử Hà Nội", period_start=dt.date(2024, 1, 1), period_end=dt.date(2028, 12, 31)
    )
    Party.objects.create(agreement=agreement, body=hanoi, order=1)
    client.force_login(users["admin"])
    provinces = {row.unit.short_name: row for row in client.get(reverse("dashboard")).context["board"].provinces}
    assert provinces["Hà Nội"].agreements == 1
    assert [(unit.short_name, n) for unit, n in provinces["Hà Nội"].then] == [("Hà Nội", 1)]


# --- a leader's home page ----------------------------------------------------------------------------


@pytest.mark.usefixtures("media")
def test_a_leaders_home_is_a_dashboard(client, users, first_half):
    """Long An's leader: late reports and commitments of Long An, the approved 2025 report and period to issue;
    once the report is issued it leaves that list and its PDF is offered for download."""
    leader = users["la.leader"]
    client.force_login(leader)
    response = client.get(reverse("home"))
    assert response.templates[0].name == "reporting/dashboard_leader.html"
    # The home page's reports to review keep their name; drafts to fill are a staff member's, not read for a leader.
    assert "to_review" in response.context and "to_fill" not in response.context
    board = response.context["board"]
    la_report = report_of(first_half, LONG_AN)
    approved = ProgressReport.objects.filter(party__body__name=LONG_AN, state="approved")
    assert la_report in approved and approved.count() == 2  # the demo's first half of 2026 too
    assert {r.pk for r in board.reports_to_issue} == set(approved.values_list("pk", flat=True))
    assert [p.pk for p in board.periods_to_issue] == [first_half.pk]
    late = ProgressReport.objects.filter(
        party__body__name=LONG_AN, state__in=("draft", "returned"), period__deadline__lt=clock.today()
    )
    assert {r.pk for r in board.late_reports} == set(late.values_list("pk", flat=True))
    assert all(r.party.body.name == LONG_AN for r in board.late_reports)
    assert {s.agreement.pk for s in board.standings} == set(Agreement.objects.values_list("pk", flat=True))
    page = response.content.decode()
    assert f"{reverse('report_detail', args=[la_report.pk])}#official-documents" in page
    assert "Chưa có văn bản nào được ban hành." in page

    from reporting.documents.kinds import PartyReportDocument

    issued = issue_now(users, "la.leader", PartyReportDocument(la_report))
    assert issued.state == OfficialDocument.State.READY
    board = client.get(reverse("home")).context["board"]
    assert la_report.pk not in {r.pk for r in board.reports_to_issue} and len(board.reports_to_issue) == 1
    assert [p.pk for p in board.periods_to_issue] == [first_half.pk]
    assert [row.document.pk for row in board.document_rows] == [issued.pk]
    assert board.document_rows[0].number_text.startswith("01/BC-")
    page = client.get(reverse("home")).content.decode()
    assert reverse("document_download", args=[issued.pk]) in page
    assert client.get(reverse("document_download", args=[issued.pk])).status_code == 200
    # Tây Ninh's leader neither issues nor downloads Long An's documents.
    client.force_login(users["tn.leader"])
    board = client.get(reverse("home")).context["board"]
    assert board.document_rows == [] and la_report.pk not in {r.pk for r in board.reports_to_issue}
    assert reverse("document_download", args=[issued.pk]) not in client.get(reverse("home")).content.decode()


def test_a_period_is_to_issue_only_when_every_party_has_an_approved_report(client, users, first_half):
    """The consolidated report waits for the last party: one report sent back, or a party with no report in the
    period (added to the agreement later), takes the period off the leader's list until it is approved."""
    client.force_login(users["la.leader"])

    def to_issue() -> list[int]:
        return [p.pk for p in client.get(reverse("home")).context["board"].periods_to_issue]

    assert to_issue() == [first_half.pk]
    report = report_of(first_half, TAY_NINH)
    ProgressReport.objects.filter(pk=report.pk).update(state="submitted")
    assert to_issue() == []
    ProgressReport.objects.filter(pk=report.pk).update(state="approved")
    agreement = first_half.agreement
    outsider = Body.objects.exclude(pk__in=agreement.parties.values("body_id")).first()
    assert outsider is not None
    newcomer = Party.objects.create(agreement=agreement, body=outsider, order=9)
    assert not ProgressReport.objects.filter(party=newcomer, period=first_half).exists()
    assert to_issue() == []
    newcomer.delete()
    assert to_issue() == [first_half.pk]


def test_staff_and_coordinators_keep_their_home_lists(client, users):
    for username in ("la.staff", "la.coord", "admin"):
        client.force_login(users[username])
        response = client.get(reverse("home"))
        assert response.templates[0].name == "agreements/home.html", username
        assert "board" not in response.context


def test_a_leader_who_also_coordinates_sees_reports_to_review(client, users):
    leader = users["tn.leader"]
    Membership.objects.create(user=leader, body=users["tn.coord"].memberships.get().body, role=Role.COORDINATOR)
    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()
    submitted = ProgressReport.objects.get(state="submitted")
    assert "Báo cáo chờ duyệt" in page and reverse("report_detail", args=[submitted.pk]) in page


def test_a_leader_s_late_lists_and_standings_are_reused_for_a_few_minutes_and_say_so(client, users, travel):
    """What is late and how each agreement stands come from the cache for FIGURES_SECONDS, for the same
    parties, page of agreements, day and language; what waits to be issued is always live; `?fresh=1`
    computes again (keeping the page asked for), and the page says when its figures were computed."""
    today = clock.today()
    travel(FROZEN_AT)
    client.force_login(users["la.leader"])
    first = client.get(reverse("home"))
    board = first.context["board"]
    assert "Việc đang chậm và tình hình từng thỏa thuận tổng hợp lúc 10:00, cập nhật sau mỗi 5 phút" in (
        first.content.decode()
    )
    ours = Commitment.objects.filter(responsible_party__body__name=LONG_AN)
    late = ours.exclude(pk__in=ours.overdue(today).values("pk")).order_by("pk").first()
    assert late is not None
    Commitment.objects.filter(pk=late.pk).update(status="on_track", due_on=today - dt.timedelta(days=3))
    report = ProgressReport.objects.filter(party__body__name=LONG_AN).exclude(state="approved").first()
    assert report is not None
    ProgressReport.objects.filter(pk=report.pk).update(state="approved", approved_at=clock.now())
    standing = {s.agreement.pk: s.overdue for s in board.standings}
    # Two minutes later: the same figures; the report to issue as it is now.
    travel(FROZEN_AT + dt.timedelta(minutes=2))
    again = client.get(reverse("home")).context["board"]
    assert (again.overdue_count, again.figures_at) == (board.overdue_count, board.figures_at)
    assert {s.agreement.pk: s.overdue for s in again.standings} == standing
    assert again.reports_to_issue_count == board.reports_to_issue_count + 1
    assert report.pk in {r.pk for r in again.reports_to_issue}
    # Asked afresh, or five minutes on: computed again, with the new overdue commitment in its agreement's row.
    fresh = client.get(reverse("home") + "?fresh=1").context["board"]
    assert fresh.overdue_count == board.overdue_count + 1 and fresh.figures_at > board.figures_at
    agreement_id = late.item.agreement_id
    assert {s.agreement.pk: s.overdue for s in fresh.standings} == {
        **standing,
        agreement_id: standing[agreement_id] + 1,
    }
    Commitment.objects.filter(pk=late.pk).update(status="done")
    travel(FROZEN_AT + dt.timedelta(minutes=7, seconds=1))
    later = client.get(reverse("home")).context["board"]
    assert later.figures_at > fresh.figures_at and later.overdue_count == board.overdue_count
    # The refresh link keeps the page of agreements and of documents asked for.
    page = client.get(reverse("home") + "?page=1&documents=1").content.decode()
    assert 'href="?page=1&amp;documents=1&amp;fresh=1"' in page
    # Other parties (an agreement archived) are another key at once; so is another language.
    Agreement.objects.filter(pk=agreement_id).update(archived_at=clock.now())
    narrower = client.get(reverse("home")).context["board"]
    assert agreement_id not in {s.agreement.pk for s in narrower.standings}
    assert all(c.item.agreement_id != agreement_id for c in narrower.overdue)
    switch_language(client, "en")
    english = client.get(reverse("home"))
    assert "What is late and how each agreement stands: computed at 10:07" in english.content.decode()
    with translation.override("en"):
        labels = {str(label) for _value, label in Commitment.Status.choices}
    assert {label for s in english.context["board"].standings for _v, label, _n in s.status_counts} == labels


# --- English ------------------------------------------------------------------------------------------


def test_the_dashboards_read_in_english(client, users):
    """The charts are drawn in the reader's language: English words of the statuses, English figures."""
    agreement = programme()
    client.force_login(users["la.coord"])
    switch_language(client, "en")
    response = client.get(dashboard_url(agreement))
    page = response.content.decode()
    assert '<html lang="en">' in page and "My tasks" in page
    board = response.context["board"]
    counts = {value: n for value, _label, n in board.status_counts}
    with translation.override("en"):
        english = str(status_chart(counts))
    assert str(board.status_svg) == english and english in page
    assert ">On track<" in english and "Đúng tiến độ" not in english
    assert "22.2%" in page and "22,2%" not in page  # figures with English separators
    for url in (reverse("dashboard"), reverse("home")):
        assert '<html lang="en">' in client.get(url).content.decode()
    client.force_login(users["la.leader"])
    assert '<html lang="en">' in client.get(reverse("home")).content.decode()
    # The document keeps Vietnamese whatever the reader's language.
    with translation.override("en"):
        party = agreement.parties.first()
        assert party is not None
        html = ConsolidatedReportDocument(periods_of(2026)[0], party).html()
    assert "Đúng tiến độ" in html and ">On track<" not in html


# --- a fixed number of queries ----------------------------------------------------------------------


def more_agreements(users, n: int) -> list[Agreement]:
    """`n` agreements of the Long An and Tây Ninh departments in force, each with items, commitments (with
    indicators), its periods opened and some reports submitted, approved or returned."""
    long_an = users["la.staff"].memberships.get().body
    tay_ninh = users["tn.staff"].memberships.get().body
    office = users["la.coord"].memberships.get().body
    today = clock.today()
    made = []
    for index in range(n):
        agreement = Agreement.objects.create(
            title=f"Thỏa thuận bổ sung số {index + 1}",
            status=Agreement.Status.IN_FORCE,
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2027, 2, 1) + dt.timedelta(days=index),
        )
        parties = [
            Party.objects.create(agreement=agreement, body=long_an, coordinating_office=office, order=1),
            Party.objects.create(agreement=agreement, body=tay_ninh, order=2),
        ]
        for number in (1, 2):
            item = CooperationItem.objects.create(
                agreement=agreement, number=number, text=f"Nội dung {number}", sector_id="trade"
            )
            for order, party in enumerate(parties, start=1):
                Commitment.objects.create(
                    item=item,
                    responsible_party=party,
                    description=f"Cam kết {number}.{order}",
                    due_on=today - dt.timedelta(days=10 * order),
                    status="at_risk" if order == 2 else "on_track",
                    indicator_name="Số doanh nghiệp",
                    indicator_unit="doanh nghiệp",
                    target=Decimal(100),
                )
        workflow.open_reporting_periods(agreement, today)
        for report in ProgressReport.objects.filter(period__agreement=agreement).select_related("party__body")[:3]:
            staff = users["la.staff" if report.party.body_id == long_an.pk else "tn.staff"]
            workflow.submit_report(staff, report, confirm_unchanged=True)
        made.append(agreement)
    return made


def test_the_dashboards_make_as_many_queries_for_ten_agreements_as_for_one(client, users):
    """la.coord's overview and home, la.leader's home, and one agreement's dashboard: the same number of queries
    after ten more agreements (with their periods, reports and commitments) as before."""
    first = more_agreements(users, 1)[0]
    fresh = reverse("dashboard") + "?fresh=1"  # figures computed again, not read from the cache
    pages = [
        ("la.coord", fresh),
        ("la.coord", reverse("dashboard")),
        ("la.coord", reverse("home")),
        ("la.leader", reverse("home") + "?fresh=1"),
        ("la.leader", reverse("home")),
        ("admin", fresh),
        ("admin", reverse("dashboard")),
        ("la.leader", dashboard_url(first)),
    ]
    before = {}
    for username, url in pages:
        client.force_login(users[username])
        before[(username, url)] = count_queries(client, url)
    more_agreements(users, 10)
    # The one agreement grows too: two more parties' worth of commitments and a third party.
    tg = users["tg.staff"].memberships.get().body
    Party.objects.create(agreement=first, body=tg, order=3)
    workflow.open_reporting_periods(first, clock.today())
    for username, url in pages:
        client.force_login(users[username])
        after = count_queries(client, url)
        assert after == before[(username, url)], (username, url, before[(username, url)], after)
        assert after <= 45, (username, url, after)
    # A coordinator of one agreement (Tiền Giang: the programme) and of fourteen: the same queries, computing
    # the figures or reading them from the cache.
    client.force_login(users["tg.coord"])
    one = [count_queries(client, fresh), count_queries(client, reverse("dashboard"))]
    client.force_login(users["la.coord"])
    assert one == [count_queries(client, fresh), count_queries(client, reverse("dashboard"))]
    assert one[1] < one[0]


def test_the_overview_s_figures_are_reused_for_a_few_minutes_and_say_so(client, users, travel):
    """The aggregates of a scope come from the cache for FIGURES_SECONDS, for the same agreements, day and
    language; the reports waiting for review are always live, `?fresh=1` computes again, and the page says
    when its figures were computed."""
    today = clock.today()
    travel(FROZEN_AT)
    client.force_login(users["la.coord"])
    first = client.get(reverse("dashboard"))
    board = first.context["board"]
    assert "Số liệu tổng hợp lúc 10:00, cập nhật sau mỗi 5 phút" in first.content.decode()
    ours = Commitment.objects.filter(item__agreement__in=Agreement.objects.all())
    late = ours.exclude(pk__in=ours.overdue(today).values("pk")).order_by("pk").first()
    Commitment.objects.filter(pk=late.pk).update(status="on_track", due_on=today - dt.timedelta(days=3))
    report = report_of(periods_of(2026)[0], LONG_AN)  # Long An's: la.coord reviews it
    ProgressReport.objects.filter(pk=report.pk).update(state="submitted", submitted_at=clock.now())
    # Two minutes later: the same figures, the waiting list as it is now.
    travel(FROZEN_AT + dt.timedelta(minutes=2))
    again = client.get(reverse("dashboard")).context["board"]
    assert again.overdue_count == board.overdue_count and again.figures_at == board.figures_at
    assert (again.waiting_count, [r.pk for r in again.waiting]) == (board.waiting_count + 1, [report.pk])
    # Asked afresh, or five minutes on: computed again, with the new overdue commitment.
    fresh = client.get(reverse("dashboard") + "?fresh=1").context["board"]
    assert fresh.overdue_count == board.overdue_count + 1 and fresh.figures_at > board.figures_at
    Commitment.objects.filter(pk=late.pk).update(due_on=today - dt.timedelta(days=4), status="delayed")
    travel(FROZEN_AT + dt.timedelta(minutes=7, seconds=1))
    later = client.get(reverse("dashboard")).context["board"]
    assert later.figures_at > fresh.figures_at and later.overdue_count == fresh.overdue_count
    # Another scope (an agreement archived) is another key at once; so is another language.
    Agreement.objects.filter(pk=late.item.agreement_id).update(archived_at=clock.now())
    narrower = client.get(reverse("dashboard")).context["board"]
    assert narrower.scope_count == later.scope_count - 1
    assert sum(row.agreements for row in narrower.sectors) < sum(row.agreements for row in later.sectors)
    switch_language(client, "en")
    english = client.get(reverse("dashboard"))
    assert "Figures computed at 10:07" in english.content.decode()
    assert "Trade promotion and markets" in {row.label for row in english.context["board"].sectors}


def test_a_leader_of_many_documents_pages_them(client, users, first_half, media):
    """The leader's documents are paged (20 a page): the page makes the same queries with one or 25."""
    from reporting.documents.kinds import PartyReportDocument

    issued = issue_now(users, "la.leader", PartyReportDocument(report_of(first_half, LONG_AN)))
    client.force_login(users["la.leader"])
    fresh = reverse("home") + "?fresh=1"  # the late lists and standings computed, as on a first view
    before = [count_queries(client, fresh), count_queries(client, reverse("home"))]
    template = OfficialDocument.objects.get(pk=issued.pk)
    for number in range(2, 26):
        template.pk = None
        template.key = f"test:{number}"
        template.number = number
        template.replaces = None
        template.save()
    assert [count_queries(client, fresh), count_queries(client, reverse("home"))] == before
    assert before[1] < before[0]
    response = client.get(reverse("home") + "?documents=2")
    board = response.context["board"]
    assert board.documents.paginator.count == 25 and len(board.document_rows) == 5
    assert re.search(r"Trang 2/2", response.content.decode())
    # Paging on after "Tổng hợp lại ngay" reads the figures just computed, not again.
    refreshed = client.get(reverse("home") + "?documents=2&fresh=1").content.decode()
    assert 'href="?documents=1#documents" rel="prev"' in refreshed


# What each tile says in English after its number: one, or many (the probe found "1 reports awaiting review").
TILE_WORDS = {
    "agreement": "agreements",
    "overdue report not submitted": "overdue reports not submitted",
    "overdue commitment": "overdue commitments",
    "commitment at risk of delay": "commitments at risk of delay",
    "report awaiting review": "reports awaiting review",
    "document awaiting issue": "documents awaiting issue",
    "document issued": "documents issued",
}


@pytest.mark.parametrize(
    ("username", "path"), [("tn.staff", "/dashboard/"), ("admin", "/dashboard/"), ("la.leader", "/")]
)
def test_each_tile_says_one_or_many_in_english_as_its_number_is(client, users, username, path):
    client.force_login(users[username])
    client.cookies["django_language"] = "en"
    page = client.get(path).content.decode()
    tiles = re.findall(r'class="kpi[^"]*"[^>]*><strong>([\d,]+)</strong><small>([^<]+)</small>', page)
    counted = [
        (int(n.replace(",", "")), label) for n, label in tiles if label in TILE_WORDS or label in TILE_WORDS.values()
    ]
    assert len(counted) >= 4, tiles
    for number, label in counted:
        assert (label in TILE_WORDS) == (number == 1), f"{number} {label}"


def test_a_leader_s_overdue_count_is_what_its_link_lists(client, users):
    """The probe: "32 overdue commitments" on a leader's home linked to a list of 56, every party's of their
    agreements; the link asks for their own parties' (`mine`), as the home counts them."""
    tay_ninh = Party.objects.filter(body__name="Sở Công Thương tỉnh Tây Ninh").first()
    assert tay_ninh is not None
    item = tay_ninh.agreement.items.first()
    assert item is not None
    for n in range(3):  # another party's overdue commitments on the same agreement
        Commitment.objects.create(
            item=item, responsible_party=tay_ninh, description=f"Việc của Tây Ninh {n}", due_on=dt.date(2020, 1, 1)
        )
    client.force_login(users["la.leader"])
    home = client.get(reverse("home"))
    board = home.context["board"]
    link = re.search(r'href="(/commitments/\?overdue=1[^"]*)"', home.content.decode()).group(1).replace("&amp;", "&")
    listed = client.get(link).context["page"].paginator.count
    assert listed == board.overdue_count > 0
    everyone = client.get("/commitments/?overdue=1").context["page"].paginator.count
    assert everyone == listed + 3  # without `mine`, the other party's too
    # Offered to whoever acts for a party; not to an admin of no body, who has no party of their own.
    assert 'name="mine"' in client.get("/commitments/").content.decode()
    client.force_login(users["admin"])
    assert 'name="mine"' not in client.get("/commitments/").content.decode()
