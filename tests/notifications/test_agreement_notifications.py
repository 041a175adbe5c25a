"""What was sent for an agreement (notifications.views.agreement_record): who was reminded or told of what,
when, and what became of the e-mail.  The 2011 Long An – Tây Ninh agreement: its coordinators (either
party) and the superuser read it; the parties' staff and leaders get 403; Tiền Giang (no party) 404."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement
from core import clock
from notifications.models import EmailState, Kind, Notification
from reporting import workflow
from tests.support import fill_report, notify_user

pytestmark = pytest.mark.django_db


def record_url(agreement) -> str:
    return reverse("agreement_notifications", args=[agreement.pk])


def rows(response) -> list[int]:
    return [n.pk for n in response.context["page"]]


def cells(page: str) -> list[list[str]]:
    """The text of each cell of each row of the record, tags dropped and whitespace collapsed."""
    found = []
    for row in re.findall(r'<tr data-testid="record-row">(.*?)</tr>', page, flags=re.S):
        texts = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        found.append([" ".join(re.sub(r"<[^>]+>", " ", text).split()) for text in texts])
    return found


@pytest.fixture
def submitted_and_returned(users, la_report):
    """la.staff submits Long An's 2011 report, la.coord returns it: the workflow tells la.coord, then la.staff."""
    workflow.submit_report(users["la.staff"], fill_report(users, la_report))
    workflow.return_report(users["la.coord"], la_report, "Thiếu số liệu về hội chợ thương mại.")
    return la_report


def test_a_coordinator_sees_who_was_told_what_and_when(client, users, agreement, submitted_and_returned):
    submitted = Notification.objects.get(kind=Kind.REPORT_SUBMITTED, report=submitted_and_returned)
    returned = Notification.objects.get(kind=Kind.REPORT_RETURNED, report=submitted_and_returned)
    assert (submitted.recipient.username, returned.recipient.username) == ("la.coord", "la.staff")
    # The e-mail of one went out, the other's failed three times.
    sent_at = datetime.datetime(2026, 11, 22, 10, 5, tzinfo=datetime.UTC)
    Notification.objects.filter(pk=submitted.pk).update(email_state=EmailState.SENT, sent_at=sent_at, attempts=1)
    Notification.objects.filter(pk=returned.pk).update(
        email_state=EmailState.FAILED, attempts=3, last_error="SMTP 550 hộp thư không tồn tại"
    )
    client.force_login(users["la.coord"])
    response = client.get(record_url(agreement))
    assert response.status_code == 200
    assert rows(response) == [returned.pk, submitted.pk]  # newest first
    today = f"{clock.today():%d/%m/%Y}"
    got = cells(response.content.decode())
    assert len(got) == 2
    returned_row, submitted_row = got
    assert returned_row[0].startswith(today)
    assert returned_row[1].startswith("Báo cáo bị trả lại")
    assert returned_row[2] == "—" and returned.stage.startswith("returned:")  # an event has no stage to show
    assert returned_row[3] == "Chuyên viên Long An"
    assert returned_row[4] == "Gửi không thành công 3 lần gửi SMTP 550 hộp thư không tồn tại"
    assert returned_row[5] == "—"
    assert submitted_row[1].startswith("Báo cáo đã được gửi")
    assert submitted_row[3] == "Điều phối Long An"
    assert submitted_row[4] == "Đã gửi 22/11/2026 17:05"  # in Vietnam's time
    assert f"hạn {submitted_and_returned.period.deadline:%d/%m/%Y}" in submitted_row[1]


def test_reading_a_notification_shows_in_the_record(client, users, agreement, submitted_and_returned):
    returned = Notification.objects.get(kind=Kind.REPORT_RETURNED, report=submitted_and_returned)
    client.force_login(users["la.staff"])
    client.get(reverse("notification_open", args=[returned.pk]))
    client.force_login(users["la.coord"])
    returned_row = cells(client.get(record_url(agreement)).content.decode())[0]
    assert returned_row[5].startswith(f"{clock.today():%d/%m/%Y}")


@pytest.mark.parametrize("username", ["la.coord", "tn.coord", "admin"], ids=["owner", "counterpart", "superuser"])
def test_the_coordinators_of_either_party_and_the_superuser_read_it(client, users, agreement, username):
    made = notify_user(users["la.staff"], 2, report=agreement_report(agreement))
    client.force_login(users[username])
    response = client.get(record_url(agreement))
    assert response.status_code == 200
    assert rows(response) == [n.pk for n in made]


