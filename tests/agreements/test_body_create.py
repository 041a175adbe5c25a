"""A body missing from the list, added on the spot (agreements.edit_views.body_create, services.add_body).

Coordinators add a department from the party or commitment page and come back to it; a second body of
the same name (diacritics and case aside) is refused, and so is a province that has ended; staff and
leaders are refused (403).  The route names no agreement: a coordinator of any body may add one.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from agreements.models import Body
from core.models import AuditEntry
from tests.agreements.editing import draft, office_coordinator, ubnd, unit

pytestmark = pytest.mark.django_db

URL = reverse("body_create")


def data(**changes: str) -> dict[str, str]:
    values = {
        "name": "Sở Du lịch thành phố Hà Nội",
        "kind": Body.Kind.DEPARTMENT,
        "unit": str(unit("Hà Nội").pk),
        "parent": "",
        "abbreviation": "SDL",
        "next": "",
    }
    values.update(changes)
    return values


def test_a_department_added_from_the_commitments_page(client, demo):
    owner = office_coordinator("Tây Ninh")
    agreement = draft(owner, [ubnd("Tây Ninh"), ubnd("Hà Nội")], items=1)
    back = reverse("agreement_commitments", args=[agreement.pk]) + "?item=1"
    client.force_login(owner)
    page = client.get(back).content.decode()
    assert f'action="{URL}"' in page and f'name="next" value="{back}"' in page
    response = client.post(URL, data(next=back), follow=True)
    assert response.redirect_chain[-1][0] == back
    added = Body.objects.get(name="Sở Du lịch thành phố Hà Nội")
    # A department without a parent typed belongs to its province's People's Committee.
    assert (added.kind, added.unit, added.parent, added.abbreviation) == (
        Body.Kind.DEPARTMENT,
        unit("Hà Nội"),
        ubnd("Hà Nội"),
        "SDL",
    )
    assert "Đã thêm “Sở Du lịch thành phố Hà Nội”" in response.content.decode()
    assert AuditEntry.objects.filter(action="body.added", object_id=str(added.pk)).count() == 1


def test_the_page_itself_without_javascript(client, users):
    client.force_login(users["la.coord"])
    page = client.get(URL, {"name": "Sở Y tế Đồng Nai"}).content.decode()
    assert 'value="Sở Y tế Đồng Nai"' in page
    assert "Tỉnh Long An" not in page  # ended provinces are not offered
    response = client.post(URL, data())
    assert response.status_code == 302 and response["Location"] == reverse("agreement_list")


def test_an_office_under_a_department_typed_by_name(client, users):
    client.force_login(users["tn.coord"])
    tay_ninh = unit("Tây Ninh")
    response = client.post(
        URL,
        data(
            name="Phòng Quản lý thương mại, Sở Công Thương tỉnh Tây Ninh",
            kind=Body.Kind.OFFICE,
            unit=str(tay_ninh.pk),
            parent="so cong thuong tay ninh",
        ),
    )
    assert response.status_code == 302
    office = Body.objects.get(name="Phòng Quản lý thương mại, Sở Công Thương tỉnh Tây Ninh")
    assert office.parent == Body.objects.get(name="Sở Công Thương tỉnh Tây Ninh", valid_to__isnull=True)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"name": "ủy ban nhân dân thành phố hà nội", "kind": "peoples_committee"},
            "Đã có cơ quan “Ủy ban nhân dân thành phố Hà Nội”",
        ),
        (
            {"name": "SO CONG THUONG TINH DONG THAP", "unit": "Đồng Tháp"},
            "Đã có cơ quan “Sở Công Thương tỉnh Đồng Tháp”",
        ),
        ({"unit": "Long An (old)"}, "Hãy chọn một lựa chọn hợp lệ"),
        ({"name": ""}, "Trường này là bắt buộc."),
        ({"parent": "ubnd dong nai"}, "Không tìm thấy cơ quan nào khớp với “ubnd dong nai”"),
        ({"name": "Sở\x00Du lịch"}, "ký tự điều khiển"),
    ],
)
def test_what_is_refused_is_said_and_nothing_is_added(client, users, changes, message):
    if changes.get("unit") == "Đồng Tháp":
        changes["unit"] = str(unit("Đồng Tháp").pk)
    elif changes.get("unit") == "Long An (old)":
        changes["unit"] = str(unit("Long An", old=True).pk)
    client.force_login(users["la.coord"])
    before = (Body.objects.count(), AuditEntry.objects.count())
    response = client.post(URL, data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (Body.objects.count(), AuditEntry.objects.count()) == before


def test_only_a_page_of_this_site_is_gone_back_to(client, users):
    client.force_login(users["la.coord"])
    response = client.post(URL, data(next="https://example.com/agreements/"))
    assert response["Location"] == reverse("agreement_list")


@pytest.mark.parametrize("username", ["la.staff", "la.leader", "tg.staff"])
def test_staff_and_leaders_are_refused(client, users, username):
    client.force_login(users[username])
    before = Body.objects.count()
    assert client.get(URL).status_code == 403
    assert client.post(URL, data()).status_code == 403
    assert Body.objects.count() == before


def test_an_outsiders_coordinator_may_add_a_body(client, users):
    """Bodies are no agreement's data: tg.coord, in no agreement of Hà Nội, adds one to pick it later."""
    client.force_login(users["tg.coord"])
    assert client.post(URL, data()).status_code == 302
    assert Body.objects.filter(name="Sở Du lịch thành phố Hà Nội").exists()


def test_anonymous_users_are_sent_to_login(client):
    assert client.post(URL, data())["Location"].startswith(reverse("login"))
