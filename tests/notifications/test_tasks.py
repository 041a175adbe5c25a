"""The reminder and notification tasks with real Celery workers, the real Redis and a real SMTP server.

Workers are `celery worker --pool=solo` subprocesses on a queue of their own (tests/workers.py),
pointed at the test database; the tests commit their data (transaction=True).  Mail goes through
Django's SMTP backend to an aiosmtpd server started by the test (tests/mailserver.py).
"""

from __future__ import annotations

import datetime
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client

from core import clock
from notifications.models import EmailState, Kind, Notification
from notifications.tasks import send_daily_reminders, send_notification_emails
from reporting import workflow
from reporting.models import ProgressReport
from tests.mailserver import MailServer
from tests.support import fill_report
from tests.workers import Worker, start_worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

DAY = "2026-12-17"  # the demo programme's report is due in 7 days; the programme ends in 14
# On 17/12/2026 the demo has: the H2 2026 report of each party (-7: its staff), and the programme
# ending on 31/12/2026 (-90: coordinators and leaders of the three parties).
EXPECTED = Counter(
    {
        "la.staff@demo.coopportal.local": 1,
        "tn.staff@demo.coopportal.local": 1,
        "tg.staff@demo.coopportal.local": 1,
        "la.coord@demo.coopportal.local": 1,
        "tn.coord@demo.coopportal.local": 1,
        "tg.coord@demo.coopportal.local": 1,
        "la.leader@demo.coopportal.local": 1,
        "tn.leader@demo.coopportal.local": 1,
        "tg.leader@demo.coopportal.local": 1,
    }
)


def mail_env(server: MailServer, queue: str, **extra: str) -> dict[str, str]:
    return {
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(server.port),
        "NOTIFICATIONS_CELERY_QUEUE": queue,
        **extra,
    }


@pytest.fixture
def queue() -> str:
    import uuid

    return f"notifications-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def quiet_demo(users: dict[str, User]) -> None:
    """The demo's own workflow events (loaded with it) were told already: these tests count what comes next."""
    Notification.objects.update(email_state=EmailState.SENT)


@pytest.fixture
def worker(
    quiet_demo: None,
    mail_server: MailServer,
    queue: str,
    tmp_path: Path,
    settings: Any,
) -> Iterator[Worker]:
    settings.NOTIFICATIONS_CELERY_QUEUE = queue
    running = start_worker(tmp_path, queue=queue, env=mail_env(mail_server, queue))
    try:
        yield running
    finally:
        running.stop()


def recipients(server: MailServer) -> Counter[str]:
    return Counter(address for message in server.received for address in message.to)


def wait_until_sent(worker: Worker, count: int) -> None:
    wait_for(
        lambda: Notification.objects.filter(email_state=EmailState.SENT).count() >= count,
        worker,
        f"{count} e-mails marked sent",
    )


def test_the_daily_job_sends_each_stage_once_with_a_working_link(
    worker: Worker,
    mail_server: MailServer,
    queue: str,
) -> None:
    result = send_daily_reminders.apply_async(args=(DAY,), queue=queue)
    assert result.id
    mail_server.wait_for(9)
    wait_until_sent(worker, 9)
    assert recipients(mail_server) == EXPECTED
    message = mail_server.to("la.staff@demo.coopportal.local")[0]
    reminder = Notification.objects.select_related("report__period").get(
        recipient__username="la.staff", kind=Kind.REPORT_DUE
    )
    report = reminder.report
    assert report is not None
    assert "Nhắc nộp báo cáo 6 tháng cuối năm 2026 (còn 7 ngày)" in message.subject
    assert "Hạn nộp: 24/12/2026" in message.text
    link = f"http://127.0.0.1:8000/reports/{report.pk}/"
    assert link in message.text and f'href="{link}"' in message.html
    # The link opens the report for the person it was sent to.
    client = Client()
    client.force_login(User.objects.get(username="la.staff"))
    page = client.get(urlsplit(link).path)
    assert page.status_code == 200
    assert report.period.label in page.content.decode()
    # Run again, and again at once on two messages: nothing more is sent.
    for _ in range(3):
        send_daily_reminders.apply_async(args=(DAY,), queue=queue)
    send_notification_emails.apply_async(queue=queue)
    wait_for(lambda: "succeeded" in worker.log and worker.log.count("succeeded") >= 5, worker, "the runs to finish")
    assert recipients(mail_server) == EXPECTED


def test_two_workers_running_the_job_at_once_send_each_email_once(
    worker: Worker,
    mail_server: MailServer,
    queue: str,
    tmp_path: Path,
) -> None:
    second = start_worker(tmp_path, queue=queue, env=mail_env(mail_server, queue), name="second")
    try:
        for _ in range(6):
            send_daily_reminders.apply_async(args=(DAY,), queue=queue)
        mail_server.wait_for(9)
        wait_for(lambda: worker.log.count("succeeded") + second.log.count("succeeded") >= 6, worker, "six runs")
        assert "succeeded" in second.log, "the second worker took part"
    finally:
        second.stop()
    assert recipients(mail_server) == EXPECTED
    assert Notification.objects.filter(day=datetime.date(2026, 12, 17)).count() == 9
    assert set(Notification.objects.values_list("email_state", flat=True)) == {EmailState.SENT}


