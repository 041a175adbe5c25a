import datetime as dt

import pytest
from django.utils import translation

from agreements.models import AdministrativeUnit, AdministrativeUnitName

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


# --- names of the time, what a unit absorbed, one name per entry -----------------------------------


def test_hue_was_thua_thien_hue_until_the_end_of_2024():
    """Resolution 1314/NQ-UBTVQH15: the centrally-run city of Huế from 01/01/2025."""
    hue = AdministrativeUnit.objects.get(short_name="Huế")
    assert hue.name_on(dt.date(2023, 5, 1)) == "Tỉnh Thừa Thiên Huế"
    assert hue.short_name_on(dt.date(2024, 12, 31)) == "Thừa Thiên Huế"
    assert hue.short_name_on(dt.date(2025, 1, 1)) == "Huế"
    assert hue.name_on(dt.date(2026, 1, 5)) == "Thành phố Huế"
    assert "1314/NQ-UBTVQH15" in hue.names.get().basis
    assert old("Long An").name_on(BEFORE) == "Tỉnh Long An"  # never renamed: its one name


def test_a_merged_unit_says_what_it_absorbed():
    assert new("Hồ Chí Minh").display_with_absorbed() == (
        "Thành phố Hồ Chí Minh (từ 01/07/2025 gồm cả Bình Dương, Bà Rịa - Vũng Tàu)"
    )
    assert new("Tây Ninh").display_with_absorbed() == "Tỉnh Tây Ninh (từ 01/07/2025 gồm cả Long An)"
    assert new("Ninh Bình").display_with_absorbed() == "Tỉnh Ninh Bình (từ 01/07/2025 gồm cả Hà Nam, Nam Định)"
    assert AdministrativeUnit.objects.get(short_name="Hà Nội").display_with_absorbed() == "Thành phố Hà Nội"
    assert old("Long An").display_with_absorbed() == "Tỉnh Long An"


def test_a_unit_says_what_it_absorbed_in_the_reader_s_language_each_time():
    """Kept on the instance (a list shares one unit among its parties), per language, not once for all."""
    tay_ninh = new("Tây Ninh")
    with translation.override("en"):
        english = tay_ninh.display_with_absorbed()
    assert english.startswith("Tỉnh Tây Ninh (") and "gồm cả" not in english and "Long An" in english
    with translation.override("vi"):
        assert tay_ninh.display_with_absorbed() == "Tỉnh Tây Ninh (từ 01/07/2025 gồm cả Long An)"
    with translation.override("en"):
        assert tay_ninh.display_with_absorbed() == english


def test_no_two_units_read_the_same():
    """Lists and the admin's autocomplete show str(unit): an old unit carries its end."""
    assert str(old("Quảng Trị")) == "Tỉnh Quảng Trị (đến 30/06/2025)"
    assert str(new("Quảng Trị")) == "Tỉnh Quảng Trị"
    labels = [str(unit) for unit in AdministrativeUnit.objects.all()]
    assert len(labels) == len(set(labels)) == 86


@pytest.mark.parametrize("typed", ["tay ninh", "Tây Ninh", "TÂY NINH", "tây  ninh", "tinh tay ninh"])
def test_a_unit_is_found_by_its_name_with_or_without_diacritics(typed):
    assert {str(unit) for unit in AdministrativeUnit.objects.matching(typed)} == {
        "Tỉnh Tây Ninh",
        "Tỉnh Tây Ninh (đến 30/06/2025)",
    }


def test_a_unit_is_found_by_a_former_name_and_by_word():
    assert [unit.short_name for unit in AdministrativeUnit.objects.matching("thua thien hue")] == ["Huế"]
    assert {unit.short_name for unit in AdministrativeUnit.objects.matching("Bà Rịa – Vũng Tàu")} == {
        "Bà Rịa - Vũng Tàu"
    }
    assert {unit.short_name for unit in AdministrativeUnit.objects.matching("tp ho chi minh")} == {"Hồ Chí Minh"}
    # "an" starts a word of Long An, An Giang, Nghệ An; it does not find every "Thành phố".
    found = {unit.short_name for unit in AdministrativeUnit.objects.matching("an")}
    assert {"Long An", "An Giang", "Nghệ An"} <= found and "Hà Nội" not in found
    assert not AdministrativeUnit.objects.matching("  ").exists()


def test_a_lineage_runs_both_ways_but_not_sideways():
    def names(*units):
        ids = AdministrativeUnit.objects.lineage_ids(unit.pk for unit in units)
        return sorted(str(unit) for unit in AdministrativeUnit.objects.filter(pk__in=ids))

    assert names(new("Ninh Bình")) == [
        "Tỉnh Hà Nam (đến 30/06/2025)",
        "Tỉnh Nam Định (đến 30/06/2025)",
        "Tỉnh Ninh Bình",
        "Tỉnh Ninh Bình (đến 30/06/2025)",
    ]
    assert names(old("Hà Nam")) == ["Tỉnh Hà Nam (đến 30/06/2025)", "Tỉnh Ninh Bình"]
    assert names(AdministrativeUnit.objects.get(short_name="Huế")) == ["Thành phố Huế"]


def test_a_former_name_typed_in_the_admin_is_searchable_at_once():
    quang_tri = new("Quảng Trị")
    former = AdministrativeUnitName.objects.create(
        unit=quang_tri, name="Tỉnh Bình Trị Thiên", short_name="Bình Trị Thiên", valid_to=dt.date(1989, 6, 30)
    )
    assert str(former) == "Tỉnh Bình Trị Thiên (đến 30/06/1989)"
    assert list(AdministrativeUnit.objects.matching("binh tri thien")) == [quang_tri]
    former.delete()
    assert not AdministrativeUnit.objects.matching("binh tri thien").exists()
