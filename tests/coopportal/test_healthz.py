import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"]["ok"] and body["broker"]["ok"]


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_broker_down_answers_503(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is False and body["broker"]["detail"]
