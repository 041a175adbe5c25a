"""Downloading an evidence file (reporting.views.evidence_download): the bytes that were uploaded, as an attachment."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from reporting import workflow
from reporting.models import Evidence
from tests.support import png_bytes, post_with_file

pytestmark = pytest.mark.django_db


def test_a_real_png_is_stored(staff, la_report):
    response, entry = post_with_file(staff, la_report, SimpleUploadedFile("anh-hoi-nghi.png", png_bytes()))
    assert response.status_code == 302
    evidence = Evidence.objects.get(entry=entry)
    assert (evidence.original_name, evidence.content_type) == ("anh-hoi-nghi.png", "image/png")
    download = staff.get(reverse("evidence_download", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == png_bytes()
    assert download["Content-Disposition"].startswith("attachment")


# --- stored under a generated name, offered under the user's (issue 12, point 7) --------------------


def test_the_file_is_stored_under_a_generated_name_with_the_extension_of_its_content(staff, la_report, media):
    """A PNG named like a PDF: on disk a random name ending .png, in a folder of the month; the name the
    user gave is kept only in the row, for the download."""
    response, entry = post_with_file(staff, la_report, SimpleUploadedFile("../../báo cáo.pdf", png_bytes()))
    assert response.status_code == 302
    evidence = Evidence.objects.get(entry=entry)
    assert re.fullmatch(r"evidence/2026/11/[0-9a-f]{32}\.png", evidence.file.name or ""), evidence.file.name
    assert [p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()] == [evidence.file.name]
    assert evidence.original_name == "báo cáo.pdf" and evidence.content_type == "image/png"


def test_the_download_is_an_attachment_under_the_users_name_never_sniffed(staff, la_report, media):
    name = 'Biên bản "họp" tháng 9.png'
    post_with_file(staff, la_report, SimpleUploadedFile(name, png_bytes()))
    evidence = Evidence.objects.get()
    download = staff.get(reverse("evidence_download", args=[evidence.pk]))
    assert download.status_code == 200
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    # Non-ASCII: RFC 5987's filename*, percent-encoded, so quotes cannot break the header.
    assert evidence.original_name == name
    assert disposition == "attachment; filename*=utf-8''" + quote(name)
    assert download["Content-Type"] == "image/png" and download["X-Content-Type-Options"] == "nosniff"


def test_control_characters_in_a_name_are_dropped(staff, la_report, users, media):
    """A header cannot carry them: kept, the name would make the download fail."""
    entry = la_report.entries.first()
    evidence = workflow.add_evidence(users["la.staff"], entry, SimpleUploadedFile("bien\tban\r\nhop.png", png_bytes()))
    assert evidence.original_name == "bienbanhop.png"
    download = staff.get(reverse("evidence_download", args=[evidence.pk]))
    assert download.status_code == 200 and download["Content-Disposition"] == 'attachment; filename="bienbanhop.png"'


def test_only_a_reader_of_the_report_gets_the_file(staff, la_report, users, media):
    post_with_file(staff, la_report, SimpleUploadedFile("anh.png", png_bytes()))
    url = reverse("evidence_download", args=[Evidence.objects.get().pk])
    outsider = Client()
    outsider.force_login(users["tg.staff"])
    assert outsider.get(url).status_code in (403, 404)
    assert Client().get(url).status_code == 302  # anonymous: to the login page


def test_uploads_are_kept_apart_from_static_files(settings):
    """MEDIA_ROOT is never served by WhiteNoise, nor collected: evidence leaves only through the view."""
    media = Path(settings.MEDIA_ROOT).resolve()
    for static in [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]:
        static = static.resolve()
        assert not media.is_relative_to(static) and not static.is_relative_to(media)
