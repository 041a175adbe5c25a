"""The download views of the official PDFs: who may download, stored copies, invalidation, drafts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from reporting import workflow
from reporting.documents import rendering
from reporting.models import DocumentNumberCounter, OfficialDocument, ProgressReport, ReportingPeriod
from tests.support import content_text, fill_and_approve_period, fill_report, periods_of, programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def first_half(users: dict[str, Any]) -> ReportingPeriod:
    """The 2025 first half of the three-province programme, every report approved through the workflow."""
    period = periods_of(2025)[0]
    fill_and_approve_period(users, period)
    return period


def la_report_of(period: ReportingPeriod) -> ProgressReport:
    return period.reports.get(party__body__name="Sở Công Thương tỉnh Long An")


def pdf_text(response: Any, tmp_path: Path, name: str = "doc.pdf") -> str:
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / name
    path.write_bytes(b"".join(response.streaming_content) if response.streaming else response.content)
    assert path.read_bytes()[:5] == b"%PDF-"
    return content_text(path)


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


def test_consolidated_report_is_issued_by_the_users_own_party(client: Any, users: Any, first_half: Any, tmp_path):
    url = reverse("document_consolidated_pdf", args=[first_half.pk])
    client.force_login(users["tg.coord"])
    text = pdf_text(client.get(url), tmp_path, "tg.pdf")
    assert "UBND TỈNH TIỀN GIANG" in text and "Số: 01/BC-SCT" in text
    for party in ["Sở Công Thương tỉnh Long An", "Sở Công Thương tỉnh Tây Ninh", "Sở Công Thương tỉnh Tiền Giang"]:
        assert party in text
    # An administrator chooses the issuing party; a user may not issue in another party's name.
    tn_party = first_half.agreement.parties.get(body__name="Sở Công Thương tỉnh Tây Ninh")
    client.force_login(users["admin"])
    assert "UBND TỈNH TÂY NINH" in pdf_text(client.get(f"{url}?party={tn_party.pk}"), tmp_path, "admin.pdf")
    client.force_login(users["tg.coord"])
    assert client.get(f"{url}?party={tn_party.pk}").status_code == 403


def test_yearly_review_report(client: Any, users: Any, first_half: Any, tmp_path: Path):
    client.force_login(users["tn.leader"])
    url = reverse("document_review_pdf", args=[programme().pk, 2025])
    text = pdf_text(client.get(url), tmp_path)
    assert "DỰ THẢO" in text, "the second half of 2025 is not approved yet"
    assert "Đánh giá kết quả thực hiện" in text and "năm 2025" in text
    assert client.get(reverse("document_review_pdf", args=[programme().pk, 2031])).status_code == 404


def test_html_preview_uses_the_static_fonts_and_inline_svg(client: Any, users: Any, first_half: Any):
    client.force_login(users["la.leader"])
    response = client.get(reverse("document_report_pdf", args=[la_report_of(first_half).pk]) + "?format=html")
    page = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert "/static/fonts/LiberationSerif-Regular.ttf" in page and "file://" not in page
    assert page.count("<svg") == 2
    assert not OfficialDocument.objects.exists()


def test_panels_offer_downloads_to_leaders_only(client: Any, users: Any, first_half: Any):
    report = la_report_of(first_half)
    client.force_login(users["la.staff"])
    assert client.get(reverse("document_report_panel", args=[report.pk])).status_code == 204
    client.force_login(users["la.leader"])
    panel = client.get(reverse("document_report_panel", args=[report.pk])).content.decode()
    assert reverse("document_report_pdf", args=[report.pk]) in panel and "sẽ được đánh số" in panel
    client.get(reverse("document_report_pdf", args=[report.pk]))
    panel = client.get(reverse("document_report_panel", args=[report.pk])).content.decode()
    assert "bản chính thức, số 01/BC-SCT" in panel
    period_panel = client.get(reverse("document_period_panel", args=[first_half.pk])).content.decode()
    assert reverse("document_consolidated_pdf", args=[first_half.pk]) in period_panel
    assert reverse("document_review_pdf", args=[programme().pk, 2025]) in period_panel


def test_status_endpoint(client: Any, users: Any, first_half: Any):
    report = la_report_of(first_half)
    client.force_login(users["la.leader"])
    client.get(reverse("document_report_pdf", args=[report.pk]))
    stored = OfficialDocument.objects.get()
    status = client.get(reverse("document_status", args=[stored.pk])).json()
    assert (status["state"], status["busy"], status["number"], status["error"]) == ("ready", False, 1, "")
    client.force_login(users["la.staff"])
    assert client.get(reverse("document_status", args=[stored.pk])).status_code == 403


def test_large_document_goes_to_celery_on_commit(
    client: Any, users: Any, first_half: Any, settings: Any, django_capture_on_commit_callbacks: Any
):
    settings.DOCUMENTS_ASYNC_THRESHOLD = 2  # the demo consolidated report has 8 commitments
    client.force_login(users["la.coord"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.get(reverse("document_consolidated_pdf", args=[first_half.pk]))
    assert response.status_code == 202
    page = response.content.decode()
    assert "chế độ nền" in page and reverse("document_status", args=[OfficialDocument.objects.get().pk]) in page
    assert len(callbacks) == 1, "the task is sent once the transaction commits, never before"
    assert OfficialDocument.objects.get().state == "pending"
    # Asking again while it is pending sends nothing more.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.get(reverse("document_consolidated_pdf", args=[first_half.pk])).status_code == 202
    assert callbacks == []


def test_rendering_twice_is_harmless(client: Any, users: Any, first_half: Any):
    report = la_report_of(first_half)
    client.force_login(users["la.leader"])
    client.get(reverse("document_report_pdf", args=[report.pk]))
    stored = OfficialDocument.objects.get()
    assert rendering.render_stored(stored.pk) == "not-claimed"  # a second delivery of the task
    assert OfficialDocument.objects.get().finished_at == stored.finished_at
    assert DocumentNumberCounter.objects.get().last_number == 1


def test_pdf_file_name_stays_vietnamese_in_an_english_session(users, la_report):
    """The document is Vietnamese whatever the UI language: its file name too."""
    from django.utils import translation

    from reporting.documents.kinds import PartyReportDocument

    with translation.override("en"):
        document = PartyReportDocument(la_report, viewer=users["la.leader"])
        title, name = document.title(), document.filename()
    assert title.endswith("6 tháng cuối năm 2011"), title
    assert name.startswith("du-thao_ket-qua-thuc-hien"), name
