"""Agreements expire by themselves (agreements.tasks.expire_agreements, daily from django-celery-beat).

The demo's programme (in force, 2025–2026) is given an earlier end; the job run the next day expires it on its
last day, once however many times it runs; the periods of an ended agreement stop at its end.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django_celery_beat.models import PeriodicTask

from agreements import services
from agreements.models import Agreement
from agreements.tasks import expire_agreements
from coopportal.celery import app
from core.models import AuditEntry
from reporting import workflow
from tests.agreements.lifecycle_support import programme
from tests.support import VN

pytestmark = pytest.mark.django_db

LAST_DAY = dt.date(2026, 10, 31)


@pytest.fixture
def ending(demo) -> Agreement:
    """The programme, in force, its period ending 31/10/2026 (three weeks before the frozen day)."""
    prog = programme()
    Agreement.objects.filter(pk=prog.pk).update(period_end=LAST_DAY)
    prog.refresh_from_db()
    assert prog.status == Agreement.Status.IN_FORCE
    return prog


def test_running_twice_expires_once(ending):
    first = expire_agreements()
    assert first == {"today": "2026-11-22", "expired": 1}
    ending.refresh_from_db()
    assert (ending.status, ending.ended_on) == (Agreement.Status.EXPIRED, LAST_DAY)
    assert expire_agreements()["expired"] == 0
    entries = AuditEntry.objects.filter(agreement_id=ending.pk, action="agreement.status")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.actor is None and entry.data["after"] == "expired" and entry.data["on"] == LAST_DAY.isoformat()


def test_an_agreement_still_in_its_period_is_left_alone(demo, travel):
    prog = programme()  # ends 31/12/2026
    travel(dt.datetime(2026, 12, 31, 23, 0, tzinfo=VN))
    assert expire_agreements()["expired"] == 0
    travel(dt.datetime(2027, 1, 1, 0, 10, tzinfo=VN))  # when beat runs it: the first minutes of the next day
    assert expire_agreements() == {"today": "2027-01-01", "expired": 1}
    prog.refresh_from_db()
    assert (prog.status, prog.ended_on) == (Agreement.Status.EXPIRED, dt.date(2026, 12, 31))


def test_two_runs_at_once_claim_each_agreement_once(ending):
    """Both runs read the same agreement as due; the conditional UPDATE lets one of them expire it."""
    assert services.expire_agreements(dt.date(2026, 11, 22)) == 1
    assert services.expire_agreements(dt.date(2026, 11, 22)) == 0
    assert AuditEntry.objects.filter(agreement_id=ending.pk, action="agreement.status").count() == 1


def test_an_expired_agreements_periods_stop_at_its_end(ending):
    """The second half of 2026 (cut-off 14/12/2026) is after the end: it is no window of the agreement."""
    expire_agreements()
    ending.refresh_from_db()
    assert [w.end for w in workflow.agreement_windows(ending)][-1] == dt.date(2026, 6, 14)
    before = set(ending.reporting_periods.values_list("start", flat=True))
    assert workflow.open_reporting_periods(ending, dt.date(2027, 1, 2))  # what was opened before stays
    assert workflow.open_due_periods(dt.date(2027, 1, 2)).periods == 0  # the hourly job opens nothing new for it
    assert set(ending.reporting_periods.values_list("start", flat=True)) == before


def test_the_job_is_scheduled_just_after_midnight_in_vietnam():
    row = PeriodicTask.objects.get(task=expire_agreements.name)
    assert row.enabled and row.crontab is not None
    assert (row.crontab.minute, row.crontab.hour, str(row.crontab.timezone)) == ("10", "0", "Asia/Ho_Chi_Minh")
    assert expire_agreements.name in app.tasks
