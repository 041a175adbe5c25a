"""Who may see or record review meetings: every member of the agreement's parties reads them, its
coordinators (of any party) and site admins plan and record them.  Each helper returns the object or
raises Http404 (the user may not know it) / PermissionDenied (they know it, and may not do this)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from agreements.access import is_agreement_coordinator, visible_agreements
from agreements.models import Agreement
from core.types import Actor
from meetings.models import MeetingDecision, ReviewMeeting
from meetings.services import decision_targets


def get_meeting_for(user: Actor, meeting_id: int) -> ReviewMeeting:
    """A meeting of an agreement the user may see."""
    meeting = (
        ReviewMeeting.objects.filter(pk=meeting_id, agreement__in=visible_agreements(user).values("pk"))
        .select_related("agreement", "host_party__body")
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def can_edit_meetings(user: Actor, agreement: Agreement) -> bool:
    return is_agreement_coordinator(user, agreement)


def get_meeting_for_edit(user: Actor, meeting_id: int) -> ReviewMeeting:
    """A meeting its agreement's coordinators and site admins may record; other members 403, others 404."""
    meeting = get_meeting_for(user, meeting_id)
    if not can_edit_meetings(user, meeting.agreement):
        raise PermissionDenied(_("Chỉ bộ phận điều phối của các bên mới ghi được cuộc họp của thỏa thuận."))
    return meeting


def get_decision_for_edit(user: Actor, meeting_id: int, decision_id: int) -> MeetingDecision:
    """A decision of a meeting the user may record (through that meeting's address only)."""
    meeting = get_meeting_for_edit(user, meeting_id)
    decision = MeetingDecision.objects.filter(pk=decision_id, meeting=meeting).select_related(
        "target_agreement", "responsible_party__body", "lead_body"
    )
    found = decision.first()
    if found is None:
        raise Http404
    found.meeting = meeting
    return found


def writable_targets(user: Actor, agreement: Agreement) -> list[Agreement]:
    """Where the user may have a decision carried out: the meeting's agreement and those of its successors
    the user coordinates too (a commitment is written into the agreement it belongs to)."""
    targets = decision_targets(agreement)
    return [targets[0], *(target for target in targets[1:] if is_agreement_coordinator(user, target))]


def visible_target_ids(user: Actor, agreement_ids: set[int]) -> set[int]:
    """Which of these agreements the user may open (a decision's commitment is linked only there): one query."""
    if not agreement_ids:
        return set()
    return set(visible_agreements(user).filter(pk__in=agreement_ids).values_list("pk", flat=True))
