"""The home page (reporting.views.home): each role's work."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reporting import workflow as services
from reporting.models import ProgressReport

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


def test_long_lists_show_their_first_rows_and_lead_to_the_rest(client, users, la_report, monkeypatch):
    """A coordinator of 500 agreements has hundreds of reports waiting: the first ones, and a link to all."""
    monkeypatch.setattr("reporting.views.HOME_ROWS", 1)
    client.force_login(users["la.staff"])
    page = client.get(reverse("home")).content.decode()
    assert page.count('class="row-link"') == 1 and "Xem tất cả báo cáo" in page  # the 2011 drafts: several
    drafts = ProgressReport.objects.filter(party=la_report.party, state="draft").order_by("period__start")[:2]
    for report in drafts:
        services.submit_report(users["la.staff"], report, confirm_unchanged=True)
    client.force_login(users["la.coord"])
    response = client.get(reverse("home"))
    page = response.content.decode()
    assert page.count('class="row-link"') == 1
    assert f"{reverse('report_list')}?state=submitted" in page
    assert list(response.context["page"]) == list(response.context["agreements"].order_by("-period_start", "title"))
