"""A new agreement in the app (agreements.edit_views.agreement_create): general data and parties in one page.

Coordinators (with no admin rights) enter the draft; staff and leaders are refused; the parties are typed
by name, with or without diacritics, as of the signing day (old provinces for agreements signed before
01/07/2025), and a name that fits several bodies is settled by a choice; whatever services refuse comes
back to the form, with nothing written.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from agreements.models import Agreement, Body, Party
from core.models import AuditEntry
from tests.agreements.editing import TEN, TYPED, body, general, office_coordinator, party_rows, ubnd

pytestmark = pytest.mark.django_db

URL = reverse("agreement_create")


def post(client, parties: list[str], total: int | None = None, **changes: str):
    return client.post(URL, general(**changes) | party_rows(parties, total))


def test_the_page_is_for_coordinators(client, users):
    client.force_login(users["la.coord"])
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nhập thỏa thuận mới" in page and 'name="p-3-body"' in page and 'name="p-4-body"' not in page
    assert 'data-body-search="/bodies/search/"' in page
    assert "js/agreement-edit.js" in page


@pytest.mark.parametrize("username", ["la.staff", "la.leader", "tg.staff"])
def test_staff_and_leaders_are_refused(client, users, username):
    client.force_login(users[username])
    before = Agreement.objects.count()
    assert client.get(URL).status_code == 403
    assert (
        post(client, ["Sở Công Thương Long An", "Sở Công Thương Tây Ninh"], signed_on="14/10/2011").status_code == 403
    )
    assert Agreement.objects.count() == before


def test_the_list_offers_the_page_to_coordinators_only(client, users):
    client.force_login(users["la.coord"])
    assert URL in client.get(reverse("agreement_list")).content.decode()
    client.force_login(users["la.staff"])
    assert URL not in client.get(reverse("agreement_list")).content.decode()


def test_anonymous_users_are_sent_to_login(client):
    assert client.get(URL)["Location"].startswith(reverse("login"))


def test_a_departments_agreement_of_2011_as_typed(client, users):
    """la.coord's office coordinates Long An's department: typed without diacritics, the 2011 bodies are found."""
    client.force_login(users["la.coord"])
    response = post(
        client,
        ["so cong thuong long an", "Sở Công Thương Tây Ninh"],
        signed_on="14/10/2011",
        period_start="01/10/2011",
        period_end="31/12/2015",
        title="Chương trình hợp tác giai đoạn 2011 – 2015 (bản nhập lại)",
        reporting_cadence_months="3",
        meeting_cadence_months="6",
    )
    agreement = Agreement.objects.get(title="Chương trình hợp tác giai đoạn 2011 – 2015 (bản nhập lại)")
    assert response.status_code == 302 and response["Location"] == reverse("agreement_items", args=[agreement.pk])
    assert agreement.status == Agreement.Status.DRAFT
    assert (agreement.signed_on.isoformat(), agreement.reporting_cadence_months, agreement.meeting_cadence_months) == (
        "2011-10-14",
        3,
        6,
    )
    parties = list(agreement.parties.order_by("order"))
    assert [p.body for p in parties] == [
        body("Sở Công Thương tỉnh Long An", old=True),
        body("Sở Công Thương tỉnh Tây Ninh", old=True),
    ]
    # The coordinator's own office coordinates their party, so the draft is theirs to carry on.
    assert parties[0].coordinating_office == users["la.coord"].memberships.get().body
    assert parties[1].coordinating_office is None
    assert AuditEntry.objects.filter(agreement_id=agreement.pk, action="agreement.created").count() == 1
    assert client.get(reverse("agreement_items", args=[agreement.pk])).status_code == 200


def test_ten_peoples_committees_typed_without_diacritics(client, users):
    """A coordinator of a People's Committee's office: ten committees of today's provinces, after the merger."""
    coordinator = office_coordinator("Tây Ninh")
    client.force_login(coordinator)
    # Without JavaScript, "Thêm 5 dòng" asks the server for more rows (nothing saved, no errors shown).
    response = client.post(URL, general() | party_rows(TYPED[:4], 4, more_rows="1"))
    assert response.status_code == 200 and not Agreement.objects.filter(title=general()["title"]).exists()
    page = response.content.decode()
    assert 'name="p-8-body"' in page and 'name="p-9-body"' not in page and 'class="error"' not in page
    response = post(client, TYPED, 12)
    assert response.status_code == 302, response.content.decode()
    agreement = Agreement.objects.get(title=general()["title"])
    parties = list(agreement.parties.select_related("body").order_by("order"))
    assert [p.body for p in parties] == [ubnd(name) for name in TEN]
    assert parties[0].coordinating_office is not None and parties[0].coordinating_office.parent == ubnd("Tây Ninh")
    # The new Tây Ninh, not the one that ended on 30/06/2025: the agreement is signed in 2026.
    assert parties[0].body.valid_from is not None


