import datetime as dt

import pytest

from agreements.models import AdministrativeUnit

pytestmark = pytest.mark.django_db

BEFORE = dt.date(2011, 10, 14)
AFTER = dt.date(2026, 1, 5)


def old(short_name: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(short_name=short_name, valid_from__isnull=True)


def new(short_name: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(short_name=short_name, valid_to__isnull=True)


def test_63_before_and_34_after():
    assert AdministrativeUnit.objects.valid_on(dt.date(2025, 6, 30)).count() == 63
    assert AdministrativeUnit.objects.valid_on(dt.date(2025, 7, 1)).count() == 34


@pytest.mark.parametrize(
    ("olds", "today", "code"),
    [
        (["Long An", "Tây Ninh"], "Tây Ninh", "80"),
        (["Bình Phước", "Đồng Nai"], "Đồng Nai", "75"),
        (["Tiền Giang", "Đồng Tháp"], "Đồng Tháp", "82"),
        (["Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu"], "Hồ Chí Minh", "79"),
        (["Bắc Kạn", "Thái Nguyên"], "Thái Nguyên", "19"),
        (["Quảng Bình", "Quảng Trị"], "Quảng Trị", "44"),
        (["Hà Nam", "Nam Định", "Ninh Bình"], "Ninh Bình", "37"),
    ],
)
def test_merged_units_lead_to_todays_unit(olds, today, code):
    for name in olds:
        unit = AdministrativeUnit.objects.filter(short_name=name, valid_to=dt.date(2025, 6, 30)).first()
        assert unit is not None, name
        current = unit.current()
        assert (current.short_name, current.code, current.valid_from) == (today, code, dt.date(2025, 7, 1))


@pytest.mark.parametrize(
    "name",
    [
        "Hà Nội",
        "Cao Bằng",
        "Điện Biên",
        "Lai Châu",
        "Sơn La",
        "Lạng Sơn",
        "Quảng Ninh",
        "Thanh Hóa",
        "Nghệ An",
        "Hà Tĩnh",
        "Huế",
    ],
)
def test_unchanged_units_are_one_record_valid_throughout(name):
    unit = AdministrativeUnit.objects.get(short_name=name)
    assert unit.valid_from is None and unit.valid_to is None
    assert unit.current() == unit and unit.as_of(BEFORE) == unit


def test_what_was_it_then():
    tay_ninh_today = new("Tây Ninh")
    assert tay_ninh_today.as_of(AFTER) == tay_ninh_today
    then = tay_ninh_today.as_of(BEFORE)
    assert then.short_name == "Tây Ninh" and then.code == "72" and then.successor == tay_ninh_today
    assert old("Long An").as_of(AFTER) == tay_ninh_today
    assert old("Long An").as_of(BEFORE) == old("Long An")
