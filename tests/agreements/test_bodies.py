"""Bodies across the 2025 merger: every province's People's Committee, and what any body is today.

Every one of the 63 old and 34 new units has its UBND from the migration on (the demo reuses them);
a department created for an old province finds today's counterpart through its unit and function
unless an explicit successor says otherwise; names follow the unit's name of the time.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from agreements.access import members_with_role, roles_by_body
from agreements.models import AdministrativeUnit, Body, Membership, Role
from tests.support import load_demo

pytestmark = pytest.mark.django_db

LAST_OLD_DAY = dt.date(2025, 6, 30)
MERGER_DAY = dt.date(2025, 7, 1)
DEPARTMENT = Body.Kind.DEPARTMENT
UBND = Body.Kind.PEOPLES_COMMITTEE


def old(short_name: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(short_name=short_name, valid_to=LAST_OLD_DAY)


def new(short_name: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(short_name=short_name, valid_to__isnull=True)


def ubnd(unit: AdministrativeUnit) -> Body:
    return Body.objects.get(unit=unit, kind=UBND)


def department(name: str, unit: AdministrativeUnit, **fields) -> Body:
    return Body.objects.create(kind=DEPARTMENT, name=name, unit=unit, **fields)


# --- one People's Committee per unit, old handing over to new ---------------------------------------


def test_every_old_and_new_unit_has_exactly_one_ubnd(demo):
    for day, expected in ((LAST_OLD_DAY, 63), (MERGER_DAY, 34)):
        units = list(AdministrativeUnit.objects.valid_on(day))
        assert len(units) == expected
        counts = {unit.name: unit.bodies.filter(kind=UBND).count() for unit in units}
        assert set(counts.values()) == {1}, {name: n for name, n in counts.items() if n != 1}
    assert Body.objects.filter(kind=UBND).count() == AdministrativeUnit.objects.count() == 86


def test_ubnd_names_are_the_official_ones(demo):
    assert ubnd(old("Long An")).name == "Ủy ban nhân dân tỉnh Long An"
    assert ubnd(new("Hồ Chí Minh")).name == "Ủy ban nhân dân thành phố Hồ Chí Minh"
    hue = ubnd(AdministrativeUnit.objects.get(short_name="Huế"))
    assert (hue.name, hue.abbreviation, hue.valid_from, hue.valid_to) == (
        "Ủy ban nhân dân thành phố Huế",
        "UBND",
        None,
        None,
    )


@pytest.mark.parametrize(
    ("olds", "today"),
    [
        (["Long An", "Tây Ninh"], "Tây Ninh"),
        (["Tiền Giang", "Đồng Tháp"], "Đồng Tháp"),
        (["Hà Nam", "Nam Định", "Ninh Bình"], "Ninh Bình"),
        (["Bình Phước", "Đồng Nai"], "Đồng Nai"),
        (["Quảng Bình", "Quảng Trị"], "Quảng Trị"),
        (["Bình Dương", "Bà Rịa - Vũng Tàu", "Hồ Chí Minh"], "Hồ Chí Minh"),
        (["Bắc Kạn", "Thái Nguyên"], "Thái Nguyên"),
    ],
)
def test_an_old_ubnd_hands_over_to_the_new_units_ubnd(demo, olds, today):
    successor = ubnd(new(today))
    assert successor.valid_from == MERGER_DAY and successor.valid_to is None
    for name in olds:
        before = ubnd(old(name))
        assert (before.valid_to, before.successor) == (LAST_OLD_DAY, successor), name
        assert before.current() == successor
    assert str(ubnd(old("Quảng Trị"))) == "Ủy ban nhân dân tỉnh Quảng Trị (đến 30/06/2025)"


def test_every_old_ubnd_of_a_merged_unit_has_the_new_ubnd_as_successor(demo):
    for body in Body.objects.filter(kind=UBND, unit__successor__isnull=False).select_related("unit", "successor"):
        assert body.successor is not None and body.successor.unit_id == body.unit.successor_id, body.name
    unchanged = Body.objects.filter(kind=UBND, unit__valid_from__isnull=True, unit__valid_to__isnull=True)
    assert unchanged.count() == 11 and not unchanged.filter(successor__isnull=False).exists()


def test_the_demo_reuses_the_loaded_ubnds(demo):
    """The demo names UBNDs of Long An, Tây Ninh and Tiền Giang: loading it again adds none."""
    before = Body.objects.count()
    load_demo()
    assert Body.objects.count() == before
    la = ubnd(old("Long An"))
    assert la.children.filter(name="Sở Công Thương tỉnh Long An").exists()  # the demo's department hangs under it
    assert ubnd(new("Tây Ninh")).children.filter(name="Sở Công Thương tỉnh Tây Ninh").exists()


# --- what a body is today ---------------------------------------------------------------------------


def test_a_body_of_an_old_unit_is_valid_until_its_unit_ended(demo):
    quang_binh = department("Sở Công Thương tỉnh Quảng Bình", old("Quảng Bình"))
    assert quang_binh.valid_to == LAST_OLD_DAY
    assert str(quang_binh) == "Sở Công Thương tỉnh Quảng Bình (đến 30/06/2025)"
    assert quang_binh.is_valid_on(LAST_OLD_DAY) and not quang_binh.is_valid_on(MERGER_DAY)
    assert department("Sở Công Thương tỉnh Quảng Trị", new("Quảng Trị")).valid_to is None


def test_a_department_of_an_old_province_finds_its_counterpart_in_the_merged_one(demo):
    quang_binh = department("Sở Công Thương tỉnh Quảng Bình", old("Quảng Bình"))
    assert quang_binh.function == "Sở Công Thương"
    assert quang_binh.current() == quang_binh  # no counterpart yet: it ended
    quang_tri = department("Sở Công Thương tỉnh Quảng Trị", new("Quảng Trị"))
    assert quang_binh.current() == quang_tri
    assert [b.pk for b in quang_binh.chain()] == [quang_binh.pk, quang_tri.pk]
    assert quang_binh.today_label() == "Sở Công Thương tỉnh Quảng Trị (Tỉnh Quảng Trị)"
    # The old Quảng Trị department of the same function lands on the same body.
    assert department("Sở Công Thương tỉnh Quảng Trị", old("Quảng Trị")).current() == quang_tri


def test_an_explicit_successor_wins(demo):
    finance = department("Sở Tài chính tỉnh Quảng Bình", old("Quảng Bình"), valid_from=dt.date(2025, 3, 1))
    planning = department(
        "Sở Kế hoạch và Đầu tư tỉnh Quảng Bình", old("Quảng Bình"), valid_to=dt.date(2025, 2, 28), successor=finance
    )
    department("Sở Kế hoạch và Đầu tư tỉnh Quảng Trị", new("Quảng Trị"))  # a same-named body must not win
    new_finance = department("Sở Tài chính tỉnh Quảng Trị", new("Quảng Trị"))
    assert [b.pk for b in planning.chain()] == [planning.pk, finance.pk, new_finance.pk]
    assert planning.current() == new_finance


def test_a_body_without_counterpart_shows_it_ended_and_where_its_place_is_now(demo):
    tourism = department("Sở Du lịch tỉnh Quảng Bình", old("Quảng Bình"))
    assert tourism.current() == tourism
    assert tourism.today_label() == (
        "Sở Du lịch tỉnh Quảng Bình (đến 30/06/2025), đã hết hiệu lực; "
        "địa bàn nay thuộc Tỉnh Quảng Trị (từ 01/07/2025 gồm cả Quảng Bình)"
    )
    assert Body.objects.get(name="Sở Công Thương tỉnh Long An").today_label() == (
        "Sở Công Thương tỉnh Tây Ninh (Tỉnh Tây Ninh)"
    )


def test_todays_members_act_for_a_counterparts_predecessor(demo):
    """The backward walk (roles) agrees with the forward one (current): Quảng Trị's staff act for Quảng Bình's."""
    quang_binh = department("Sở Công Thương tỉnh Quảng Bình", old("Quảng Bình"))
    quang_tri = department("Sở Công Thương tỉnh Quảng Trị", new("Quảng Trị"))
    staff = User.objects.create(username="qt.staff")
    Membership.objects.create(user=staff, body=quang_tri, role=Role.STAFF)
    assert roles_by_body(staff)[quang_binh.pk] == {Role.STAFF}
    assert set(Body.objects.predecessors_of([quang_tri.pk])) == {quang_tri.pk, quang_binh.pk}
    assert list(members_with_role(quang_binh, Role.STAFF)) == [staff]
    # A Sở of another function in Quảng Trị answers for nothing of Quảng Bình's.
    tourism = department("Sở Du lịch tỉnh Quảng Trị", new("Quảng Trị"))
    assert set(Body.objects.predecessors_of([tourism.pk])) == {tourism.pk}


def test_a_body_cannot_outlive_its_unit(demo):
    body = Body(
        kind=DEPARTMENT, name="Sở Công Thương tỉnh Quảng Bình", unit=old("Quảng Bình"), valid_to=dt.date(2026, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        body.full_clean()
    assert "sau ngày đơn vị hành chính hết hiệu lực (30/06/2025)" in exc.value.message_dict["valid_to"][0]
    early = Body(
        kind=DEPARTMENT, name="Sở Công Thương tỉnh Quảng Trị", unit=new("Quảng Trị"), valid_from=dt.date(2025, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        early.full_clean()
    assert "trước đơn vị hành chính (01/07/2025)" in exc.value.message_dict["valid_from"][0]


# --- function and names of the time ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "function"),
    [
        ("Sở Công Thương tỉnh Quảng Bình", "Sở Công Thương"),
        ("Sở Công Thương Quảng Bình", "Sở Công Thương"),
        ("Ủy ban nhân dân tỉnh Quảng Bình", "Ủy ban nhân dân"),
        ("Phòng Kế hoạch - Tài chính, Sở Công Thương tỉnh Quảng Bình", "Phòng Kế hoạch - Tài chính, Sở Công Thương"),
        ("Ban Quản lý Khu kinh tế", ""),  # names no place: no counterpart is guessed
        ("Quảng Bình", ""),
    ],
)
def test_the_function_is_the_name_without_its_place(name, function):
    from agreements.naming import function_of

    assert function_of(name, [("Tỉnh Quảng Bình", "Quảng Bình")]) == function


def test_every_peoples_committee_has_the_same_function(demo):
    assert set(Body.objects.filter(kind=UBND).values_list("function", flat=True)) == {"Ủy ban nhân dân"}
    # A name as an administrator might type it still gets the People's Committee's function.
    typed = Body.objects.create(kind=UBND, name="UBND tỉnh Quảng Trị", unit=new("Quảng Trị"))
    assert typed.function == "Ủy ban nhân dân"


def test_the_longest_place_wins():
    from agreements.naming import function_of

    places = [("Thành phố Huế", "Huế"), ("Tỉnh Thừa Thiên Huế", "Thừa Thiên Huế")]
    assert function_of("Sở Công Thương tỉnh Thừa Thiên Huế", places) == "Sở Công Thương"
    assert function_of("Sở Công Thương thành phố Huế", places) == "Sở Công Thương"


def test_a_body_is_named_as_its_unit_was_at_the_time(demo):
    hue = ubnd(AdministrativeUnit.objects.get(short_name="Huế"))
    assert hue.name_on(dt.date(2023, 5, 1)) == "Ủy ban nhân dân tỉnh Thừa Thiên Huế"
    assert hue.name_on(dt.date(2024, 12, 31)) == "Ủy ban nhân dân tỉnh Thừa Thiên Huế"
    assert hue.name_on(dt.date(2025, 1, 1)) == "Ủy ban nhân dân thành phố Huế"
    assert hue.name_on(dt.date(2026, 1, 5)) == "Ủy ban nhân dân thành phố Huế"
    ubnd_la = ubnd(old("Long An"))
    assert ubnd_la.name_on(dt.date(2011, 10, 14)) == "Ủy ban nhân dân tỉnh Long An"


def test_search_names_are_folded_on_save(demo):
    body = department("Sở Kế hoạch và Đầu tư tỉnh Quảng Bình", old("Quảng Bình"), abbreviation="SKHĐT")
    assert body.search_name == "so ke hoach va dau tu tinh quang binh | skhdt"
    body.name = "Sở KH&ĐT tỉnh Quảng Bình"
    body.save(update_fields=["name"])  # as update_or_create saves: the derived columns still follow
    body.refresh_from_db()
    assert body.search_name == "so kh&dt tinh quang binh | skhdt"
