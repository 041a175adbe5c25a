"""An evidence file is on disk exactly when its row is: a save that is refused (a stale version, a rule
broken further on, any rollback) leaves no file behind in MEDIA_ROOT (issue 12, point 7)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting import workflow
from reporting.models import Evidence
from tests.support import form_data, png_bytes

pytestmark = pytest.mark.django_db


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def photo(name: str = "bien-ban.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes())


def test_a_file_posted_with_a_stale_draft_is_not_left_on_disk(staff, la_report, users, media):
    """The edit page posted with a file after someone else saved the report: nothing saved, nothing stored."""
    url = reverse("report_edit", args=[la_report.pk])
    data: dict[str, Any] = form_data(staff, url)
    # Saved meanwhile from another tab: the posted form's report version is stale.
    workflow.save_report_fields(users["la.staff"], la_report, {"overall_assessment": "Đã lưu trước"}, 1)
    entry = la_report.entries.order_by("commitment__item__number").first()
    data[f"e{entry.pk}-evidence"] = photo()
    data["report-overall_assessment"] = "Bản của tôi"

    response = staff.post(url, data)

    assert response.status_code == 200
    assert "chưa có gì được lưu" in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_a_conflict_on_another_entry_removes_the_file_already_stored(la_report, users, media):
    """The first entry's file was written before the second entry turned out stale: it goes again."""
    first, second = la_report.entries.order_by("commitment__item__number")[:2]
    staff = users["la.staff"]
    workflow.save_entry(staff, second, {"results": "Đã lưu từ thẻ khác"}, second.version)
    edits = [
        workflow.EntryEdit(entry=first, values={}, version=first.version, upload=photo()),
        workflow.EntryEdit(entry=second, values={"results": "Bản của tôi"}, version=1),
    ]

    with pytest.raises(workflow.DraftConflict):
        workflow.save_draft(staff, la_report, None, la_report.version, edits)

    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_a_rule_broken_further_on_removes_the_file_already_stored(la_report, users, media):
    """Not a conflict but a refusal (100% for a commitment not started) after the file was stored."""
    first, second = la_report.entries.order_by("commitment__item__number")[:2]
    edits = [
        workflow.EntryEdit(entry=first, values={}, version=first.version, upload=photo()),
        workflow.EntryEdit(entry=second, values={"percent_complete": 100}, version=second.version),
    ]

    with pytest.raises(workflow.ReportingError):
        workflow.save_draft(users["la.staff"], la_report, None, la_report.version, edits)

    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_a_saved_draft_keeps_its_file(la_report, users, media):
    first = la_report.entries.order_by("commitment__item__number").first()
    edits = [workflow.EntryEdit(entry=first, values={}, version=first.version, upload=photo())]

    workflow.save_draft(users["la.staff"], la_report, None, la_report.version, edits)

    evidence = Evidence.objects.get(entry=first)
    assert stored_files(media) == [media / evidence.file.name]
    assert (media / evidence.file.name).read_bytes() == png_bytes()
