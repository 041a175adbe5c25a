"""Which reminder stage reaches whom on which day (notifications/reminders.py and services.record).

The days are Asia/Ho_Chi_Minh days.  The demo programme's report of the second half of 2026 has its
cut-off on 14/12/2026 and its deadline ten days later, on Thursday 24/12/2026, so its stages fall on
10/12 (-14), 17/12 (-7), 23/12 (-1), 24/12 (0), 27/12 (+3, coordinators too) and 03/01/2027
(+10, leaders too).  Each day of the tests below is one run of the daily job.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement, Commitment, Party
from meetings.models import ReviewMeeting
from notifications import services
from notifications.models import Kind, Notification, ReminderSettings, parse_offsets
from notifications.reminders import DueReminders, add_months, current_stage
from reporting import workflow
from reporting.models import ProgressReport, ReportingPeriod
from tests.notifications.builders import programme
from tests.support import fill_report

pytestmark = pytest.mark.django_db
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
DEADLINE = datetime.date(2026, 12, 24)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def days(first: str, last: str) -> list[datetime.date]:
    start, end = day(first), day(last)
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


def run_days(run: list[datetime.date]) -> dict[tuple[str, str], list[tuple[datetime.date, str]]]:
    """Record what each day's run records; (username, target) -> [(day, stage)] of the new rows."""
    seen: dict[tuple[str, str], list[tuple[datetime.date, str]]] = defaultdict(list)
    for today in run:
        token = services.record(DueReminders(today).all(), today)
        for username, target, stage in services.created_by(token).values_list("recipient__username", "target", "stage"):
            seen[(username, target)].append((today, stage))
    return seen


def h2_2026_report(username_prefix: str) -> ProgressReport:
    bodies = {"la": "Long An", "tn": "Tây Ninh", "tg": "Tiền Giang"}
    return ProgressReport.objects.get(
        period__agreement__kind=Agreement.Kind.PROGRAMME,
        period__deadline=DEADLINE,
        party__body__name=f"Sở Công Thương tỉnh {bodies[username_prefix]}",
        party__agreement__title__startswith="Chương trình hợp tác phát triển ngành Công Thương",
    )


def test_every_stage_on_its_day_to_the_right_people(demo: None) -> None:
    report = f"report:{h2_2026_report('la').pk}"
    seen = run_days(days("2026-12-01", "2027-01-20"))
    assert seen[("la.staff", report)] == [
        (day("2026-12-10"), "-14"),
        (day("2026-12-17"), "-7"),
        (day("2026-12-23"), "-1"),
        (day("2026-12-24"), "0"),
        (day("2026-12-27"), "+3"),
        (day("2027-01-03"), "+10"),
    ]
    assert seen[("la.coord", report)] == [(day("2026-12-27"), "+3"), (day("2027-01-03"), "+10")]
    assert seen[("la.leader", report)] == [(day("2027-01-03"), "+10")]
    # Each party is reminded of its own report only.
    assert ("tn.staff", report) not in seen and ("tg.coord", report) not in seen
    tn_report = f"report:{h2_2026_report('tn').pk}"
    assert [stage for _day, stage in seen[("tn.staff", tn_report)]] == ["-14", "-7", "-1", "0", "+3", "+10"]


def test_a_submitted_report_stops_the_reminders_and_a_returned_one_starts_them_again(
    demo: None, users: dict[str, Any]
) -> None:
    report = h2_2026_report("tn")
    target = f"report:{report.pk}"
    seen = run_days(days("2026-12-09", "2026-12-18"))
    fill_report(users, report)
    workflow.submit_report(users["tn.staff"], report, confirm_unchanged=True)
    seen_after_submit = run_days(days("2026-12-19", "2026-12-25"))
    workflow.return_report(users["tn.coord"], report, "Bổ sung số liệu hội chợ tháng 11.")
    seen_after_return = run_days(days("2026-12-26", "2026-12-28"))
    assert [stage for _d, stage in seen[("tn.staff", target)]] == ["-14", "-7"]
    assert ("tn.staff", target) not in seen_after_submit
    # Returned counts as not submitted: the stage of the deadline, missed while it was submitted, the day it
    # comes back (26/12), then +3 (27/12) to the staff and the coordinators.
    assert seen_after_return[("tn.staff", target)] == [(day("2026-12-26"), "0"), (day("2026-12-27"), "+3")]
    assert seen_after_return[("tn.coord", target)] == [(day("2026-12-27"), "+3")]


def test_after_a_week_of_downtime_only_the_latest_stage_is_sent(demo: None) -> None:
    target = f"report:{h2_2026_report('la').pk}"
    seen = run_days([day("2026-12-10"), day("2026-12-27"), day("2026-12-28")])
    assert seen[("la.staff", target)] == [(day("2026-12-10"), "-14"), (day("2026-12-27"), "+3")]
    assert seen[("la.coord", target)] == [(day("2026-12-27"), "+3")]
    assert Notification.objects.filter(target=target, recipient__username="la.staff").count() == 2


