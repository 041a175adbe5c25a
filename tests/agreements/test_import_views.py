"""The import pages (agreements.import_views): who may use them, the proposal read from a pasted text or an
uploaded file, corrections, and creation only from a confirmed, complete proposal (nothing otherwise)."""

from __future__ import annotations

import datetime
import io
from typing import Any

import docx
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from agreements.models import Agreement, Body
from core.models import AuditEntry

pytestmark = pytest.mark.django_db

START = reverse("agreement_import")
CONFIRM = reverse("agreement_import_confirm")
TEXT = """THỎA THUẬN HỢP TÁC
giữa Sở Công Thương tỉnh Long An và Sở Công Thương tỉnh Tây Ninh giai đoạn 2016 – 2020

Ngày 20/01/2016 tại Sở Công Thương tỉnh Long An, hai bên thống nhất các nội dung sau.
Mục tiêu: Phát huy lợi thế của mỗi địa phương.
Nội dung hợp tác:
1. Tổ chức các hoạt động xúc tiến thương mại chung.
2. Phối hợp chống buôn lậu, hàng giả
   trên tuyến biên giới.
3. Trao đổi kinh nghiệm cải cách hành chính.
Các bên tổ chức sơ kết vào năm 2018.
"""


def login(client: Client, users: dict[str, User], username: str) -> Client:
    client.force_login(users[username])
    return client


def propose(client: Client, text: str = TEXT) -> Any:
    response = client.post(START, {"text": text})
    assert response.status_code == 200
    return response


def posted(response: Any) -> dict[str, Any]:
    """Every field of the proposal page as the browser posts it untouched, with the confirm button."""
    forms = response.context["forms"]
    data: dict[str, Any] = {"confirm": "1"}
    for form in [forms.fields, forms.parties.management_form, forms.items.management_form]:
        for field in form:
            value = field.value()
            data[field.html_name] = "" if value is None else value
    for form in [*forms.parties.forms, *forms.items.forms]:
        for field in form:
            value = field.value()
            if isinstance(value, Body):
                value = value.pk
            if isinstance(value, datetime.date):
                value = f"{value:%d/%m/%Y}"
            if field.name in ("DELETE", "other_sectors"):  # a checkbox or a multiple select: sent when chosen
                if value:
                    data[field.html_name] = "on" if field.name == "DELETE" else value
                continue
            data[field.html_name] = "" if value is None else value
    for name in ("signed_on", "period_start", "period_end", "tracked_from"):
        value = forms.fields[name].value()
        data[f"a-{name}"] = f"{value:%d/%m/%Y}" if isinstance(value, datetime.date) else value or ""
    return data


# --- who may ----------------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_the_login_page(client, demo):
    for method, url in (("get", START), ("post", START), ("post", CONFIRM)):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), (method, url)


@pytest.mark.parametrize("username", ["la.staff", "la.leader", "tn.staff"])
def test_staff_and_leaders_are_refused(client, users, username):
    login(client, users, username)
    assert client.get(START).status_code == 403
    assert client.post(START, {"text": TEXT}).status_code == 403
    assert client.post(CONFIRM, {"a-source": "x"}).status_code == 403


def test_a_user_of_no_body_is_refused(client, users):
    outsider = User.objects.create_user("outsider", password="x" * 16)
    client.force_login(outsider)
    assert client.get(START).status_code == 403


def test_the_coordinator_gets_the_form(client, users):
    response = login(client, users, "la.coord").get(START)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="text"' in body and 'type="file"' in body and 'enctype="multipart/form-data"' in body


# --- the proposal ----------------------------------------------------------------------------------


def test_a_pasted_text_is_proposed_for_correction_and_nothing_is_created(client, users, django_assert_max_num_queries):
    login(client, users, "la.coord")
    before = Agreement.objects.count()
    with django_assert_max_num_queries(40):
        response = propose(client)
    forms = response.context["forms"]
    assert forms.fields["title"].value().startswith("Thỏa thuận hợp tác giữa Sở Công Thương tỉnh Long An")
    assert forms.fields["signed_on"].value() == datetime.date(2016, 1, 20)
    assert [form["text"].value() for form in forms.items.forms[:3]] == [
        "Tổ chức các hoạt động xúc tiến thương mại chung.",
        "Phối hợp chống buôn lậu, hàng giả trên tuyến biên giới.",
        "Trao đổi kinh nghiệm cải cách hành chính.",
    ]
    assert [form["sector"].value() for form in forms.items.forms[:3]] == ["trade", "market_control", "admin_reform"]
    bodies = [Body.objects.get(pk=form["body"].value()) for form in forms.parties.forms[:2]]
    assert [body.name for body in bodies] == ["Sở Công Thương tỉnh Long An", "Sở Công Thương tỉnh Tây Ninh"]
    office = Body.objects.get(pk=forms.parties.forms[0]["coordinating_office"].value())
    assert office.name == "Phòng Kế hoạch - Tài chính, Sở Công Thương tỉnh Long An"  # la.coord's own
    assert forms.parties.forms[1]["coordinating_office"].value() is None  # the text names none
    body = response.content.decode()
    assert "Các bên tổ chức sơ kết vào năm 2018." in body  # not understood: shown
    assert "needs-check" in body  # the number is missing, the kind guessed
    assert Agreement.objects.count() == before


