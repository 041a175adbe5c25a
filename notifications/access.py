"""Who may see which notification: its recipient; and an agreement's record: its coordinators and admins."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from agreements.access import get_agreement_for, is_agreement_coordinator
from agreements.models import Agreement
from core.types import Actor
from notifications.models import Notification


def get_notification_for(user: Actor, notification_id: int) -> Notification:
    """Only one's own: someone else's notification is a 404, not a 403 (its existence is nobody's business)."""
    try:
        return Notification.objects.get(pk=notification_id, recipient_id=user.pk)
    except Notification.DoesNotExist:
        raise Http404 from None


def get_agreement_record_for(user: Actor, agreement_id: int) -> Agreement:
    """The record of what was sent for an agreement: its coordinators (any party) and site admins."""
    agreement = get_agreement_for(user, agreement_id)
    if not is_agreement_coordinator(user, agreement):
        raise PermissionDenied
    return agreement
