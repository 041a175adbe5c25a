"""meetings.services: planning a meeting (a day, a month or no time yet), attendance, agenda, minutes and
decisions carried out in this agreement or in its successor, each written once, audited, in Vietnamese."""

from __future__ import annotations

import datetime as dt

import pytest

from agreements import services as agreements
from agreements.models import Agreement, Body, Commitment
from core import limits
from core.models import AuditEntry
from core.trail import describe
from meetings import services
from meetings.models import MeetingAttendance, MeetingDecision, ReviewMeeting

pytestmark = pytest.mark.django_db

HELD = dt.date(2026, 11, 20)  # two days before the frozen day


@pytest.fixture
def programme(demo):
    return Agreement.objects.get(kind=Agreement.Kind.PROGRAMME)


@pytest.fixture
def coordinator(users):
    return users["la.coord"]


@pytest.fixture
def successor(programme, coordinator):
    """The next period's draft, prepared the way the renewal does (parties as they are after the merger)."""
    return agreements.prepare_successor(coordinator, programme)


@pytest.fixture
def held(programme, coordinator):
    return services.plan_meeting(
        coordinator,
        programme,
        kind=ReviewMeeting.Kind.MIDTERM,
        held_on=HELD,
        place="Tân An",
        host_party=programme.parties.get(hosts_next_meeting=True),
    )


def actions(obj) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=obj.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )


# --- planning -------------------------------------------------------------------------------------------


def test_a_meeting_is_planned_for_a_month_before_its_day_is_fixed(programme, coordinator):
    meeting = services.plan_meeting(
        coordinator, programme, kind=ReviewMeeting.Kind.YEARLY, planned_month=dt.date(2027, 3, 17), place=" Tây Ninh "
    )
    assert meeting.held_on is None and meeting.planned_month == dt.date(2027, 3, 1)
    assert meeting.when_label == "tháng 03/2027 (chưa chốt ngày)" and meeting.place == "Tây Ninh"
    assert actions(meeting) == ["meeting.planned"]
    entry = AuditEntry.objects.get(action="meeting.planned", object_id=meeting.pk)
    assert entry.agreement_id == programme.pk and entry.data["values"]["planned_month"] == "2027-03-01"

    fixed = services.update_meeting(coordinator, meeting, held_on=dt.date(2027, 3, 20))
    assert fixed.held_on == dt.date(2027, 3, 20) and fixed.planned_month is None
    assert fixed.when_label == "20/03/2027"
    change = AuditEntry.objects.get(action="meeting.updated", object_id=meeting.pk).data["changes"]
    assert change == {"held_on": [None, "2027-03-20"], "planned_month": ["2027-03-01", None]}
    services.update_meeting(coordinator, fixed, held_on=dt.date(2027, 3, 20), place="Tây Ninh")  # nothing new
    assert actions(meeting) == ["meeting.planned", "meeting.updated"]


def test_a_meeting_with_no_time_yet(programme, coordinator):
    meeting = services.plan_meeting(coordinator, programme, kind=ReviewMeeting.Kind.WORKING)
    assert meeting.when_label == "chưa xác định thời gian" and meeting.host_party is None
    postponed = services.update_meeting(coordinator, meeting, planned_month=dt.date(2027, 5, 31))
    assert postponed.planned_month == dt.date(2027, 5, 1)


def test_the_host_is_a_party_of_the_agreement(programme, coordinator):
    other = Agreement.objects.get(signed_on="2011-10-14").parties.first()
    with pytest.raises(services.MeetingError, match="Bên chủ trì phải là một bên của thỏa thuận"):
        services.plan_meeting(coordinator, programme, kind=ReviewMeeting.Kind.YEARLY, host_party=other)
    assert not ReviewMeeting.objects.filter(agreement=programme).exists()


def test_not_before_the_signing(demo, coordinator):
    agreement = Agreement.objects.get(signed_on="2011-10-14")
    with pytest.raises(services.MeetingError, match=r"không thể trước ngày ký thỏa thuận \(14/10/2011\)"):
        services.plan_meeting(coordinator, agreement, kind=ReviewMeeting.Kind.YEARLY, held_on=dt.date(2011, 10, 13))
    with pytest.raises(services.MeetingError, match="không thể trước ngày ký"):
        services.plan_meeting(coordinator, agreement, kind=ReviewMeeting.Kind.YEARLY, planned_month=dt.date(2011, 9, 1))
    # The month of the signing itself is a month the meeting may still fall in.
    meeting = services.plan_meeting(
        coordinator, agreement, kind=ReviewMeeting.Kind.WORKING, planned_month=dt.date(2011, 10, 1)
    )
    with pytest.raises(services.MeetingError, match="không thể trước ngày ký"):
        services.update_meeting(coordinator, meeting, held_on=dt.date(2011, 10, 2))
    assert ReviewMeeting.objects.get(pk=meeting.pk).held_on is None


def test_one_meeting_of_a_kind_a_day(held, programme, coordinator):
    with pytest.raises(services.MeetingError, match="đã có một hội nghị sơ kết vào ngày 20/11/2026"):
        services.plan_meeting(coordinator, programme, kind=ReviewMeeting.Kind.MIDTERM, held_on=HELD)
    services.plan_meeting(coordinator, programme, kind=ReviewMeeting.Kind.WORKING, held_on=HELD)


