"""The rows of the admin's tabular inlines drawn in Python ({% inline_rows %}, core/templatetags/admin_rows.py) are
what Django's own admin/edit_inline/tabular.html draws, character for character: every inline of the project's
admin forms (parties with their typed selects, items with a read-only column and a change link, amendments,
names of a unit, a report's entries and transitions, a meeting's attendance and decisions), new and stored
rows, a form sent back with errors on rows and on the formset, in Vietnamese and English."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from agreements.models import AdministrativeUnit, Amendment
from core.admin import PlainTextTabularInline
from meetings.models import ReviewMeeting
from reporting.models import ProgressReport
from tests.agreements.test_admin_rows import meeting_of, posted
from tests.support import programme, switch_language

pytestmark = pytest.mark.django_db

DJANGOS = "admin/edit_inline/tabular.html"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def both(
    client: Client, monkeypatch: Any, method: str, url: str, data: dict[str, str] | None = None
) -> tuple[str, str]:
    """The page as it is drawn, and as Django's own template draws its inlines."""

    def fetch() -> str:
        response = client.post(url, data) if method == "post" else client.get(url)
        assert response.status_code == 200, url
        return CSRF.sub("csrf", response.content.decode())

    drawn = fetch()
    with monkeypatch.context() as patched:
        patched.setattr(PlainTextTabularInline, "template", DJANGOS)
        djangos = fetch()
    return drawn, djangos


def _admin_of(model: type[Any]) -> Any:
    from django.contrib import admin

    return admin.site._registry[model]


@pytest.fixture
def admin_client(client: Client, users: dict[str, Any]) -> Client:
    client.force_login(users["admin"])
    return client


def _pages() -> list[str]:
    agreement = programme()
    Amendment.objects.create(
        agreement=agreement, amended_on=dt.date(2026, 3, 1), document_number="12/PL", summary="Bổ sung <nội dung> & 'x'"
    )
    meeting = meeting_of(agreement)
    unit = AdministrativeUnit.objects.filter(names__isnull=False).first() or AdministrativeUnit.objects.first()
    report = ProgressReport.objects.filter(period__agreement=agreement).first()
    assert unit is not None and report is not None
    return [
        reverse("admin:agreements_agreement_change", args=[agreement.pk]),
        reverse("admin:agreements_agreement_add"),
        reverse("admin:meetings_reviewmeeting_change", args=[meeting.pk]),
        reverse("admin:meetings_reviewmeeting_add"),
        reverse("admin:agreements_administrativeunit_change", args=[unit.pk]),
        reverse("admin:reporting_progressreport_change", args=[report.pk]),
    ]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_inline_is_drawn_as_djangos_template_draws_it(admin_client, monkeypatch, language):
    if language == "en":
        switch_language(admin_client, "en")
    groups = []
    for url in _pages():
        drawn, djangos = both(admin_client, monkeypatch, "get", url)
        assert drawn == djangos, url
        groups += re.findall(r'<div class="js-inline-admin-formset inline-group" id="([^"]+)"', drawn)
    every = ["amendments", "attendances", "decisions", "entries", "items", "names", "parties", "transitions"]
    assert sorted(set(groups)) == [f"{prefix}-group" for prefix in every]


def test_a_form_sent_back_with_errors_is_drawn_alike(admin_client, monkeypatch):
    agreement = programme()
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    data = posted(admin_client.get(url))
    data |= {
        "items-0-number": "",  # a row's own error
        "items-1-number": data["items-2-number"],  # the same number twice: an error of the formset
        "items-0-text": "<b>Không có số</b>",
        "parties-1-coordinating_office": "abc",
        "parties-2-body": data["parties-0-body"],  # the same body twice: an error of the row itself
    }
    drawn, djangos = both(admin_client, monkeypatch, "post", url, data)
    assert drawn == djangos
    assert 'class="errorlist' in drawn and "&lt;b&gt;Không có số&lt;/b&gt;" in drawn
    assert '<tr class="row-form-errors">' in drawn


def test_a_read_only_inline_is_drawn_alike(admin_client, monkeypatch, users):
    """A meeting its admin may only view: every cell a read-only field, no delete boxes, no empty row."""
    meeting = ReviewMeeting.objects.first() or meeting_of(programme())
    url = reverse("admin:meetings_reviewmeeting_change", args=[meeting.pk])
    monkeypatch.setattr(type(_admin_of(ReviewMeeting)), "has_change_permission", lambda self, request, obj=None: False)
    drawn, djangos = both(admin_client, monkeypatch, "get", url)
    assert drawn == djangos
