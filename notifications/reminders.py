"""What is due on a day: the reminders of reports, meetings, commitments and ending agreements.

Pure reading, in a fixed number of queries: each kind is one query bounded by its window of
dates (the earliest and latest offsets, plus the catch-up of the last one), so the run costs
the same whether the instance holds twenty agreements or two thousand.

A reminder has stages (days relative to its date).  On a day, the one stage that is due is the
latest whose day has come: after beat or the workers were down for a week, the next run sends
that stage and not every stage it missed.  The last stage stays due for `catch_up_days`.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, Max, OuterRef, Q
from django.urls import reverse

from agreements.models import Agreement, Commitment, Role, commitment_url
from meetings.models import ReviewMeeting
from notifications.models import Kind, ReminderSettings
from notifications.recipients import Directory, PartyRow, party_rows
from reporting.models import ProgressReport

IN_FORCE = Agreement.Status.IN_FORCE
NOT_SUBMITTED = (ProgressReport.State.DRAFT, ProgressReport.State.RETURNED)


@dataclass(frozen=True)
class Due:
    """One stage of one reminder, for a set of recipients."""

    kind: str
    target: str
    offset: int
    due_on: datetime.date
    agreement_id: int
    recipients: frozenset[int]
    url: str
    report_id: int | None = None
    meeting_id: int | None = None
    commitment_id: int | None = None
    params: dict[str, Any] = field(default_factory=dict)
    document_id: int | None = None
    event: str = ""  # a workflow event's stage names the event itself, not an offset

    @property
    def stage(self) -> str:
        return self.event or stage_label(self.offset)


def stage_label(offset: int) -> str:
    return "0" if offset == 0 else f"{offset:+d}"


def current_stage(due_on: datetime.date, offsets: Sequence[int], day: datetime.date, catch_up: int) -> int | None:
    """The latest offset whose day has come by `day`; the last one only for `catch_up` days after its own."""
    passed = [offset for offset in offsets if due_on + datetime.timedelta(days=offset) <= day]
    if not passed:
        return None
    latest = passed[-1]
    if latest == offsets[-1] and day > due_on + datetime.timedelta(days=latest + catch_up):
        return None
    return latest


def window(offsets: Sequence[int], day: datetime.date, catch_up: int) -> tuple[datetime.date, datetime.date]:
    """The due dates for which some stage can be due on `day` (the bounds of each kind's query)."""
    return (
        day - datetime.timedelta(days=offsets[-1] + catch_up),
        day - datetime.timedelta(days=offsets[0]),
    )


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_meeting_due(base: datetime.date, cadence: int, day: datetime.date, last_stage_days: int) -> datetime.date:
    """The date a meeting is due by: one cadence after `base`, and a cadence later for each cycle missed,
    so that an agreement that never meets is asked again every cycle rather than once."""
    cycles = 1
    due_on = add_months(base, max(cadence, 1))
    while due_on + datetime.timedelta(days=last_stage_days) < day:
        cycles += 1
        due_on = add_months(base, max(cadence, 1) * cycles)
    return due_on


def _tracked(prefix: str, date_field: str) -> Q:
    """The date is on or after the agreement's "tracked from" day (history before it is never reminded)."""
    return Q(**{f"{prefix}tracked_from__isnull": True}) | Q(**{f"{date_field}__gte": F(f"{prefix}tracked_from")})


class DueReminders:
    """Every reminder stage due on `day`, computed once for the whole instance."""

    def __init__(self, day: datetime.date, config: ReminderSettings | None = None) -> None:
        self.day = day
        self.config = config if config is not None else ReminderSettings.load()
        self.directory = Directory()

    def all(self) -> list[Due]:
        return [
            *self.reports(),
            *self.meetings(),
            *self.unscheduled_meetings(),
            *self.commitments(),
            *self.ending_agreements(),
        ]

    def reports(self) -> Iterator[Due]:
        """Semi-annual (or other cadence) reports not submitted, to staff, then coordinators, then leaders."""
        config = self.config
        offsets = config.report_stages
        first, last = window(offsets, self.day, config.catch_up_days)
        rows = (
            ProgressReport.objects.filter(
                state__in=NOT_SUBMITTED,
                period__agreement__status=IN_FORCE,
                period__deadline__range=(first, last),
            )
            .filter(_tracked("period__agreement__", "period__end"))
            .values_list(
                "pk",
                "period__deadline",
                "period__agreement_id",
                "party__body_id",
                "party__coordinating_office_id",
                "period_id",
            )
            .order_by("period__deadline", "pk")
        )
        for pk, deadline, agreement_id, body_id, office_id, period_id in rows:
            offset = current_stage(deadline, offsets, self.day, config.catch_up_days)
            if offset is None:
                continue
            roles = [Role.STAFF]
            if offset >= config.report_coordinators_from:
                roles.append(Role.COORDINATOR)
            if offset >= config.report_leaders_from:
                roles.append(Role.LEADER)
            yield Due(
                kind=Kind.REPORT_DUE,
                target=f"report:{pk}",
                offset=offset,
                due_on=deadline,
                agreement_id=agreement_id,
                recipients=frozenset(self.directory.holders((body_id, office_id), roles)),
                url=reverse("report_detail", args=[pk]),
                report_id=pk,
                params={"period_id": period_id},
            )

    def meetings(self) -> Iterator[Due]:
        """Scheduled review meetings, to the coordinators and leaders of every party."""
        config = self.config
        offsets = config.meeting_stages
        rows = list(
            ReviewMeeting.objects.filter(
                agreement__status=IN_FORCE,
                held_on__gte=self.day,
                held_on__lte=self.day - datetime.timedelta(days=offsets[0]),
            ).values_list("pk", "held_on", "agreement_id")
        )
        parties = party_rows(agreement_id for _pk, _held, agreement_id in rows)
        for pk, held_on, agreement_id in rows:
            assert held_on is not None  # the filter reads dated meetings only
            # Only meetings still ahead are read, so no stage is caught up after the meeting's day.
            offset = current_stage(held_on, offsets, self.day, config.catch_up_days)
            if offset is None:
                continue
            yield Due(
                kind=Kind.MEETING_UPCOMING,
                target=f"meeting:{pk}",
                offset=offset,
                due_on=held_on,
                agreement_id=agreement_id,
                recipients=frozenset(self._all_parties(parties[agreement_id], (Role.COORDINATOR, Role.LEADER))),
                url=reverse("agreement_detail", args=[agreement_id]) + "#meetings",
                meeting_id=pk,
            )

    def unscheduled_meetings(self) -> Iterator[Due]:
        """No meeting on the calendar within the cadence: the host party's coordinators (or all) are asked to set one."""
        config = self.config
        offsets = config.meeting_stages
        # A meeting planned for this month or a later one, its day not fixed yet, is on the calendar too; one
        # with no time at all is not (its hosts are still asked to set one), nor one whose month has passed.
        upcoming = ReviewMeeting.objects.filter(agreement=OuterRef("pk")).filter(
            Q(held_on__gte=self.day) | Q(held_on__isnull=True, planned_month__gte=self.day.replace(day=1))
        )
        rows = list(
            Agreement.objects.filter(status=IN_FORCE, period_end__gte=self.day)
            .annotate(
                last_held=Max("meetings__held_on", filter=Q(meetings__held_on__lt=self.day)),
                has_upcoming=Exists(upcoming),
            )
            .filter(has_upcoming=False)
            .values_list(
                "pk", "last_held", "tracked_from", "signed_on", "period_start", "period_end", "meeting_cadence_months"
            )
        )
        due_rows = []
        for pk, last_held, tracked_from, signed_on, period_start, period_end, cadence in rows:
            base = max(day for day in (last_held, tracked_from, signed_on or period_start) if day is not None)
            due_on = next_meeting_due(base, cadence, self.day, offsets[-1] + config.catch_up_days)
            if due_on > period_end:
                continue
            offset = current_stage(due_on, offsets, self.day, config.catch_up_days)
            if offset is not None:
                due_rows.append((pk, due_on, offset))
        parties = party_rows(pk for pk, _due, _offset in due_rows)
        for pk, due_on, offset in due_rows:
            hosts = [party for party in parties[pk] if party.hosts_next_meeting] or parties[pk]
            yield Due(
                kind=Kind.MEETING_UNSCHEDULED,
                target=f"agreement:{pk}:meeting-due:{due_on.isoformat()}",
                offset=offset,
                due_on=due_on,
                agreement_id=pk,
                recipients=frozenset(self._all_parties(hosts, (Role.COORDINATOR,))),
                url=reverse("agreement_detail", args=[pk]) + "#meetings",
            )

    def commitments(self) -> Iterator[Due]:
        """Commitments with a due date, not done: to the responsible party's staff, before and when overdue."""
        config = self.config
        offsets = config.commitment_stages
        first, last = window(offsets, self.day, config.catch_up_days)
        rows = (
            Commitment.objects.unfinished()
            .filter(agreement__status=IN_FORCE, due_on__range=(first, last))
            .filter(_tracked("agreement__", "due_on"))
            .values_list(
                "pk",
                "due_on",
                "agreement_id",
                "responsible_party__body_id",
                "responsible_party__coordinating_office_id",
            )
            .order_by("due_on", "pk")
        )
        for pk, due_on, agreement_id, body_id, office_id in rows:
            offset = current_stage(due_on, offsets, self.day, config.catch_up_days) if due_on else None
            if offset is None or due_on is None:
                continue
            yield Due(
                kind=Kind.COMMITMENT_DUE,
                target=f"commitment:{pk}",
                offset=offset,
                due_on=due_on,
                agreement_id=agreement_id,
                recipients=frozenset(self.directory.holders((body_id, office_id), (Role.STAFF,))),
                url=commitment_url(agreement_id, pk),
                commitment_id=pk,
            )

    def ending_agreements(self) -> Iterator[Due]:
        """Agreements whose period ends within the notice: prepare the renewal."""
        notice = self.config.agreement_ending_days
        rows = list(
            Agreement.objects.filter(
                status=IN_FORCE,
                period_end__gte=self.day,
                period_end__lte=self.day + datetime.timedelta(days=notice),
            ).values_list("pk", "period_end")
        )
        parties = party_rows(pk for pk, _end in rows)
        for pk, period_end in rows:
            yield Due(
                kind=Kind.AGREEMENT_ENDING,
                target=f"agreement:{pk}:ending:{period_end.isoformat()}",
                offset=-notice,
                due_on=period_end,
                agreement_id=pk,
                recipients=frozenset(self._all_parties(parties[pk], (Role.COORDINATOR, Role.LEADER))),
                url=reverse("agreement_detail", args=[pk]),
            )

    def _all_parties(self, parties: Iterable[PartyRow], roles: Sequence[str]) -> set[int]:
        found: set[int] = set()
        for party in parties:
            found |= self.directory.of_party(party, roles)
        return found
