"""The fixed parts of a Decree 30/2020 document: date line, header lines, signature, recipients, numbers, charts."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET  # our own markup, not untrusted input
from decimal import Decimal

import pytest

from agreements.models import Agreement, Body, Membership
from reporting.documents import letterhead as lh
from reporting.documents.charts import IndicatorRow, indicator_chart, status_chart

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (datetime.date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (datetime.date(2026, 3, 9), "ngày 09 tháng 3 năm 2026"),
        (datetime.date(2026, 11, 22), "ngày 22 tháng 11 năm 2026"),
        (datetime.date(2025, 12, 1), "ngày 01 tháng 12 năm 2025"),
    ],
)
def test_dates_zero_pad_days_under_ten_and_months_one_and_two(day: datetime.date, expected: str) -> None:
    assert lh.format_date(day) == expected
    assert lh.place_date("Tây Ninh", day) == f"Tây Ninh, {expected}"


@pytest.mark.django_db
def test_header_of_the_long_an_department_on_the_documents_date(demo: None) -> None:
    sct = Body.objects.get(name="Sở Công Thương tỉnh Long An")
    before, after = datetime.date(2025, 1, 10), datetime.date(2026, 1, 5)
    assert lh.body_on(sct, before) == sct
    assert (lh.parent_line(sct), lh.body_line(sct), lh.place_of(sct, before)) == (
        "UBND TỈNH LONG AN",
        "SỞ CÔNG THƯƠNG",
        "Long An",
    )
    # After Resolution 202/2025/QH15 the department that issues is today's, under today's committee.
    today = lh.body_on(sct, after)
    assert today.name == "Sở Công Thương tỉnh Tây Ninh" and today.valid_to is None
    assert (lh.parent_line(today), lh.body_line(today), lh.place_of(today, after)) == (
        "UBND TỈNH TÂY NINH",
        "SỞ CÔNG THƯƠNG",
        "Tây Ninh",
    )
    tg = Body.objects.get(name="Sở Công Thương tỉnh Tiền Giang")
    assert lh.place_of(lh.body_on(tg, after), after) == "Đồng Tháp"
    ubnd = Body.objects.get(name="Ủy ban nhân dân tỉnh Long An", valid_to__isnull=False)
    assert (lh.parent_line(ubnd), lh.body_line(ubnd)) == ("", "ỦY BAN NHÂN DÂN TỈNH LONG AN")
    head = lh.letterhead(today, "05/BC-SCT", after, draft=False)
    assert head.place_date == "Tây Ninh, ngày 05 tháng 01 năm 2026"
    assert 36 < float(head.body_rule.removesuffix("pt")) < 61  # 1/3 to 1/2 of "SỞ CÔNG THƯƠNG" (121.6 pt)


@pytest.mark.parametrize(
    ("title", "kind", "lines"),
    [
        ("Phó Giám đốc", Body.Kind.DEPARTMENT, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]),
        ("Giám đốc", Body.Kind.DEPARTMENT, ["GIÁM ĐỐC"]),
        ("", Body.Kind.DEPARTMENT, ["GIÁM ĐỐC"]),
        ("Phó Chủ tịch", Body.Kind.PEOPLES_COMMITTEE, ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
        ("Chủ tịch", Body.Kind.PEOPLES_COMMITTEE, ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
    ],
)
def test_signature_lines(title: str, kind: str, lines: list[str]) -> None:
    assert lh.signature_lines(title, Body(kind=kind, name="x")) == lines


@pytest.mark.django_db
def test_the_head_signs_before_a_deputy_and_todays_body_before_its_predecessors(demo: None, users: dict) -> None:
    la = Body.objects.get(name="Sở Công Thương tỉnh Long An")
    assert lh.signature(la) == lh.Signature(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], "Lãnh đạo Long An")
    Membership.objects.create(user=users["tn.leader"], body=la, role="leader", title="Giám đốc")
    assert lh.signature(la) == lh.Signature(["GIÁM ĐỐC"], "Lãnh đạo Tây Ninh")
    # Today's department is signed for by its own leaders first, then by those of the departments it succeeded.
    new_tn = Body.objects.get(name="Sở Công Thương tỉnh Tây Ninh", valid_from__isnull=False)
    assert [m.user.username for m in lh.signers(new_tn)] == ["tn.leader", "tn.leader", "la.leader"]
    Membership.objects.create(user=users["admin"], body=new_tn, role="leader", title="Phó Giám đốc")
    assert lh.signers(new_tn)[0].user.username == "admin"
    tg = Body.objects.get(name="Sở Công Thương tỉnh Tiền Giang")
    Membership.objects.filter(body=tg, role="leader").delete()
    assert lh.signature(tg) == lh.Signature(["GIÁM ĐỐC"], "")  # nobody left to sign: the name stays blank


@pytest.mark.django_db
def test_recipients_are_the_other_parties_of_the_documents_date_never_the_issuer(demo: None) -> None:
    programme = Agreement.objects.get(kind="programme")
    parties = list(programme.parties.select_related("body__parent", "coordinating_office"))
    bodies = [p.body for p in parties]
    tn = parties[1]
    before = datetime.date(2025, 3, 1)
    assert lh.recipients(tn.body, bodies, before, office=tn.coordinating_office) == [
        "- Sở Công Thương tỉnh Long An;",
        "- Sở Công Thương tỉnh Tiền Giang;",
        "- UBND tỉnh Tây Ninh (để báo cáo);",
        "- Lưu: VT, KHTC.",
    ]
    # In 2026 Long An's department is the issuer itself (both are today's Tây Ninh department).
    after = datetime.date(2026, 3, 1)
    issuer = lh.body_on(tn.body, after)
    assert lh.recipients(issuer, bodies, after, office=tn.coordinating_office) == [
        "- Sở Công Thương tỉnh Đồng Tháp;",
        "- UBND tỉnh Tây Ninh (để báo cáo);",
        "- Lưu: VT, KHTC.",
    ]


@pytest.mark.django_db
def test_a_city_named_after_a_person_keeps_its_full_name(demo: None) -> None:
    from agreements.models import AdministrativeUnit

    hcm = AdministrativeUnit.objects.filter(short_name="Hồ Chí Minh").order_by("valid_from").last()
    assert hcm is not None
    body = Body.objects.create(kind=Body.Kind.DEPARTMENT, name="Sở Công Thương Thành phố Hồ Chí Minh", unit=hcm)
    assert lh.place_of(body, datetime.date(2026, 1, 5)) == "Thành phố Hồ Chí Minh"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("101000.0000"), "101.000"),
        (Decimal("6.6000"), "6,6"),
        (Decimal("99.97"), "99,97"),
        (0, "0"),
        (None, ""),
    ],
)
def test_vietnamese_numbers(value: Decimal | int | None, text: str) -> None:
    assert lh.vn_number(value) == text


def test_charts_are_self_contained_svg_with_escaped_labels() -> None:
    status = status_chart({"on_track": 3, "done": 1}, no_data=2)
    rows = [
        IndicatorRow('<img src="http://127.0.0.1:9/x.png">', "tỉ USD", Decimal("6.6"), Decimal("3.3"), Decimal("0.5")),
        IndicatorRow("Cụm công nghiệp", "cụm", Decimal(4), None, None),
    ]
    indicators = indicator_chart(rows * 8)
    for svg in (status, indicators):
        root = ET.fromstring(str(svg))  # noqa: S314  well-formed XML
        assert root.tag == f"{SVG}svg" and root.get("viewBox") and root.get("width") == "620"
        assert "Liberation Serif" in root.get("font-family", "")
        for element in root.iter():
            assert element.tag in {f"{SVG}{t}" for t in ("svg", "title", "text", "rect")}, element.tag
            assert not any("href" in name for name in element.attrib), "no external reference"
            assert "class" not in element.attrib and "style" not in element.attrib
    texts = [t.text for t in ET.fromstring(str(indicators)).iter(f"{SVG}text")]  # noqa: S314
    assert '<img src="http://127.0.0.1:9/x.png">' in texts  # a label stays text
    assert "50% (3,3/6,6 tỉ USD)" in texts and "chưa có số liệu" in texts
    assert "… và 4 chỉ tiêu khác (xem Phụ lục)." in texts
    status_texts = [t.text for t in ET.fromstring(str(status)).iter(f"{SVG}text")]  # noqa: S314
    assert "Tổng số: 6 cam kết" in status_texts and "3 (50%)" in status_texts and "Chưa có số liệu" in status_texts
