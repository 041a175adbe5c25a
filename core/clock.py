"""The one place the app asks what day and time it is (Asia/Ho_Chi_Minh).

Every rule that depends on the date reads it here, so that tests freeze one clock
(time-machine) and a job run for another day (`--date`) passes it explicitly.
"""

from __future__ import annotations

import datetime

from django.utils import timezone


def now() -> datetime.datetime:
    return timezone.now()


def today() -> datetime.date:
    """Today in the app's time zone: 23:59 and 00:01 in Hồ Chí Minh City fall on their own days."""
    return timezone.localdate(now())
