"""Sessions end after 30 minutes without a request, and 12 hours after the login however busy the user is.

coopportal.middleware.SessionLifetimeMiddleware keeps both: it moves the session's expiry on at most once a
minute (a request in between writes nothing), and sends the user to the login page with a reason after 12 hours.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coopportal.middleware import LOGIN_AT, RENEWED_AT
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
    assert settings.SESSION_RENEW_SECONDS == 60 and not settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_AGE == 30 * 60 + 60
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"


def session_writes(client: Client) -> tuple[Any, int]:
    """The home page and how many times it wrote the session."""
    with CaptureQueriesContext(connection) as queries:
        response = home(client)
    return response, sum('UPDATE "django_session"' in q["sql"] for q in queries.captured_queries)


def test_the_session_cookie_is_httponly_lax_and_renewed(demo, client, travel):
    sign_in(client)
    start = timezone.now()
    travel(start + datetime.timedelta(seconds=61))
    response, writes = session_writes(client)
    assert response.status_code == 200 and writes == 1
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]  # set again on an ordinary page
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["max-age"] == 31 * 60


def test_within_a_minute_of_the_last_renewal_a_request_writes_nothing(demo, client, travel):
    sign_in(client)
    start = timezone.now()
    for seconds in (1, 30, 59):
        travel(start + datetime.timedelta(seconds=seconds))
        response, writes = session_writes(client)
        assert response.status_code == 200 and writes == 0, f"{seconds} s after the login"
        assert settings.SESSION_COOKIE_NAME not in response.cookies
    travel(start + datetime.timedelta(seconds=60))
    response, writes = session_writes(client)
    assert writes == 1 and client.session[RENEWED_AT] == pytest.approx(start.timestamp() + 60, abs=1)


def test_thirty_minutes_idle_ends_the_session(demo, client, travel):
    sign_in(client)
    start = timezone.now()
    travel(start + datetime.timedelta(minutes=29))
    assert home(client).status_code == 200  # renews the session for another 31 minutes
    travel(start + datetime.timedelta(minutes=29 + 31, seconds=1))
    assert to_login(home(client))


def test_a_session_never_ends_sooner_than_thirty_minutes_after_its_last_request(demo, client, travel):
    sign_in(client)
    start = timezone.now()
    travel(start + datetime.timedelta(seconds=59))  # the last request: too soon after the login to renew
    _, writes = session_writes(client)
    assert writes == 0
    travel(start + datetime.timedelta(seconds=59, minutes=30))
    assert home(client).status_code == 200


def test_steady_work_keeps_the_session_past_thirty_minutes(demo, client, travel):
    sign_in(client)
    start = timezone.now()
    writes = 0
    for step in range(1, 61):  # a request every 45 seconds for 45 minutes
        travel(start + datetime.timedelta(seconds=45 * step))
        response, written = session_writes(client)
        assert response.status_code == 200, f"{45 * step} s after the login"
        writes += written
    assert writes == 30  # every other request moved the expiry on


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


def test_a_login_is_stamped_before_any_request_has_loaded_the_middleware() -> None:
    """The stamp is connected when Django starts (coopportal.apps), not when the first request imports the
    middleware: the test client's force_login in a fresh process is stamped too, so that the next request
    does not write the session; in a process of its own, where no request has been made."""
    code = (
        "import django, sys; django.setup(); "
        "from django.contrib.auth.signals import user_logged_in; "
        "print('coopportal.middleware' in sys.modules, "
        "any(key[0] == 'coopportal.middleware.stamp_login' for key, *_ in user_logged_in.receivers))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "coopportal.settings", "DEBUG": "true"}
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env, cwd=root)
    assert out.stdout.split() == ["True", "True"]