def test_a_name_that_fits_several_bodies_is_settled_by_a_choice(client, users):
    coordinator = office_coordinator("Tây Ninh")
    client.force_login(coordinator)
    response = post(client, ["ubnd tay ninh", "so cong thuong"])
    page = response.content.decode()
    assert response.status_code == 200 and "hãy chọn một cơ quan" in page
    choices = response.context["rows"].forms[1].choices
    assert {b.name for b in choices} == {"Sở Công Thương tỉnh Tây Ninh", "Sở Công Thương tỉnh Đồng Tháp"}
    assert all(b.valid_to is None for b in choices)  # valid on the signing day, 15/01/2026
    picked = body("Sở Công Thương tỉnh Đồng Tháp")
    assert f'name="p-1-choice" value="{picked.pk}"' in page
    data = general() | party_rows(["ubnd tay ninh", "so cong thuong"]) | {"p-1-choice": str(picked.pk)}
    assert client.post(URL, data).status_code == 302
    agreement = Agreement.objects.get(title=general()["title"])
    assert [p.body for p in agreement.parties.order_by("order")] == [ubnd("Tây Ninh"), picked]


def test_old_or_new_tay_ninh_follows_the_signing_day(client, users):
    coordinator = office_coordinator("Tây Ninh")
    client.force_login(coordinator)
    response = post(client, ["Ủy ban nhân dân tỉnh Long An", "ubnd tay ninh"])
    page = response.content.decode()
    assert response.status_code == 200
    assert "Không có cơ quan nào khớp với “Ủy ban nhân dân tỉnh Long An” còn hiệu lực vào ngày 15/01/2026" in page
    assert "(đến 30/06/2025)" in page
    assert not Agreement.objects.filter(title=general()["title"]).exists()


def test_the_coordinators_own_body_must_be_a_party(client, users):
    """la.coord (Long An's department) may not enter an agreement between Hà Nội and Huế."""
    client.force_login(users["la.coord"])
    before = Agreement.objects.count()
    response = post(client, ["ubnd ha noi", "ubnd hue"])
    assert response.status_code == 200
    assert "Cơ quan của bạn phải là một bên của thỏa thuận" in response.content.decode()
    assert Agreement.objects.count() == before


def test_a_departments_coordinator_may_enter_their_provinces_committee(client, users):
    """A coordinator of a department enters an agreement of its province's People's Committee (the parent)."""
    department = body("Sở Công Thương tỉnh Tây Ninh")
    coordinator = office_coordinator("Đồng Tháp", "dt.coord")
    coordinator.memberships.update(body=department)
    client.force_login(coordinator)
    assert post(client, ["ubnd tay ninh", "ubnd dong thap"]).status_code == 302
    first = Party.objects.get(agreement__title=general()["title"], order=1)
    assert first.body == ubnd("Tây Ninh") and first.coordinating_office == department


@pytest.mark.parametrize(
    ("changes", "parties", "message"),
    [
        ({}, ["ubnd tay ninh"], "Một thỏa thuận hợp tác cần ít nhất hai bên."),
        ({}, ["ubnd tay ninh", "UBND Tây Ninh"], "Cơ quan này đã có ở dòng 1"),
        (
            {"period_end": "31/12/2025"},
            ["ubnd tay ninh", "ubnd dong thap"],
            "Ngày kết thúc giai đoạn phải sau ngày bắt đầu.",
        ),
        ({"signed_on": "31/02/2026"}, ["ubnd tay ninh", "ubnd dong thap"], "Hãy ghi ngày theo dạng ngày/tháng/năm"),
        ({"reporting_cadence_months": "5"}, ["ubnd tay ninh", "ubnd dong thap"], "Hãy chọn"),
        ({"title": ""}, ["ubnd tay ninh", "ubnd dong thap"], "Trường này là bắt buộc."),
        ({}, ["ubnd tay ninh", "ubnd xyz"], "Không tìm thấy cơ quan nào khớp với “ubnd xyz”"),
    ],
)
def test_what_is_refused_is_said_and_nothing_is_written(client, users, changes, parties, message):
    coordinator = office_coordinator("Tây Ninh")
    client.force_login(coordinator)
    before = (Agreement.objects.count(), Party.objects.count(), AuditEntry.objects.count())
    response = post(client, parties, **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (Agreement.objects.count(), Party.objects.count(), AuditEntry.objects.count()) == before


def test_a_body_of_no_province_is_not_a_party_by_mistake(client, users):
    """Bodies are searched by their names; a party typed as its office's name is that office, not its parent."""
    coordinator = office_coordinator("Tây Ninh")
    client.force_login(coordinator)
    post(client, ["Văn phòng Ủy ban nhân dân tỉnh Tây Ninh", "ubnd dong thap"])
    agreement = Agreement.objects.get(title=general()["title"])
    assert agreement.parties.order_by("order").first().body.kind == Body.Kind.OFFICE
