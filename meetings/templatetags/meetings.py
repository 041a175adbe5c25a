"""The meetings section of the agreement page (reporting.views.agreement_detail), which reporting cannot
build itself: reporting sits below meetings.  Two queries (meetings, their decisions), one more when a
decision became a commitment of another agreement (whether the reader may open it)."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.db.models import Prefetch

from agreements.models import Agreement
from core import clock
from meetings.access import visible_target_ids
from meetings.models import MeetingDecision, ReviewMeeting

register = template.Library()


def _order(meetings: list[ReviewMeeting], today: datetime.date) -> list[ReviewMeeting]:
    """Ahead first (soonest first, those with no time yet last), then those held, latest first."""
    ahead = [m for m in meetings if not m.is_held(today)]
    held = [m for m in meetings if m.is_held(today)]
    ahead.sort(key=lambda m: (m.sort_day is None, m.sort_day or today, m.pk))
    held.sort(key=lambda m: (m.held_on, m.pk), reverse=True)
    return ahead + held


@register.inclusion_tag("meetings/_meetings_section.html", takes_context=True)
def agreement_meetings(context: Any, agreement: Agreement, is_coordinator: bool = False) -> dict[str, Any]:
    today = clock.today()
    # What the section shows, no more: each join is planned on every view of the page, rows or none.
    decisions = MeetingDecision.objects.select_related("commitment__item", "target_agreement").order_by("number")
    meetings = list(
        ReviewMeeting.objects.filter(agreement=agreement)
        .order_by()  # sorted below
        .prefetch_related(Prefetch("decisions", queryset=decisions))
    )
    others = {
        d.target_agreement_id
        for m in meetings
        for d in m.decisions.all()
        if d.target_agreement_id not in (None, agreement.pk)
    }
    user = context["request"].user
    linked = visible_target_ids(user, {pk for pk in others if pk is not None}) | {agreement.pk}
    return {
        "agreement": agreement,
        "meetings": _order(meetings, today),
        "linked": linked,
        "can_plan": is_coordinator and agreement.archived_at is None,
        "today": today,
    }
