"""Changing an agreement's status in the app (agreement_status, services.change_status): an explicit action with
the day it takes effect; the reporting periods stop at that day; the history says who, when, from what to what.

The owner is a coordinator of a party (la.coord, through Long An's coordinating office); a staff member of a
party knows the agreement (403); anyone else does not (404).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from agreements.models import Agreement
from core import clock
from core.models import AuditEntry
from reporting import workflow
from tests.agreements.lifecycle_support import agreement_2011, programme
from tests.support import track

pytestmark = pytest.mark.django_db


def status_url(agreement: Agreement) -> str:
    return reverse("agreement_status", args=[agreement.pk])


@pytest.fixture
def owner(client, users):
    client.force_login(users["la.coord"])
    return client


def test_the_owner_terminates_an_agreement_on_a_day(owner, users):
    prog = programme()
    page = owner.get(status_url(prog)).content.decode()
    assert 'value="in_force"' not in page and 'value="terminated"' in page  # its own status is no change
    assert 'value="22/11/2026"' in page  # today, as it is typed
    response = owner.post(
        status_url(prog), {"status": "terminated", "effective_on": "01/10/2026", "note": "Văn bản số 15/TB-SCT."}
    )
    assert response.status_code == 302 and response["Location"] == reverse("agreement_detail", args=[prog.pk])
    prog.refresh_from_db()
    assert (prog.status, prog.ended_on) == (Agreement.Status.TERMINATED, dt.date(2026, 10, 1))
    entry = AuditEntry.objects.get(agreement_id=prog.pk, action="agreement.status")
    assert entry.actor_id == users["la.coord"].pk
    assert {key: entry.data[key] for key in ("before", "after", "on")} == {
        "before": "in_force",
        "after": "terminated",
        "on": "2026-10-01",
    }
    # The page, the dashboard and the history say it in Vietnamese.
    detail = owner.get(reverse("agreement_detail", args=[prog.pk])).content.decode()
    assert "Chấm dứt" in detail and "từ ngày 01/10/2026" in detail
    board = owner.get(reverse("agreement_dashboard", args=[prog.pk])).content.decode()
    assert "thôi hiệu lực từ ngày 01/10/2026" in board
    history = owner.get(reverse("agreement_audit", args=[prog.pk])).content.decode()
    for text in ("Đổi tình trạng thỏa thuận", "Đang hiệu lực → Chấm dứt", "01/10/2026", "Văn bản số 15/TB-SCT."):
        assert text in history, text
    assert "Văn bản số 15/TB-SCT." in owner.get(status_url(prog)).content.decode()  # the page lists the changes


def test_no_period_of_a_terminated_agreement_closes_after_its_end(owner):
    """The 2011 agreement, ended on 01/06/2013 and then tracked: the periods stop at the one cut off before it."""
    old = agreement_2011()
    owner.post(status_url(old), {"status": "terminated", "effective_on": "01/06/2013"})
    old.refresh_from_db()
    assert old.ended_on == dt.date(2013, 6, 1)
    track(old)  # opens every tracked period up to today
    ends = list(old.reporting_periods.order_by("end").values_list("end", flat=True))
    assert ends == [dt.date(2011, 12, 14), dt.date(2012, 6, 14), dt.date(2012, 12, 14)]
    assert all(window.end <= old.ended_on for window in workflow.agreement_windows(old))


def test_ended_agreements_get_no_period_from_the_hourly_job(owner):
    prog = programme()
    opened = set(prog.reporting_periods.values_list("pk", flat=True))
    owner.post(status_url(prog), {"status": "expired", "effective_on": "22/11/2026"})
    workflow.open_due_periods(dt.date(2027, 1, 2))  # the first period of 2027 has begun
    assert set(prog.reporting_periods.values_list("pk", flat=True)) == opened


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "superseded", "effective_on": "01/10/2026"}, "Chưa có văn bản kế tiếp"),
        ({"status": "terminated", "effective_on": "31/12/2024"}, "không thể trước ngày ký"),
        ({"status": "terminated", "effective_on": "31/02/2026"}, "Nhập một ngày hợp lệ"),
        ({"status": "terminated", "effective_on": ""}, "Trường này là bắt buộc"),
        # Not offered: the programme is in force already; a draft is published, not chosen.
        ({"status": "in_force", "effective_on": "01/10/2026"}, "chọn một lựa chọn hợp lệ"),
        ({"status": "draft", "effective_on": "01/10/2026"}, "chọn một lựa chọn hợp lệ"),
    ],
)
def test_a_change_the_rules_refuse_is_shown_and_nothing_changes(owner, data, message):
    prog = programme()
    response = owner.post(status_url(prog), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    prog.refresh_from_db()
    assert prog.status == Agreement.Status.IN_FORCE and prog.ended_on is None
    assert not AuditEntry.objects.filter(agreement_id=prog.pk, action="agreement.status").exists()


def test_an_ended_period_cannot_come_back_into_force(owner):
    old = agreement_2011()
    response = owner.post(status_url(old), {"status": "in_force", "effective_on": "01/10/2015"})
    assert "không thể đưa trở lại hiệu lực" in response.content.decode()
    old.refresh_from_db()
    assert old.status == Agreement.Status.EXPIRED


def test_an_agreement_ended_by_mistake_comes_back_into_force(owner):
    prog = programme()
    owner.post(status_url(prog), {"status": "terminated", "effective_on": "01/10/2026"})
    owner.post(status_url(prog), {"status": "in_force", "effective_on": clock.today().strftime("%d/%m/%Y")})
    prog.refresh_from_db()
    assert (prog.status, prog.ended_on) == (Agreement.Status.IN_FORCE, None)


def test_a_draft_is_published_not_changed(owner):
    prog = programme()
    Agreement.objects.filter(pk=prog.pk).update(status=Agreement.Status.DRAFT)
    page = owner.get(status_url(prog)).content.decode()
    assert "Ban hành" in page and 'name="status"' not in page
    response = owner.post(status_url(prog), {"status": "in_force", "effective_on": "01/10/2026"})
    assert "Dự thảo được ban hành bằng nút" in response.content.decode()


@pytest.mark.parametrize(("username", "status"), [("la.staff", 403), ("tn.leader", 403), ("tg.coord", 404)])
def test_only_coordinators_change_the_status(client, users, username, status):
    old = agreement_2011()
    client.force_login(users[username])
    assert client.get(status_url(old)).status_code == status
    assert client.post(status_url(old), {"status": "terminated", "effective_on": "01/06/2013"}).status_code == status
    old.refresh_from_db()
    assert old.status == Agreement.Status.EXPIRED and old.ended_on is None


def test_the_counterpart_coordinator_changes_it_too(client, users):
    client.force_login(users["tn.coord"])
    old = agreement_2011()
    assert client.post(status_url(old), {"status": "terminated", "effective_on": "01/06/2013"}).status_code == 302
