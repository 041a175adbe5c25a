"""Issue 8, done when: a programme of ten province-level parties signed in 2023, after the 2025 merger.

Ten provincial People's Committees (the UBND of each old unit, loaded by the migrations) sign one
programme on 15/03/2023.  By 2026 they are nine provinces:

- Long An and Tây Ninh both became Tây Ninh (two parties, one province, one UBND, one register);
- Hà Nam became Ninh Bình, Bình Phước Đồng Nai, Bình Dương Thành phố Hồ Chí Minh (its place keeps its
  full name, Decree 30), Quảng Bình Quảng Trị, Bắc Kạn Thái Nguyên;
- Hà Nội and Nghệ An did not change, and Huế only changed its name (Thừa Thiên Huế until 31/12/2024).

Each party has a coordinating office (Văn phòng UBND) whose staff and coordinators, and a Chủ tịch and
a Phó Chủ tịch, are members of today's bodies, as real users in 2026 are.  One module-scoped fixture
builds the programme, fills and approves every report of 2026 through reporting.workflow, requests the
agreement page and the searches, issues (cấp số) every kind of document through the page and downloads
it, then rolls the database back; the tests read what it kept.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse

from agreements.models import AdministrativeUnit, Agreement, Body, Commitment, CooperationItem, Membership, Party, Role
from core import clock
from meetings.documents import YearlyReviewDocument
from reporting import workflow
from reporting.documents.kinds import BaseDocument, ConsolidatedReportDocument, PartyReportDocument
from reporting.models import OfficialDocument, ProgressReport
from tests.support import (
    A4,
    ASSESSMENT,
    NEXT_TASKS,
    SHORTCOMINGS,
    STATUSES,
    ensure_demo,
    issue_via_page,
    nfc,
    pdf_text,
    words_by_page,
)

# Every test is marked, even those that only read what the module fixture kept: pytest-django creates the
# test database only when a collected test asks for it, and the fixture must never write to the real one.
pytestmark = pytest.mark.django_db

TITLE = "Chương trình hợp tác phát triển kinh tế - xã hội giữa mười tỉnh, thành phố giai đoạn 2023 - 2027"
SIGNED_ON = datetime.date(2023, 3, 15)


@dataclass(frozen=True)
class Province:
    """A party: the old unit's key, its UBND's name in 2023, today's UBND, the place of a 2026 document."""

    key: str
    then: str  # "Ủy ban nhân dân tỉnh Thừa Thiên Huế"
    now: str  # "Ủy ban nhân dân thành phố Huế"
    place: str  # "Huế", "Thành phố Hồ Chí Minh"
    login: str  # users of today's province: ubnd.<login>.staff, .coord, .chair, .deputy

    @property
    def recipient(self) -> str:
        return "UBND " + self.now.removeprefix("Ủy ban nhân dân ")

    @property
    def body_line(self) -> str:
        return self.now.upper()


# Written out by hand from Resolution 202/2025/QH15 (../shared/domain.md), not derived from the code.
PROVINCES = [
    Province("thanhphohanoi", "Ủy ban nhân dân thành phố Hà Nội", "Ủy ban nhân dân thành phố Hà Nội", "Hà Nội", "hn"),
    Province("thanhphohue", "Ủy ban nhân dân tỉnh Thừa Thiên Huế", "Ủy ban nhân dân thành phố Huế", "Huế", "hue"),
    Province("tinhlongan", "Ủy ban nhân dân tỉnh Long An", "Ủy ban nhân dân tỉnh Tây Ninh", "Tây Ninh", "tn"),
    Province("tinhtayninh", "Ủy ban nhân dân tỉnh Tây Ninh", "Ủy ban nhân dân tỉnh Tây Ninh", "Tây Ninh", "tn"),
    Province("tinhhanam", "Ủy ban nhân dân tỉnh Hà Nam", "Ủy ban nhân dân tỉnh Ninh Bình", "Ninh Bình", "nb"),
    Province("tinhbinhphuoc", "Ủy ban nhân dân tỉnh Bình Phước", "Ủy ban nhân dân tỉnh Đồng Nai", "Đồng Nai", "dn"),
    Province(
        "tinhbinhduong",
        "Ủy ban nhân dân tỉnh Bình Dương",
        "Ủy ban nhân dân thành phố Hồ Chí Minh",
        "Thành phố Hồ Chí Minh",
        "hcm",
    ),
    Province("tinhnghean", "Ủy ban nhân dân tỉnh Nghệ An", "Ủy ban nhân dân tỉnh Nghệ An", "Nghệ An", "na"),
    Province("tinhquangbinh", "Ủy ban nhân dân tỉnh Quảng Bình", "Ủy ban nhân dân tỉnh Quảng Trị", "Quảng Trị", "qt"),
    Province("tinhbackan", "Ủy ban nhân dân tỉnh Bắc Kạn", "Ủy ban nhân dân tỉnh Thái Nguyên", "Thái Nguyên", "tng"),
]
BY_KEY = {p.key: p for p in PROVINCES}

