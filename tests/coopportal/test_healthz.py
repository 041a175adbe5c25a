"""GET /healthz: ok or not per component for anyone; why, only in the log and to staff (issue 12, point 7)."""

import json
import logging
import os
import subprocess
import sys

import pytest
from django.test import override_settings

from tests.support import ROOT

pytestmark = pytest.mark.django_db

DOWN_BROKER = "redis://127.0.0.1:1/0"


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"]["ok"] and body["broker"]["ok"]


@override_settings(CELERY_BROKER_URL=DOWN_BROKER)
def test_broker_down_answers_503_without_saying_why(client, caplog):
    with caplog.at_level(logging.ERROR, logger="coopportal.health"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": {"ok": True}, "broker": {"ok": False}}
    assert "127.0.0.1" not in response.content.decode()
    # The reason is in the log, with its traceback, for whoever runs the site.
    logged = [r for r in caplog.records if r.name == "coopportal.health"]
    assert logged and logged[0].exc_info is not None and "Celery broker" in logged[0].getMessage()


@override_settings(CELERY_BROKER_URL=DOWN_BROKER)
def test_a_signed_in_user_who_is_not_staff_gets_no_detail_either(client, users):
    client.force_login(users["la.coord"])
    body = client.get("/healthz").json()
    assert "detail" not in body["broker"] and "detail" not in body["database"]


@override_settings(CELERY_BROKER_URL=DOWN_BROKER)
def test_staff_see_why(client, users):
    client.force_login(users["admin"])
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["broker"]["ok"] is False and body["broker"]["detail"]
    assert body["database"] == {"ok": True, "detail": "ok"}


# Issue 12's probe found /healthz a 500 page, not its 503, when the database was down and the request carried
# a session cookie: the middlewares read the session before the view. A real server with no database: a
# process whose DATABASE_URL points at a port nothing listens on.
NO_DATABASE = "postgres://postgres@127.0.0.1:1/coopportal_down"
ASK = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
answers = {}
for path, cookie in (("/healthz", ""), ("/healthz", "a" * 32), ("/", "a" * 32)):
    client = Client(raise_request_exception=False)  # the 500 page, as a server sends it
    if cookie:
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = client.get(path, secure=True)
    answers[path + (" with a session cookie" if cookie else "")] = {
        "status": response.status_code, "body": response.content.decode(), "headers": dict(response.headers)
    }
print(json.dumps(answers))
"""


def test_with_the_database_down_healthz_answers_503_with_or_without_a_session_cookie(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "DEBUG")}
    env |= {"DATABASE_URL": NO_DATABASE, "DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "testserver"}
    env["COOPPORTAL_VAR_DIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", ASK], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    answers = json.loads(done.stdout.strip().splitlines()[-1])
    down = {"status": "error", "database": {"ok": False}, "broker": {"ok": True}}
    for asked in ("/healthz", "/healthz with a session cookie"):
        assert answers[asked]["status"] == 503, (asked, answers[asked]["body"][:500])
        assert json.loads(answers[asked]["body"]) == down
    # A page has its 500 page, with the headers of every answer: a policy, and no copy kept by the browser.
    page = answers["/ with a session cookie"]
    assert page["status"] == 500 and "Đã xảy ra lỗi" in page["body"]
    assert "script-src 'self'" in page["headers"]["Content-Security-Policy"]
    assert page["headers"]["Cache-Control"] == "no-store"
