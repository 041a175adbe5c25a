"""The meeting pages (meetings.views): a coordinator of the agreement plans and records, every member of its
parties reads, anyone else does not know the meeting exists.

On the 2011 agreement of the Long An and Tây Ninh departments: la.coord and tn.coord coordinate it (owner),
la.staff and tn.leader are members, tg.* (Tiền Giang, no party of it) are outsiders.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements import services as agreements
from agreements.models import Agreement, Body, Commitment
from meetings import services
from meetings.models import MeetingAttendance, MeetingDecision, ReviewMeeting

pytestmark = pytest.mark.django_db

HELD = dt.date(2026, 11, 20)


@pytest.fixture
def agreement(demo):
    return Agreement.objects.get(signed_on="2011-10-14")


@pytest.fixture
def meeting(agreement, users):
    return services.plan_meeting(
        users["la.coord"],
        agreement,
        kind=ReviewMeeting.Kind.FINAL,
        held_on=HELD,
        place="Tây Ninh",
        host_party=agreement.parties.order_by("order").first(),
    )


def login(client, users, name):
    client.force_login(users[name])
    return client


def edit_urls(meeting: ReviewMeeting) -> list[str]:
    return [
        reverse("meeting_create", args=[meeting.agreement_id]),
        reverse("meeting_edit", args=[meeting.pk]),
        reverse("meeting_attendance", args=[meeting.pk]),
        reverse("meeting_agenda", args=[meeting.pk]),
        reverse("meeting_minutes", args=[meeting.pk]),
        reverse("meeting_decision_add", args=[meeting.pk]),
    ]


# --- who may -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["la.coord", "tn.coord", "admin"])
def test_coordinators_of_either_party_record(client, users, meeting, name):
    login(client, users, name)
    for url in edit_urls(meeting):
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert reverse("meeting_edit", args=[meeting.pk]) in page


@pytest.mark.parametrize("name", ["la.staff", "la.leader", "tn.leader"])
def test_members_read_but_do_not_record(client, users, meeting, name):
    login(client, users, name)
    page = client.get(reverse("meeting_detail", args=[meeting.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    for url in edit_urls(meeting):
        assert url not in body  # no link that answers 403
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"kind": "yearly", "agenda": "x", "minutes": "x", "text": "x"}).status_code == 403
    decision = MeetingDecision.objects.create(meeting=meeting, number=1, text="Kết luận")
    adopt = reverse("meeting_decision_adopt", args=[meeting.pk, decision.pk])
    assert client.post(adopt, {"item": meeting.agreement.items.first().pk}).status_code == 403
    assert ReviewMeeting.objects.filter(agreement=meeting.agreement).count() == 1
    assert MeetingDecision.objects.get(pk=decision.pk).commitment is None


@pytest.mark.parametrize("name", ["tg.staff", "tg.coord"])
def test_outsiders_do_not_know_the_meeting(client, users, meeting, name):
    login(client, users, name)
    decision = MeetingDecision.objects.create(meeting=meeting, number=1, text="Kết luận")
    urls = [
        reverse("meeting_detail", args=[meeting.pk]),
        *edit_urls(meeting),
        reverse("meeting_decision_edit", args=[meeting.pk, decision.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("meeting_decision_adopt", args=[meeting.pk, decision.pk])).status_code == 404
    assert reverse("meeting_detail", args=[meeting.pk]) not in client.get(reverse("meeting_list")).content.decode()


def test_anonymous_is_sent_to_login(client, meeting):
    response = client.get(reverse("meeting_detail", args=[meeting.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_decision_is_reached_only_through_its_own_meeting(client, users, meeting, agreement):
    other = services.plan_meeting(users["la.coord"], agreement, kind=ReviewMeeting.Kind.WORKING, held_on=HELD)
    decision = MeetingDecision.objects.create(meeting=other, number=1, text="Kết luận")
    login(client, users, "la.coord")
    assert client.get(reverse("meeting_decision_edit", args=[meeting.pk, decision.pk])).status_code == 404
    assert client.post(reverse("meeting_decision_adopt", args=[meeting.pk, decision.pk])).status_code == 404


# --- planning and recording ----------------------------------------------------------------------------


def test_plan_a_meeting_for_a_month_then_fix_its_day(client, users, agreement):
    login(client, users, "la.coord")
    url = reverse("meeting_create", args=[agreement.pk])
    party = agreement.parties.order_by("order").last()
    response = client.post(
        url, {"kind": "yearly", "planned_month": "2027-03", "place": "Tây Ninh", "host_party": party.pk}
    )
    meeting = ReviewMeeting.objects.get(agreement=agreement)
    assert response.status_code == 302 and response["Location"] == reverse("meeting_detail", args=[meeting.pk])
    assert meeting.planned_month == dt.date(2027, 3, 1) and meeting.host_party == party
    page = client.get(response["Location"]).content.decode()
    assert "tháng 03/2027 (chưa chốt ngày)" in page

    edit = reverse("meeting_edit", args=[meeting.pk])
    assert 'value="2027-03"' in client.get(edit).content.decode()  # the month input shows the stored month
    client.post(edit, {"kind": "yearly", "held_on": "2027-03-20", "planned_month": "2027-03", "place": "Tây Ninh"})
    meeting.refresh_from_db()
    assert meeting.held_on == dt.date(2027, 3, 20) and meeting.planned_month is None and meeting.host_party is None


def test_wrong_input_is_said_and_nothing_is_written(client, users, agreement):
    login(client, users, "la.coord")
    url = reverse("meeting_create", args=[agreement.pk])
    response = client.post(url, {"kind": "yearly", "held_on": "2011-10-01"})
    assert response.status_code == 200
    assert "Cuộc họp không thể trước ngày ký thỏa thuận (14/10/2011)." in response.content.decode()
    response = client.post(url, {"kind": "yearly", "planned_month": "13/2027"})
    assert response.status_code == 200 and response.context["form"].errors["planned_month"]
    response = client.post(url, {"kind": "yearly", "place": "Tây\x00Ninh"})
    assert "ký tự điều khiển" in response.content.decode()
    assert not ReviewMeeting.objects.filter(agreement=agreement).exists()


def test_attendance_agenda_minutes(client, users, meeting, agreement):
    login(client, users, "tn.coord")
    la, tn = agreement.parties.order_by("order")
    url = reverse("meeting_attendance", args=[meeting.pk])
    client.post(url, {f"party_{la.pk}": "Ông Nguyễn Văn A, Giám đốc Sở", f"party_{tn.pk}": "Bà Trần Thị B"})
    assert MeetingAttendance.objects.filter(meeting=meeting).count() == 2

    agenda = reverse("meeting_agenda", args=[meeting.pk])
    drafted = client.get(agenda, {"draft": "1"})
    assert (
        drafted.context["drafted"]
        and "DỰ THẢO CHƯƠNG TRÌNH HỘI NGHỊ TỔNG KẾT" in drafted.context["form"]["agenda"].value()
    )
    meeting.refresh_from_db()
    assert meeting.agenda == ""  # a draft is not saved until the coordinator saves it
    assert client.post(agenda, {"agenda": "1. Khai mạc.\n2. Tổng kết."}).status_code == 302
    assert client.post(agenda, {"agenda": ""}).status_code == 200  # an empty agenda is refused, not saved

    minutes = reverse("meeting_minutes", args=[meeting.pk])
    client.post(minutes, {"minutes": "Hội nghị thống nhất tổng kết chương trình.", "shortcomings": "Kinh phí hạn chế."})
    meeting.refresh_from_db()
    assert meeting.agenda == "1. Khai mạc.\n2. Tổng kết." and meeting.shortcomings == "Kinh phí hạn chế."
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "Bà Trần Thị B" in page and "Hội nghị thống nhất tổng kết chương trình." in page


def test_minutes_of_a_meeting_not_held_are_refused(client, users, agreement):
    login(client, users, "la.coord")
    ahead = services.plan_meeting(
        users["la.coord"], agreement, kind=ReviewMeeting.Kind.YEARLY, held_on=dt.date(2026, 12, 1)
    )
    page = client.get(reverse("meeting_detail", args=[ahead.pk])).content.decode()
    assert reverse("meeting_minutes", args=[ahead.pk]) not in page  # offered once the meeting took place
    response = client.post(reverse("meeting_minutes", args=[ahead.pk]), {"minutes": "Biên bản"})
    assert response.status_code == 200 and "Cuộc họp chưa diễn ra" in response.content.decode()
    ahead.refresh_from_db()
    assert ahead.minutes == ""


def test_decisions_become_commitments_of_the_successor(client, users, demo):
    """On the programme: today's Tây Ninh department coordinates the old programme and the new one."""
    programme = Agreement.objects.get(kind=Agreement.Kind.PROGRAMME)
    coordinator = users["la.coord"]
    successor = agreements.prepare_successor(coordinator, programme)
    new_tn = successor.parties.get(body__valid_to__isnull=True, body__name="Sở Công Thương tỉnh Tây Ninh")
    tn_now = users["tn.now"] = type(coordinator).objects.create_user("tn.now", first_name="Điều phối Tây Ninh mới")
    tn_now.memberships.create(body=new_tn.body, role="coordinator")
    meeting = services.plan_meeting(tn_now, programme, kind=ReviewMeeting.Kind.MIDTERM, held_on=HELD)
    login(client, users, "tn.now")
    add = reverse("meeting_decision_add", args=[meeting.pk])
    form = client.get(add).context["form"]
    assert [choice[0] for choice in form.fields["target"].choices] == [programme.pk, successor.pk]
    finance = Body.objects.get(name="Sở Tài chính tỉnh Tây Ninh", valid_to__isnull=True)
    response = client.post(
        add,
        {
            "text": "Xây dựng danh mục dự án kêu gọi đầu tư chung giai đoạn 2027 – 2028.",
            "target": successor.pk,
            "responsible_party": new_tn.pk,
            "lead_body": finance.pk,
            "due_on": "2027-06-30",
        },
    )
    assert response.status_code == 302
    decision = MeetingDecision.objects.get(meeting=meeting)
    assert decision.target_agreement == successor and decision.lead_body == finance

    detail = client.get(reverse("meeting_detail", args=[meeting.pk]))
    row = detail.context["rows"][0]
    assert row["adopt_form"] is not None and row["elsewhere"]
    item = successor.items.get(number=3)
    adopt = reverse("meeting_decision_adopt", args=[meeting.pk, decision.pk])
    response = client.post(adopt, {"item": item.pk})
    assert response["Location"].endswith(f"#decision-{decision.pk}")
    commitment = Commitment.objects.get(source_decision=decision)
    assert (commitment.item, commitment.lead_body, commitment.due_on) == (item, finance, dt.date(2027, 6, 30))
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert commitment.get_absolute_url() in page  # the successor's page of items that holds it, at its anchor
    assert commitment.get_absolute_url().startswith(reverse("agreement_detail", args=[successor.pk]))
    assert client.post(adopt, {"item": item.pk}).status_code == 302  # a second time: a message, nothing more
    assert Commitment.objects.filter(item__agreement=successor, description=decision.text).count() == 1

    # la.coord coordinates the old programme only: the successor is not offered, and its commitment is not linked.
    login(client, users, "la.coord")
    form = client.get(add).context["form"]
    assert [choice[0] for choice in form.fields["target"].choices] == [programme.pk]
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert f"#commitment-{commitment.pk}" not in page and "nội dung 3" in page