GIVEN_NAMES = ["Được", "Hương", "Thắng", "Tuyết", "Khải", "Ánh", "Quỳnh", "Hiếu", "Nghĩa", "Vĩnh"]

ITEMS = [
    ("investment", "Phối hợp tổ chức hội nghị xúc tiến đầu tư liên vùng, giới thiệu quỹ đất khu công nghiệp."),
    ("trade", "Kết nối cung - cầu, đưa đặc sản của các tỉnh vào hệ thống phân phối hiện đại."),
    ("tourism", "Xây dựng tour, tuyến du lịch kết nối di sản Huế - Nghệ An - Hà Nội và vùng Đông Nam Bộ."),
    ("science", "Chia sẻ dữ liệu, phối hợp chuyển đổi số trong quản lý nhà nước về kinh tế."),
]


@dataclass
class Doc:
    """One issued and downloaded PDF, with what it must say."""

    issuer: Province
    number: str  # "01/BC-UBND", written by hand
    signature: list[str]
    signer: str
    text: str = ""
    first_page: list[tuple[float, float, float, float, str]] = field(default_factory=list)
    issuing_body_id: int | None = None  # as stored when issued
    stored_number: int | None = None


@dataclass
class Seen:
    """What the fixture saw before the rollback."""

    agreement_id: int = 0
    page: str = ""
    page_rows: list[tuple[str, str]] = field(default_factory=list)
    now_ids: dict[str, int] = field(default_factory=dict)  # key -> pk of today's body
    internal_today: bool = True
    found: dict[str, bool] = field(default_factory=dict)  # search -> the programme is listed
    docs: dict[str, Doc] = field(default_factory=dict)


def build(users: dict[str, Any]) -> tuple[Agreement, dict[str, Party]]:
    """The programme as a coordinator would enter it, with the people of 2026 on today's bodies."""
    User = get_user_model()
    agreement = Agreement.objects.create(
        kind=Agreement.Kind.PROGRAMME,
        number="01/CTr-LT",
        title=TITLE,
        signed_on=SIGNED_ON,
        signed_at="Hà Nội",
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2027, 12, 31),
        status=Agreement.Status.IN_FORCE,
    )
    items = [
        CooperationItem.objects.create(agreement=agreement, number=n, sector_id=sector, text=text)
        for n, (sector, text) in enumerate(ITEMS, start=1)
    ]
    parties: dict[str, Party] = {}
    for order, province in enumerate(PROVINCES, start=1):
        ubnd = Body.objects.get(kind=Body.Kind.PEOPLES_COMMITTEE, unit__key=province.key, valid_from__isnull=True)
        office = Body.objects.create(
            kind=Body.Kind.OFFICE,
            name=f"Văn phòng {ubnd.name}",
            abbreviation="VP",
            unit=ubnd.unit,
            parent=ubnd,
        )
        today_ubnd: Body = ubnd.current()
        if today_ubnd.pk != ubnd.pk:  # today's province has its own office (once, for Long An and Tây Ninh)
            Body.objects.get_or_create(
                kind=Body.Kind.OFFICE,
                name=f"Văn phòng {today_ubnd.name}",
                unit=today_ubnd.unit,
                defaults={"abbreviation": "VP", "parent": today_ubnd, "valid_from": today_ubnd.valid_from},
            )
        today_office: Body = office.current()
        assert today_office.unit_id == today_ubnd.unit_id, "the office hands over with its province"
        given = GIVEN_NAMES[order - 1]
        people = [
            ("staff", today_office, Role.STAFF, "Chuyên viên", f"Lê Thị {given}"),
            ("coord", today_office, Role.COORDINATOR, "Phó Chánh Văn phòng", f"Trần Quốc {given}"),
            ("chair", today_ubnd, Role.LEADER, "Chủ tịch", f"Nguyễn Văn {given}"),
            ("deputy", today_ubnd, Role.LEADER, "Phó Chủ tịch", f"Phạm Thị {given}"),
        ]
        for suffix, body, role, title, name in people:
            username = f"ubnd.{province.login}.{suffix}"
            if username not in users:
                users[username] = User.objects.create_user(username, first_name=name)
                Membership.objects.create(user=users[username], body=body, role=role, title=title)
        parties[province.key] = Party.objects.create(
            agreement=agreement,
            body=ubnd,
            coordinating_office=office,
            signatory_title="Chủ tịch Ủy ban nhân dân",
            order=order,
            hosts_next_meeting=province.key == "tinhnghean",
        )
        for offset in range(2):
            item = items[(order + offset) % len(items)]
            indicator = offset == 1
            Commitment.objects.create(
                item=item,
                responsible_party=parties[province.key],
                description=f"{ubnd.name_on(SIGNED_ON)} chủ trì: {item.text[:60].rstrip(',. ')} ({order}.{offset + 1})",
                indicator_name="Số doanh nghiệp tham gia" if indicator else "",
                indicator_unit="doanh nghiệp" if indicator else "",
                baseline=Decimal(0) if indicator else None,
                target=Decimal(40) if indicator else None,
                order=offset + 1,
            )
    return agreement, parties


