"""Login brute-force protection (django-axes): 5 wrong passwords for one username from one address lock
that pair out for 15 minutes, on the app's login page and on the admin's alike.

The lockout counts per (username, IP address): the same user from another address, or another user
from the same address, still signs in. It ends after the cool-off or when an admin deletes the access
attempt in the admin (or runs `axes_reset_username`). Failed logins and lockouts are logged.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from demo.data import DEMO_PASSWORD
from tests.support import switch_language

pytestmark = pytest.mark.django_db

ATTACKER = "10.1.2.3"
ELSEWHERE = "10.9.8.7"
LOCKED_TITLE = "Tài khoản tạm bị khóa"


def attempt(client: Client, username: str, password: str, ip: str = ATTACKER, url: str | None = None) -> Any:
    return client.post(url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in(response: Any) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def lock(client: Client, username: str, ip: str = ATTACKER, url: str | None = None) -> Any:
    """Five wrong passwords: the first four are plain failures, the fifth locks the pair out."""
    for _ in range(4):
        response = attempt(client, username, "sai-mat-khau-roi", ip, url)
        assert response.status_code == 200, response.status_code
        assert LOCKED_TITLE not in response.content.decode()
    response = attempt(client, username, "sai-mat-khau-roi", ip, url)
    assert response.status_code == 429
    return response


def assert_locked_page(response: Any) -> None:
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED_TITLE in html
    assert "trong 15 phút" in html and "quản trị viên" in html
    assert 'class="topbar"' in html  # the app's layout, not a bare message


def test_the_right_password_after_five_wrong_ones_is_refused(demo, client):
    lock(client, "la.staff")
    response = attempt(client, "la.staff", DEMO_PASSWORD)
    assert_locked_page(response)
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302  # still signed out


def test_four_wrong_passwords_do_not_lock(demo, client):
    for _ in range(4):
        assert attempt(client, "la.staff", "sai-mat-khau-roi").status_code == 200
    assert signed_in(attempt(client, "la.staff", DEMO_PASSWORD))


def test_the_lockout_is_per_username_and_address(demo):
    lock(Client(), "la.staff", ATTACKER)
    # the same user from another address, another user from the same address: both sign in
    assert signed_in(attempt(Client(), "la.staff", DEMO_PASSWORD, ELSEWHERE))
    assert signed_in(attempt(Client(), "tn.staff", DEMO_PASSWORD, ATTACKER))
    # the locked pair stays locked
    assert_locked_page(attempt(Client(), "la.staff", DEMO_PASSWORD, ATTACKER))


def test_the_lockout_ends_after_fifteen_minutes(demo, client, travel):
    lock(client, "la.staff")
    locked_at = timezone.now()
    travel(locked_at + datetime.timedelta(minutes=14))
    assert_locked_page(attempt(client, "la.staff", DEMO_PASSWORD))
    # an attempt during the lockout starts the 15 minutes again
    travel(locked_at + datetime.timedelta(minutes=14 + 15, seconds=1))
    assert signed_in(attempt(client, "la.staff", DEMO_PASSWORD))


def test_the_admin_login_is_locked_the_same_way(demo, client):
    url = reverse("admin:login")
    lock(client, "admin", url=url)
    assert_locked_page(attempt(client, "admin", DEMO_PASSWORD, url=url))
    assert client.get(reverse("admin:index")).status_code == 302
    # and the lock is shared with the app's login page: same username, same address
    assert_locked_page(attempt(client, "admin", DEMO_PASSWORD))
    assert signed_in(attempt(Client(), "admin", DEMO_PASSWORD, ELSEWHERE, url=url))


def test_an_admin_unlocks_in_the_admin(users):
    lock(Client(), "la.staff")
    admin = Client()
    admin.force_login(users["admin"])
    changelist = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200 and "la.staff" in changelist.content.decode()
    attempt_row = AccessAttempt.objects.get(username="la.staff", ip_address=ATTACKER)
    response = admin.post(reverse("admin:axes_accessattempt_delete", args=[attempt_row.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert signed_in(attempt(Client(), "la.staff", DEMO_PASSWORD))


def test_axes_reset_username_unlocks(demo):
    lock(Client(), "la.staff")
    call_command("axes_reset_username", "la.staff", stdout=None)
    assert signed_in(attempt(Client(), "la.staff", DEMO_PASSWORD))


def test_failed_logins_and_lockouts_are_logged(demo, client, caplog):
    with caplog.at_level(logging.INFO, logger="axes"):
        lock(client, "la.staff")
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("axes")]
    assert any("login failure" in line and "la.staff" in line for line in lines), lines
    assert any("Locking out" in line and "la.staff" in line and ATTACKER in line for line in lines), lines


def test_the_logging_configuration_lets_axes_through(settings):
    assert settings.LOGGING["loggers"]["axes"]["level"] == "INFO"
    assert logging.getLogger("axes.handlers.database").getEffectiveLevel() <= logging.WARNING


def test_the_locked_out_page_in_english(demo, client):
    switch_language(client, "en")
    lock(client, "la.staff")
    response = attempt(client, "la.staff", DEMO_PASSWORD)
    html = response.content.decode()
    assert response.status_code == 429 and "15 minutes" in html and "administrator" in html
