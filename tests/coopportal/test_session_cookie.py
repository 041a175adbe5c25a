"""coopportal.sessions: a session cookie Django could not have issued is no session, never a 500
(issue 12, point 7: a NUL byte in the cookie made psycopg2 refuse the lookup)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

FORGED = [
    "abcdefgh\x00ijklmnopqrstuvwxyz012345",  # a NUL byte: psycopg2 refuses it in a query
    "abcdefghijklmnopqrstuvwxyz0123\x00",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345",  # Django never issues capitals
    "abcdefgh' OR '1'='1",
    "x" * 5000,
]


@pytest.mark.parametrize("cookie", FORGED)
@pytest.mark.parametrize("path", ["/login/", "/", "/healthz"])
def test_a_forged_session_cookie_is_an_anonymous_visit(cookie, path):
    client = Client(raise_request_exception=True)
    response = client.get(path, HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={cookie}")
    assert response.status_code in (200, 302)
    if path == "/":
        assert response["Location"].startswith("/login/")  # anonymous: to the login page


def test_a_real_session_still_works(client, users):
    from coopportal.sessions import SessionStore

    client.force_login(users["la.staff"])
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert len(key) == 32
    assert client.get("/").status_code == 200  # signed in: the home page itself
    assert SessionStore(key).get("_auth_user_id") == str(users["la.staff"].pk)


def test_the_store_drops_a_key_it_could_not_have_issued():
    from coopportal.sessions import SessionStore

    assert SessionStore("abcdefgh\x00ijklmnopqrstuvwxyz012345").session_key is None
    assert SessionStore("abcdefghijklmnopqrstuvwxyz012345").session_key == "abcdefghijklmnopqrstuvwxyz012345"
