"""The daily job on SQLite (`make run`'s database), in a second process: records through bulk_create there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support import ROOT

SCRIPT = r"""
import datetime as dt

import django

django.setup()

from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import setup_test_environment

setup_test_environment()  # the locmem mail backend
assert connection.vendor == "sqlite", connection.vendor
call_command("migrate", verbosity=0)
call_command("load_demo", verbosity=0)
from notifications import services
from notifications.models import Notification

first = services.run_daily(dt.date(2026, 12, 17))
again = services.run_daily(dt.date(2026, 12, 17))
print("recorded", len(first.recorded), len(again.recorded), "sent", first.sent, len(mail.outbox))
print("stages", sorted({n.stage for n in first.recorded}))
"""


def test_the_daily_job_on_sqlite(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DEBUG": "true",
        "REDIS_URL": "",
        "COOPPORTAL_VAR_DIR": str(tmp_path / "var"),
        "COOPPORTAL_FROZEN_NOW": "2026-11-22T10:00:00+07:00",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    # Nine reminders, recorded once; sent with the six e-mails of the demo's own workflow events.
    assert "recorded 9 0 sent 15 15" in result.stdout, result.stdout
    assert "stages ['-7', '-90']" in result.stdout, result.stdout
