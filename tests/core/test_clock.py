"""core.clock: the one clock of the app, frozen for every test, and the day it gives in Hồ Chí Minh City."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys

import pytest

from core import clock
from tests.support import BOUNDARY_DAYS, FROZEN_AT, ROOT, VN


def test_every_test_lives_on_the_frozen_day():
    assert clock.today() == FROZEN_AT.date()
    assert datetime.datetime.now(tz=VN).date() == FROZEN_AT.date()


@pytest.mark.parametrize("moment", BOUNDARY_DAYS, ids=lambda m: m.strftime("%d-%m-%H%M"))
def test_the_day_is_the_day_in_ho_chi_minh_city(travel, moment):
    travel(moment)
    assert clock.today() == moment.date()
    # 23:59 local is still the same day although UTC is 7 hours behind; 00:01 local is already the next.
    assert clock.now().astimezone(datetime.UTC).date() == (moment - datetime.timedelta(hours=7)).date()


def test_a_worker_can_be_frozen_by_setting(settings):
    settings.FROZEN_NOW = "2027-01-01T00:01:00+07:00"
    assert clock.today() == datetime.date(2027, 1, 1)
    assert clock.now() == datetime.datetime(2027, 1, 1, 0, 1, tzinfo=VN)


def test_a_frozen_clock_needs_an_offset(settings):
    settings.FROZEN_NOW = "2027-01-01T00:01:00"
    with pytest.raises(ValueError, match="offset"):
        clock.now()


def test_production_refuses_a_frozen_clock():
    """With DEBUG off the setting stops the process: a frozen clock must never date a real document."""
    env = {
        "PATH": os.environ["PATH"],
        "DEBUG": "false",
        "SECRET_KEY": "a-real-production-secret-that-is-long-enough-0123456789-abcdefghijklmnop",
        "ALLOWED_HOSTS": "coopportal.example.vn",
        "COOPPORTAL_FROZEN_NOW": "2027-01-01T00:01:00+07:00",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "COOPPORTAL_FROZEN_NOW" in result.stderr
