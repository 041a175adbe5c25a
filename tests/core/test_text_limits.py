"""Free text has limits sized to real reports, in the forms, the services and the database (issue 12, point 1).

A million characters pasted into "results" used to be saved and, once submitted, made every official PDF
of the agreement time out, the other parties' included.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.urls import reverse

from agreements.models import CooperationItem
from agreements.services import AgreementError, add_commitment
from core import limits
from reporting import workflow
from reporting.models import ProgressEntry, ProgressReport
from tests.support import form_data

pytestmark = pytest.mark.django_db

MILLION = ("Kết quả rất dài. " * 60_000)[:1_000_000]
# Written by the app itself, never typed by a user.
INTERNAL = {("reporting", "OfficialDocument", "error")}


def _user_text_fields() -> list[tuple[type[models.Model], models.TextField[Any, Any]]]:
    return [
        (model, field)
        for label in ("agreements", "reporting", "meetings")
        for model in apps.get_app_config(label).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and (label, model.__name__, field.name) not in INTERNAL
    ]


def test_every_text_a_user_writes_has_a_limit_in_the_form_and_in_the_database() -> None:
    fields = _user_text_fields()
    assert len(fields) >= 14
    for model, field in fields:
        assert field.max_length, f"{model.__name__}.{field.name} has no limit"
        names = {c.name for c in model._meta.constraints}
        assert any(name.endswith(f"_{field.name}_max_length") for name in names), f"{model.__name__}.{field.name}"


def test_the_database_refuses_what_slipped_past_the_app(la_report: ProgressReport) -> None:
    entry = la_report.entries.first()
    assert entry is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressEntry.objects.filter(pk=entry.pk).update(results="x" * (limits.ENTRY_RESULTS + 1))
    ProgressEntry.objects.filter(pk=entry.pk).update(results="x" * limits.ENTRY_RESULTS)  # the limit itself fits


def test_the_edit_page_refuses_a_million_characters_and_keeps_nothing(
    client: Any, users: Any, la_report: ProgressReport
) -> None:
    client.force_login(users["la.staff"])
    url = reverse("report_edit", args=[la_report.pk])
    entry = la_report.entries.first()
    assert entry is not None
    data = form_data(client, url)
    data[f"e{entry.pk}-results"] = MILLION
    page = client.post(url, data).content.decode()
    assert "Chưa lưu được" in page
    assert "Giá trị này chỉ có tối đa 5000 kí tự (hiện có 1000000)" in page  # Django's own message
    entry.refresh_from_db()
    assert entry.results != MILLION and entry.version == 1
    # The textarea tells the browser its limit too.
    assert f'maxlength="{limits.ENTRY_RESULTS}"' in client.get(url).content.decode()


def test_the_service_refuses_in_vietnamese(users: Any, la_report: ProgressReport) -> None:
    entry = la_report.entries.first()
    assert entry is not None
    with pytest.raises(workflow.ReportingError) as raised:
        workflow.save_entry(users["la.staff"], entry, {"results": MILLION}, entry.version)
    message = str(raised.value)
    assert "“kết quả đạt được” dài 1.000.000 ký tự, vượt giới hạn 5.000 ký tự" in message
    assert "tệp minh chứng" in message
    with pytest.raises(workflow.ReportingError):
        workflow.save_report_fields(
            users["la.staff"], la_report, {"overall_assessment": "x" * (limits.REPORT_TEXT + 1)}, la_report.version
        )


def test_a_reviewer_comment_is_limited_too(users: Any, la_report: ProgressReport) -> None:
    from tests.support import fill_report

    fill_report(users, la_report)
    workflow.submit_report(users["la.staff"], la_report, confirm_unchanged=True)
    with pytest.raises(workflow.ReportingError, match=r"vượt giới hạn 3\.000 ký tự"):
        workflow.return_report(users["la.coord"], la_report, "x" * (limits.COMMENT + 1))
    la_report.refresh_from_db()
    assert la_report.state == ProgressReport.State.SUBMITTED


def test_a_commitment_is_limited(users: Any, la_report: ProgressReport) -> None:
    item = CooperationItem.objects.filter(agreement=la_report.period.agreement).first()
    assert item is not None
    with pytest.raises(AgreementError, match=r"vượt giới hạn 3\.000 ký tự"):
        add_commitment(users["la.coord"], item, la_report.party, "x" * (limits.COMMITMENT_TEXT + 1))
