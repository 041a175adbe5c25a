"""Sessions end after 30 minutes without a request, and 12 hours after the login however busy the user is.

The idle limit is Django's own (SESSION_COOKIE_AGE renewed on every request); the 12 hours are
coopportal.middleware.SessionLifetimeMiddleware's, which sends the user to the login page with a reason.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coopportal.middleware import LOGIN_AT
from demo.data import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

ENDED = "Phiên làm việc đã kéo dài 12 giờ kể từ khi đăng nhập và đã kết thúc"


def sign_in(client: Client) -> None:
    response = client.post(reverse("login"), {"username": "la.staff", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def home(client: Client) -> Any:
    return client.get(reverse("home"))


def to_login(response: Any) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login") + "?next=")


def test_the_cookie_settings():
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_the_session_cookie_is_httponly_lax_and_renewed(demo, client):
    sign_in(client)
    response = home(client)
    assert response.status_code == 200
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]  # set again on an ordinary page
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["max-age"] == 30 * 60


def test_thirty_minutes_idle_ends_the_session(demo, client, travel):
    sign_in(client)
    start = timezone.now()
    travel(start + datetime.timedelta(minutes=29))
    assert home(client).status_code == 200  # renews the session for another 30 minutes
    travel(start + datetime.timedelta(minutes=29 + 31))
    assert to_login(home(client))


def test_twelve_hours_after_login_the_session_ends_however_active(demo, client, travel):
    sign_in(client)
    start = timezone.now()
    minutes = 20
    while minutes < 12 * 60:
        travel(start + datetime.timedelta(minutes=minutes))
        assert home(client).status_code == 200, f"{minutes} minutes after login"
        minutes += 20
    travel(start + datetime.timedelta(hours=12, minutes=1))
    response = home(client)
    assert to_login(response)
    login_page = client.get(response["Location"])
    assert ENDED in login_page.content.decode()
    # signing in again starts a new 12 hours
    sign_in(client)
    travel(start + datetime.timedelta(hours=12, minutes=21))
    assert home(client).status_code == 200


def test_a_session_without_a_login_time_gets_one_on_its_next_request(users, client):
    client.force_login(users["la.staff"])
    assert LOGIN_AT in client.session  # every login stamps it (the user_logged_in signal)
    session = client.session
    del session[LOGIN_AT]
    session.save()
    assert home(client).status_code == 200
    assert client.session[LOGIN_AT] == pytest.approx(timezone.now().timestamp(), abs=5)
