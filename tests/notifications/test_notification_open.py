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


@pytest.mark.usefixtures("media")
def test_another_partys_leader_told_of_an_issued_document_lands_where_their_own_copies_are(client, users):
    """Long An issues its yearly review of 2025: Tiền Giang's leader may not download Long An's copy, so the
    notification opens the documents of the year's last period, which offer Tiền Giang's own, downloadable."""
    from meetings.documents import YearlyReviewDocument
    from tests.support import fill_and_approve_period, issue_now, periods_of, programme

    for period in periods_of(2025):
        fill_and_approve_period(users, period)
    agreement = programme()
    la_party = agreement.parties.get(body__name="Sở Công Thương tỉnh Long An")
    stored = issue_now(users, "la.leader", YearlyReviewDocument(agreement, 2025, la_party))
    notification = Notification.objects.get(recipient=users["tg.leader"], kind=Kind.DOCUMENT_ISSUED, document=stored)
    last = periods_of(2025)[-1]
    assert notification.url == reverse("period_detail", args=[last.pk]) + "#official-documents"
    client.force_login(users["tg.leader"])
    assert client.get(reverse("document_download", args=[stored.pk])).status_code == 403  # Long An's copy
    page = client.get(client.get(open_url(notification))["Location"]).content.decode()
    assert 'id="official-documents"' in page
    panel = client.get(reverse("document_period_panel", args=[last.pk])).content.decode()
    own = reverse("document_review_pdf", args=[agreement.pk, 2025])
    assert f'href="{own}"' in panel
    response = client.get(own)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
