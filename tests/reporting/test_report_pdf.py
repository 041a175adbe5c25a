"""The official PDF of one party's report (reporting.document_views.report_pdf): who may download, the stored copy
and its invalidation, drafts, the HTML preview."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from reporting import workflow
from reporting.models import DocumentNumberCounter, OfficialDocument
from tests.support import fill_report, la_report_of, pdf_text, periods_of, programme

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def test_leader_downloads_and_then_gets_the_stored_copy(client: Any, users: Any, first_half: Any, tmp_path: Path):
    report = la_report_of(first_half)
    url = reverse("document_report_pdf", args=[report.pk])
    client.force_login(users["la.leader"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="01-BC-SCT-')
    text = pdf_text(response, tmp_path)
    assert "Số: 01/BC-SCT" in text and "DỰ THẢO" not in text
    stored = OfficialDocument.objects.get(key=f"report:{report.pk}")
    assert (stored.state, stored.number, stored.issued_on is not None) == ("ready", 1, True)

    client.force_login(users["la.coord"])  # the coordinating office downloads too: the same file, not re-rendered
    again = client.get(url)
    assert again.status_code == 200
    assert b"".join(again.streaming_content) == stored.file.open("rb").read()
    assert OfficialDocument.objects.get(pk=stored.pk).finished_at == stored.finished_at
    assert DocumentNumberCounter.objects.get(body=report.party.body).last_number == 1


def test_staff_may_not_download_and_strangers_do_not_see(client: Any, users: Any, first_half: Any):
    report = la_report_of(first_half)
    urls = [
        reverse("document_report_pdf", args=[report.pk]),
        reverse("document_consolidated_pdf", args=[first_half.pk]),
        reverse("document_review_pdf", args=[programme().pk, 2025]),
    ]
    client.force_login(users["la.staff"])
    assert [client.get(url).status_code for url in urls] == [403, 403, 403]
    # Tây Ninh's leader reads Long An's approved report but does not download Long An's official PDF.
    client.force_login(users["tn.leader"])
    assert client.get(urls[0]).status_code == 403
    stranger = get_user_model().objects.create_user("stranger", password="x")
    client.force_login(stranger)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    client.logout()
    assert client.get(urls[0]).status_code == 302  # to the login page
    client.force_login(users["admin"])
    assert client.get(urls[0]).status_code == 200


def test_a_draft_is_marked_unnumbered_and_not_stored(client: Any, users: Any, tmp_path: Path):
    report = la_report_of(periods_of(2026)[0])
    fill_report(users, report)
    client.force_login(users["la.leader"])
    response = client.get(reverse("document_report_pdf", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="du-thao_')
    text = pdf_text(response, tmp_path)
    assert "DỰ THẢO" in text and "/BC-SCT" in text and not re.search(r"Số: \d", text)  # no number yet
    assert not OfficialDocument.objects.exists()
    assert not DocumentNumberCounter.objects.exists()


def test_changed_data_renders_again_with_the_same_number(
    client: Any, users: Any, first_half: Any, tmp_path: Path, media: Path, django_capture_on_commit_callbacks: Any
):
    report = la_report_of(first_half)
    url = reverse("document_report_pdf", args=[report.pk])
    client.force_login(users["la.leader"])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)
    first = OfficialDocument.objects.get(key=f"report:{report.pk}")

    # Reopened: downloads are drafts again, the stored copy is left alone.
    workflow.reopen_report(users["la.coord"], report, "Bổ sung số liệu quý II.")
    assert "DỰ THẢO" in pdf_text(client.get(url), tmp_path, "reopened.pdf")
    assert OfficialDocument.objects.get(pk=first.pk).fingerprint == first.fingerprint

    entry = report.entries.order_by("commitment__order").first()
    assert entry is not None
    workflow.save_entry(
        users["la.staff"],
        entry,
        {"results": "Đã hoàn thành kết nối dữ liệu với Sở Công Thương Đồng Tháp."},
        entry.version,
    )
    workflow.submit_report(users["la.staff"], report)
    workflow.approve_report(users["la.coord"], report)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    text = pdf_text(response, tmp_path, "again.pdf")
    assert "Đã hoàn thành kết nối dữ liệu với Sở Công Thương Đồng Tháp." in text
    assert "Số: 01/BC-SCT" in text  # the number stays with the document
    second = OfficialDocument.objects.get(pk=first.pk)
    assert second.fingerprint != first.fingerprint and second.number == 1
    assert second.file.name != first.file.name
    assert not (media / str(first.file.name)).exists(), "the superseded file is removed"
    assert DocumentNumberCounter.objects.get(body=report.party.body).last_number == 1


def test_html_preview_uses_the_static_fonts_and_inline_svg(client: Any, users: Any, first_half: Any):
    client.force_login(users["la.leader"])
    response = client.get(reverse("document_report_pdf", args=[la_report_of(first_half).pk]) + "?format=html")
    page = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert "/static/fonts/LiberationSerif-Regular.ttf" in page and "file://" not in page
    assert page.count("<svg") == 2
    assert not OfficialDocument.objects.exists()
