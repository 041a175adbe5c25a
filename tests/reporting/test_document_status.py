"""The status of a stored document as JSON (reporting.document_views.document_status), for leaders only."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from reporting.documents.kinds import PartyReportDocument
from reporting.models import OfficialDocument
from tests.support import issue_via_page, la_report_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def test_status_endpoint(client: Any, users: Any, first_half: Any):
    report = la_report_of(first_half)
    client.force_login(users["la.leader"])
    issue_via_page(client, PartyReportDocument(report))
    stored = OfficialDocument.objects.get()
    status = client.get(reverse("document_status", args=[stored.pk])).json()
    assert (status["state"], status["busy"], status["number"], status["error"]) == ("ready", False, 1, "")
    client.force_login(users["la.staff"])
    assert client.get(reverse("document_status", args=[stored.pk])).status_code == 403