def test_a_bad_choice_on_the_adopt_form_goes_back_with_a_message(client, users, meeting, agreement):
    login(client, users, "la.coord")
    party = agreement.parties.order_by("order").first()
    decision = services.add_decision(users["la.coord"], meeting, text="Kết luận", responsible_party=party)
    foreign = Agreement.objects.get(kind=Agreement.Kind.PROGRAMME).items.first()
    adopt = reverse("meeting_decision_adopt", args=[meeting.pk, decision.pk])
    response = client.post(adopt, {"item": foreign.pk}, follow=True)
    assert "Hãy chọn nội dung hợp tác" in response.content.decode()
    decision.refresh_from_db()
    assert decision.commitment is None


def test_decision_edit(client, users, meeting, agreement):
    login(client, users, "la.coord")
    decision = services.add_decision(users["la.coord"], meeting, text="Kết luận ban đầu")
    url = reverse("meeting_decision_edit", args=[meeting.pk, decision.pk])
    assert client.get(url).context["form"].initial["text"] == "Kết luận ban đầu"
    party = agreement.parties.order_by("order").first()
    client.post(url, {"text": "Kết luận đã sửa", "target": agreement.pk, "responsible_party": party.pk})
    decision.refresh_from_db()
    assert decision.text == "Kết luận đã sửa" and decision.responsible_party == party
    services.adopt_decision(users["la.coord"], decision, item=agreement.items.first())
    assert client.get(url).status_code == 302  # adopted: corrected through its commitment


