"""The list of agreements (agreements.views.agreement_list), and the same list on the home page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.filters import AgreementFilter
from agreements.models import AdministrativeUnit, Agreement, Body, Party

pytestmark = pytest.mark.django_db


def test_agreement_lists_count_every_party(client, users):
    client.force_login(users["la.staff"])
    for name in ("home", "agreement_list"):
        response = client.get(reverse(name))
        if name == "home":
            counts = {a.title[:30]: a.party_count for a in response.context["agreements"]}
        else:  # the list's rows carry every party, whatever the filter kept (the export counts them)
            counts = {a.title[:30]: len(a.listed_parties) for a in response.context["page"]}
        assert sorted(counts.values()) == [2, 2, 3], (name, counts)


# --- provinces then and now, search and filter across the 2025 merger -------------------------------

LAST_OLD_DAY = dt.date(2025, 6, 30)


def unit(short_name: str, *, old: bool = False) -> AdministrativeUnit:
    units = AdministrativeUnit.objects.filter(short_name=short_name)
    if units.count() == 1:  # unchanged by the merger (Hà Nội, Huế): one record throughout
        return units.get()
    return units.get(valid_to=LAST_OLD_DAY) if old else units.get(valid_to__isnull=True)


def ubnd(short_name: str, *, old: bool = False) -> Body:
    """The unit's UBND (loaded with the units; created here only on a database that lacks it)."""
    where = unit(short_name, old=old)
    name = "Ủy ban nhân dân " + where.name[0].lower() + where.name[1:]
    body, _ = Body.objects.get_or_create(unit=where, kind=Body.Kind.PEOPLES_COMMITTEE, defaults={"name": name})
    return body


def agreement_of(title: str, *bodies: Body, signed_on: dt.date = dt.date(2023, 5, 10), office: Body | None = None):
    agreement = Agreement.objects.create(
        title=title, signed_on=signed_on, period_start=signed_on, period_end=signed_on.replace(year=signed_on.year + 4)
    )
    for order, body in enumerate(bodies, start=1):
        Party.objects.create(
            agreement=agreement, body=body, order=order, coordinating_office=office if order == 1 else None
        )
    return agreement


def titles(queryset) -> set[str]:
    return {agreement.title for agreement in queryset}


def listed(client, **params) -> set[str]:
    response = client.get(reverse("agreement_list"), params)
    assert response.status_code == 200
    return titles(response.context["filter"].qs)


def page_text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def merged(demo):
    """Agreements of provinces that no longer exist under their name, each with a title that names no province."""
    return {
        "ha_nam": agreement_of("Chương trình hợp tác phát triển du lịch", ubnd("Hà Nam", old=True), ubnd("Hà Nội")),
        "binh_phuoc": agreement_of(
            "Thỏa thuận hợp tác nông nghiệp", ubnd("Bình Phước", old=True), ubnd("Lâm Đồng", old=True)
        ),
        "hue": agreement_of("Kế hoạch hợp tác văn hóa", ubnd("Huế"), ubnd("Đà Nẵng", old=True)),
    }


@pytest.mark.parametrize("typed", ["ninh binh", "Ninh Bình", "NINH BÌNH", "  ninh   bình "])
def test_todays_province_finds_its_predecessors_agreements(merged, typed):
    found = titles(AgreementFilter({"q": typed}, queryset=Agreement.objects.all()).qs)
    assert found == {"Chương trình hợp tác phát triển du lịch"}


@pytest.mark.parametrize("typed", ["Đồng Nai", "dong nai", "ĐỒNG NAI"])
def test_dong_nai_finds_binh_phuoc(merged, typed):
    assert titles(AgreementFilter({"q": typed}, queryset=Agreement.objects.all()).qs) == {
        "Thỏa thuận hợp tác nông nghiệp"
    }


def test_an_old_name_finds_its_own_and_todays_agreements(merged):
    today = agreement_of("Kế hoạch hợp tác năm 2026", ubnd("Ninh Bình"), ubnd("Hà Nội"), signed_on=dt.date(2026, 2, 3))
    found = titles(AgreementFilter({"q": "ha nam"}, queryset=Agreement.objects.all()).qs)
    assert found == {"Chương trình hợp tác phát triển du lịch", today.title}
    assert titles(AgreementFilter({"q": "Thừa Thiên Huế"}, queryset=Agreement.objects.all()).qs) == {
        "Kế hoạch hợp tác văn hóa"
    }


def test_a_coordinating_office_in_the_province_counts(merged):
    office = Body.objects.create(
        kind=Body.Kind.OFFICE, name="Văn phòng Ủy ban nhân dân tỉnh Nam Định", unit=unit("Nam Định", old=True)
    )
    agreement_of("Biên bản ghi nhớ về giáo dục", ubnd("Hà Nội"), ubnd("Cần Thơ"), office=office)
    found = titles(AgreementFilter({"q": "ninh binh"}, queryset=Agreement.objects.all()).qs)
    assert "Biên bản ghi nhớ về giáo dục" in found


def test_the_list_page_searches_provinces_as_an_admin_would(client, users, merged):
    client.force_login(users["admin"])
    for typed in ("ninh binh", "Ninh Bình", "NINH BÌNH"):
        assert listed(client, q=typed) == {"Chương trình hợp tác phát triển du lịch"}
    assert listed(client, q="Đồng Nai") == {"Thỏa thuận hợp tác nông nghiệp"}
    demo_titles = titles(Agreement.objects.exclude(pk__in=[a.pk for a in merged.values()]))
    assert len(demo_titles) == 3
    for typed in ("tay ninh", "Tây Ninh", "TÂY NINH"):
        assert listed(client, q=typed) == demo_titles  # every demo agreement has a Tây Ninh party
    assert listed(client, q="Sở Công Thương tỉnh Tiền Giang") == {Agreement.objects.get(kind="programme").title}
    assert listed(client, q="không có tỉnh nào như vậy") == set()