def test_bad_kind_and_long_place_are_refused(programme, coordinator):
    with pytest.raises(services.MeetingError, match="Loại cuộc họp không hợp lệ"):
        services.plan_meeting(coordinator, programme, kind="party")
    with pytest.raises(services.MeetingError):
        services.plan_meeting(coordinator, programme, kind=ReviewMeeting.Kind.YEARLY, place="x" * 201)
    assert not ReviewMeeting.objects.filter(agreement=programme).exists()


def test_an_archived_agreement_takes_no_meeting(coordinator, demo):
    agreement = Agreement.objects.get(signed_on="2011-10-14")
    agreements.archive_agreement(coordinator, agreement)
    with pytest.raises(services.MeetingError, match="đã lưu trữ"):
        services.plan_meeting(coordinator, agreement, kind=ReviewMeeting.Kind.YEARLY)


# --- attendance, agenda, minutes ------------------------------------------------------------------------


def test_attendance_by_party(held, programme, coordinator):
    la, tn, tg = programme.parties.order_by("order")
    services.set_attendance(
        coordinator, held, {la: "Ông Huỳnh Văn Quang Hùng, Giám đốc\nBà Lê Thị Hoa", tn: "", tg: ""}
    )
    services.set_attendance(coordinator, held, {la: "Ông Huỳnh Văn Quang Hùng, Giám đốc", tn: "Phó Giám đốc Sở"})
    rows = dict(MeetingAttendance.objects.filter(meeting=held).values_list("party_id", "attendees"))
    assert rows == {la.pk: "Ông Huỳnh Văn Quang Hùng, Giám đốc", tn.pk: "Phó Giám đốc Sở"}
    rows_after = services.set_attendance(coordinator, held, {la: "  ", tn: "Phó Giám đốc Sở"})
    assert [row.party_id for row in rows_after] == [tn.pk]
    services.set_attendance(coordinator, held, {tn: "Phó Giám đốc Sở"})  # unchanged: no entry
    assert actions(held).count("meeting.attendance") == 3
    outsider = Agreement.objects.get(signed_on="2011-10-14").parties.first()
    assert outsider is not None
    with pytest.raises(services.MeetingError, match="không phải một bên"):
        services.set_attendance(coordinator, held, {outsider: "Ai đó"})


def test_agenda_and_minutes(held, coordinator):
    services.set_agenda(coordinator, held, "1. Khai mạc.\n2. Báo cáo kết quả.\n")
    services.record_minutes(coordinator, held, minutes="Hội nghị thống nhất…", shortcomings="Kinh phí còn hạn chế.")
    held.refresh_from_db()
    assert held.agenda == "1. Khai mạc.\n2. Báo cáo kết quả." and held.shortcomings == "Kinh phí còn hạn chế."
    assert actions(held) == ["meeting.planned", "meeting.agenda", "meeting.minutes"]
    with pytest.raises(services.MeetingError, match="vượt giới hạn"):
        services.record_minutes(coordinator, held, minutes="a" * (limits.MINUTES + 1))
    with pytest.raises(services.MeetingError, match="ký tự điều khiển"):
        services.set_agenda(coordinator, held, "Khai mạc\x00")


def test_minutes_and_decisions_wait_for_the_meeting(programme, coordinator):
    ahead = services.plan_meeting(coordinator, programme, kind=ReviewMeeting.Kind.YEARLY, held_on=dt.date(2026, 12, 10))
    undated = services.plan_meeting(coordinator, programme, kind=ReviewMeeting.Kind.WORKING)
    for meeting in (ahead, undated):
        with pytest.raises(services.MeetingError, match="Cuộc họp chưa diễn ra"):
            services.record_minutes(coordinator, meeting, minutes="Biên bản")
        with pytest.raises(services.MeetingError, match="Cuộc họp chưa diễn ra"):
            services.add_decision(coordinator, meeting, text="Kết luận")
        services.set_agenda(coordinator, meeting, "Chương trình dự kiến")  # the agenda comes first
    assert not MeetingDecision.objects.filter(meeting__agreement=programme).exists()


# --- decisions ------------------------------------------------------------------------------------------


def test_decision_targets_are_the_agreement_and_its_successors(programme, successor):
    assert services.decision_targets(programme) == [programme, successor]
    assert services.decision_targets(successor) == [successor]