def fill_and_approve(users: dict[str, Any], report: ProgressReport, province: Province) -> None:
    """Today's staff write every entry and the texts and send them; today's coordinator approves."""
    staff, coordinator = users[f"ubnd.{province.login}.staff"], users[f"ubnd.{province.login}.coord"]
    for index, entry in enumerate(report.entries.select_related("commitment").order_by("commitment__order")):
        status, percent = STATUSES[index % len(STATUSES)]
        values: dict[str, Any] = {
            "status": status,
            "percent_complete": percent,
            "results": f"Kết quả của {province.then} năm 2026, cam kết {entry.commitment.order}.",
        }
        if entry.commitment.target is not None:
            values["actual_value"] = entry.commitment.target * Decimal(percent) / 100
        workflow.save_entry(staff, entry, values, entry.version)
    report.refresh_from_db()
    texts = {"overall_assessment": ASSESSMENT, "shortcomings": SHORTCOMINGS, "next_period_tasks": NEXT_TASKS}
    report = workflow.save_report_fields(staff, report, texts, report.version)
    workflow.submit_report(staff, report)
    workflow.approve_report(coordinator, report)


def signature_of(title: str, name: str) -> list[str]:
    """A People's Committee signs collectively (TM.); a deputy for the head (KT.)."""
    if title == "Phó Chủ tịch":
        return ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", name]
    return ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", name]