def test_a_worker_killed_while_sending_loses_nothing_and_sends_nothing_twice(
    quiet_demo: None,
    mail_server: MailServer,
    queue: str,
    tmp_path: Path,
    settings: Any,
) -> None:
    settings.NOTIFICATIONS_CELERY_QUEUE = queue
    mail_server.handler.hold = threading.Event()  # the mail server stops answering at RCPT
    doomed = start_worker(tmp_path, queue=queue, env=mail_env(mail_server, queue), name="doomed")
    try:
        send_daily_reminders.apply_async(args=(DAY,), queue=queue)
        wait_for(lambda: mail_server.handler.sessions >= 1, doomed, "the first e-mail to reach the server")
        claimed = Notification.objects.filter(email_state=EmailState.SENDING).count()
        assert claimed == 9, "the worker claimed the batch before sending"
        doomed.kill()
    finally:
        doomed.stop()
        mail_server.handler.hold.set()
    assert mail_server.received == []
    # A worker started before the claim's lease has passed leaves the claimed rows alone...
    early = start_worker(tmp_path, queue=queue, env=mail_env(mail_server, queue), name="early")
    try:
        send_notification_emails.apply_async(queue=queue)
        wait_for(lambda: "succeeded" in early.log, early, "the early sweep")
    finally:
        early.stop()
    assert mail_server.received == []
    # ...and one after the lease (11 minutes later on the workers' clock) sends them, once each.
    later = (clock.now() + datetime.timedelta(minutes=11)).isoformat()
    rescuer = start_worker(
        tmp_path, queue=queue, env=mail_env(mail_server, queue, COOPPORTAL_FROZEN_NOW=later), name="rescuer"
    )
    try:
        send_notification_emails.apply_async(queue=queue)
        send_daily_reminders.apply_async(args=(DAY,), queue=queue)
        mail_server.wait_for(9)
        wait_for(lambda: rescuer.log.count("succeeded") >= 2, rescuer, "the sweep and the run")
    finally:
        rescuer.stop()
    assert recipients(mail_server) == EXPECTED
    todays = Notification.objects.filter(day=datetime.date(2026, 12, 17))
    assert set(todays.values_list("email_state", flat=True)) == {EmailState.SENT}
    assert set(todays.values_list("attempts", flat=True)) == {2}


def test_a_workflow_event_email_arrives_with_the_link_for_its_recipient(
    worker: Worker,
    mail_server: MailServer,
    users: dict[str, User],
) -> None:
    report = ProgressReport.objects.get(
        party__body__name="Sở Công Thương tỉnh Long An",
        period__deadline=datetime.date(2026, 12, 24),
    )
    fill_report(users, report)
    staff = Client()
    staff.force_login(users["la.staff"])
    response = staff.post(f"/reports/{report.pk}/submit/", {"confirm": "1", "confirm_unchanged": "1"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ProgressReport.State.SUBMITTED
    [message] = mail_server.wait_for(1)
    assert message.to == ["la.coord@demo.coopportal.local"]
    assert "đã gửi báo cáo 6 tháng cuối năm 2026" in message.subject
    path = f"/reports/{report.pk}/"
    assert f"http://127.0.0.1:8000{path}" in message.text
    coordinator = Client()
    coordinator.force_login(users["la.coord"])
    page = coordinator.get(path).content.decode()
    assert f"/reports/{report.pk}/approve/" in page  # the coordinator lands where they can review it

    workflow.return_report(users["la.coord"], report, "Bổ sung số liệu hội chợ tháng 11.")
    returned = mail_server.wait_for(2)[1]
    assert returned.to == ["la.staff@demo.coopportal.local"]
    assert "Bổ sung số liệu hội chợ tháng 11." in returned.text
    edit_path = f"/reports/{report.pk}/edit/"
    assert f"http://127.0.0.1:8000{edit_path}" in returned.text
    assert staff.get(edit_path).status_code == 200


def test_ten_province_level_parties_each_get_their_own_reminders(
    worker: Worker, mail_server: MailServer, queue: str
) -> None:
    from tests.notifications.builders import programme

    agreement = programme()
    deadline = agreement.reporting_periods.get(year=2026, index=2).deadline
    send_daily_reminders.apply_async(args=((deadline - datetime.timedelta(days=7)).isoformat(),), queue=queue)
    mail_server.wait_for(9 + 10)  # the demo's nine, and one per party of the programme
    wait_for(lambda: not Notification.objects.filter(email_state=EmailState.PENDING).exists(), worker, "all sent")
    ours = Counter(a for m in mail_server.received for a in m.to if a.endswith("@example.gov.vn"))
    # Nine provinces today: today's Tây Ninh answers for the reports of both Long An and Tây Ninh.
    assert ours == Counter(
        {
            f"{key}.staff@example.gov.vn": 1
            for key in (
                "thanhphohanoi",
                "thanhphohue",
                "tinhninhbinh",
                "tinhdongnai",
                "thanhphohochiminh",
                "tinhnghean",
                "tinhquangtri",
                "tinhthainguyen",
            )
        }
        | {"tinhtayninh.staff@example.gov.vn": 2}
    )
    subjects = {m.subject for m in mail_server.received if m.to[0].endswith("@example.gov.vn")}
    assert all("còn 7 ngày" in subject for subject in subjects)
