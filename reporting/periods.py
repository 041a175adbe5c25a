"""Reporting windows of Decree 09/2019/NĐ-CP, Article 12.

The data of a reporting year runs from 15 December of the previous year to 14 December.
Semi-annual: 15/12 (Y-1) – 14/06 (Y) and 15/06 – 14/12 (Y).  Quarterly windows cut the
same year at the 14th of March, June, September and December.  Pure functions, no ORM.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CUTOFF_DAY = 14
_CUTOFF_MONTHS = {3: (3, 6, 9, 12), 6: (6, 12), 12: (12,)}


@dataclass(frozen=True)
class Window:
    cadence_months: int
    year: int
    index: int  # 1-based position within the reporting year
    start: datetime.date
    end: datetime.date  # the cut-off day, inclusive

    def label(self) -> Promise | str:
        if self.cadence_months == 6:
            if self.index == 1:
                return _("6 tháng đầu năm %(year)s") % {"year": self.year}
            return _("6 tháng cuối năm %(year)s") % {"year": self.year}
        if self.cadence_months == 12:
            return _("năm %(year)s") % {"year": self.year}
        return _("quý %(quarter)s năm %(year)s") % {"quarter": self.index, "year": self.year}

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def next(self) -> Window:
        return window_containing(self.end + datetime.timedelta(days=1), self.cadence_months)


def _check_cadence(cadence_months: int) -> tuple[int, ...]:
    try:
        return _CUTOFF_MONTHS[cadence_months]
    except KeyError:
        raise ValueError(f"Unsupported reporting cadence: {cadence_months} months") from None


def window(cadence_months: int, year: int, index: int) -> Window:
    cutoffs = _check_cadence(cadence_months)
    if not 1 <= index <= len(cutoffs):
        raise ValueError(f"Period index {index} out of range for cadence {cadence_months}")
    end = datetime.date(year, cutoffs[index - 1], CUTOFF_DAY)
    if index == 1:
        start = datetime.date(year - 1, 12, CUTOFF_DAY + 1)
    else:
        start = datetime.date(year, cutoffs[index - 2], CUTOFF_DAY + 1)
    return Window(cadence_months, year, index, start, end)


def window_containing(day: datetime.date, cadence_months: int) -> Window:
    cutoffs = _check_cadence(cadence_months)
    # After the December cut-off the day already belongs to next year's first window.
    year = day.year + 1 if (day.month, day.day) > (12, CUTOFF_DAY) else day.year
    for index, month in enumerate(cutoffs, start=1):
        if (day.month, day.day) <= (month, CUTOFF_DAY) or year > day.year:
            return window(cadence_months, year, index)
    raise AssertionError("unreachable: every day is before some cut-off")  # pragma: no cover


def windows_overlapping(start: datetime.date, end: datetime.date, cadence_months: int) -> Iterator[Window]:
    """Every window that shares at least one day with [start, end]."""
    current = window_containing(start, cadence_months)
    while current.start <= end:
        yield current
        current = current.next()


def deadline_after(cutoff: datetime.date, days: int) -> datetime.date:
    """The deadline `days` after the cut-off, moved to a working day.

    Decree 09 requires at least one working day between cut-off and deadline, and a
    deadline that falls on a weekend is read as the next Monday.
    """
    if days < 1:
        raise ValueError("A deadline must fall after the cut-off.")
    deadline = cutoff + datetime.timedelta(days=days)
    while deadline.weekday() >= 5:
        deadline += datetime.timedelta(days=1)
    return deadline
