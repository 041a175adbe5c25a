"""Changing a draft in the app (agreements/edit_views.py): general data, parties, items, commitments, publishing.

The owner is the coordinator who entered it (their People's Committee's office coordinates its party); a staff
member of a party may see the agreement but not change it (403); anyone else does not know it (404).  A
programme of ten People's Committees is carried out by their departments: a commitment is led by a body of
the responsible party's province, typed by name, with its indicator in Vietnamese figures.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from agreements import services
from agreements.models import Agreement, Commitment, CooperationItem, Membership, Party, Role
from core.models import AuditEntry
from tests.agreements.editing import TEN, body, draft, office_coordinator, rows, ubnd

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(demo) -> User:
    return office_coordinator("Tây Ninh")


@pytest.fixture
def programme(owner) -> Agreement:
    """A draft of the ten People's Committees with two items."""
    return draft(owner, [ubnd(name) for name in TEN], items=2)


@pytest.fixture
def member(programme) -> User:
    """A staff member of a party (Đồng Tháp's People's Committee): reads the agreement, changes nothing."""
    user = User.objects.create_user("dt.staff")
    Membership.objects.create(user=user, body=ubnd("Đồng Tháp"), role=Role.STAFF)
    return user


def url(name: str, agreement: Agreement) -> str:
    return reverse(name, args=[agreement.pk])


PAGES = ["agreement_edit", "agreement_parties", "agreement_items", "agreement_commitments"]


# --- who may --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_the_owner_opens_every_page(client, owner, programme, name):
    client.force_login(owner)
    response = client.get(url(name, programme))
    assert response.status_code == 200
    assert "Dự thảo" in response.content.decode()


@pytest.mark.parametrize("name", [*PAGES, "agreement_publish"])
def test_a_member_is_refused_and_an_outsider_finds_nothing(client, users, member, programme, name):
    before = (AuditEntry.objects.count(), Agreement.objects.get(pk=programme.pk).status)
    client.force_login(member)
    if name != "agreement_publish":
        assert client.get(url(name, programme)).status_code == 403
    assert client.post(url(name, programme), {}).status_code == 403
    client.force_login(users["la.coord"])  # a coordinator of no party of this agreement
    if name != "agreement_publish":
        assert client.get(url(name, programme)).status_code == 404
    assert client.post(url(name, programme), {}).status_code == 404
    assert (AuditEntry.objects.count(), Agreement.objects.get(pk=programme.pk).status) == before


def test_the_agreement_page_offers_the_changes_to_its_coordinators_only(client, owner, member, programme):
    client.force_login(owner)
    page = client.get(url("agreement_detail", programme)).content.decode()
    for name in PAGES:
        assert url(name, programme) in page
    assert url("agreement_publish", programme) in page and 'data-testid="draft-notice"' in page
    client.force_login(member)
    page = client.get(url("agreement_detail", programme)).content.decode()
    assert 'data-testid="draft-notice"' in page
    assert not any(url(name, programme) in page for name in [*PAGES, "agreement_publish"])


# --- general data -----------------------------------------------------------------------------------------


def general_of(agreement: Agreement, **changes: str) -> dict[str, str]:
    data = {
        "kind": agreement.kind,
        "number": agreement.number,
        "title": agreement.title,
        "signed_on": f"{agreement.signed_on:%d/%m/%Y}" if agreement.signed_on else "",
        "signed_at": agreement.signed_at,
        "period_start": f"{agreement.period_start:%d/%m/%Y}",
        "period_end": f"{agreement.period_end:%d/%m/%Y}",
        "objectives": agreement.objectives,
        "tracked_from": "",
        "reporting_cadence_months": str(agreement.reporting_cadence_months),
        "report_deadline_days": str(agreement.report_deadline_days),
        "meeting_cadence_months": str(agreement.meeting_cadence_months),
        "notes": agreement.notes,
    }
    data.update(changes)
    return data


def test_the_general_data_of_a_draft(client, owner, programme):
    client.force_login(owner)
    page = client.get(url("agreement_edit", programme)).content.decode()
    assert 'value="15/01/2026"' in page  # dates shown as typed
    response = client.post(
        url("agreement_edit", programme),
        general_of(programme, title="Chương trình liên kết vùng", signed_on="20/01/2026"),
    )
    assert response.status_code == 302 and response["Location"] == url("agreement_detail", programme)
    programme.refresh_from_db()
    assert (programme.title, programme.signed_on) == ("Chương trình liên kết vùng", dt.date(2026, 1, 20))
    assert AuditEntry.objects.filter(agreement_id=programme.pk, action="agreement.updated").exists()


