"""Meetings planned before their day is fixed, in the daily reminders (notifications/reminders.py).

- "a meeting is coming" is sent only for a meeting with a day: one planned for a month, or with no time
  yet, has no day to count down to;
- "no meeting on the calendar" is not sent while a meeting is planned for this month or a later one; a
  meeting with no time at all, or one whose planned month has passed without a day, does not count.
"""

from __future__ import annotations

import datetime

import pytest

from agreements.models import Party
from meetings.models import ReviewMeeting
from notifications.messages import compose
from notifications.models import Kind, Notification
from notifications.reminders import DueReminders
from tests.notifications.builders import programme

pytestmark = pytest.mark.django_db

# The last meeting was on 10/02/2026 and the cadence is a year: the next is due by 10/02/2027, and the
# hosts are asked 30 days before.
ASKED_ON = datetime.date(2027, 1, 11)


@pytest.fixture
def agreement(demo):
    agreement = programme(keys=["thanhphohanoi", "tinhnghean", "tinhbackan"], tracked_from=None)
    Party.objects.filter(agreement=agreement, body__unit__key="tinhnghean").update(hosts_next_meeting=True)
    ReviewMeeting.objects.create(agreement=agreement, held_on=datetime.date(2026, 2, 10), place="Nghệ An")
    return agreement


def unscheduled(agreement, day: datetime.date = ASKED_ON) -> list:
    return [d for d in DueReminders(day).unscheduled_meetings() if d.agreement_id == agreement.pk]


def test_a_meeting_planned_for_a_month_is_on_the_calendar(agreement):
    assert len(unscheduled(agreement)) == 1
    planned = ReviewMeeting.objects.create(agreement=agreement, planned_month=datetime.date(2027, 2, 1))
    assert unscheduled(agreement) == []
    # The month of the run itself still counts; a month gone by without a day does not.
    ReviewMeeting.objects.filter(pk=planned.pk).update(planned_month=datetime.date(2027, 1, 1))
    assert unscheduled(agreement) == []
    ReviewMeeting.objects.filter(pk=planned.pk).update(planned_month=datetime.date(2026, 12, 1))
    assert len(unscheduled(agreement)) == 1


def test_a_meeting_with_no_time_yet_leaves_the_hosts_asked(agreement):
    ReviewMeeting.objects.create(agreement=agreement, kind=ReviewMeeting.Kind.YEARLY)
    dues = unscheduled(agreement)
    assert len(dues) == 1 and dues[0].kind == Kind.MEETING_UNSCHEDULED


def test_only_meetings_with_a_day_are_counted_down(agreement):
    ReviewMeeting.objects.create(agreement=agreement, kind=ReviewMeeting.Kind.WORKING)
    ReviewMeeting.objects.create(agreement=agreement, planned_month=datetime.date(2027, 2, 1))
    dated = ReviewMeeting.objects.create(agreement=agreement, held_on=datetime.date(2027, 2, 10))
    dues = [d for d in DueReminders(ASKED_ON).meetings() if d.agreement_id == agreement.pk]
    assert {d.meeting_id for d in dues} == {dated.pk}


def test_a_reminder_keeps_its_day_when_the_meeting_loses_it(agreement, users):
    """A meeting reminded of, then postponed with no new day: its message still says the day it was due on."""
    meeting = ReviewMeeting.objects.create(agreement=agreement, held_on=datetime.date(2027, 2, 10), place="Vinh")
    notification = Notification(
        recipient=users["la.coord"],
        kind=Kind.MEETING_UPCOMING,
        target=f"meeting:{meeting.pk}",
        stage="-30",
        agreement_id=agreement.pk,
        meeting=meeting,
        day=ASKED_ON,
        due_on=meeting.held_on,
        url="/",
    )
    ReviewMeeting.objects.filter(pk=meeting.pk).update(held_on=None, planned_month=datetime.date(2027, 3, 1))
    meeting.refresh_from_db()
    message = compose(notification)
    assert "10/02/2027" in message.subject and "10/02/2027" in message.headline
