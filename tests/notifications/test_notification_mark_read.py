"""Marking notifications read (notifications.views.notification_mark_read): one, or all of one's own,
never anyone else's; then back to `next` if it is a page of this site."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from notifications.models import Notification
from tests.support import notify_user

pytestmark = pytest.mark.django_db


def unread(notifications: list[Notification]) -> list[int]:
    return list(
        Notification.objects.filter(pk__in=[n.pk for n in notifications], read_at__isnull=True)
        .order_by("-created_at")
        .values_list("pk", flat=True)
    )


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_one_id_marks_that_one(client, users):
    mine = notify_user(users["tn.staff"], 3)
    client.force_login(users["tn.staff"])
    response = client.post(reverse("notification_mark_read"), {"id": mine[1].pk})
    assert response.status_code == 302 and response["Location"] == reverse("notification_list")
    assert unread(mine) == [mine[0].pk, mine[2].pk]
    assert said(response) == ["Đã đánh dấu 1 thông báo là đã đọc."]


def test_several_ids(client, users):
    mine = notify_user(users["tn.staff"], 3)
    client.force_login(users["tn.staff"])
    client.post(reverse("notification_mark_read"), {"id": [mine[0].pk, mine[2].pk]})
    assert unread(mine) == [mine[1].pk]


def test_all_marks_every_one_of_ones_own_and_nobody_elses(client, users):
    mine = notify_user(users["tn.staff"], 3)
    member = notify_user(users["tn.coord"], 2)  # same party
    outsider = notify_user(users["tg.staff"], 2)
    client.force_login(users["tn.staff"])
    response = client.post(reverse("notification_mark_read"))
    assert response.status_code == 302
    assert unread(mine) == []
    assert said(response) == ["Đã đánh dấu 3 thông báo là đã đọc."]
    assert unread(member) == [n.pk for n in member] and unread(outsider) == [n.pk for n in outsider]


@pytest.mark.parametrize("username", ["tn.coord", "tg.staff", "admin"], ids=["member", "outsider", "superuser"])
def test_someone_elses_id_is_left_alone(client, users, username):
    theirs = notify_user(users["tn.staff"], 2)
    client.force_login(users[username])
    response = client.post(reverse("notification_mark_read"), {"id": [n.pk for n in theirs]})
    assert response.status_code == 302
    assert said(response) == ["Đã đánh dấu 0 thông báo là đã đọc."]
    assert unread(theirs) == [n.pk for n in theirs]


@pytest.mark.parametrize("value", ["abc", "²", "-1", ""], ids=["word", "superscript-two", "negative", "empty"])
def test_an_id_that_is_no_number_marks_nothing(client, users, value):
    """Not "all": the form that posts an id means that one (and "²" once gave a 500)."""
    mine = notify_user(users["tn.staff"], 2)
    client.force_login(users["tn.staff"])
    response = client.post(reverse("notification_mark_read"), {"id": value})
    assert response.status_code == 302
    assert unread(mine) == [n.pk for n in mine]


def test_a_huge_id_marks_nothing(client, users):
    mine = notify_user(users["tn.staff"], 1)
    client.force_login(users["tn.staff"])
    assert client.post(reverse("notification_mark_read"), {"id": str(10**30)}).status_code == 302
    assert unread(mine) == [mine[0].pk]


@pytest.mark.parametrize(
    ("next_url", "location"),
    [
        ("/notifications/?unread=1&page=2", "/notifications/?unread=1&page=2"),
        ("/reports/1/", "/reports/1/"),
        ("http://testserver/notifications/?page=2", "http://testserver/notifications/?page=2"),
        ("https://evil.example/notifications/", "/notifications/"),
        ("//evil.example/notifications/", "/notifications/"),
        ("http://testserver.evil.example/", "/notifications/"),
        ("javascript:alert(1)", "/notifications/"),
        ("", "/notifications/"),
        ("report_detail", "/notifications/"),  # a word is no address (it was looked up as a view: 500)
        ("home", "/notifications/"),  # nor the name of a page
    ],
)
def test_next_only_to_this_site(client, users, next_url, location):
    mine = notify_user(users["tn.staff"], 1)
    client.force_login(users["tn.staff"])
    response = client.post(reverse("notification_mark_read"), {"id": mine[0].pk, "next": next_url})
    assert response.status_code == 302 and response["Location"] == location
    assert unread(mine) == []


def test_an_https_page_is_not_sent_back_over_http(client, users):
    client.force_login(users["tn.staff"])
    response = client.post(reverse("notification_mark_read"), {"next": "http://testserver/notifications/"}, secure=True)
    assert response["Location"] == "/notifications/"


def test_anonymous_is_sent_to_the_login_page_and_nothing_is_read(client, users):
    mine = notify_user(users["tn.staff"], 2)
    response = client.post(reverse("notification_mark_read"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login") + "?next=")
    assert unread(mine) == [n.pk for n in mine]


def test_marking_is_a_post(client, users):
    mine = notify_user(users["tn.staff"], 1)
    client.force_login(users["tn.staff"])
    assert client.get(reverse("notification_mark_read")).status_code == 405
    assert unread(mine) == [mine[0].pk]