def test_decisions_are_numbered_and_carried_out_in_the_successor(held, successor, coordinator):
    tay_ninh = successor.parties.get(body__name="Sở Công Thương tỉnh Tây Ninh", body__valid_to__isnull=True)
    finance = Body.objects.get(name="Sở Tài chính tỉnh Tây Ninh", valid_to__isnull=True)
    first = services.add_decision(coordinator, held, text="  Tổng kết chương trình, đánh giá hạn chế. ")
    second = services.add_decision(
        coordinator,
        held,
        text="Xây dựng danh mục dự án kêu gọi đầu tư chung giai đoạn mới.",
        target_agreement=successor,
        responsible_party=tay_ninh,
        lead_body=finance,
        due_on=dt.date(2027, 6, 30),
    )
    assert (first.number, second.number) == (1, 2)
    assert first.text == "Tổng kết chương trình, đánh giá hạn chế." and first.target_agreement == held.agreement
    entry = AuditEntry.objects.get(action="decision.added", object_id=second.pk)
    assert entry.agreement_id == held.agreement_id and entry.data["target"] == successor.pk

    item = successor.items.get(number=3)
    commitment = services.adopt_decision(coordinator, second, item=item)
    assert commitment.item == item and commitment.responsible_party == tay_ninh
    assert commitment.lead_body == finance and commitment.due_on == dt.date(2027, 6, 30)
    assert commitment.description == second.text and second.commitment == commitment
    assert AuditEntry.objects.get(action="decision.adopted", object_id=second.pk).data["agreement"] == successor.pk
    with pytest.raises(services.MeetingError, match="đã được chuyển"):
        services.adopt_decision(coordinator, second, item=item)
    with pytest.raises(services.MeetingError, match="hãy sửa cam kết"):
        services.update_decision(coordinator, second, text="Khác", target_agreement=successor)
    assert Commitment.objects.filter(item__agreement=successor, description=second.text).count() == 1


def test_a_decision_says_who_in_which_agreement(held, programme, successor, coordinator):
    old_party = programme.parties.get(hosts_next_meeting=True)
    new_party = successor.parties.get(body__name="Sở Công Thương tỉnh Tây Ninh", body__valid_to__isnull=True)
    dong_thap = Body.objects.get(name="Sở Công Thương tỉnh Đồng Tháp")
    unrelated = Agreement.objects.get(signed_on="2011-10-14")
    cases = [
        ({"target_agreement": unrelated}, "thỏa thuận của cuộc họp hoặc thỏa thuận kế tiếp"),
        ({"target_agreement": successor, "responsible_party": old_party}, "Bên chủ trì phải là một bên của thỏa thuận"),
        ({"responsible_party": old_party, "lead_body": dong_thap}, "không thuộc tỉnh của bên chủ trì"),
        ({"target_agreement": successor, "responsible_party": new_party, "lead_body": dong_thap}, "không thuộc tỉnh"),
        ({"lead_body": dong_thap}, "Hãy chọn bên chủ trì trước"),
        ({"due_on": dt.date(2026, 11, 19)}, r"Thời hạn không thể trước ngày họp \(20/11/2026\)"),
    ]
    for values, message in cases:
        with pytest.raises(services.MeetingError, match=message):
            services.add_decision(coordinator, held, text="Kết luận", **values)
    with pytest.raises(services.MeetingError, match="Hãy ghi nội dung kết luận"):
        services.add_decision(coordinator, held, text="   ")
    assert not MeetingDecision.objects.filter(meeting=held).exists()


def test_a_decision_is_corrected_before_it_becomes_a_commitment(held, programme, coordinator):
    decision = services.add_decision(coordinator, held, text="Tổ chức hội chợ")
    with pytest.raises(services.MeetingError, match="Hãy chọn bên chủ trì thực hiện"):
        services.adopt_decision(coordinator, decision, item=programme.items.get(number=2))
    party = programme.parties.get(hosts_next_meeting=True)
    corrected = services.update_decision(
        coordinator, decision, text="Tổ chức hội chợ thương mại ba tỉnh", responsible_party=party, due_on=HELD
    )
    assert corrected.responsible_party == party and corrected.number == 1
    assert AuditEntry.objects.filter(action="decision.updated", object_id=decision.pk).exists()
    commitment = services.adopt_decision(coordinator, corrected, item=programme.items.get(number=2))
    assert commitment.due_on == HELD and commitment.item.agreement == programme


def test_the_history_says_it_in_words(held, successor, coordinator):
    """The agreement's history page (core.trail.describe) reads what these services keep."""
    party = successor.parties.get(body__name="Sở Công Thương tỉnh Tây Ninh", body__valid_to__isnull=True)
    decision = services.add_decision(
        coordinator, held, text="Kết luận", target_agreement=successor, responsible_party=party, due_on=HELD
    )
    services.set_attendance(coordinator, held, {held.host_party: "Ông Huỳnh Văn Quang Hùng"})
    planned = describe(AuditEntry.objects.get(action="meeting.planned", object_id=held.pk))
    assert planned.action == "Lên kế hoạch cuộc họp"
    assert ("Loại cuộc họp", "Hội nghị sơ kết") in planned.details and ("Ngày họp", "20/11/2026") in planned.details
    added = describe(AuditEntry.objects.get(action="decision.added", object_id=decision.pk))
    assert added.action == "Ghi kết luận cuộc họp"
    assert ("Thời hạn", "20/11/2026") in added.details and ("Bên chủ trì", str(party)) in added.details
    attendance = describe(AuditEntry.objects.get(action="meeting.attendance", object_id=held.pk))
    assert [(c.label, c.after) for c in attendance.changes] == [
        ("Sở Công Thương tỉnh Long An", "Ông Huỳnh Văn Quang Hùng")
    ]
