"""The documents panels of a report and of a period (reporting.document_views.report_documents_panel and
period_documents_panel): downloads offered to leaders only."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from reporting.documents.kinds import PartyReportDocument
from tests.support import issue_via_page, la_report_of, programme

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def test_panels_offer_downloads_to_leaders_only(client: Any, users: Any, first_half: Any):
    report = la_report_of(first_half)
    client.force_login(users["la.staff"])
    assert client.get(reverse("document_report_panel", args=[report.pk])).status_code == 204
    client.force_login(users["la.leader"])
    panel = client.get(reverse("document_report_panel", args=[report.pk])).content.decode()
    assert reverse("document_report_pdf", args=[report.pk]) in panel and "chưa ban hành" in panel
    assert reverse("document_report_issue", args=[report.pk]) in panel and 'name="signer"' in panel
    client.get(reverse("document_report_pdf", args=[report.pk]))  # a download never issues
    assert "chưa ban hành" in client.get(reverse("document_report_panel", args=[report.pk])).content.decode()
    issue_via_page(client, PartyReportDocument(report))
    panel = client.get(reverse("document_report_panel", args=[report.pk])).content.decode()
    assert "đã ban hành: số 01/BC-SCT" in panel and 'name="signer"' not in panel
    period_panel = client.get(reverse("document_period_panel", args=[first_half.pk])).content.decode()
    assert reverse("document_consolidated_pdf", args=[first_half.pk]) in period_panel
    assert reverse("document_review_pdf", args=[programme().pk, 2025]) in period_panel
