"""The audit trail in the admin: readable by an admin, never added, changed or deleted, not even by a superuser."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from core.audit import audit
from core.models import AuditEntry
from reporting.models import ProgressReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(users, la_report):
    return audit(users["la.staff"], "report.saved", la_report, changes={"shortcomings": ["", "x"]})


def test_an_admin_reads_the_trail(client, users, entry):
    client.force_login(users["admin"])
    assert client.get(reverse("admin:core_auditentry_changelist")).status_code == 200
    page = client.get(reverse("admin:core_auditentry_change", args=[entry.pk]))
    assert page.status_code == 200 and "report.saved" in page.content.decode()


def test_nobody_edits_or_deletes_the_trail(client, users, entry):
    users["admin"].is_superuser = True
    users["admin"].save()
    client.force_login(users["admin"])
    change = reverse("admin:core_auditentry_change", args=[entry.pk])
    client.post(change, {"action": "forged", "object_type": "x", "object_id": 1, "data": "{}"})
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse("admin:core_auditentry_changelist"), {"action": "delete_selected", "_selected_action": [entry.pk]}
    )
    assert bulk.status_code in (200, 302)
    entry.refresh_from_db()
    assert entry.action == "report.saved" and AuditEntry.objects.filter(pk=entry.pk).exists()


def test_an_anonymous_actor_is_recorded_as_the_system(la_report):
    from django.contrib.auth.models import AnonymousUser

    assert audit(AnonymousUser(), "x", la_report).actor is None
    assert audit(None, "x", la_report).actor is None
    assert ProgressReport.objects.filter(pk=la_report.pk).exists()


def test_an_entry_is_named_in_the_site_s_time_as_the_list_shows_it(client, users, la_report):
    # Stored in UTC; 19:53 UTC is 02:53 the next day in Hồ Chí Minh City, where the list says 02:53.
    with time_machine.travel(datetime.datetime(2026, 11, 24, 19, 53, tzinfo=datetime.UTC), tick=False):
        entry = audit(users["la.staff"], "report.saved", la_report, changes={"shortcomings": ["", "y"]})
    assert str(entry).startswith("25/11/2026 02:53 report.saved ")
    client.force_login(users["admin"])
    page = client.get(reverse("admin:core_auditentry_change", args=[entry.pk])).content.decode()
    assert "25/11/2026 02:53" in page and "24/11/2026 19:53" not in page