def test_refused_general_data_is_said(client, owner, programme):
    client.force_login(owner)
    response = client.post(url("agreement_edit", programme), general_of(programme, signed_on="01/01/2031"))
    assert response.status_code == 200
    assert "Ngày ký không thể sau khi giai đoạn đã kết thúc." in response.content.decode()
    assert Agreement.objects.get(pk=programme.pk).signed_on == dt.date(2026, 1, 15)


def test_a_published_agreement_keeps_what_was_signed(client, owner, programme):
    services.publish_agreement(owner, programme)
    client.force_login(owner)
    response = client.get(url("agreement_edit", programme))
    assert set(response.context["form"].fields) == {
        "tracked_from",
        "reporting_cadence_months",
        "report_deadline_days",
        "meeting_cadence_months",
        "notes",
    }
    data = general_of(programme, title="Tên khác", reporting_cadence_months="12")
    assert client.post(url("agreement_edit", programme), data).status_code == 302
    programme.refresh_from_db()
    assert (programme.title, programme.reporting_cadence_months) == ("Chương trình hợp tác giai đoạn 2026 – 2030", 12)
    # Parties and items are signed too: their pages send the coordinator back with a word.
    for name in ("agreement_parties", "agreement_items"):
        response = client.get(url(name, programme), follow=True)
        assert "chỉ thay đổi bằng văn bản sửa đổi, bổ sung" in response.content.decode()


# --- parties ------------------------------------------------------------------------------------------------


def party_data(agreement: Agreement, **changes: dict[str, str]) -> dict[str, str]:
    values = [
        {"body": party.body.name, "office": party.coordinating_office.name if party.coordinating_office else ""}
        for party in agreement.parties.select_related("body", "coordinating_office").order_by("order")
    ]
    for index, change in changes.items():
        position = int(index.removeprefix("row"))
        if position < len(values):
            values[position].update(change)
        else:
            values.append(change)
    return rows("p", values, len(values) + 2)


def test_the_parties_page_lists_them_with_their_validity(client, owner, programme):
    client.force_login(owner)
    page = client.get(url("agreement_parties", programme)).content.decode()
    assert page.count('class="row party-row"') == 10 + 2 + 1  # ten, two blank, the template row
    assert 'value="Ủy ban nhân dân tỉnh Tây Ninh (từ 01/07/2025)"' in page
    assert 'value="Văn phòng Ủy ban nhân dân tỉnh Tây Ninh"' in page


def test_the_parties_page_saved_as_shown_changes_nothing(client, owner, programme):
    """The rows are filled with the labels the picker shows ("… (từ 01/07/2025)"): saved untouched, they name the same bodies."""
    client.force_login(owner)
    shown = client.get(url("agreement_parties", programme)).context["rows"]
    values = [
        {"body": form.shown(), "office": form.office_shown(), "signatory_name": "", "signatory_title": ""}
        for form in shown.forms
    ]
    before = list(programme.parties.order_by("order").values_list("body_id", "coordinating_office_id"))
    assert client.post(url("agreement_parties", programme), rows("p", values)).status_code == 302
    assert list(programme.parties.order_by("order").values_list("body_id", "coordinating_office_id")) == before


def test_coordinating_offices_and_signatories(client, owner, programme):
    """Each party's office is looked for in its own province; the signatory is kept as typed."""
    client.force_login(owner)
    data = party_data(
        programme,
        row1={
            "office": "so cong thuong dong thap",
            "signatory_title": "Chủ tịch UBND tỉnh",
            "signatory_name": "Nguyễn Văn A",
        },
    )
    response = client.post(url("agreement_parties", programme), data)
    assert response.status_code == 302, response.content.decode()
    second = programme.parties.get(order=2)
    assert second.coordinating_office == body("Sở Công Thương tỉnh Đồng Tháp")
    assert (second.signatory_title, second.signatory_name) == ("Chủ tịch UBND tỉnh", "Nguyễn Văn A")
    assert AuditEntry.objects.filter(agreement_id=programme.pk, action="agreement.parties").exists()


def test_an_office_of_another_province_is_refused(client, owner, programme):
    client.force_login(owner)
    response = client.post(
        url("agreement_parties", programme), party_data(programme, row2={"office": "Sở Tài chính Tây Ninh"})
    )
    assert response.status_code == 200
    assert "Không tìm thấy cơ quan nào khớp với “Sở Tài chính Tây Ninh”" in response.content.decode()
    assert programme.parties.get(order=3).coordinating_office is None