def test_the_province_filter_offers_todays_34_and_the_old_ones(client, users, merged):
    client.force_login(users["admin"])
    field = client.get(reverse("agreement_list")).context["filter"].form.fields["province"]
    groups = {str(label): dict(options) for label, options in list(field.choices)[1:]}
    assert set(groups) == {"Hiện nay", "Trước ngày 01/07/2025"}
    assert len(groups["Hiện nay"]) == 34 and len(groups["Trước ngày 01/07/2025"]) == 52
    assert str(unit("Quảng Trị").pk) in groups["Hiện nay"]
    assert groups["Trước ngày 01/07/2025"][str(unit("Quảng Trị", old=True).pk)] == "Tỉnh Quảng Trị (đến 30/06/2025)"
    assert listed(client, province=unit("Ninh Bình").pk) == {"Chương trình hợp tác phát triển du lịch"}
    assert listed(client, province=unit("Hà Nam", old=True).pk) == {"Chương trình hợp tác phát triển du lịch"}
    assert listed(client, province=unit("Nam Định", old=True).pk) == set()  # a sibling, not a predecessor
    assert listed(client, province=unit("Đồng Nai").pk) == {"Thỏa thuận hợp tác nông nghiệp"}
    assert listed(client, province=unit("Huế").pk) == {"Kế hoạch hợp tác văn hóa"}
    assert listed(client, province=unit("Long An", old=True).pk) == titles(
        Agreement.objects.exclude(pk__in=[a.pk for a in merged.values()])
    )
    assert listed(client, province="999999") == set(titles(Agreement.objects.all()))  # not a choice: ignored


def test_a_filtered_list_still_counts_every_party(client, users, merged):
    client.force_login(users["admin"])
    response = client.get(reverse("agreement_list"), {"q": "ninh binh", "province": unit("Hà Nội").pk})
    (agreement,) = response.context["page"]
    assert len(agreement.listed_parties) == 2


def test_two_parties_now_in_one_province_stay_two_parties_with_then_and_now(client, users):
    client.force_login(users["la.staff"])
    text = page_text(client.get(reverse("agreement_list")))
    now = "nay Tỉnh Tây Ninh (từ 01/07/2025 gồm cả Long An)"
    assert f"Long An → {now} Tây Ninh → {now}" in text  # the 2011 agreement's two parties, one line each


def test_hue_is_named_as_it_was_when_the_agreement_was_signed(client, users, merged):
    later = agreement_of("Kế hoạch hợp tác năm 2026", ubnd("Huế"), ubnd("Quảng Trị"), signed_on=dt.date(2026, 3, 2))
    then = merged["hue"].parties.get(order=1)
    assert (then.place.then, then.name_then) == ("Thừa Thiên Huế", "Ủy ban nhân dân tỉnh Thừa Thiên Huế")
    assert then.place.changed and then.place.now == "Thành phố Huế"
    now = later.parties.get(order=1)
    assert (now.place.then, now.name_then, now.place.changed) == ("Huế", "Ủy ban nhân dân thành phố Huế", False)
    client.force_login(users["admin"])
    text = page_text(client.get(reverse("agreement_list")))
    assert "Kế hoạch hợp tác văn hóa" in text and "Thừa Thiên Huế → nay Thành phố Huế" in text
    assert "Thành phố Huế Tỉnh Quảng Trị (từ 01/07/2025 gồm cả Quảng Bình)" in text


def test_the_list_makes_the_same_queries_for_3_or_30_agreements(client, users, demo, django_assert_num_queries):
    client.force_login(users["admin"])
    bodies = [ubnd("Hà Nam", old=True), ubnd("Huế"), ubnd("Hồ Chí Minh"), ubnd("Bình Dương", old=True)]

    def grow(n: int) -> None:
        for i in range(n):
            agreement_of(f"Thỏa thuận số {Agreement.objects.count() + 1}", *bodies[i % 2 :: 2], bodies[(i + 1) % 4])

    url = reverse("agreement_list")
    for params in ({}, {"q": "ninh binh"}, {"province": unit("Hồ Chí Minh").pk}):
        grow(3)
        with CaptureQueriesContext(connection) as small:
            assert client.get(url, params).status_code == 200
        grow(27)
        with django_assert_num_queries(len(small)):
            response = client.get(url, params)
        assert len(response.context["filter"].qs) > 3, params


def test_a_one_year_plan_is_shown_as_its_year(client, users):
    """The 2021 plan runs from 01/01/2021 to 31/12/2021: "năm 2021" (English "2021"), never "2021–2021"."""
    from django.utils import translation

    from tests.support import switch_language

    plan = Agreement.objects.get(kind=Agreement.Kind.PLAN)
    assert plan.period_label == "năm 2021"
    assert Agreement.objects.get(kind=Agreement.Kind.PROGRAMME).period_label == "2025–2026"
    client.force_login(users["la.staff"])
    page = client.get(reverse("agreement_list")).content.decode()
    assert '<td data-label="Giai đoạn">năm 2021</td>' in page and "2021–2021" not in page
    switch_language(client, "en")
    with translation.override("en"):
        expected = str(plan.period_label)
    page = client.get(reverse("agreement_list")).content.decode()
    assert f">{expected}</td>" in page and "2021–2021" not in page
