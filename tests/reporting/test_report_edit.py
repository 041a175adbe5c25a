"""Evidence files are checked by their content and size; a bad one is refused with a clear message."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from reporting.models import Evidence
from tests.test_concurrent_edits import form_data

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def staff(client, users):
    client.force_login(users["la.staff"])
    return client


def post_with_file(client, report, upload, **changes):
    url = reverse("report_edit", args=[report.pk])
    data = form_data(client, url)
    entry = report.entries.order_by("commitment__item__number").first()
    data[f"e{entry.pk}-evidence"] = upload
    data.update(changes)
    return client.post(url, data), entry


def test_a_real_png_is_stored(staff, la_report):
    response, entry = post_with_file(staff, la_report, SimpleUploadedFile("anh-hoi-nghi.png", png_bytes()))
    assert response.status_code == 302
    evidence = Evidence.objects.get(entry=entry)
    assert (evidence.original_name, evidence.content_type) == ("anh-hoi-nghi.png", "image/png")
    download = staff.get(reverse("evidence_download", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == png_bytes()
    assert download["Content-Disposition"].startswith("attachment")


def test_a_text_file_named_pdf_is_refused_and_nothing_else_is_lost(staff, la_report):
    first = la_report.entries.order_by("commitment__item__number").first()
    upload = SimpleUploadedFile("bao-cao.pdf", b"this is not a pdf at all", content_type="application/pdf")
    response, entry = post_with_file(staff, la_report, upload, **{f"e{first.pk}-results": "Nội dung đã nhập"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "không phải PDF, ảnh (JPEG, PNG, WebP), Word hay Excel" in page
    assert "Nội dung đã nhập" in page  # the typed text is still in the form
    assert not Evidence.objects.exists()
    entry.refresh_from_db()
    assert entry.results == ""  # nothing half-saved


@override_settings(MAX_UPLOAD_BYTES=1000)
def test_a_large_file_is_refused(staff, la_report):
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * 2000)
    response, _ = post_with_file(staff, la_report, upload)
    assert response.status_code == 200
    assert "vượt giới hạn" in response.content.decode()
    assert not Evidence.objects.exists()


def test_empty_file_is_refused(staff, la_report):
    response, _ = post_with_file(staff, la_report, SimpleUploadedFile("rong.pdf", b""))
    assert response.status_code == 200
    assert not Evidence.objects.exists()


def test_evidence_can_be_removed_while_editable(staff, la_report, django_capture_on_commit_callbacks):
    post_with_file(staff, la_report, SimpleUploadedFile("a.png", png_bytes()))
    evidence = Evidence.objects.get()
    path = Path(evidence.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("evidence_delete", args=[evidence.pk]))
    assert response.status_code == 302 and not Evidence.objects.exists()
    assert not path.exists()  # the stored file goes once the deletion is committed
