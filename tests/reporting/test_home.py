"""The home page (reporting.views.home): each role's work."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reporting import workflow as services

pytestmark = pytest.mark.django_db


def test_home_lists_work_by_role(client, users, la_report):
    services.submit_report(users["la.staff"], la_report, confirm_unchanged=True)
    client.force_login(users["la.coord"])
    page = client.get(reverse("home")).content.decode()
    assert "Báo cáo chờ duyệt" in page and reverse("report_detail", args=[la_report.pk]) in page
    client.force_login(users["la.staff"])
    page = client.get(reverse("home")).content.decode()
    assert "quá hạn" in page  # the 2011 drafts are long overdue
    assert reverse("report_edit", args=[la_report.pk]) not in page  # submitted: nothing to fill
