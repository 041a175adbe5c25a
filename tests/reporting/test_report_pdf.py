"""The official PDF of one party's report (reporting.document_views.report_pdf): who may download, the stored copy
and its invalidation, drafts, the HTML preview."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from agreements.models import Membership
from core import clock
from reporting import workflow
from reporting.documents import services
from reporting.documents.kinds import PartyReportDocument
from reporting.models import DocumentNumberCounter, OfficialDocument
from tests.support import (
    fill_report,
    issue_now,
    issue_via_page,
    la_report_of,
    pdf_text,
    pdf_text_bytes,
    periods_of,
    programme,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def test_a_download_never_numbers_the_leader_issues_it_once(client: Any, users: Any, first_half: Any, tmp_path: Path):
    report = la_report_of(first_half)
    url = reverse("document_report_pdf", args=[report.pk])
    client.force_login(users["la.leader"])
    before = client.get(url)  # every report approved, but not issued yet: a draft without a number
    assert before["Content-Disposition"].startswith('attachment; filename="du-thao_')
    assert "DỰ THẢO" in pdf_text(before, tmp_path, "before.pdf")
    assert not OfficialDocument.objects.exists() and not DocumentNumberCounter.objects.exists()

    response = issue_via_page(client, PartyReportDocument(report), signer="la.leader")
    assert response.status_code == 302
    stored = OfficialDocument.objects.get(key=f"report:{report.pk}")
    assert (stored.state, stored.number, stored.issued_on) == ("ready", 1, clock.today())
    assert (stored.signer_name, stored.signer_title, stored.issued_by) == (
        "Lãnh đạo Long An",
        "Phó Giám đốc",
        users["la.leader"],
    )
    # Issued in 2026 by the department that exists today: Sở Công Thương tỉnh Tây Ninh (Long An's successor).
    assert stored.issuing_body == report.party.body.current()
    response = client.get(url)
    assert response["Content-Disposition"].startswith('attachment; filename="01-BC-SCT-')
    data = b"".join(response.streaming_content)
    text = pdf_text_bytes(data, tmp_path)
    assert "Số: 01/BC-SCT" in text and "DỰ THẢO" not in text and "UBND TỈNH TÂY NINH" in text

    client.force_login(users["la.coord"])  # the coordinating office downloads too: the same file, not re-rendered
    assert b"".join(client.get(url).streaming_content) == data
    assert OfficialDocument.objects.get(pk=stored.pk).finished_at == stored.finished_at
    assert DocumentNumberCounter.objects.get(body=stored.issuing_body).last_number == 1
    # Issuing again with unchanged data is refused: one number per document.
    issue_via_page(client, PartyReportDocument(report))
    assert OfficialDocument.objects.count() == 1 and DocumentNumberCounter.objects.get().last_number == 1


def test_issuing_needs_a_leader_as_signer_and_a_confirmation(client: Any, users: Any, first_half: Any):
    report = la_report_of(first_half)
    issue_url = reverse("document_report_issue", args=[report.pk])
    client.force_login(users["la.coord"])
    signer = services.signers(PartyReportDocument(report))[0]
    assert client.post(issue_url, {"signer": signer.pk}).status_code == 302  # not confirmed
    staff = Membership.objects.get(user=users["la.staff"])
    client.post(issue_url, {"signer": staff.pk, "confirm": "1"})  # staff do not sign official reports
    assert not OfficialDocument.objects.exists()
    client.force_login(users["la.staff"])
    assert client.post(issue_url, {"signer": signer.pk, "confirm": "1"}).status_code == 403
    client.force_login(users["tn.leader"])  # a counterpart's leader does not issue in Long An's name
    assert client.post(issue_url, {"signer": signer.pk, "confirm": "1"}).status_code == 403
    assert not OfficialDocument.objects.exists() and not DocumentNumberCounter.objects.exists()


def test_a_draft_cannot_be_issued(client: Any, users: Any):
    report = la_report_of(periods_of(2026)[-1])  # a draft
    client.force_login(users["la.leader"])
    issue_via_page(client, PartyReportDocument(report))
    assert not OfficialDocument.objects.exists()
    with pytest.raises(services.DocumentError, match="chưa được phê duyệt"):
        issue_now(users, "la.leader", PartyReportDocument(report))


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
    report = la_report_of(periods_of(2026)[-1])  # a draft
    fill_report(users, report)
    client.force_login(users["la.leader"])
    response = client.get(reverse("document_report_pdf", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="du-thao_')
    text = pdf_text(response, tmp_path)
    assert "DỰ THẢO" in text and "/BC-SCT" in text and not re.search(r"Số: \d", text)  # no number yet
    assert not OfficialDocument.objects.exists()
    assert not DocumentNumberCounter.objects.exists()


def test_an_issued_document_never_changes_and_is_replaced_when_the_data_changes(
    client: Any, users: Any, first_half: Any, tmp_path: Path, media: Path
):
    report = la_report_of(first_half)
    url = reverse("document_report_pdf", args=[report.pk])
    client.force_login(users["la.leader"])
    issue_via_page(client, PartyReportDocument(report))
    first = OfficialDocument.objects.get(key=f"report:{report.pk}")
    first_bytes = b"".join(client.get(url).streaming_content)

    # Reopened: the issued document stays as it was issued.
    workflow.reopen_report(users["la.coord"], report, "Bổ sung số liệu quý II.")
    assert b"".join(client.get(url).streaming_content) == first_bytes
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
    assert b"".join(client.get(url).streaming_content) == first_bytes  # a numbered document never changes
    panel = client.get(reverse("document_report_panel", args=[report.pk])).content.decode()
    assert "Số liệu đã thay đổi sau khi ban hành văn bản số 01/BC-SCT" in panel and "Ban hành văn bản thay thế" in panel

    issue_via_page(client, PartyReportDocument(report))
    second = OfficialDocument.objects.get(key=f"report:{report.pk}", is_current=True)
    assert (second.number, second.replaces) == (2, first)
    text = pdf_text(client.get(url), tmp_path, "again.pdf")
    assert "Số: 02/BC-SCT" in text and "Đã hoàn thành kết nối dữ liệu với Sở Công Thương Đồng Tháp." in text
    assert f"thay thế Báo cáo số 01/BC-SCT ngày {first.issued_on:%d/%m/%Y}" in " ".join(text.split())
    # Both stay listed and downloadable; the first file is untouched.
    first.refresh_from_db()
    assert not first.is_current and (media / str(first.file.name)).exists()
    panel = client.get(reverse("document_report_panel", args=[report.pk])).content.decode()
    assert "đã ban hành: số 02/BC-SCT" in panel and "Văn bản số 01/BC-SCT" in panel
    old = client.get(reverse("document_download", args=[first.pk]))
    assert b"".join(old.streaming_content) == first_bytes


def test_html_preview_uses_the_static_fonts_and_inline_svg(client: Any, users: Any, first_half: Any):
    client.force_login(users["la.leader"])
    response = client.get(reverse("document_report_pdf", args=[la_report_of(first_half).pk]) + "?format=html")
    page = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert "/static/fonts/LiberationSerif-Regular.ttf" in page and "file://" not in page
    assert page.count("<svg") == 2
    assert not OfficialDocument.objects.exists()