@pytest.mark.parametrize("username", ["la.staff", "la.leader", "tn.staff", "tn.leader"])
def test_staff_and_leaders_of_the_parties_are_refused(client, users, agreement, username):
    notify_user(users["la.staff"], 1, report=agreement_report(agreement))
    client.force_login(users[username])
    response = client.get(record_url(agreement))
    assert response.status_code == 403
    # The refusal page names nobody who was reminded (the top bar names the reader, la.staff among them).
    assert "Chuyên viên Long An" not in response.content.decode().split("<main", 1)[1]


@pytest.mark.parametrize("username", ["tg.staff", "tg.coord", "tg.leader"])
def test_an_outsider_does_not_know_it_exists(client, users, agreement, username):
    client.force_login(users[username])
    response = client.get(record_url(agreement))
    assert response.status_code == 404
    assert agreement.title not in response.content.decode()


def test_anonymous_is_sent_to_the_login_page(client, agreement):
    response = client.get(record_url(agreement))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login") + "?next=")


def test_an_agreement_that_does_not_exist_is_404(client, users):
    client.force_login(users["admin"])
    assert client.get(reverse("agreement_notifications", args=[999999])).status_code == 404


def test_only_this_agreements_notifications(client, users, agreement):
    ours = notify_user(users["la.staff"], 1, report=agreement_report(agreement))
    notify_user(users["la.staff"], 1)  # of the programme
    client.force_login(users["la.coord"])
    assert rows(client.get(record_url(agreement))) == [ours[0].pk]


def test_the_agreement_page_links_to_it_for_coordinators_only(client, users, agreement):
    detail = reverse("agreement_detail", args=[agreement.pk])
    for username, linked in [("la.coord", True), ("tn.coord", True), ("la.staff", False), ("la.leader", False)]:
        client.force_login(users[username])
        assert (record_url(agreement) in client.get(detail).content.decode()) is linked, username


def test_filter_by_kind(client, users, agreement, submitted_and_returned):
    client.force_login(users["la.coord"])
    response = client.get(record_url(agreement), {"kind": Kind.REPORT_RETURNED})
    kinds = {n.kind for n in response.context["page"]}
    assert kinds == {Kind.REPORT_RETURNED} and len(rows(response)) == 1
    assert '<option value="report_returned" selected>' in response.content.decode()
    everything = client.get(record_url(agreement))
    assert {n.kind for n in everything.context["page"]} == {Kind.REPORT_RETURNED, Kind.REPORT_SUBMITTED}
    assert rows(client.get(record_url(agreement), {"kind": "nonsense"})) == []


def test_fifty_a_page_and_the_filter_kept(client, users, agreement):
    report = agreement_report(agreement)
    made = notify_user(users["la.staff"], 55, report=report, kind=Kind.REPORT_DUE)
    notify_user(users["la.coord"], 1, report=report, kind=Kind.REPORT_SUBMITTED)
    client.force_login(users["la.coord"])
    first = client.get(record_url(agreement), {"kind": Kind.REPORT_DUE})
    assert rows(first) == [n.pk for n in made[:50]]
    page = first.content.decode()
    assert "Trang 1/2" in page and 'href="?kind=report_due&amp;page=2"' in page
    second = client.get(record_url(agreement), {"kind": Kind.REPORT_DUE, "page": 2})
    assert rows(second) == [n.pk for n in made[50:]]


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_queries_do_not_grow_with_the_rows(client, users, agreement):
    report = agreement_report(agreement)
    client.force_login(users["la.coord"])
    url = record_url(agreement)
    for username in ("la.staff", "la.leader", "tn.coord", "tn.staff", "la.coord"):
        notify_user(users[username], 1, report=report, stage="few")
    few = count_queries(client, url)
    for username in ("la.staff", "la.leader", "tn.coord", "tn.staff", "la.coord"):
        notify_user(users[username], 10, report=report, stage="many")
    many = count_queries(client, url)
    assert len(client.get(url).context["page"]) == 50
    assert many == few, f"{few} queries for 5 rows, {many} for 50"
    assert few <= 15


def agreement_report(agreement):
    """Long An's first report of the agreement (the `agreement` fixture tracked it: its reports exist)."""
    return (
        agreement.reporting_periods.order_by("start")
        .first()
        .reports.get(party__body__name="Sở Công Thương tỉnh Long An")
    )


def test_a_reminder_shows_its_stage_as_days_before_or_after_the_deadline(client: Any, users: Any) -> None:
    from notifications import services

    programme = Agreement.objects.get(title__startswith="Chương trình hợp tác phát triển ngành Công Thương")
    for day in ("2026-12-17", "2026-12-24", "2026-12-27"):
        services.run_daily(datetime.date.fromisoformat(day), send=False)
    client.force_login(users["la.coord"])
    text = client.get(record_url(programme) + "?kind=report_due").content.decode()
    for shown in ("còn 7 ngày", "đúng hạn", "quá hạn 3 ngày"):
        assert shown in text