def test_an_eleventh_party_and_one_removed(client, owner, programme):
    client.force_login(owner)
    data = party_data(programme, row9={"body": ""}, row10={"body": "ubnd khanh hoa"})
    assert client.post(url("agreement_parties", programme), data).status_code == 302
    assert [p.body for p in programme.parties.order_by("order")] == [
        *(ubnd(name) for name in TEN[:9]),
        ubnd("Khánh Hòa"),
    ]


def test_a_party_leading_a_commitment_stays(client, owner, programme):
    item = programme.items.get(number=1)
    party = programme.parties.get(order=10)
    services.save_commitment(owner, item, responsible_party=party, description="Kết nối du lịch.")
    client.force_login(owner)
    response = client.post(url("agreement_parties", programme), party_data(programme, row9={"body": ""}))
    assert response.status_code == 200
    assert "đang chủ trì cam kết" in response.content.decode()
    assert programme.parties.count() == 10


def test_the_coordinator_cannot_leave_their_own_party(client, owner, programme):
    client.force_login(owner)
    response = client.post(url("agreement_parties", programme), party_data(programme, row0={"body": "", "office": ""}))
    assert response.status_code == 200
    assert "Cơ quan của bạn phải là một bên của thỏa thuận" in response.content.decode()
    assert programme.parties.count() == 10


# --- items ----------------------------------------------------------------------------------------------------


def test_items_with_their_sectors(client, owner, programme, django_assert_max_num_queries):
    client.force_login(owner)
    with django_assert_max_num_queries(20):
        page = client.get(url("agreement_items", programme)).content.decode()
    assert 'value="trade"' in page and "Nội dung hợp tác số 2" in page
    data = rows(
        "i",
        [
            {
                "number": "1",
                "text": "Xúc tiến đầu tư vào các khu công nghiệp.",
                "sector": "investment",
                "other_sectors": "industry",
            },
            {"number": "2", "text": "Liên kết phát triển du lịch.", "sector": "tourism"},
            {"number": "", "text": "Chuyển đổi số trong quản lý nhà nước.", "sector": ""},
            {"number": "", "text": "", "sector": "health"},  # no text: no item
        ],
    )
    response = client.post(url("agreement_items", programme), data)
    assert response.status_code == 302 and response["Location"] == url("agreement_commitments", programme)
    items = list(programme.items.prefetch_related("other_sectors").order_by("number"))
    assert [(i.number, i.sector_id) for i in items] == [(1, "investment"), (2, "tourism"), (3, "other")]
    assert [s.pk for s in items[0].other_sectors.all()] == ["industry"]


def test_more_rows_without_javascript(client, owner, programme):
    """ "Thêm 5 dòng" without the script asks the server: the rows come back with five more, nothing saved."""
    client.force_login(owner)
    data = rows("i", [{"number": "1", "text": "Đổi nội dung một."}, {"number": "2", "text": "Hai."}]) | {
        "more_rows": "1"
    }
    response = client.post(url("agreement_items", programme), data)
    page = response.content.decode()
    assert response.status_code == 200 and 'name="i-6-text"' in page and 'name="i-7-text"' not in page
    assert "Đổi nội dung một." in page and programme.items.get(number=1).text == "Nội dung hợp tác số 1"


def test_item_numbers_run_from_one(client, owner, programme):
    client.force_login(owner)
    data = rows("i", [{"number": "1", "text": "Một."}, {"number": "3", "text": "Ba."}])
    response = client.post(url("agreement_items", programme), data)
    assert response.status_code == 200
    assert "phải được đánh số liên tục từ 1 (hiện có: 1, 3)" in response.content.decode()
    assert programme.items.count() == 2 and programme.items.get(number=2).text == "Nội dung hợp tác số 2"


def test_an_item_with_commitments_stays(client, owner, programme):
    item = programme.items.get(number=2)
    services.save_commitment(owner, item, responsible_party=programme.parties.first(), description="Một việc.")
    client.force_login(owner)
    response = client.post(url("agreement_items", programme), rows("i", [{"number": "1", "text": "Chỉ còn một."}]))
    assert "Nội dung hợp tác số 2 đã có cam kết nên không bỏ được." in response.content.decode()
    assert programme.items.count() == 2


# --- commitments ----------------------------------------------------------------------------------------------


