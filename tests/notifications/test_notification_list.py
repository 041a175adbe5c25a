"""The notification centre (notifications.views.notification_list): one's own, newest first, 30 a page.

tn.staff and tn.leader have no notification in the demo; la.staff has one (Long An's approved report).
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from notifications import services
from notifications.messages import compose, with_targets
from notifications.models import Kind, Notification
from tests.support import la_report_of, notify_user, periods_of

pytestmark = pytest.mark.django_db

BADGE = re.compile(r'<span class="count" data-testid="unread-count">(\d+)</span>')


def badge(html: str) -> int | None:
    """The unread count of the top bar, None when it shows none."""
    found = BADGE.findall(html)
    assert len(found) <= 1, found
    return int(found[0]) if found else None


def shown(response) -> list[int]:
    return [n.pk for n, _message in response.context["rows"]]


def open_link(notification: Notification) -> str:
    return reverse("notification_open", args=[notification.pk])


def test_the_centre_lists_only_the_users_own_notifications_newest_first(client, users):
    mine = notify_user(users["tn.staff"], 3, stage="mine")
    theirs = notify_user(users["tn.coord"], 2, stage="theirs")  # a member of the same party
    outsiders = notify_user(users["tg.staff"], 2, stage="outsider")  # no party of the 2011 agreement
    client.force_login(users["tn.staff"])
    response = client.get(reverse("notification_list"))
    assert response.status_code == 200
    assert shown(response) == [n.pk for n in mine]  # newest first
    page = response.content.decode()
    positions = [page.index(open_link(n)) for n in mine]
    assert positions == sorted(positions)
    for n in with_targets(n.pk for n in mine):
        assert escape(compose(n).headline) in page
    assert "Báo cáo đã được gửi" in page  # the kind
    for n in theirs + outsiders:
        assert open_link(n) not in page


def test_the_newest_first_with_a_demo_notification_among_them(client, users):
    staff = users["la.staff"]
    notify_user(staff, 4)
    client.force_login(staff)
    expected = list(Notification.objects.filter(recipient=staff).order_by("-created_at", "-pk").values_list("pk"))
    assert shown(client.get(reverse("notification_list"))) == [pk for (pk,) in expected]
    assert len(expected) == 5


def test_thirty_a_page(client, users):
    made = notify_user(users["tn.leader"], 35)
    client.force_login(users["tn.leader"])
    first = client.get(reverse("notification_list"))
    assert shown(first) == [n.pk for n in made[:30]]
    page = first.content.decode()
    assert "Trang 1/2" in page and 'href="?page=2"' in page and "Trang trước" not in page
    second = client.get(reverse("notification_list"), {"page": 2})
    assert shown(second) == [n.pk for n in made[30:]]
    assert "Trang 2/2" in second.content.decode() and 'href="?page=1"' in second.content.decode()
    # A page past the end (an old link) shows the last one; nonsense shows the first.
    assert shown(client.get(reverse("notification_list"), {"page": 9})) == shown(second)
    assert shown(client.get(reverse("notification_list"), {"page": "x"})) == shown(first)


def test_unread_only(client, users):
    user = users["tn.staff"]
    made = notify_user(user, 4)
    services.mark_read(user, Notification.objects.filter(pk__in=[made[0].pk, made[2].pk]))
    client.force_login(user)
    everything = client.get(reverse("notification_list"))
    assert shown(everything) == [n.pk for n in made]
    assert everything.content.decode().count('class="unread"') == 2
    unread = client.get(reverse("notification_list"), {"unread": "1"})
    assert shown(unread) == [made[1].pk, made[3].pk]
    assert "Xem tất cả" in unread.content.decode()
    services.mark_read(user, Notification.objects.all())
    none_left = client.get(reverse("notification_list"), {"unread": "1"}).content.decode()
    assert "Không có thông báo chưa đọc." in none_left and 'data-testid="notification"' not in none_left


def test_unread_only_keeps_its_filter_from_page_to_page(client, users):
    user = users["tn.leader"]
    made = notify_user(user, 36)
    services.mark_read(user, Notification.objects.filter(pk=made[0].pk))
    client.force_login(user)
    first = client.get(reverse("notification_list"), {"unread": "1"})
    assert shown(first) == [n.pk for n in made[1:31]]
    assert 'href="?unread=1&amp;page=2"' in first.content.decode()
    second = client.get(reverse("notification_list"), {"unread": "1", "page": "2"})
    assert shown(second) == [n.pk for n in made[31:]]


def test_the_top_bar_counts_the_users_unread_notifications(client, users):
    staff = users["la.staff"]
    made = notify_user(staff, 3)
    notify_user(users["la.coord"], 5)  # someone else's count nothing
    client.force_login(staff)
    unread = Notification.objects.filter(recipient=staff, read_at__isnull=True).count()
    assert unread == 4  # the demo's one and these three
    assert badge(client.get(reverse("notification_list")).content.decode()) == unread
    assert badge(client.get(reverse("home")).content.decode()) == unread  # on every page
    services.mark_read(staff, Notification.objects.filter(pk__in=[n.pk for n in made[:2]]))
    page = client.get(reverse("notification_list")).content.decode()
    assert badge(page) == 2 and 'aria-label="Thông báo: 2 chưa đọc"' in page
    services.mark_read(staff, Notification.objects.all())
    assert badge(client.get(reverse("notification_list")).content.decode()) is None


def test_the_top_bar_of_a_user_without_notifications_shows_no_count(client, users):
    client.force_login(users["tg.leader"])
    assert badge(client.get(reverse("notification_list")).content.decode()) is None


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(reverse("notification_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login") + "?next=")


def test_english_ui(client, users):
    """The page in English (the VI/EN switch's cookie): the top bar and the period in English."""
    notify_user(users["tn.staff"], 1)
    client.force_login(users["tn.staff"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("notification_list")).content.decode()
    assert '<html lang="en">' in page
    assert "My tasks" in page and "Log out" in page and "Việc của tôi" not in page
    assert badge(page) == 1


def test_english_ui_of_the_centre_itself(client, users):
    notify_user(users["tn.staff"], 1)
    client.force_login(users["tn.staff"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("notification_list")).content.decode()
    vietnamese = [
        "Chỉ xem chưa đọc",
        "Tùy chọn nhận thông báo",
        "Đánh dấu tất cả là đã đọc",
        "Báo cáo đã được gửi",  # the kind
        "đã gửi báo cáo",  # the headline
        "Thông báo: 1 chưa đọc",  # the top bar
    ]
    assert [text for text in vietnamese if text in page] == []


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def notify_of_every_party(user, count: int) -> None:
    """`count` notifications of every report kind, about the reports of all three parties of a period."""
    reports = list(periods_of(2026)[0].reports.all())
    assert len(reports) == 3 and la_report_of(periods_of(2026)[0]) in reports
    kinds = [Kind.REPORT_SUBMITTED, Kind.REPORT_RETURNED, Kind.REPORT_APPROVED, Kind.REPORT_DUE]
    for index in range(count):
        notify_user(user, 1, report=reports[index % 3], kind=kinds[index % 4], stage=f"q{index}")


def test_the_queries_do_not_grow_with_the_notifications_on_the_page(client, users):
    url = reverse("notification_list")
    notify_of_every_party(users["tn.staff"], 5)
    notify_of_every_party(users["tn.leader"], 30)
    client.force_login(users["tn.staff"])
    five = count_queries(client, url)
    client.force_login(users["tn.leader"])
    thirty = count_queries(client, url)
    assert len(client.get(url).context["rows"]) == 30
    assert thirty == five, f"{five} queries for 5 notifications, {thirty} for 30"
    assert five <= 12
