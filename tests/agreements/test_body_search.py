"""The party picker's suggestions (agreements.edit_views.body_search, agreements.pickers): bodies by name,
with or without diacritics, old and new units told apart by their validity, at most 20, in one query.

For those who enter agreements (coordinators, admins); staff and leaders are refused (403), and the
route names no agreement, so a coordinator of another province's department gets answers too.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from agreements import pickers
from agreements.models import Body
from tests.agreements.editing import body, ubnd, unit

pytestmark = pytest.mark.django_db

URL = reverse("body_search")


def search(client, **params: str) -> list[dict[str, object]]:
    response = client.get(URL, params)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    results: list[dict[str, object]] = response.json()["results"]
    return results


@pytest.fixture
def coordinator(client, users):
    client.force_login(users["tn.coord"])
    return client


def test_old_and_new_tay_ninh_without_diacritics(coordinator):
    results = search(coordinator, q="ubnd tay ninh")
    assert [r["label"] for r in results[:2]] == [
        "Ủy ban nhân dân tỉnh Tây Ninh (từ 01/07/2025)",
        "Ủy ban nhân dân tỉnh Tây Ninh (đến 30/06/2025)",
    ]
    assert results[0]["unit"] == "Tỉnh Tây Ninh" and results[1]["unit"] == "Tỉnh Tây Ninh (đến 30/06/2025)"
    assert results[0]["id"] == ubnd("Tây Ninh").pk and results[0]["kind"] == "Ủy ban nhân dân"


def test_the_signing_day_keeps_the_bodies_valid_then(coordinator):
    before = search(coordinator, q="Sở Công Thương Long An", on="2011-10-14")
    assert [r["name"] for r in before] == [
        "Sở Công Thương tỉnh Long An",
        "Phòng Kế hoạch - Tài chính, Sở Công Thương tỉnh Long An",  # its office: more words than typed
    ]
    assert search(coordinator, q="Sở Công Thương Long An", on="2026-01-15") == []
    after = search(coordinator, q="ubnd tay ninh", on="2026-01-15")
    assert [r["validity"] for r in after] == ["từ 01/07/2025"]


def test_any_case_and_former_names(coordinator):
    assert search(coordinator, q="SỞ CÔNG THƯƠNG TIỀN GIANG")[0]["name"] == "Sở Công Thương tỉnh Tiền Giang"
    assert search(coordinator, q="ubnd thua thien hue")[0]["id"] == ubnd("Huế").pk
    assert search(coordinator, q="ubnd tp hcm")[0]["id"] == ubnd("Hồ Chí Minh").pk


def test_units_keep_a_party_s_province(coordinator):
    units = sorted(unit_id for unit_id in pickers.province_units([ubnd("Tây Ninh")])[ubnd("Tây Ninh").pk])
    assert set(units) == {unit("Tây Ninh").pk, unit("Tây Ninh", old=True).pk, unit("Long An", old=True).pk}
    results = search(coordinator, q="so cong thuong", units=",".join(map(str, units)))
    names = {str(r["name"]) for r in results}
    assert {"Sở Công Thương tỉnh Tây Ninh", "Sở Công Thương tỉnh Long An"} <= names
    assert not any("Đồng Tháp" in name or "Tiền Giang" in name for name in names)


def test_at_most_twenty_in_one_query(coordinator, django_assert_max_num_queries):
    # The session (read, and its last activity written), the user, their roles (memberships and the bodies they
    # succeeded), the search: none per body found.
    with django_assert_max_num_queries(8):
        results = search(coordinator, q="ubnd")
    assert len(results) == 20
    assert Body.objects.filter(kind=Body.Kind.PEOPLES_COMMITTEE).count() > 20


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}, {"q": "x" * 5000}])
def test_odd_queries_answer_quietly(coordinator, params):
    assert search(coordinator, **params) == []


def test_a_day_not_in_iso_form_is_no_filter(coordinator):
    assert len(search(coordinator, q="ubnd tay ninh", on="15/01/2026")) == len(search(coordinator, q="ubnd tay ninh"))


def test_units_given_oddly_are_ignored_not_an_error(coordinator):
    assert search(coordinator, q="ubnd tay ninh", units="1,x,²,99999999999999999999999") == []


def test_staff_and_leaders_are_refused(client, users):
    for username in ("la.staff", "la.leader", "tg.staff"):
        client.force_login(users[username])
        assert client.get(URL, {"q": "ubnd"}).status_code == 403


def test_an_outsiders_coordinator_may_search(client, users):
    """Bodies are no agreement's data: a coordinator of a department in no agreement here still picks parties."""
    client.force_login(users["tg.coord"])
    assert search(client, q="so cong thuong dong thap")[0]["id"] == body("Sở Công Thương tỉnh Đồng Tháp").pk


def test_anonymous_users_are_sent_to_login(client):
    assert client.get(URL, {"q": "ubnd"})["Location"].startswith(reverse("login"))


def test_resolution_prefers_the_full_name():
    """ "ubnd tay ninh" is the People's Committee, not its office, once the day leaves one of each."""
    committee = ubnd("Tây Ninh")
    Body.objects.create(
        kind=Body.Kind.OFFICE, name="Văn phòng Ủy ban nhân dân tỉnh Tây Ninh", unit=committee.unit, parent=committee
    )
    import datetime as dt

    found = pickers.resolve("ubnd tay ninh", on=dt.date(2026, 1, 1), strict=True)
    assert found.body == committee
    found = pickers.resolve("ubnd tay ninh")
    assert found.body is None and len(found.choices) == 3 and "khớp với 3 cơ quan" in found.error
