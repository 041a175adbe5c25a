"""GET /healthz: ok or not per component for anyone; why, only in the log and to staff (issue 12, point 7)."""

import logging

import pytest
from django.test import override_settings

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