# --- the agreement page and the list -------------------------------------------------------------------


def test_the_agreement_page_shows_planned_and_held_meetings(client, users, agreement, meeting):
    services.plan_meeting(
        users["la.coord"], agreement, kind=ReviewMeeting.Kind.YEARLY, planned_month=dt.date(2027, 4, 1)
    )
    services.plan_meeting(users["la.coord"], agreement, kind=ReviewMeeting.Kind.WORKING)
    services.add_decision(
        users["la.coord"], meeting, text="Chuẩn bị chương trình giai đoạn mới", due_on=dt.date(2027, 1, 31)
    )
    login(client, users, "la.staff")
    page = client.get(reverse("agreement_detail", args=[agreement.pk])).content.decode()
    section = page[page.index('id="meetings"') :]
    assert "tháng 04/2027 (chưa chốt ngày)" in section and "chưa xác định thời gian" in section
    assert section.index("tháng 04/2027") < section.index("chưa xác định thời gian") < section.index("20/11/2026")
    assert reverse("meeting_detail", args=[meeting.pk]) in section and "Chuẩn bị chương trình giai đoạn mới" in section
    assert "Thời hạn 31/01/2027" in section
    assert reverse("meeting_create", args=[agreement.pk]) not in page
    login(client, users, "tn.coord")
    page = client.get(reverse("agreement_detail", args=[agreement.pk])).content.decode()
    assert reverse("meeting_create", args=[agreement.pk]) in page and "Lên kế hoạch cuộc họp" in page