def test_the_same_day_run_twice_records_nothing_the_second_time(demo: None) -> None:
    today = day("2026-12-17")
    first = services.record(DueReminders(today).all(), today)
    second = services.record(DueReminders(today).all(), today)
    assert services.created_by(first).count() > 0
    assert services.created_by(second).count() == 0


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime.datetime(2026, 12, 9, 23, 59, tzinfo=VN), set()),
        (datetime.datetime(2026, 12, 10, 0, 1, tzinfo=VN), {"-14"}),
    ],
    ids=["23:59 the day before", "00:01 on the day"],
)
def test_local_midnight_decides_the_day(demo: None, travel: Any, moment: datetime.datetime, expected: set[str]) -> None:
    # 23:59 on 09/12 in Hồ Chí Minh City is 16:59 UTC, 00:01 on 10/12 is 17:01 UTC of 09/12: the same UTC day.
    travel(moment)
    run = services.run_daily(send=False)
    stages = {n.stage for n in run.recorded if n.kind == Kind.REPORT_DUE}
    assert stages == expected
    assert all(n.day == moment.date() for n in run.recorded)


def test_ten_province_level_parties(demo: None) -> None:
    agreement = programme()
    period = ReportingPeriod.objects.get(agreement=agreement, deadline__year=2026, index=2)
    reports = {r.party.body.unit.key: r for r in period.reports.select_related("party__body__unit")}
    assert len(reports) == 10
    seen = run_days([period.deadline - datetime.timedelta(days=7), period.deadline + datetime.timedelta(days=10)])
    by_user: dict[str, set[str]] = defaultdict(set)
    for (username, target), stages in seen.items():
        if target.startswith("report:") and int(target.split(":")[1]) in {r.pk for r in reports.values()}:
            by_user[username] |= {f"{target}{stage}" for _d, stage in stages}
    # Nine provinces today: each staff member is reminded of their committee's report at -7 and +10;
    # today's Tây Ninh answers for the reports of both Long An and Tây Ninh.
    staff = {u for u in by_user if u.endswith(".staff")}
    assert len(staff) == 9
    tay_ninh = by_user["tinhtayninh.staff"]
    assert tay_ninh == {
        f"report:{reports['tinhlongan'].pk}-7",
        f"report:{reports['tinhlongan'].pk}+10",
        f"report:{reports['tinhtayninh'].pk}-7",
        f"report:{reports['tinhtayninh'].pk}+10",
    }
    assert by_user["thanhphohue.staff"] == {
        f"report:{reports['thanhphohue'].pk}-7",
        f"report:{reports['thanhphohue'].pk}+10",
    }
    # +10: coordinators and leaders of every party too.
    assert {u for u in by_user if u.endswith(".leader")} == {s.replace(".staff", ".leader") for s in staff}


def test_agreements_not_in_force_and_periods_before_tracking_get_nothing(demo: None) -> None:
    expired = programme(title="Chương trình đã hết hiệu lực")
    Agreement.objects.filter(pk=expired.pk).update(status=Agreement.Status.EXPIRED)
    history = programme(title="Chương trình nhập sau khi ký", tracked_from=None)
    # Entered after the fact: the second half of 2026 is before its "tracked from" day.
    Agreement.objects.filter(pk=history.pk).update(tracked_from=datetime.date(2027, 1, 1))
    ids = {expired.pk, history.pk}
    for today in (DEADLINE - datetime.timedelta(days=7), DEADLINE + datetime.timedelta(days=10)):
        dues = [d for d in DueReminders(today).all() if d.agreement_id in ids and d.kind == Kind.REPORT_DUE]
        assert dues == []


def test_scheduled_meeting_reaches_coordinators_and_leaders_of_every_party(demo: None) -> None:
    agreement = programme(keys=["thanhphohanoi", "tinhnghean", "tinhbackan"])
    meeting = ReviewMeeting.objects.create(agreement=agreement, held_on=day("2027-01-20"), place="Hà Nội")
    seen = run_days([day("2026-12-20"), day("2026-12-21"), day("2027-01-13"), day("2027-01-21")])
    target = f"meeting:{meeting.pk}"
    got = {(u, tuple(s for _d, s in stages)) for (u, t), stages in seen.items() if t == target}
    expected_users = {
        f"{key}.{role}"
        for key in ("thanhphohanoi", "tinhnghean", "tinhthainguyen")
        for role in ("coordinator", "leader")
    }
    assert {u for u, _s in got} == expected_users
    assert all(stages == ("-30", "-7") for _u, stages in got)


