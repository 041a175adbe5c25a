"""meetings.services.draft_agenda on a real shape: a programme of ten province-level parties (2023–2027),
its commitments led by the parties or by a department of their province, two periods reported through the
workflow by today's staff and coordinators, one party that never reported and one that stopped.

The draft names the commitments delayed, at risk or past their due date, the proposals still open in
each party's latest report sent, the indicators furthest from their targets, and who did not report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from agreements import services as agreements
from agreements.models import Agreement, Body, Commitment, Membership, Party, Role
from agreements.services import ItemDraft, PartyDraft
from core import clock
from meetings import services
from meetings.models import ReviewMeeting
from reporting import workflow

pytestmark = pytest.mark.django_db

# Ten People's Committees of 2023 (the old units' UBND, loaded by the migrations).
KEYS = [
    "thanhphohanoi",
    "thanhphohue",
    "tinhlongan",
    "tinhtayninh",
    "tinhhanam",
    "tinhbinhphuoc",
    "tinhbinhduong",
    "tinhnghean",
    "tinhquangbinh",
    "tinhbackan",
]
HANOI, HUE, LONG_AN, TAY_NINH, NGHE_AN, BAC_KAN = 0, 1, 2, 3, 7, 9
DUE = dt.date(2026, 6, 30)
PROPOSAL_LA = "Đề nghị các tỉnh thống nhất quy chế phối hợp quản lý cụm công nghiệp giáp ranh."
PROPOSAL_NA = "Đề nghị bổ sung tuyến du lịch Nghệ An - Huế vào chương trình xúc tiến chung."
PROPOSAL_DONE = "Đề nghị nhân rộng mô hình hội nghị xúc tiến đầu tư liên vùng."


@dataclass
class Programme:
    agreement: Agreement
    parties: list[Party]
    commitments: dict[tuple[int, int], Commitment]  # (party index, 1..3) -> commitment


def _people(users: dict[str, Any], body: Body) -> tuple[Any, Any]:
    """A staff member and a coordinator of today's body (Long An and Tây Ninh share Tây Ninh's)."""
    User = get_user_model()
    pair = []
    for role in (Role.STAFF, Role.COORDINATOR):
        name = f"ubnd{body.pk}.{role}"
        if name not in users:
            users[name] = User.objects.create_user(name, first_name=f"{role} {body.name}")
            Membership.objects.create(user=users[name], body=body, role=role)
        pair.append(users[name])
    return pair[0], pair[1]


def build(users: dict[str, Any]) -> Programme:
    """Entered as a coordinator would (agreements.services), published, its periods opened."""
    bodies = [
        Body.objects.get(kind=Body.Kind.PEOPLES_COMMITTEE, unit__key=key, valid_from__isnull=True) for key in KEYS
    ]
    admin = users["admin"]
    agreement = agreements.create_agreement(
        admin,
        kind=Agreement.Kind.PROGRAMME,
        title="Chương trình hợp tác phát triển kinh tế - xã hội giữa mười tỉnh, thành phố giai đoạn 2023 - 2027",
        period_start=dt.date(2023, 1, 1),
        period_end=dt.date(2027, 12, 31),
        signed_on=dt.date(2023, 3, 15),
        signed_at="Hà Nội",
        parties=[PartyDraft(body=body) for body in bodies],
        items=[
            ItemDraft(1, "Xúc tiến đầu tư liên vùng, giới thiệu quỹ đất khu công nghiệp.", ["investment"]),
            ItemDraft(2, "Kết nối cung - cầu, đưa đặc sản vào hệ thống phân phối hiện đại.", ["trade"]),
            ItemDraft(3, "Xây dựng tour, tuyến du lịch kết nối di sản.", ["tourism"]),
        ],
    )
    parties = list(agreement.parties.select_related("body__unit").order_by("order"))
    items = list(agreement.items.order_by("number"))
    department = Body.objects.get(name="Sở Công Thương tỉnh Tây Ninh", valid_to__isnull=True)
    commitments = {}
    for index, party in enumerate(parties):
        place = party.body.name.removeprefix("Ủy ban nhân dân ")
        commitments[index, 1] = agreements.save_commitment(
            admin,
            items[0],
            responsible_party=party,
            description=f"Tổ chức hội nghị xúc tiến đầu tư tại {place}",
            lead_body=department if index == LONG_AN else None,  # a department leads for its province
            due_on=DUE,
        )
        commitments[index, 2] = agreements.save_commitment(
            admin,
            items[1],
            responsible_party=party,
            description=f"Đưa doanh nghiệp của {place} tham gia phiên kết nối",
            indicator_name=f"Doanh nghiệp {place} tham gia",
            indicator_unit="doanh nghiệp",
            baseline=Decimal(0),
            target=Decimal(40),
        )
        commitments[index, 3] = agreements.save_commitment(
            admin, items[2], responsible_party=party, description=f"Khảo sát tuyến du lịch qua {place}"
        )
    agreements.publish_agreement(admin, agreement)
    workflow.open_reporting_periods(agreement, clock.today())
    return Programme(agreement, parties, commitments)


def entry_values(index: int, number: int, last: bool) -> dict[str, Any]:
    """What a party reports on its commitment `number` (see the module's docstring for the story)."""
    values: dict[str, Any] = {"status": Commitment.Status.ON_TRACK, "percent_complete": 50, "proposals": ""}
    if number == 1 and index == HANOI:
        values.update(status=Commitment.Status.DONE, percent_complete=100, proposals=PROPOSAL_DONE)
    elif number == 1 and index == HUE:
        values.update(status=Commitment.Status.DELAYED, percent_complete=10)
    elif number == 2 and index == TAY_NINH:
        values.update(status=Commitment.Status.DONE, percent_complete=100, actual_value=Decimal(40))
    elif number == 2:
        actual = Decimal(4) if index == HUE else Decimal(20 + index)
        values.update(actual_value=actual, percent_complete=int(actual * 100 / 40))
    elif number == 3 and index == HANOI:
        values.update(status=Commitment.Status.AT_RISK, percent_complete=30)
    elif number == 3 and index == LONG_AN and last:
        values.update(proposals=PROPOSAL_LA)
    elif number == 3 and index == NGHE_AN:
        values.update(proposals=PROPOSAL_NA)
    return values


def report(users: dict[str, Any], programme: Programme, index: int, period: Any, last: bool) -> None:
    party = programme.parties[index]
    staff, coordinator = _people(users, party.body.current())
    current = period.reports.get(party=party)
    numbers = {c.pk: n for (i, n), c in programme.commitments.items() if i == index}
    for entry in current.entries.all():
        workflow.save_entry(staff, entry, entry_values(index, numbers[entry.commitment_id], last), entry.version)
    workflow.submit_report(staff, current, confirm_unchanged=True)
    workflow.approve_report(coordinator, current)


@pytest.fixture
def programme(users: dict[str, Any]) -> Programme:
    built = build(users)
    periods = list(built.agreement.reporting_periods.filter(deadline__lt=clock.today()).order_by("-start")[:2])
    previous, last = reversed(periods)
    assert (previous.label, last.label) == ("6 tháng cuối năm 2025", "6 tháng đầu năm 2026")
    for index in range(len(KEYS)):
        if index == BAC_KAN:
            continue  # never reports
        report(users, built, index, previous, last=False)
        if index != NGHE_AN:  # reported at the end of 2025, then stopped
            report(users, built, index, last, last=True)
    return built


@pytest.fixture
def draft(programme: Programme, users: dict[str, Any], django_assert_max_num_queries: Any) -> list[str]:
    meeting = services.plan_meeting(
        users["admin"],
        programme.agreement,
        kind=ReviewMeeting.Kind.MIDTERM,
        held_on=dt.date(2026, 11, 20),
        place="Vinh, Nghệ An",
        host_party=programme.parties[NGHE_AN],
    )
    meeting = ReviewMeeting.objects.get(pk=meeting.pk)
    with django_assert_max_num_queries(10):  # fixed: however many parties, commitments and reports
        text = services.draft_agenda(meeting)
    return text.splitlines()


def section(lines: list[str], title: str) -> list[str]:
    start = next(i for i, line in enumerate(lines) if title in line)
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith("   ")), len(lines))
    return lines[start + 1 : end]