@pytest.fixture(scope="module")
def seen(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Seen:
    out = tmp_path_factory.mktemp("ten-party")
    media = tmp_path_factory.mktemp("media")
    result = Seen()
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)), transaction.atomic():
        ensure_demo()
        users = {u.username: u for u in get_user_model().objects.all()}
        agreement, parties = build(users)
        result.agreement_id = agreement.pk
        today = clock.today()
        opened = workflow.open_reporting_periods(agreement, today)
        periods_2026 = [p for p in opened if p.year == 2026]
        assert [p.label for p in periods_2026] == ["6 tháng đầu năm 2026", "6 tháng cuối năm 2026"]
        first_half = periods_2026[0]
        for period in periods_2026:  # the yearly review needs the whole year approved
            for province in PROVINCES:
                fill_and_approve(users, period.reports.get(party=parties[province.key]), province)
        result.now_ids = {key: party.body.current().pk for key, party in parties.items()}

        # The agreement page, as the coordinator of today's Tây Ninh (who acts for Long An and Tây Ninh).
        client = Client()
        client.force_login(users["ubnd.tn.coord"])
        response = client.get(reverse("agreement_detail", args=[agreement.pk]))
        assert response.status_code == 200
        result.page = response.content.decode()
        result.internal_today = response.context["internal_today"]
        result.page_rows = [(p.name_then, p.body.current().name) for p in response.context["parties"]]

        # The search, as the site administrator.
        admin = Client()
        admin.force_login(users["admin"])
        ninh_binh = AdministrativeUnit.objects.get(key="tinhninhbinh", valid_to__isnull=True)
        ca_mau = AdministrativeUnit.objects.get(key="tinhcamau", valid_to__isnull=True)
        ha_nam = AdministrativeUnit.objects.get(key="tinhhanam")
        searches = {
            **{
                f"q={q}": {"q": q}
                for q in ["Ninh Bình", "ninh binh", "Đồng Nai", "ho chi minh", "Thái Nguyên", "Cà Mau"]
            },
            "province=Ninh Bình": {"province": str(ninh_binh.pk)},
            "province=Hà Nam": {"province": str(ha_nam.pk)},
            "province=Cà Mau": {"province": str(ca_mau.pk)},
        }
        for name, params in searches.items():
            response = admin.get(reverse("agreement_list"), params)
            assert response.status_code == 200
            listed = agreement in response.context["filter"].qs
            assert listed == (TITLE in response.content.decode()), name
            result.found[name] = listed

        # Every PDF, issued through the page by a coordinator of the issuing party, then downloaded.
        def issue(name: str, document: BaseDocument, key: str, signer: str, url: str, number: str) -> None:
            province = BY_KEY[key]
            actor = Client()
            actor.force_login(users[f"ubnd.{province.login}.coord"])
            assert issue_via_page(actor, document, signer=f"ubnd.{province.login}.{signer}").status_code == 302
            stored = OfficialDocument.objects.get(key=document.key, is_current=True)
            title = "Chủ tịch" if signer == "chair" else "Phó Chủ tịch"
            doc = Doc(
                province, number, signature_of(title, users[f"ubnd.{province.login}.{signer}"].first_name), signer
            )
            response = actor.get(url)
            assert response.status_code == 200, (name, response.status_code)
            doc.text = pdf_text(response, out, f"{name}.pdf")
            doc.first_page = words_by_page(out / f"{name}.pdf")[0]
            doc.issuing_body_id, doc.stored_number = stored.issuing_body_id, stored.number
            result.docs[name] = doc

        for name, key, signer, number in [
            ("report-long-an", "tinhlongan", "deputy", "01/BC-UBND"),
            ("report-tay-ninh", "tinhtayninh", "chair", "02/BC-UBND"),
            ("report-hue", "thanhphohue", "chair", "01/BC-UBND"),
            ("report-binh-duong", "tinhbinhduong", "deputy", "01/BC-UBND"),
            ("report-ha-nam", "tinhhanam", "chair", "01/BC-UBND"),
        ]:
            report = ProgressReport.objects.get(period=first_half, party=parties[key])
            document: BaseDocument = PartyReportDocument(report)
            issue(name, document, key, signer, document.url(), number)
        for name, key, signer, number in [
            ("consolidated-ha-noi", "thanhphohanoi", "chair", "01/BC-UBND"),
            ("consolidated-long-an", "tinhlongan", "deputy", "03/BC-UBND"),
        ]:
            document = ConsolidatedReportDocument(first_half, parties[key])
            issue(name, document, key, signer, f"{document.url()}?party={parties[key].pk}", number)
        document = YearlyReviewDocument(agreement, 2026, parties["tinhbinhphuoc"])
        url = f"{document.url()}?party={parties['tinhbinhphuoc'].pk}"
        issue("review-binh-phuoc", document, "tinhbinhphuoc", "deputy", url, "01/BC-UBND")
        transaction.set_rollback(True)
    connection.close()  # opened outside pytest-django's db fixture: do not leave it to the teardown
    return result


def test_the_fixture_left_nothing_behind(seen: Seen) -> None:
    assert not Agreement.objects.filter(title=TITLE).exists()
    assert not get_user_model().objects.filter(username__startswith="ubnd.").exists()


# --- the agreement page ------------------------------------------------------------------------


def test_page_shows_every_party_then_and_now(seen: Seen) -> None:
    assert seen.page_rows == [(p.then, p.now) for p in PROVINCES]
    for province in PROVINCES:
        assert province.then in seen.page
        assert province.now in seen.page
    # Huế is named as it was when the programme was signed, and as it is today.
    assert "Ủy ban nhân dân tỉnh Thừa Thiên Huế" in seen.page and "Ủy ban nhân dân thành phố Huế" in seen.page


def test_two_parties_merged_into_one_province_show_the_same_body_today(seen: Seen) -> None:
    assert seen.now_ids["tinhlongan"] == seen.now_ids["tinhtayninh"]
    assert len(set(seen.now_ids.values())) == 9, "ten parties, nine provinces today"


def test_the_programme_is_not_internal_today(seen: Seen) -> None:
    assert seen.internal_today is False
    assert "hợp tác nội tỉnh" not in seen.page


# --- the search --------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["Ninh Bình", "ninh binh", "Đồng Nai", "ho chi minh", "Thái Nguyên"])
def test_todays_province_finds_the_programme_with_or_without_diacritics(seen: Seen, query: str) -> None:
    assert seen.found[f"q={query}"]


def test_the_province_filter_finds_it_by_today_and_by_then(seen: Seen) -> None:
    assert seen.found["province=Ninh Bình"] and seen.found["province=Hà Nam"]


