"""Every write of the meetings app: actor, one transaction, audit, MeetingError."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from agreements.models import Commitment, CooperationItem, Party
from agreements.services import AgreementError, add_commitment
from core.audit import audit
from core.errors import DomainError
from meetings.models import MeetingDecision


class MeetingError(DomainError):
    """A rule of review meetings was broken; the message is for the user."""


def adopt_decision(
    actor: User | None,
    decision: MeetingDecision,
    *,
    item: CooperationItem,
    responsible_party: Party,
    due_on: datetime.date | None = None,
) -> Commitment:
    """Turn a meeting's decision into a commitment under one of the agreement's items, once."""
    agreement_id = decision.meeting.agreement_id
    if item.agreement_id != agreement_id or responsible_party.agreement_id != agreement_id:
        raise MeetingError(_("Nội dung hợp tác và bên chủ trì phải thuộc thỏa thuận của cuộc họp."))
    with transaction.atomic():
        # Claim the decision first: of two people adopting it at once, the second creates nothing.
        locked = MeetingDecision.objects.select_for_update().get(pk=decision.pk)
        if locked.commitment_id is not None:
            raise MeetingError(_("Kết luận này đã được chuyển thành cam kết."))
        try:
            commitment = add_commitment(
                actor, item, responsible_party, decision.text, due_on=due_on, source=f"decision:{decision.pk}"
            )
        except AgreementError as exc:
            raise MeetingError(exc.message) from None
        MeetingDecision.objects.filter(pk=decision.pk, commitment__isnull=True).update(commitment=commitment)
        audit(actor, "decision.adopted", decision, commitment=commitment.pk)
    decision.refresh_from_db()
    return commitment