def test_the_heading_names_the_meeting(draft):
    assert draft[0] == "DỰ THẢO CHƯƠNG TRÌNH HỘI NGHỊ SƠ KẾT"
    assert "mười tỉnh, thành phố" in draft[1]
    assert draft[2] == "Thời gian: 20/11/2026. Địa điểm: Vinh, Nghệ An. Chủ trì: Ủy ban nhân dân tỉnh Nghệ An."
    assert draft[-1] == "8. Kết luận của lãnh đạo chủ trì."


def test_late_and_overdue_commitments(draft):
    late = section(draft, "Cam kết chậm tiến độ")
    # Every party's commitment due 30/06/2026 but Hà Nội's (done), and Hà Nội's survey at risk.
    assert len(late) == 10
    assert any(
        "Ủy ban nhân dân thành phố Huế" in line and "(Chậm tiến độ; quá hạn từ 30/06/2026)" in line for line in late
    )
    assert any("Bắc Kạn" in line and "(quá hạn từ 30/06/2026)" in line for line in late)  # never reported
    assert any("Khảo sát tuyến du lịch qua thành phố Hà Nội (Có nguy cơ chậm)" in line for line in late)
    assert not any("hội nghị xúc tiến đầu tư tại thành phố Hà Nội" in line for line in late)
    # Long An's is led by today's Tây Ninh department, which the agenda names.
    assert any(
        "Nội dung 1 – Sở Công Thương tỉnh Tây Ninh: Tổ chức hội nghị xúc tiến đầu tư tại tỉnh Long An" in line
        for line in late
    )