def commitment_data(programme: Agreement, party_order: int = 1, **changes: str) -> dict[str, str]:
    data = {
        "item": str(programme.items.get(number=1).pk),
        "responsible_party": str(programme.parties.get(order=party_order).pk),
        "lead": "so cong thuong tay ninh",
        "supporting": "Sở Tài chính Tây Ninh\nso cong thuong dong thap",
        "description": "Tổ chức hội chợ hàng nông sản, đặc sản các tỉnh.",
        "due_on": "30/06/2027",
        "indicator_name": "Tổng mức bán lẻ hàng hóa",
        "indicator_unit": "tỉ đồng",
        "baseline": "6,6",
        "target": "101.000",
    }
    data.update(changes)
    return data


def test_a_commitment_led_by_a_department_of_the_partys_province(client, owner, programme):
    client.force_login(owner)
    response = client.post(url("agreement_commitments", programme), commitment_data(programme))
    commitment = Commitment.objects.get(item__agreement=programme)
    assert response.status_code == 302
    assert response["Location"].endswith(
        f"?item={commitment.item_id}&party={commitment.responsible_party_id}#commitment-form"
    )
    assert commitment.responsible_party.body == ubnd("Tây Ninh")
    assert commitment.lead_body == body("Sở Công Thương tỉnh Tây Ninh")  # today's, not the one that ended
    assert set(commitment.supporting_bodies.all()) == {
        body("Sở Tài chính tỉnh Tây Ninh"),
        body("Sở Công Thương tỉnh Đồng Tháp"),
    }
    assert (commitment.baseline, commitment.target, commitment.due_on) == (
        Decimal("6.6"),
        Decimal("101000"),
        dt.date(2027, 6, 30),
    )
    assert AuditEntry.objects.filter(agreement_id=programme.pk, action="commitment.added").count() == 1
    # The next one starts with the same item and party; the page shows the figures the Vietnamese way.
    page = client.get(response["Location"]).content.decode()
    assert "101.000" in page and "Sở Công Thương tỉnh Tây Ninh" in page
    assert f'value="{commitment.responsible_party_id}" data-units=' in page


def test_a_department_of_another_province_does_not_lead(client, owner, programme):
    client.force_login(owner)
    data = commitment_data(programme, lead="Sở Công Thương Đồng Tháp")
    response = client.post(url("agreement_commitments", programme), data)
    assert response.status_code == 200
    assert (
        "“Sở Công Thương tỉnh Đồng Tháp” không thuộc tỉnh của bên chủ trì “Ủy ban nhân dân tỉnh Tây Ninh”."
        in response.content.decode()
    )
    assert not Commitment.objects.filter(item__agreement=programme).exists()