def test_no_meeting_on_the_calendar_asks_the_host_to_schedule_one(demo: None) -> None:
    agreement = programme(keys=["thanhphohanoi", "tinhnghean", "tinhbackan"], tracked_from=None)
    host = agreement.parties.get(body__unit__key="tinhnghean")
    Party.objects.filter(pk=host.pk).update(hosts_next_meeting=True)
    ReviewMeeting.objects.create(agreement=agreement, held_on=day("2026-02-10"), place="Nghệ An")
    # Next one due a year (the cadence) after the last: by 10/02/2027; asked 30 and 7 days before.
    seen = run_days([day("2027-01-10"), day("2027-01-11"), day("2027-02-03")])
    asked = {(u, t, tuple(s for _d, s in stages)) for (u, t), stages in seen.items() if "meeting-due" in t}
    assert asked == {("tinhnghean.coordinator", f"agreement:{agreement.pk}:meeting-due:2027-02-10", ("-30", "-7"))}
    # Without a host, every party's coordinators are asked.
    Party.objects.filter(pk=host.pk).update(hosts_next_meeting=False)
    dues = [d for d in DueReminders(day("2027-01-11")).unscheduled_meetings() if d.agreement_id == agreement.pk]
    assert len(dues) == 1 and len(dues[0].recipients) == 3


def test_commitments_with_a_due_date_before_and_when_overdue(demo: None) -> None:
    agreement = programme(keys=["thanhphohanoi", "tinhnghean"], commitment_due=day("2026-12-31"))
    done = Commitment.objects.get(item__agreement=agreement, responsible_party__body__unit__key="tinhnghean")
    Commitment.objects.filter(pk=done.pk).update(status=Commitment.Status.DONE)
    seen = run_days([day("2026-12-23"), day("2026-12-24"), day("2027-01-01")])
    commitments = {(u, tuple(s for _d, s in stages)) for (u, t), stages in seen.items() if t.startswith("commitment:")}
    assert commitments == {("thanhphohanoi.staff", ("-7", "+1"))}


def test_agreements_ending_within_ninety_days(demo: None) -> None:
    ending = Agreement.objects.get(title__startswith="Chương trình hợp tác phát triển ngành Công Thương")
    dues = [d for d in DueReminders(day("2026-11-22")).ending_agreements() if d.agreement_id == ending.pk]
    assert len(dues) == 1
    assert dues[0].stage == "-90" and dues[0].due_on == ending.period_end
    names = set(User.objects.filter(pk__in=dues[0].recipients).values_list("username", flat=True))
    assert names == {"la.coord", "la.leader", "tn.coord", "tn.leader", "tg.coord", "tg.leader"}
    assert [d for d in DueReminders(day("2026-09-30")).ending_agreements() if d.agreement_id == ending.pk] == []


def test_the_offsets_are_settings_an_admin_edits(demo: None) -> None:
    settings_row = ReminderSettings.load()
    settings_row.report_offsets = "-3, 5"
    settings_row.report_coordinators_from = 5
    settings_row.report_leaders_from = 5
    settings_row.full_clean()
    settings_row.save()
    target = f"report:{h2_2026_report('la').pk}"
    seen = run_days(days("2026-12-01", "2027-01-10"))
    assert seen[("la.staff", target)] == [(day("2026-12-21"), "-3"), (day("2026-12-29"), "+5")]
    assert seen[("la.leader", target)] == [(day("2026-12-29"), "+5")]


@pytest.mark.parametrize("text", ["-14, bảy", "", "1000"])
def test_bad_offsets_are_refused_in_vietnamese(text: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_offsets(text)
    assert any(word in str(raised.value) for word in ("số ngày", "ít nhất", "một năm"))


def test_stage_arithmetic() -> None:
    offsets = [-14, -7, 0, 3]
    deadline = day("2026-12-24")
    assert current_stage(deadline, offsets, day("2026-12-09"), 30) is None
    assert current_stage(deadline, offsets, day("2026-12-16"), 30) == -14
    assert current_stage(deadline, offsets, day("2027-01-26"), 30) == 3
    assert current_stage(deadline, offsets, day("2027-01-27"), 30) is None  # past the catch-up of the last stage
    assert add_months(day("2026-01-31"), 1) == day("2026-02-28")
    assert add_months(day("2025-11-30"), 14) == day("2027-01-30")


def _agreements(count: int) -> None:
    for n in range(count):
        programme(keys=["thanhphohanoi", "tinhnghean", "tinhbackan"], title=f"Chương trình số {n}", with_people=n == 0)


def _queries_of_the_run(today: datetime.date) -> int:
    with CaptureQueriesContext(connection) as captured:
        services.run_daily(today, send=False)
    return len(captured.captured_queries)


@pytest.mark.parametrize("today", [day("2026-12-17"), day("2026-11-22")], ids=["reports due", "nothing due"])
def test_the_run_costs_the_same_queries_for_3_or_30_agreements(demo: None, today: datetime.date) -> None:
    _agreements(3)
    small = _queries_of_the_run(today)
    Notification.objects.all().delete()
    _agreements(27)
    large = _queries_of_the_run(today)
    assert Agreement.objects.filter(status=Agreement.Status.IN_FORCE).count() >= 31
    assert large == small, f"{small} queries for 3 agreements, {large} for 30"
