"""The one place the app asks what day and time it is (Asia/Ho_Chi_Minh).

Every rule that depends on the date reads it here, so that tests freeze one clock: in their
own process with time-machine, in the Celery workers they start with COOPPORTAL_FROZEN_NOW
(settings.FROZEN_NOW, refused outside DEBUG).  A job run for another day (`--date`) passes
its day explicitly instead.
"""

from __future__ import annotations

import datetime
from functools import cache

from django.conf import settings
from django.utils import timezone


@cache
def _frozen(value: str) -> datetime.datetime:
    moment = datetime.datetime.fromisoformat(value)
    if timezone.is_naive(moment):
        raise ValueError(f"COOPPORTAL_FROZEN_NOW needs a UTC offset: {value!r}")
    return moment


def now() -> datetime.datetime:
    frozen: str = settings.FROZEN_NOW
    return _frozen(frozen) if frozen else timezone.now()


def today() -> datetime.date:
    """Today in the app's time zone: 23:59 and 00:01 in Hồ Chí Minh City fall on their own days."""
    return timezone.localdate(now())
