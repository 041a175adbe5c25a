"""Downloading an evidence file (reporting.views.evidence_download): the bytes that were uploaded, as an attachment."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

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
