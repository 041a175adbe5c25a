"""The history page of a report (reporting.views.report_history)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reporting import workflow as services

pytestmark = pytest.mark.django_db


def test_history_shows_who_changed_what(client, users, la_report):
    entry = la_report.entries.first()
    services.save_entry(users["la.staff"], entry, {"status": "on_track", "percent_complete": 25}, 1)
    client.force_login(users["la.coord"])
    page = client.get(reverse("report_history", args=[la_report.pk])).content.decode()
    assert "Chuyên viên Long An" in page and "Đúng tiến độ" in page and "Chưa triển khai" in page
