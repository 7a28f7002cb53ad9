"""`due` at a national scale (issue #17): the faster counts say exactly what the plain ones
said. Working days are counted a week at a time where no holiday or swap falls."""

from __future__ import annotations

import datetime as dt

import pytest

from tanhung_cli import working_days


def _day_by_day(start: dt.date, days: int) -> working_days.Count:
    """The count as the Charter's deadlines were counted before: one day at a time."""
    holidays = working_days.table()
    day, left, assumed = start, days, False
    while left > 0:
        day += working_days.ONE_DAY
        assumed = assumed or not holidays.covers(day)
        if working_days.is_working_day(day, holidays):
            left -= 1
    return working_days.Count(day, assumed)


@pytest.mark.parametrize("days", [0, 1, 5, 6, 11, 30])
def test_working_days_counted_a_week_at_a_time_match_the_day_by_day_count(days: int) -> None:
    """Every start day from two years before the holiday table to two years after it
    (holidays, swapped Saturdays, the years it does not cover, the edges between)."""
    holidays = working_days.table()
    day = dt.date(holidays.first - 2, 1, 1)
    while day <= dt.date(holidays.last + 2, 12, 31):
        assert working_days.add.__wrapped__(day, days) == _day_by_day(day, days), day
        day += working_days.ONE_DAY
