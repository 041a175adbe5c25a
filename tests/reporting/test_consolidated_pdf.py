"""The consolidated report of a period (reporting.document_views.consolidated_pdf): the issuing party, large ones in Celery."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from reporting.documents.kinds import ConsolidatedReportDocument
from reporting.models import OfficialDocument
from tests.support import issue_via_page, pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def test_consolidated_report_is_issued_by_the_users_own_party(client: Any, users: Any, first_half: Any, tmp_path):
    url = reverse("document_consolidated_pdf", args=[first_half.pk])
    client.force_login(users["tg.coord"])
    tg_party = first_half.agreement.parties.get(body__name="Sở Công Thương tỉnh Tiền Giang")
    assert issue_via_page(client, ConsolidatedReportDocument(first_half, tg_party)).status_code == 302
    text = pdf_text(client.get(url), tmp_path, "tg.pdf")
    # Issued in 2026: Tiền Giang's department is now Đồng Tháp's, under UBND tỉnh Đồng Tháp.
    assert "UBND TỈNH ĐỒNG THÁP" in text and "Số: 01/BC-SCT" in text
    for party in ["Sở Công Thương tỉnh Long An", "Sở Công Thương tỉnh Tây Ninh", "Sở Công Thương tỉnh Tiền Giang"]:
        assert party in text
    # An administrator chooses the issuing party; a user may not issue in another party's name.
    tn_party = first_half.agreement.parties.get(body__name="Sở Công Thương tỉnh Tây Ninh")
    client.force_login(users["admin"])
    assert "UBND TỈNH TÂY NINH" in pdf_text(client.get(f"{url}?party={tn_party.pk}"), tmp_path, "admin.pdf")
    client.force_login(users["tg.coord"])
    assert client.get(f"{url}?party={tn_party.pk}").status_code == 403


def test_large_document_goes_to_celery_on_commit(
    client: Any, users: Any, first_half: Any, settings: Any, django_capture_on_commit_callbacks: Any
):
    settings.DOCUMENTS_ASYNC_THRESHOLD = 2  # the demo consolidated report has 8 commitments
    client.force_login(users["la.coord"])
    la_party = first_half.agreement.parties.get(body__name="Sở Công Thương tỉnh Long An")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        issue_via_page(client, ConsolidatedReportDocument(first_half, la_party))
        response = client.get(reverse("document_consolidated_pdf", args=[first_half.pk]))
    assert response.status_code == 202
    page = response.content.decode()
    assert "chế độ nền" in page and reverse("document_status", args=[OfficialDocument.objects.get().pk]) in page
    renders = [c for c in callbacks if "send_render_task" in c.__qualname__]
    assert len(renders) == 1, "the task is sent once the transaction commits, never before"
    # The others queue the e-mails telling the parties' leaders of the new document.
    assert all("_notify" in c.__qualname__ for c in callbacks if c not in renders)
    assert OfficialDocument.objects.get().state == "pending"
    # Asking again while it is pending sends nothing more.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.get(reverse("document_consolidated_pdf", args=[first_half.pk])).status_code == 202
    assert callbacks == []


def test_a_large_draft_goes_to_the_worker_for_its_reader_only(
    client: Any, users: Any, settings: Any, django_capture_on_commit_callbacks: Any, tmp_path
):
    """A draft never holds a web worker: above the threshold it is drawn by Celery, for the reader who asked."""
    from reporting.documents import rendering
    from reporting.models import DocumentNumberCounter
    from tests.support import periods_of

    settings.DOCUMENTS_ASYNC_THRESHOLD = 2  # the demo consolidated report (8 commitments) counts as large
    period = periods_of(2026)[-1]  # drafts in every party
    url = reverse("document_consolidated_pdf", args=[period.pk])
    client.force_login(users["la.coord"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.get(url)
    assert response.status_code == 202 and "chế độ nền" in response.content.decode()
    assert len(callbacks) == 1, "the render is sent once the transaction commits"
    draft = OfficialDocument.objects.get()
    assert draft.number is None and draft.requested_by == users["la.coord"] and draft.key.startswith("draft:")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.get(url).status_code == 202  # still on its way: nothing sent twice
    assert callbacks == []
    # Only its reader follows it: another coordinator of the programme may not see it.
    status_url = reverse("document_status", args=[draft.pk])
    assert client.get(status_url).json()["state"] == "pending"
    client.force_login(users["tn.coord"])
    assert client.get(status_url).status_code == 404
    assert client.get(reverse("document_download", args=[draft.pk])).status_code == 404

    assert rendering.render_stored(draft.pk) == "ready"  # what the worker does
    client.force_login(users["la.coord"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="du-thao_')
    assert "DỰ THẢO" in pdf_text(response, tmp_path, "draft.pdf")
    assert not DocumentNumberCounter.objects.exists()

    # New data, new draft: the old one and its file are gone.
    report = period.reports.get(party__body__name="Sở Công Thương tỉnh Long An")
    report.__class__.objects.filter(pk=report.pk).update(version=report.version + 1)
    with django_capture_on_commit_callbacks(execute=False):
        assert client.get(url).status_code == 202
    assert OfficialDocument.objects.count() == 1 and OfficialDocument.objects.get().pk != draft.pk
