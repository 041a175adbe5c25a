"""`python manage.py send_reminders [--date YYYY-MM-DD] [--dry-run]`: the daily job for any day."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import CommandError, call_command

from notifications.models import EmailState, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiet_demo(users: dict[str, User]) -> None:
    Notification.objects.update(email_state=EmailState.SENT)


def command(*args: str) -> str:
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_dry_run_lists_one_line_per_recipient_target_and_stage_and_writes_nothing(quiet_demo: None) -> None:
    before = Notification.objects.count()
    output = command("--date", "2026-12-17", "--dry-run")
    lines = [line.split("\t") for line in output.splitlines() if line.startswith("would send")]
    assert len(lines) == 9
    assert {(user, stage, kind) for _w, user, _target, stage, kind in lines if user.endswith(".staff")} == {
        ("la.staff", "-7", "report_due"),
        ("tn.staff", "-7", "report_due"),
        ("tg.staff", "-7", "report_due"),
    }
    assert "9 nhắc việc sẽ được gửi ngày 17/12/2026 (chạy thử, chưa gửi gì)." in output
    assert Notification.objects.count() == before
    assert mail.outbox == []


def test_a_run_sends_and_prints_what_it_sent_and_a_second_run_sends_nothing(quiet_demo: None) -> None:
    output = command("--date", "2026-12-17")
    sent = [line.split("\t") for line in output.splitlines() if line.startswith("sent\t")]
    assert len(sent) == 9 and len(mail.outbox) == 9
    assert "ghi 9 nhắc việc mới; gửi 9 e-mail" in output
    again = command("--date", "2026-12-17")
    assert "ghi 0 nhắc việc mới; gửi 0 e-mail" in again
    assert len(mail.outbox) == 9
    assert command("--date", "2026-12-17", "--dry-run").splitlines()[-1].startswith("0 nhắc việc")


def test_without_a_date_it_runs_for_today_in_vietnam(quiet_demo: None, travel: Any) -> None:
    output = command("--dry-run")
    assert "ngày 22/11/2026" in output


@pytest.mark.parametrize("value", ["17/12/2026", "2026-13-01", "mai"])
def test_a_bad_date_is_refused_in_vietnamese(value: str) -> None:
    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        command("--date", value)
