"""The documents panels of a report and of a period (reporting.document_views.report_documents_panel and
period_documents_panel): downloads offered to leaders only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from reporting.documents.kinds import PartyReportDocument
from tests.support import issue_via_page, la_report_of, periods_of, programme

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def test_panels_offer_downloads_to_leaders_only(client: Any, users: Any, first_half: Any):
    report = la_report_of(first_half)
    client.force_login(users["la.staff"])
    assert client.get(reverse("document_report_panel", args=[report.pk])).status_code == 204
    client.force_login(users["la.leader"])
    panel = client.get(reverse("document_report_panel", args=[report.pk])).content.decode()
    assert reverse("document_report_pdf", args=[report.pk]) in panel and "chưa ban hành" in panel
    assert reverse("document_report_issue", args=[report.pk]) in panel and 'name="signer"' in panel
    client.get(reverse("document_report_pdf", args=[report.pk]))  # a download never issues
    assert "chưa ban hành" in client.get(reverse("document_report_panel", args=[report.pk])).content.decode()
    issue_via_page(client, PartyReportDocument(report))
    panel = client.get(reverse("document_report_panel", args=[report.pk])).content.decode()
    assert "đã ban hành: số 01/BC-SCT" in panel and 'name="signer"' not in panel
    period_panel = client.get(reverse("document_period_panel", args=[first_half.pk])).content.decode()
    assert reverse("document_consolidated_pdf", args=[first_half.pk]) in period_panel
    assert reverse("document_review_pdf", args=[programme().pk, 2025]) in period_panel


def panel_links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" download>', html)


def test_another_partys_leader_gets_their_own_documents_on_a_report_page_and_every_link_opens(
    client: Any, users: Any, first_half: Any
):
    """Tiền Giang's leader reads Long An's approved report; its PDF is Long An's to issue (403), so the
    panel offers what Tiền Giang may download instead, and each of those links downloads."""
    report = la_report_of(first_half)
    own = first_half.reports.get(party__body__name="Sở Công Thương tỉnh Tiền Giang")
    client.force_login(users["tg.leader"])
    page = client.get(reverse("report_detail", args=[report.pk])).content.decode()
    assert 'id="official-documents"' in page
    assert reverse("document_report_pdf", args=[report.pk]) not in page  # no link that refuses, even before the list
    response = client.get(reverse("document_report_panel", args=[report.pk]))
    assert response.status_code == 200
    panel = response.content.decode()
    assert "chỉ lãnh đạo, bộ phận điều phối của bên đó tải được" in panel
    links = panel_links(panel)
    assert links == [
        reverse("document_report_pdf", args=[own.pk]),
        reverse("document_consolidated_pdf", args=[first_half.pk]),
        reverse("document_review_pdf", args=[programme().pk, 2025]),
    ]
    assert "Sở Công Thương tỉnh Đồng Tháp (kế thừa Sở Công Thương tỉnh Tiền Giang)" in panel
    for url in links:
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf", url
    # And the refused one really is refused: the panel and the rule agree.
    assert client.get(reverse("document_report_pdf", args=[report.pk])).status_code == 403


def test_the_sections_show_no_link_that_refuses(client: Any, users: Any, first_half: Any):
    report = la_report_of(first_half)
    report_page, period_page = (
        reverse("report_detail", args=[report.pk]),
        reverse("period_detail", args=[first_half.pk]),
    )
    # Staff: no section at all, on their own report or on the period (both downloads answer 403).
    client.force_login(users["la.staff"])
    for url in (report_page, period_page):
        page = client.get(url).content.decode()
        assert 'id="official-documents"' not in page and ".pdf" not in page and "/pdf/" not in page, url
    assert client.get(reverse("document_report_pdf", args=[report.pk])).status_code == 403
    assert client.get(reverse("document_consolidated_pdf", args=[first_half.pk])).status_code == 403
    # The party's leader: the link before the list is loaded is the download they are allowed.
    client.force_login(users["la.leader"])
    page = client.get(report_page).content.decode()
    assert f'<a href="{reverse("document_report_pdf", args=[report.pk])}">' in page
    page = client.get(period_page).content.decode()
    assert f'<a href="{reverse("document_consolidated_pdf", args=[first_half.pk])}">' in page


def test_a_report_after_the_merger_is_named_after_the_body_that_issues_it(client: Any, users: Any):
    report = la_report_of(periods_of(2026)[0])
    client.force_login(users["la.leader"])
    panel = client.get(reverse("document_report_panel", args=[report.pk])).content.decode()
    assert "(đến 30/06/2025)" not in panel
    assert (
        "Báo cáo 6 tháng đầu năm 2026 của Sở Công Thương tỉnh Tây Ninh (kế thừa Sở Công Thương tỉnh Long An) (PDF)"
        in panel
    )
    # The former Tây Ninh department's successor has its name: nothing to add.
    tn = periods_of(2026)[0].reports.get(party__body__name="Sở Công Thương tỉnh Tây Ninh")
    client.force_login(users["tn.leader"])
    panel = client.get(reverse("document_report_panel", args=[tn.pk])).content.decode()
    assert "Báo cáo 6 tháng đầu năm 2026 của Sở Công Thương tỉnh Tây Ninh (PDF)" in panel
