"""The edit page of a report (reporting.views.report_edit): the form keeps what was typed when it is refused,
and evidence files are checked by their content and size; a bad one is refused with a clear message."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from reporting.models import Evidence, ProgressReport
from tests.support import form_data, post_with_file

pytestmark = pytest.mark.django_db


def test_validation_error_keeps_everything_typed(client, users, la_report):
    client.force_login(users["la.staff"])
    url = reverse("report_edit", args=[la_report.pk])
    data = form_data(client, url)
    first, second = la_report.entries.order_by("commitment__item__number")[:2]
    data[f"e{first.pk}-results"] = "Văn bản dài đã gõ"
    data[f"e{second.pk}-percent_complete"] = "140"
    data["report-shortcomings"] = "Một số hạn chế"
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tỷ lệ hoàn thành không thể vượt quá 100%." in page
    assert "Văn bản dài đã gõ" in page and "Một số hạn chế" in page
    first.refresh_from_db()
    assert first.results == ""


def test_done_needs_100_percent_in_the_form(client, users, la_report):
    client.force_login(users["la.staff"])
    url = reverse("report_edit", args=[la_report.pk])
    data = form_data(client, url)
    first = la_report.entries.order_by("commitment__item__number").first()
    data[f"e{first.pk}-status"] = "done"
    data[f"e{first.pk}-percent_complete"] = "80"
    assert "phải là 100%" in client.post(url, data).content.decode()


def test_decimal_comma_is_accepted_for_indicators(client, users, demo):
    report = ProgressReport.objects.get(
        party__body__name="Sở Công Thương tỉnh Long An", period__agreement__kind="plan", period__index=2
    )
    client.force_login(users["la.staff"])
    url = reverse("report_edit", args=[report.pk])
    data = form_data(client, url)
    entry = report.entries.get(commitment__indicator_name="Kim ngạch xuất khẩu")
    data[f"e{entry.pk}-actual_value"] = "6,45"
    assert client.post(url, data).status_code == 302
    entry.refresh_from_db()
    assert str(entry.actual_value) == "6.4500"


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