def test_open_proposals_of_each_partys_latest_report(draft):
    proposals = section(draft, "Kiến nghị, đề xuất chưa được giải quyết")
    assert len(proposals) == 2
    assert "(báo cáo 6 tháng đầu năm 2026)" in proposals[0] and PROPOSAL_LA in proposals[0]
    assert "Nghệ An (báo cáo 6 tháng cuối năm 2025)" in proposals[1] and PROPOSAL_NA in proposals[1]
    assert not any(PROPOSAL_DONE in line for line in draft)  # its commitment is done


def test_indicators_furthest_from_target_first(draft):
    gaps = section(draft, "Chỉ tiêu còn xa mục tiêu")
    assert len(gaps) == 5
    assert "Ủy ban nhân dân thành phố Huế" in gaps[0] and "đạt 4/40 doanh nghiệp (10 %)" in gaps[0]
    assert "Hà Nội" in gaps[1] and "đạt 20/40 doanh nghiệp (50 %)" in gaps[1]
    assert "kỳ 6 tháng đầu năm 2026" in gaps[0]
    assert not any("Tây Ninh tham gia" in line for line in gaps)  # reached its target


def test_parties_that_did_not_report(draft):
    missing = section(draft, "Các bên chưa gửi báo cáo")
    assert len(missing) == 2
    assert missing[0].startswith("   - Kỳ 6 tháng cuối năm 2025 (hạn nộp ")
    assert missing[0].endswith("): Ủy ban nhân dân tỉnh Bắc Kạn.")
    assert missing[1].startswith("   - Kỳ 6 tháng đầu năm 2026 (hạn nộp ")
    assert missing[1].endswith("): Ủy ban nhân dân tỉnh Nghệ An, Ủy ban nhân dân tỉnh Bắc Kạn.")


def test_an_agreement_with_nothing_to_discuss(users, demo):
    """The 2021 plan (history, no reports): every section says there is nothing, none is left out."""
    plan = Agreement.objects.get(kind=Agreement.Kind.PLAN)
    Commitment.objects.filter(item__agreement=plan).update(due_on=None)
    meeting = services.plan_meeting(users["admin"], plan, kind=ReviewMeeting.Kind.WORKING)
    lines = services.draft_agenda(meeting).splitlines()
    assert "Thời gian: chưa xác định thời gian. Địa điểm: chưa xác định. Chủ trì: chưa xác định." in lines
    for title in ("Cam kết chậm tiến độ", "Kiến nghị, đề xuất", "Chỉ tiêu còn xa", "Các bên chưa gửi"):
        assert section(lines, title) == ["   - Không có."], title
