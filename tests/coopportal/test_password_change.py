"""Every signed-in user changes their own password at /password_change/ (linked from the top bar)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from demo.data import DEMO_PASSWORD
from tests.support import switch_language

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Thanh-long-Long-An-2026"


def change(client: Client, old: str, new: str, again: str | None = None):
    return client.post(
        reverse("password_change"), {"old_password": old, "new_password1": new, "new_password2": again or new}
    )


def test_the_top_bar_links_to_the_password_change(staff):
    html = staff.get(reverse("home")).content.decode()
    assert f'href="{reverse("password_change")}"' in html and "Đổi mật khẩu" in html


def test_the_owner_changes_their_own_password(staff, users):
    page = staff.get(reverse("password_change"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="topbar"' in html and "Mật khẩu hiện tại" in html and "Mật khẩu phải có ít nhất 12 ký tự." in html
    response = change(staff, DEMO_PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    done = staff.get(response["Location"])
    assert done.status_code == 200 and "Mật khẩu của bạn đã được đổi" in done.content.decode()
    assert staff.get(reverse("home")).status_code == 200  # still signed in on this session
    users["la.staff"].refresh_from_db()
    assert users["la.staff"].check_password(NEW_PASSWORD)
    # the new password signs in, the old one no longer does
    fresh = Client()
    assert fresh.post(reverse("login"), {"username": "la.staff", "password": NEW_PASSWORD}).status_code == 302
    assert Client().post(reverse("login"), {"username": "la.staff", "password": DEMO_PASSWORD}).status_code == 200


def test_a_password_shorter_than_twelve_characters_is_refused_in_vietnamese(staff, users):
    response = change(staff, DEMO_PASSWORD, "Ngan-qua-1")  # 10 characters
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mật khẩu quá ngắn: cần ít nhất 12 ký tự." in html
    users["la.staff"].refresh_from_db()
    assert users["la.staff"].check_password(DEMO_PASSWORD)


def test_the_wrong_current_password_is_refused(staff, users):
    response = change(staff, "khong-phai-mat-khau", NEW_PASSWORD)
    assert response.status_code == 200
    assert "Mật khẩu cũ không chính xác" in response.content.decode()
    users["la.staff"].refresh_from_db()
    assert users["la.staff"].check_password(DEMO_PASSWORD)


def test_anonymous_is_sent_to_the_login_page(client, demo):
    for name in ("password_change", "password_change_done"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login") + "?next=")
    response = change(client, DEMO_PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login") + "?next=")


def test_the_page_in_english(staff):
    switch_language(staff, "en")
    html = staff.get(reverse("password_change")).content.decode()
    assert "Change password" in html and "Current password" in html
    assert "at least 12 characters" in change(staff, DEMO_PASSWORD, "Too-short-1").content.decode()


def test_the_admins_change_password_page_still_works(client, users):
    """The admin's own link renders the same template (templates/ comes before the admin's): it must work there too."""
    client.force_login(users["admin"])
    assert client.get(reverse("admin:password_change")).status_code == 200
    response = client.post(
        reverse("admin:password_change"),
        {"old_password": DEMO_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == reverse("admin:password_change_done")
    assert client.get(response["Location"]).status_code == 200
    users["admin"].refresh_from_db()
    assert users["admin"].check_password(NEW_PASSWORD)
