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
    assert len(callbacks) == 1, "the task is sent once the transaction commits, never before"
    assert OfficialDocument.objects.get().state == "pending"
    # Asking again while it is pending sends nothing more.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.get(reverse("document_consolidated_pdf", args=[first_half.pk])).status_code == 202
    assert callbacks == []
