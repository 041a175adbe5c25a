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


def test_history_writes_figures_as_the_page_does_and_zero_as_zero(client, users, demo):
    from decimal import Decimal

    from tests.support import RETAIL, plan_report

    entry = plan_report().entries.get(commitment__indicator_name=RETAIL)
    staff = users["la.staff"]
    entry = services.save_entry(
        staff, entry, {"status": "on_track", "percent_complete": 60, "actual_value": Decimal(101000)}, 1
    )
    services.save_entry(staff, entry, {"percent_complete": 0, "actual_value": Decimal("0.5")}, entry.version)
    client.force_login(users["la.coord"])
    page = client.get(reverse("report_history", args=[entry.report_id])).content.decode()
    cells = page.replace("\n", "")
    assert "<td>giá trị thực hiện</td><td>—</td><td>101.000</td>" in cells  # nothing before: the dash
    assert "<td>giá trị thực hiện</td><td>101.000</td><td>0,5</td>" in cells
    assert "<td>tỷ lệ hoàn thành (%)</td><td>0</td><td>60</td>" in cells  # 0 is a figure
    assert "<td>tỷ lệ hoàn thành (%)</td><td>60</td><td>0</td>" in cells


def test_a_revision_whose_author_is_gone_is_still_shown(client, users, la_report):
    """EntryRevision.actor is SET_NULL: a revision without its author reads "—" instead of failing the page."""
    from reporting.models import EntryRevision

    entry = la_report.entries.first()
    services.save_entry(users["la.staff"], entry, {"status": "on_track", "percent_complete": 25}, 1)
    EntryRevision.objects.filter(entry=entry).update(actor=None)
    client.force_login(users["la.coord"])
    response = client.get(reverse("report_history", args=[la_report.pk]))
    assert response.status_code == 200 and "Đúng tiến độ" in response.content.decode()
