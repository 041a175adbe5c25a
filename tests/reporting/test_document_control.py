"""Document control: one register of numbers per body that issues today, signed documents only, the same
commitment numbers everywhere, estimates said as estimates, and nothing written that nobody wrote."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from reporting.documents import services
from reporting.documents.kinds import ConsolidatedReportDocument, PartyReportDocument
from reporting.models import OfficialDocument
from tests.support import issue_now, la_report_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def party(period: Any, province: str) -> Any:
    return period.agreement.parties.get(body__name=f"Sở Công Thương tỉnh {province}")


def test_two_former_departments_now_one_share_one_register(users: Any, first_half: Any):
    """Long An's and Tây Ninh's departments are one since 01/07/2025: never two 01/BC-SCT on one day."""
    la = issue_now(users, "la.coord", ConsolidatedReportDocument(first_half, party(first_half, "Long An")))
    tn = issue_now(users, "tn.coord", ConsolidatedReportDocument(first_half, party(first_half, "Tây Ninh")))
    assert la.issuing_body == tn.issuing_body and la.issuing_body.valid_to is None
    assert (la.number, tn.number) == (1, 2)
    # The database itself refuses a number given twice by one body in a year.
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficialDocument.objects.filter(pk=tn.pk).update(number=1)


def test_a_numbered_document_without_a_signer_is_refused_by_the_database(users: Any, first_half: Any):
    stored = issue_now(users, "la.coord", PartyReportDocument(la_report_of(first_half)))
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficialDocument.objects.filter(pk=stored.pk).update(signer_name="")


def test_an_admin_issues_only_with_a_leader_as_signer(users: Any, first_half: Any):
    document = PartyReportDocument(la_report_of(first_half))
    with pytest.raises(services.DocumentError, match="người ký"):
        services.issue(users["admin"], document, None)
    stored = issue_now(users, "admin", document)
    assert stored.signer_name and stored.signer_title


def test_a_commitment_has_one_number_in_every_document(users: Any, first_half: Any):
    """The number is the commitment's place in its item (2.1, 2.2, ...), whichever parties the document covers."""
    tn = first_half.reports.get(party__body__name="Sở Công Thương tỉnh Tây Ninh")
    own = PartyReportDocument(tn).build_content()
    everyone = ConsolidatedReportDocument(first_half, tn.party).build_content()
    numbers_everywhere = {v.description: v.number for v in everyone.appendix}
    assert own.appendix, "Tây Ninh has commitments of its own"
    for view in own.appendix:
        assert numbers_everywhere[view.description] == view.number


def test_the_overall_chart_stands_under_the_overall_heading(users: Any, first_half: Any):
    html = ConsolidatedReportDocument(first_half, party(first_half, "Long An")).html()
    general = html.index("1. Tình hình chung")
    chart = html.index("Biểu đồ 1.")
    first_party_heading = html.index("<h4>", general)
    assert general < chart < first_party_heading


def test_a_report_dated_before_its_cut_off_says_its_figures_are_estimates(users: Any, first_half: Any):
    document = PartyReportDocument(la_report_of(first_half), issued_on=datetime.date(2025, 6, 10))
    assert "(số liệu ước thực hiện đến ngày 14/06/2025)" in document.intro()
    document = PartyReportDocument(la_report_of(first_half), issued_on=datetime.date(2025, 6, 20))
    assert "ước thực hiện" not in document.intro()


def test_an_empty_section_is_said_to_be_empty_never_filled_in(users: Any, first_half: Any):
    report = la_report_of(first_half)
    report.__class__.objects.filter(pk=report.pk).update(shortcomings="", next_period_tasks="")
    report.entries.update(difficulties="", proposals="")
    html = PartyReportDocument(report).html()
    for invented in [
        "Không có hạn chế được báo cáo.",
        "Không có khó khăn, vướng mắc được báo cáo.",
        "Không có kiến nghị, đề xuất.",
        "Tiếp tục triển khai các cam kết chưa hoàn thành theo tiến độ đã thống nhất.",
    ]:
        assert invented not in html
    assert len(re.findall(r"Bên báo cáo không nêu nội dung này", html)) == 4