def test_a_province_with_no_party_does_not_find_it(seen: Seen) -> None:
    assert not seen.found["q=Cà Mau"] and not seen.found["province=Cà Mau"]


# --- every PDF ---------------------------------------------------------------------------------

DOCS = [
    "report-long-an",
    "report-tay-ninh",
    "report-hue",
    "report-binh-duong",
    "report-ha-nam",
    "consolidated-ha-noi",
    "consolidated-long-an",
    "review-binh-phuoc",
]


def left_header(words: list[tuple[float, float, float, float, str]]) -> str:
    """The left column of the letterhead above "Số:" (parent and body lines), top to bottom."""
    number_y = next(w[1] for w in words if w[4] == "Số:")
    column = sorted((round(w[1]), w[0], w[4]) for w in words if w[1] < number_y - 1 and w[2] < A4[0] / 2)
    return nfc(" ".join(w[2] for w in column))


def line_of(words: list[tuple[float, float, float, float, str]], first: str) -> str:
    """The words on the same line as `first`, left to right, in its column."""
    start = next(w for w in words if w[4] == first)
    same = sorted(w for w in words if abs(w[1] - start[1]) < 1 and start[0] <= w[0] < start[0] + 150)
    return " ".join(w[4] for w in same)


def recipients(text: str) -> list[str]:
    block = text[text.index("Nơi nhận:") + len("Nơi nhận:") : text.index("- Lưu:")]
    return re.findall(r"- ([^;]+);", block)


@pytest.mark.parametrize("name", DOCS)
def test_letterhead_is_todays_peoples_committee(seen: Seen, name: str) -> None:
    doc = seen.docs[name]
    # A provincial People's Committee has no parent body: one line, of the province that issues in 2026.
    assert left_header(doc.first_page) == doc.issuer.body_line
    assert doc.issuing_body_id == seen.now_ids[doc.issuer.key]
    assert "DỰ THẢO" not in doc.text


@pytest.mark.parametrize("name", DOCS)
def test_place_and_date_are_todays_province(seen: Seen, name: str) -> None:
    doc = seen.docs[name]
    # The top-most "ngày" of page 1 is the one of the place-and-date line, under the motto.
    date_y = min(w[1] for w in doc.first_page if w[4] == "ngày")
    line = sorted((w[0], w[4]) for w in doc.first_page if abs(w[1] - date_y) < 1)
    assert nfc(" ".join(word for _x, word in line)) == f"{doc.issuer.place}, ngày 22 tháng 11 năm 2026"


@pytest.mark.parametrize("name", DOCS)
def test_recipients_are_the_other_parties_of_2026_once_each(seen: Seen, name: str) -> None:
    doc = seen.docs[name]
    expected: list[str] = []
    for province in PROVINCES:
        if province.now != doc.issuer.now and province.recipient not in expected:
            expected.append(province.recipient)
    got = recipients(doc.text)
    assert got == expected
    assert len(got) == len(set(got)) == 9 - 1
    assert f"- {doc.issuer.recipient};" not in doc.text.split("Nơi nhận:")[1]
    assert "- Lưu: VT, VP." in doc.text


@pytest.mark.parametrize("name", DOCS)
def test_number_and_signature(seen: Seen, name: str) -> None:
    doc = seen.docs[name]
    assert line_of(doc.first_page, "Số:") == f"Số: {doc.number}"
    signature = " ".join(doc.signature)
    assert signature in doc.text
    if doc.signer == "chair":
        assert "KT. CHỦ TỊCH" not in doc.text


def test_one_register_per_body_that_issues_today(seen: Seen) -> None:
    """Long An's and Tây Ninh's parties are one UBND since 01/07/2025: 01, 02, 03 of one body, never two 01."""
    tay_ninh = [seen.docs[n] for n in ["report-long-an", "report-tay-ninh", "consolidated-long-an"]]
    assert {d.issuing_body_id for d in tay_ninh} == {seen.now_ids["tinhtayninh"]}
    assert [d.stored_number for d in tay_ninh] == [1, 2, 3]
    others = [seen.docs[n] for n in DOCS if seen.docs[n].issuer.now != "Ủy ban nhân dân tỉnh Tây Ninh"]
    assert [d.stored_number for d in others] == [1] * 5
    assert len({d.issuing_body_id for d in others}) == 5


def test_a_2026_document_of_hue_is_headed_hue_not_thua_thien_hue(seen: Seen) -> None:
    text = seen.docs["report-hue"].text
    assert "ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ" in text and "Ủy ban nhân dân thành phố Huế báo cáo" in text
    assert "THỪA THIÊN" not in text
