"""The admin of meeting decisions: adopting a decision from its change page."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


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
