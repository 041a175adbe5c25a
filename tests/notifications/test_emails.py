"""What the e-mails say and how they are delivered: languages, digests, retries with backoff, events.

Delivery runs in the test process here (notifications.services.deliver, the code the worker runs),
against the real SMTP server of tests/mailserver.py.
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from agreements.models import Membership, Role
from notifications import services
from notifications.models import Digest, EmailState, Kind, Notification, Preference
from reporting import workflow
from reporting.documents.kinds import PartyReportDocument
from reporting.models import ProgressReport
from tests.mailserver import MailServer
from tests.support import fill_report, issue_now

pytestmark = pytest.mark.django_db
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
DAY = datetime.date(2026, 12, 17)


@pytest.fixture
def quiet_demo(users: dict[str, User]) -> None:
    Notification.objects.update(email_state=EmailState.SENT)


def run(day: datetime.date = DAY) -> services.DailyRun:
    return services.run_daily(day)


def test_a_user_who_chose_english_gets_english(quiet_demo: None, mail_server: MailServer, users: Any) -> None:
    services.set_preferences(users["tn.staff"], language="en")
    run()
    [english] = mail_server.to("tn.staff@demo.coopportal.local")
    [vietnamese] = mail_server.to("la.staff@demo.coopportal.local")
    assert "Report reminder: Second half of 2026 (7 days left)" in english.subject
    assert "Deadline: 24/12/2026" in english.text and "Dear" in english.text
    assert "Hạn nộp: 24/12/2026" in vietnamese.text and "Kính gửi" in vietnamese.text
    assert english.html.startswith("<!doctype html>") and 'lang="en"' in english.html


def test_days_late_are_counted_from_the_day_of_the_run(quiet_demo: None, mail_server: MailServer) -> None:
    run(datetime.date(2026, 12, 27))
    [staff] = mail_server.to("la.staff@demo.coopportal.local")[:1]
    assert "đã quá hạn 3 ngày" in staff.subject
    [coordinator] = [m for m in mail_server.to("la.coord@demo.coopportal.local") if "báo cáo" in m.subject]
    assert "đã quá hạn 3 ngày" in coordinator.subject


def test_a_digest_reader_gets_one_email_listing_everything(
    quiet_demo: None, mail_server: MailServer, users: Any
) -> None:
    services.set_preferences(users["la.coord"], delivery=Preference.Delivery.DIGEST)
    run(datetime.date(2026, 12, 27))  # la.coord: the report's +3 stage and the programme's end
    digests = mail_server.to("la.coord@demo.coopportal.local")
    assert len(digests) == 1
    [digest] = digests
    assert "2 việc cần chú ý ngày 27/12/2026" in digest.subject
    assert "chưa được gửi: đã quá hạn 3 ngày" in digest.text
    assert "chuẩn bị gia hạn" in digest.text
    assert Digest.objects.get(recipient=users["la.coord"]).email_state == EmailState.SENT
    assert set(
        Notification.objects.filter(recipient=users["la.coord"], day="2026-12-27").values_list("email_state", flat=True)
    ) == {EmailState.IN_DIGEST}
    # What arrives later that day waits for tomorrow's digest, and a second run sends no second digest.
    run(datetime.date(2026, 12, 27))
    assert len(mail_server.to("la.coord@demo.coopportal.local")) == 1


def test_a_refused_email_is_retried_with_backoff_then_given_up(
    quiet_demo: None, mail_server: MailServer, travel: Any, settings: Any
) -> None:
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    mail_server.handler.refuse = 1000
    start = datetime.datetime(2026, 12, 17, 6, 30, tzinfo=VN)
    travel(start)
    run()
    row = Notification.objects.get(recipient__username="la.staff", kind=Kind.REPORT_DUE)
    assert (row.email_state, row.attempts) == (EmailState.PENDING, 1)
    assert row.next_attempt_at == start + datetime.timedelta(minutes=1)
    assert "451" in row.last_error
    # Too early: nothing is tried.
    travel(start + datetime.timedelta(seconds=30))
    services.deliver()
    row.refresh_from_db()
    assert row.attempts == 1
    travel(start + datetime.timedelta(minutes=1))
    services.deliver()
    row.refresh_from_db()
    assert (row.attempts, row.next_attempt_at) == (2, start + datetime.timedelta(minutes=3))
    travel(start + datetime.timedelta(minutes=3))
    services.deliver()
    row.refresh_from_db()
    assert (row.email_state, row.attempts) == (EmailState.FAILED, 3)
    assert mail_server.received == []


def test_a_failed_email_goes_when_the_server_is_back(quiet_demo: None, mail_server: MailServer, travel: Any) -> None:
    mail_server.handler.refuse = 9  # every message of the first run
    start = datetime.datetime(2026, 12, 17, 6, 30, tzinfo=VN)
    travel(start)
    first = run()
    assert (first.sent, first.failed) == (0, 9)
    travel(start + datetime.timedelta(minutes=5))
    services.deliver()
    assert len(mail_server.received) == 9
    assert set(Notification.objects.filter(day=DAY).values_list("attempts", flat=True)) == {2}


def test_an_unreachable_server_fails_the_batch_for_a_retry(quiet_demo: None, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # discard port: refused
    result = run()
    assert result.sent == 0 and result.failed == 9
    assert set(Notification.objects.filter(day=DAY).values_list("email_state", flat=True)) == {EmailState.PENDING}


def test_a_user_without_an_address_still_sees_it_in_the_app(
    quiet_demo: None, mail_server: MailServer, users: Any
) -> None:
    User.objects.filter(username="tg.staff").update(email="")
    run()
    row = Notification.objects.get(recipient__username="tg.staff", kind=Kind.REPORT_DUE)
    assert row.email_state == EmailState.NO_ADDRESS
    assert mail_server.to("tg.staff@demo.coopportal.local") == []


def test_approval_reaches_staff_and_leaders_and_issuing_reaches_every_partys_leaders(
    quiet_demo: None, users: Any, mail_server: MailServer, media: Any
) -> None:
    report = ProgressReport.objects.get(
        party__body__name="Sở Công Thương tỉnh Tiền Giang", period__deadline=datetime.date(2026, 12, 24)
    )
    fill_report(users, report)
    workflow.submit_report(users["tg.staff"], report, confirm_unchanged=True)
    workflow.approve_report(users["tg.coord"], report)
    approved = Notification.objects.filter(report=report, kind=Kind.REPORT_APPROVED)
    assert set(approved.values_list("recipient__username", flat=True)) == {"tg.staff", "tg.leader"}
    assert set(approved.values_list("url", flat=True)) == {f"/reports/{report.pk}/"}
    deputy = User.objects.create(username="tg.deputy", email="tg.deputy@demo.coopportal.local")
    Membership.objects.create(user=deputy, body=users["tg.leader"].memberships.get().body, role=Role.LEADER)
    stored = issue_now(users, "tg.leader", PartyReportDocument(report))
    issued = Notification.objects.filter(document=stored, kind=Kind.DOCUMENT_ISSUED)
    # The leaders of every party; the one who issued it knows already.
    assert set(issued.values_list("recipient__username", flat=True)) == {"la.leader", "tn.leader", "tg.deputy"}
    services.deliver()
    [message] = mail_server.to("la.leader@demo.coopportal.local")
    assert "Đã ban hành văn bản số" in message.subject
    # Each link opens for its reader: the issuing party's leaders download the copy; another party's
    # leaders (who may not download Tiền Giang's copy) open the period's documents, where their own are.
    links = {
        "la.leader": f"/periods/{report.period_id}/#official-documents",
        "tg.deputy": f"/documents/{stored.pk}/download/",
    }
    for username, path in links.items():
        [mail] = mail_server.to(f"{username}@demo.coopportal.local")
        assert f"http://127.0.0.1:8000{path}" in mail.text
        client = Client()
        client.force_login(User.objects.get(username=username))
        assert client.get(path).status_code == 200, username
