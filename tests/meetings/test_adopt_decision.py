"""meetings.services.adopt_decision: a decision of a review meeting becomes a commitment of its agreement, once."""

import pytest

from agreements.models import Agreement, Commitment
from core.models import AuditEntry
from meetings import services

pytestmark = pytest.mark.django_db


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
    with pytest.raises(services.MeetingError, match="phải thuộc thỏa thuận thực hiện kết luận"):
        services.adopt_decision(
            users["la.coord"],
            decision,
            item=other.items.get(number=1),
            responsible_party=decision.meeting.agreement.parties.order_by("order")[0],
        )