def test_an_uploaded_word_file_is_read(client, users):
    document = docx.Document()
    for line in TEXT.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    upload = SimpleUploadedFile("thoa-thuan.docx", buffer.getvalue(), content_type="application/octet-stream")
    response = login(client, users, "la.coord").post(START, {"file": upload})
    assert response.status_code == 200
    assert len(response.context["forms"].proposal.items) == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "Hãy dán nội dung văn bản hoặc chọn một tệp."),
        ({"text": "Hôm nay trời đẹp."}, "Không nhận ra nội dung của một thỏa thuận"),
        ({"file": SimpleUploadedFile("a.pdf", b"")}, "Tệp rỗng: không có nội dung để nhập."),
        ({"file": SimpleUploadedFile("a.docx", b"\x89PNG\r\n\x1a\n" + b"\0" * 99)}, "không phải văn bản"),
        ({"text": "x", "file": SimpleUploadedFile("a.txt", b"1. Du lich.")}, "không cả hai"),
    ],
    ids=["nothing", "no-agreement", "empty-file", "binary", "both"],
)
def test_bad_input_is_refused_with_a_message(client, users, data, message):
    response = login(client, users, "la.coord").post(START, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "forms" not in response.context


def test_a_file_over_the_limit_is_refused_by_its_size(client, users, settings):
    settings.REQUEST_MAX_BYTES_UPLOAD = 100 * 1024 * 1024
    upload = SimpleUploadedFile("lon.txt", b"1. Du lich.\n" * (11 * 1024 * 1024 // 12))
    response = login(client, users, "la.coord").post(START, {"file": upload})
    assert "vượt giới hạn 10 MB" in response.content.decode()


# --- confirming ------------------------------------------------------------------------------------


def test_confirming_creates_the_draft_and_opens_it(client, users):
    login(client, users, "la.coord")
    data = posted(propose(client))
    response = client.post(CONFIRM, data)
    agreement = Agreement.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse("agreement_detail", args=[agreement.pk])
    assert agreement.status == Agreement.Status.DRAFT
    assert agreement.period_start == datetime.date(2016, 1, 1) and agreement.signed_at == "Sở Công Thương tỉnh Long An"
    assert agreement.objectives == "Phát huy lợi thế của mỗi địa phương."
    assert list(agreement.items.order_by("number").values_list("number", "sector_id")) == [
        (1, "trade"),
        (2, "market_control"),
        (3, "admin_reform"),
    ]
    assert agreement.parties.count() == 2
    entry = AuditEntry.objects.get(action="agreement.created", object_id=agreement.pk)
    assert entry.actor == users["la.coord"] and entry.data["source"] == "import:text"
    page = client.get(response["Location"])
    assert "Đã tạo dự thảo" in page.content.decode()


def test_the_coordinators_corrections_are_what_is_created(client, users):
    login(client, users, "la.coord")
    data = posted(propose(client))
    data["a-title"] = "Thỏa thuận hợp tác công thương 2016 – 2020"
    data["a-number"] = "01/TTHT-SCT"
    data["item-1-text"] = "Phối hợp chống buôn lậu."
    data["item-1-other_sectors"] = ["trade"]
    data["item-2-DELETE"] = "on"
    assert client.post(CONFIRM, data).status_code == 302
    agreement = Agreement.objects.latest("pk")
    assert (agreement.title, agreement.number) == ("Thỏa thuận hợp tác công thương 2016 – 2020", "01/TTHT-SCT")
    items = list(agreement.items.order_by("number"))
    assert [i.text for i in items] == ["Tổ chức các hoạt động xúc tiến thương mại chung.", "Phối hợp chống buôn lậu."]
    assert [s.code for s in items[1].other_sectors.all()] == ["trade"]


def test_an_altered_proposal_is_refused(client, users):
    login(client, users, "la.coord")
    data = posted(propose(client))
    data["a-source"] = data["a-source"][:-3] + "abc"
    before = Agreement.objects.count()
    response = client.post(CONFIRM, data)
    assert response.status_code == 200 and "Không đọc được bản đề xuất" in response.content.decode()
    assert Agreement.objects.count() == before


def test_a_party_without_a_body_blocks_creation(client, users):
    login(client, users, "la.coord")
    data = posted(propose(client))
    data["party-1-body"] = ""
    before = Agreement.objects.count()
    response = client.post(CONFIRM, data)
    assert response.status_code == 200
    assert "Hãy chọn cơ quan cho bên này." in response.content.decode()
    assert Agreement.objects.count() == before


def test_invalid_fields_block_creation(client, users):
    login(client, users, "la.coord")
    data = posted(propose(client))
    data["a-period_end"] = "01/01/2015"
    data["item-0-text"] = "a\x00b"
    before = Agreement.objects.count()
    response = client.post(CONFIRM, data)
    body = response.content.decode()
    assert "Ngày kết thúc giai đoạn phải sau ngày bắt đầu." in body and "ký tự điều khiển" in body
    assert Agreement.objects.count() == before


def test_a_coordinator_of_no_party_is_told_so(client, users):
    login(client, users, "tg.coord")
    data = posted(propose(client))
    before = Agreement.objects.count()
    response = client.post(CONFIRM, data)
    assert response.status_code == 200
    assert "Cơ quan của bạn phải là một bên của thỏa thuận" in response.content.decode()
    assert Agreement.objects.count() == before


def test_refreshing_finds_bodies_for_a_corrected_name_and_creates_nothing(client, users):
    login(client, users, "la.coord")
    data = posted(propose(client))
    data.pop("confirm")
    data["refresh"] = "1"
    data["party-2-name"] = "Ủy ban nhân dân tỉnh Tiền Giang"
    before = Agreement.objects.count()
    response = client.post(CONFIRM, data)
    assert response.status_code == 200
    choices = list(response.context["forms"].parties.forms[2].fields["body"].queryset)
    assert "Ủy ban nhân dân tỉnh Tiền Giang" in [body.name for body in choices]
    assert "has-error" not in response.content.decode()
    assert Agreement.objects.count() == before


def test_the_site_admin_imports_any_agreement(client, users):
    login(client, users, "admin")
    data = posted(propose(client))
    assert client.post(CONFIRM, data).status_code == 302