def test_the_agreement_page_costs_the_same_with_more_meetings(client, users, agreement, meeting):
    login(client, users, "la.coord")
    url = reverse("agreement_detail", args=[agreement.pk])
    services.add_decision(users["la.coord"], meeting, text="Kết luận 1")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for day in range(1, 8):
        other = services.plan_meeting(
            users["la.coord"], agreement, kind=ReviewMeeting.Kind.WORKING, held_on=dt.date(2026, 10, day)
        )
        for n in range(3):
            decision = services.add_decision(users["la.coord"], other, text=f"Kết luận {n}")
            if n == 0:
                services.adopt_decision(
                    users["la.coord"],
                    decision,
                    item=agreement.items.first(),
                    responsible_party=agreement.parties.first(),
                )
    with CaptureQueriesContext(connection) as more:
        response = client.get(url)
    assert response.status_code == 200 and response.content.decode().count('class="decisions"') == 8
    assert len(more) == len(few)


def test_the_list_shows_when_a_planned_meeting_is_expected(client, users, agreement):
    planned = services.plan_meeting(
        users["la.coord"], agreement, kind=ReviewMeeting.Kind.YEARLY, planned_month=dt.date(2027, 4, 1), place="Long An"
    )
    login(client, users, "la.staff")
    page = client.get(reverse("meeting_list")).content.decode()
    assert "tháng 04/2027 (chưa chốt ngày)" in page and reverse("meeting_detail", args=[planned.pk]) in page
