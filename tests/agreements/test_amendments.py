"""Recording an agreement's amendments (agreement_amend, services.record_amendment): date, document, what changed.

Every member of a party reads them on the agreement's page; its coordinators record them (la.coord, tn.coord);
a staff member of a party gets 403, anyone else 404.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from agreements.models import Agreement, Amendment
from core.models import AuditEntry
from tests.agreements.lifecycle_support import agreement_2011, programme

pytestmark = pytest.mark.django_db

SUMMARY = "Bổ sung nội dung hợp tác số 10: phát triển thương mại điện tử xuyên biên giới; điều chỉnh tiến độ mục 3."


def amend_url(agreement: Agreement) -> str:
    return reverse("agreement_amend", args=[agreement.pk])


@pytest.fixture
def owner(client, users):
    client.force_login(users["la.coord"])
    return client


def test_the_owner_records_an_amendment_every_member_reads_it(owner, client, users):
    prog = programme()
    response = owner.post(
        amend_url(prog), {"amended_on": "15/03/2026", "document_number": "12/BTT-SCT", "summary": SUMMARY}
    )
    assert response.status_code == 302 and response["Location"] == amend_url(prog) + "#amendments"
    amendment = Amendment.objects.get(agreement=prog)
    assert (amendment.amended_on, amendment.document_number, amendment.summary) == (
        dt.date(2026, 3, 15),
        "12/BTT-SCT",
        SUMMARY,
    )
    assert amendment.recorded_by == users["la.coord"]
    page = owner.get(amend_url(prog)).content.decode()
    assert "12/BTT-SCT" in page and SUMMARY in page and "Đã ghi nhận văn bản sửa đổi, bổ sung." in page
    history = owner.get(reverse("agreement_audit", args=[prog.pk])).content.decode()
    for text in ("Ghi nhận văn bản sửa đổi, bổ sung", "Ngày sửa đổi", "15/03/2026", "12/BTT-SCT"):
        assert text in history, text
    # A staff member of a party reads it on the agreement's page, with no action offered.
    client.force_login(users["tg.staff"])
    detail = client.get(reverse("agreement_detail", args=[prog.pk])).content.decode()
    assert SUMMARY in detail and "12/BTT-SCT" in detail
    assert amend_url(prog) not in detail


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amended_on": "01/12/2024", "summary": SUMMARY}, "không thể trước ngày ký"),
        ({"amended_on": "15/03/2026", "summary": ""}, "Trường này là bắt buộc"),
        ({"amended_on": "15/03/2026", "summary": "Sửa\x00đổi"}, "ký tự điều khiển"),
        ({"amended_on": "2026/03/15", "summary": SUMMARY}, "Nhập một ngày hợp lệ"),
        ({"amended_on": "15/03/2026", "summary": "x" * 5001}, "5000"),
    ],
)
def test_bad_input_is_told_and_nothing_is_written(owner, data, message):
    prog = programme()
    response = owner.post(amend_url(prog), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Amendment.objects.filter(agreement=prog).exists()
    assert not AuditEntry.objects.filter(agreement_id=prog.pk, action="agreement.amended").exists()


def test_the_list_is_in_date_order(owner):
    prog = programme()
    for day, number in (("01/06/2026", "20/BTT"), ("15/03/2026", "12/BTT")):
        owner.post(amend_url(prog), {"amended_on": day, "document_number": number, "summary": SUMMARY})
    page = owner.get(amend_url(prog)).content.decode()
    assert page.index("12/BTT") < page.index("20/BTT")


@pytest.mark.parametrize(("username", "status"), [("la.staff", 403), ("la.leader", 403), ("tg.coord", 404)])
def test_only_coordinators_record_amendments(client, users, username, status):
    old = agreement_2011()
    client.force_login(users[username])
    assert client.get(amend_url(old)).status_code == status
    data = {"amended_on": "15/03/2013", "document_number": "05/BTT", "summary": SUMMARY}
    assert client.post(amend_url(old), data).status_code == status
    assert not Amendment.objects.filter(agreement=old).exists()


def test_the_counterpart_coordinator_records_one_too(client, users):
    old = agreement_2011()
    client.force_login(users["tn.coord"])
    data = {"amended_on": "15/03/2013", "document_number": "", "summary": SUMMARY}
    assert client.post(amend_url(old), data).status_code == 302
    assert Amendment.objects.get(agreement=old).document_number == ""
