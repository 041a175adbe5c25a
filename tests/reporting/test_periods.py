import datetime as dt
import itertools

import pytest

from reporting import periods


def d(day: int, month: int, year: int) -> dt.date:
    return dt.date(year, month, day)


@pytest.mark.parametrize(
    ("day", "year", "index", "start", "end"),
    [
        (d(14, 12, 2025), 2025, 2, d(15, 6, 2025), d(14, 12, 2025)),
        (d(15, 12, 2025), 2026, 1, d(15, 12, 2025), d(14, 6, 2026)),
        (d(31, 12, 2025), 2026, 1, d(15, 12, 2025), d(14, 6, 2026)),
        (d(1, 1, 2026), 2026, 1, d(15, 12, 2025), d(14, 6, 2026)),
        (d(14, 6, 2026), 2026, 1, d(15, 12, 2025), d(14, 6, 2026)),
        (d(15, 6, 2026), 2026, 2, d(15, 6, 2026), d(14, 12, 2026)),
    ],
)
def test_semiannual_windows_at_the_boundaries(day, year, index, start, end):
    w = periods.window_containing(day, 6)
    assert (w.year, w.index, w.start, w.end) == (year, index, start, end)


def test_labels():
    assert str(periods.window(6, 2026, 1).label()) == "6 tháng đầu năm 2026"
    assert str(periods.window(6, 2026, 2).label()) == "6 tháng cuối năm 2026"


def test_annual_and_quarterly():
    assert periods.window_containing(d(15, 12, 2025), 12).start == d(15, 12, 2025)
    assert periods.window_containing(d(14, 12, 2025), 12).end == d(14, 12, 2025)
    q = periods.window_containing(d(15, 3, 2026), 3)
    assert (q.index, q.start, q.end) == (2, d(15, 3, 2026), d(14, 6, 2026))
    assert periods.window_containing(d(20, 12, 2025), 3).end == d(14, 3, 2026)


def test_windows_chain_without_gaps():
    windows = list(periods.windows_overlapping(d(1, 1, 2011), d(31, 12, 2015), 6))
    for a, b in itertools.pairwise(windows):
        assert b.start == a.end + dt.timedelta(days=1)


def test_deadline_is_a_working_day_after_cutoff():
    # 14/06/2025 is a Saturday; +10 days is Tuesday 24/06.
    assert periods.deadline_after(d(14, 6, 2025), 10) == d(24, 6, 2025)
    # 14/12/2011 + 10 = Saturday 24/12/2011 -> Monday 26/12/2011.
    assert periods.deadline_after(d(14, 12, 2011), 10) == d(26, 12, 2011)
    # Friday cut-off, one day: Saturday is no working day, so Monday.
    assert periods.deadline_after(d(14, 6, 2024), 1) == d(17, 6, 2024)
    with pytest.raises(ValueError):
        periods.deadline_after(d(14, 6, 2024), 0)


def test_unknown_cadence_is_refused():
    with pytest.raises(ValueError):
        periods.window_containing(d(1, 1, 2026), 5)