def test_supporting_bodies_come_from_the_parties_provinces(client, owner, programme):
    client.force_login(owner)
    data = commitment_data(programme, supporting="ubnd khanh hoa")
    response = client.post(url("agreement_commitments", programme), data)
    assert response.status_code == 200
    assert (
        "“Ủy ban nhân dân tỉnh Khánh Hòa” không thuộc tỉnh của bên nào trong thỏa thuận." in response.content.decode()
    )
    assert not Commitment.objects.filter(item__agreement=programme).exists()
    # The former Tiền Giang is part of Đồng Tháp today: its department, though ended, is within a party's province.
    data = commitment_data(programme, supporting="Sở Công Thương Tiền Giang")
    assert client.post(url("agreement_commitments", programme), data).status_code == 302
    assert list(Commitment.objects.get(item__agreement=programme).supporting_bodies.all()) == [
        body("Sở Công Thương tỉnh Tiền Giang", old=True)
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"target": "4.3"}, "4.3"),
        ({"indicator_unit": ""}, "Chỉ tiêu có giá trị mục tiêu phải có đơn vị tính."),
        ({"description": ""}, "Trường này là bắt buộc."),
        ({"due_on": "30/13/2027"}, "Hãy ghi ngày theo dạng ngày/tháng/năm"),
        ({"lead": "so"}, "hãy chọn một cơ quan"),
    ],
)
def test_a_refused_commitment_is_said_and_not_written(client, owner, programme, changes, message):
    client.force_login(owner)
    response = client.post(url("agreement_commitments", programme), commitment_data(programme, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Commitment.objects.filter(item__agreement=programme).exists()


def test_a_lead_that_fits_several_bodies_is_settled_by_a_choice(client, owner, programme):
    client.force_login(owner)
    response = client.post(url("agreement_commitments", programme), commitment_data(programme, lead="so"))
    choices = response.context["form"].lead_choices
    finance = body("Sở Tài chính tỉnh Tây Ninh")
    assert finance in choices and all(b.unit.current() == finance.unit for b in choices)
    data = commitment_data(programme, lead="so", lead_choice=str(finance.pk))
    assert client.post(url("agreement_commitments", programme), data).status_code == 302
    assert Commitment.objects.get(item__agreement=programme).lead_body == finance


def test_a_commitment_is_changed_in_place(client, owner, programme):
    client.force_login(owner)
    client.post(url("agreement_commitments", programme), commitment_data(programme))
    commitment = Commitment.objects.get(item__agreement=programme)
    page = client.get(url("agreement_commitments", programme) + f"?edit={commitment.pk}").content.decode()
    assert "Sửa cam kết" in page and 'value="6,6"' in page and "Sở Công Thương tỉnh Tây Ninh (từ 01/07/2025)" in page
    data = commitment_data(programme, commitment=str(commitment.pk), lead="", target="120.000", baseline="")
    assert client.post(url("agreement_commitments", programme), data).status_code == 302
    commitment.refresh_from_db()
    assert (commitment.lead_body, commitment.target, commitment.baseline) == (None, Decimal("120000"), None)
    assert Commitment.objects.filter(item__agreement=programme).count() == 1
    assert AuditEntry.objects.filter(agreement_id=programme.pk, action="commitment.updated").count() == 1


def test_another_agreements_commitment_is_not_changed_from_here(client, owner, programme, users):
    other = Commitment.objects.exclude(item__agreement=programme).first()
    assert other is not None
    before = other.description
    client.force_login(owner)
    data = commitment_data(programme, commitment=str(other.pk))
    assert client.post(url("agreement_commitments", programme), data).status_code == 302
    other.refresh_from_db()
    assert other.description == before  # a new commitment of this agreement instead
    assert Commitment.objects.filter(item__agreement=programme).count() == 1


def test_the_commitments_page_of_ten_parties_in_bounded_queries(
    client, owner, programme, django_assert_max_num_queries
):
    items = list(programme.items.order_by("number"))
    for party in programme.parties.select_related("body__unit"):
        for item in items:
            services.save_commitment(
                owner,
                item,
                responsible_party=party,
                description=f"Việc của {party.body.name}",
                supporting_bodies=[ubnd("Tây Ninh"), ubnd("Hà Nội")],
            )
    client.force_login(owner)
    with django_assert_max_num_queries(25):
        response = client.get(url("agreement_commitments", programme))
    assert response.content.decode().count('class="edit-link"') == 20


# --- publishing -------------------------------------------------------------------------------------------------


def test_publishing_a_draft(client, owner, programme):
    client.force_login(owner)
    response = client.post(url("agreement_publish", programme), follow=True)
    assert response.redirect_chain[-1][0] == url("agreement_detail", programme)
    programme.refresh_from_db()
    assert programme.status == Agreement.Status.IN_FORCE
    page = response.content.decode()
    assert "Đã ban hành thỏa thuận" in page and 'data-testid="draft-notice"' not in page
    assert url("agreement_parties", programme) not in page and url("agreement_commitments", programme) in page


def test_a_draft_without_items_is_not_published(client, owner):
    agreement = draft(owner, [ubnd("Tây Ninh"), ubnd("Hà Nội")])
    client.force_login(owner)
    response = client.post(url("agreement_publish", agreement), follow=True)
    assert "Hãy nhập ít nhất một nội dung hợp tác trước khi ban hành." in response.content.decode()
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.DRAFT


def test_publishing_twice_says_so(client, owner, programme):
    client.force_login(owner)
    client.post(url("agreement_publish", programme))
    response = client.post(url("agreement_publish", programme), follow=True)
    assert "Thỏa thuận đã ban hành" in response.content.decode()
    assert AuditEntry.objects.filter(agreement_id=programme.pk, action="agreement.published").count() == 1


def test_a_party_and_item_of_another_agreement_are_not_offered(client, owner, programme):
    """Pickers list only the rows of the agreement being edited."""
    client.force_login(owner)
    form = client.get(url("agreement_commitments", programme)).context["form"]
    assert {pk for pk, _label in form.fields["item"].choices} == set(programme.items.values_list("pk", flat=True))
    assert {pk for pk, _label in form.fields["responsible_party"].choices} == set(
        programme.parties.values_list("pk", flat=True)
    )
    foreign = CooperationItem.objects.exclude(agreement=programme).first()
    foreign_party = Party.objects.exclude(agreement=programme).first()
    assert foreign is not None and foreign_party is not None
    data = commitment_data(programme, item=str(foreign.pk), responsible_party=str(foreign_party.pk))
    response = client.post(url("agreement_commitments", programme), data)
    assert response.status_code == 200 and "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
