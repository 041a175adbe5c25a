"""Opening a notification (notifications.views.notification_open): its recipient is taken to its page and
has read it; anyone else gets 404, and the notification stays unread."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.models import Kind, Notification
from reporting import workflow
from tests.support import fill_report, notify_user

pytestmark = pytest.mark.django_db


def open_url(notification: Notification) -> str:
    return reverse("notification_open", args=[notification.pk])


def unread_of(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def test_the_recipient_is_taken_to_the_report_and_has_read_it(client, users, la_report):
    """la.staff submits (reporting.workflow): la.coord, the party's coordinator, is told and opens it."""
    workflow.submit_report(users["la.staff"], fill_report(users, la_report))
    coordinator = users["la.coord"]
    notification = Notification.objects.get(recipient=coordinator, kind=Kind.REPORT_SUBMITTED, report=la_report)
    assert notification.read_at is None and notification.url == reverse("report_detail", args=[la_report.pk])
    before = unread_of(coordinator)
    client.force_login(coordinator)
    response = client.get(open_url(notification))
    assert response.status_code == 302 and response["Location"] == notification.url
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert unread_of(coordinator) == before - 1
    landed = client.get(response["Location"])
    assert landed.status_code == 200 and "Sở Công Thương tỉnh Long An" in landed.content.decode()


def test_opening_it_again_keeps_the_first_reading(client, users):
    notification = notify_user(users["tn.staff"])[0]
    client.force_login(users["tn.staff"])
    client.get(open_url(notification))
    notification.refresh_from_db()
    first = notification.read_at
    assert first is not None
    assert client.get(open_url(notification))["Location"] == notification.url
    notification.refresh_from_db()
    assert notification.read_at == first


@pytest.mark.parametrize(
    "username",
    ["la.staff", "la.leader", "tn.coord", "tg.coord", "admin"],
    ids=["member-of-the-party", "leader-of-the-party", "counterpart", "outsider", "superuser"],
)
def test_someone_elses_notification_is_404_and_stays_unread(client, users, username):
    notification = notify_user(users["la.coord"])[0]
    client.force_login(users[username])
    response = client.get(open_url(notification))
    assert response.status_code == 404
    assert notification.url not in response.content.decode()
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_notification_that_does_not_exist_is_404(client, users):
    client.force_login(users["la.coord"])
    missing = (Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    assert client.get(reverse("notification_open", args=[missing])).status_code == 404


def test_anonymous_is_sent_to_the_login_page_and_nothing_is_read(client, users):
    notification = notify_user(users["la.coord"])[0]
    response = client.get(open_url(notification))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={open_url(notification)}"
    notification.refresh_from_db()
    assert notification.read_at is None


def test_opening_is_a_get(client, users):
    notification = notify_user(users["la.coord"])[0]
    client.force_login(users["la.coord"])
    assert client.post(open_url(notification)).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None
