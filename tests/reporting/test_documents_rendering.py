"""reporting.documents.rendering: a stored document is rendered once, whatever the number of deliveries."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from reporting.documents import rendering
from reporting.documents.kinds import PartyReportDocument
from reporting.models import DocumentNumberCounter, OfficialDocument
from tests.support import issue_via_page, la_report_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def test_rendering_twice_is_harmless(client: Any, users: Any, first_half: Any):
    report = la_report_of(first_half)
    client.force_login(users["la.leader"])
    issue_via_page(client, PartyReportDocument(report))
    stored = OfficialDocument.objects.get()
    assert rendering.render_stored(stored.pk) == "not-claimed"  # a second delivery of the task
    assert OfficialDocument.objects.get().finished_at == stored.finished_at
    assert DocumentNumberCounter.objects.get().last_number == 1
    # A ready document is never drawn again: retrying a download serves the same file.
    client.get(reverse("document_report_pdf", args=[report.pk]) + "?retry=1")
    assert OfficialDocument.objects.get().finished_at == stored.finished_at
