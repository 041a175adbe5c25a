import datetime as dt

import pytest
from django.urls import reverse

from agreements.models import Agreement, Commitment
from core.models import AuditEntry
from meetings import services
from meetings.models import MeetingDecision, ReviewMeeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(demo):
    agreement = Agreement.objects.get(kind="programme")
    meeting = ReviewMeeting.objects.create(
        agreement=agreement,
        kind=ReviewMeeting.Kind.YEARLY,
        held_on=dt.date(2025, 12, 20),
        place="Tây Ninh",
        host_party=agreement.parties.get(hosts_next_meeting=True),
    )
    return MeetingDecision.objects.create(
        meeting=meeting, number=1, text="Tổ chức phiên kết nối giao thương quý I/2026."
    )


def test_a_decision_becomes_a_commitment_once(decision, users):
    agreement = decision.meeting.agreement
    item, party = agreement.items.get(number=2), agreement.parties.first()
    commitment = services.adopt_decision(users["la.coord"], decision, item=item, responsible_party=party)
    assert commitment.description == decision.text and decision.commitment == commitment
    assert AuditEntry.objects.filter(action="decision.adopted", object_id=decision.pk).exists()
    with pytest.raises(services.MeetingError, match="đã được chuyển"):
        services.adopt_decision(users["la.coord"], decision, item=item, responsible_party=party)
    assert Commitment.objects.filter(description=decision.text).count() == 1


def test_items_of_another_agreement_are_refused(decision, users):
    other = Agreement.objects.get(signed_on="2011-10-14")
    with pytest.raises(services.MeetingError, match="thuộc thỏa thuận của cuộc họp"):
        services.adopt_decision(
            users["la.coord"],
            decision,
            item=other.items.get(number=1),
            responsible_party=decision.meeting.agreement.parties.order_by("order")[0],
        )


def test_adopt_from_the_admin(client, users, decision):
    client.force_login(users["admin"])
    agreement = decision.meeting.agreement
    url = reverse("admin:meetings_meetingdecision_change", args=[decision.pk])
    response = client.post(
        url,
        {
            "meeting": decision.meeting_id,
            "number": 1,
            "text": decision.text,
            "adopt_item": agreement.items.get(number=2).pk,
            "adopt_party": agreement.parties.first().pk,
        },
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.commitment is not None and decision.commitment.item.number == 2
