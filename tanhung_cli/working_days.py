"""Working days (ngày làm việc): Monday to Friday, less the public holidays.

The Charter's deadlines are counted in working days: the admission ceremony within 30
working days of the decision, the branch's confirmation within 30 working days after
probation ends (Quy định 294-QĐ/TW; Hướng dẫn 06-HD/TW). The holidays are data
(``holidays.toml``: Labour Code 2019, Article 112, with the actual days of the lunar
holidays of each year it covers). A count that reaches a year the table does not
cover assumes weekends only, and says so (``Count.assumed``).
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

ONE_DAY = dt.timedelta(days=1)
CEREMONY_WITHIN = 30  # working days from the admission decision to the ceremony
CONFIRM_WITHIN = 30  # working days for the branch to confirm after probation ends


@dataclass(frozen=True)
class Table:
    first: int  # the years the table covers, first and last
    last: int
    off: frozenset[dt.date]  # weekdays off (holidays, days made up, swaps)
    work: frozenset[dt.date]  # Saturdays worked in exchange (a swap)
    marks: tuple[dt.date, ...] = ()  # every day of ``off`` and ``work``, in order

    def covers(self, day: dt.date) -> bool:
        return self.first <= day.year <= self.last


@cache
def table() -> Table:
    """The holiday table bundled with the package."""
    import tomllib

    text = resources.files("tanhung_cli").joinpath("holidays.toml").read_text("utf-8")
    data = tomllib.loads(text)
    first, last = data["covers"]
    off: set[dt.date] = set()
    work: set[dt.date] = set()
    for year in range(first, last + 1):
        entry = data["years"][str(year)]  # every covered year is listed (a test checks)
        off.update(dt.date.fromisoformat(d) for d in entry["off"])
        work.update(dt.date.fromisoformat(d) for d in entry.get("work", ()))
    return Table(first, last, frozenset(off), frozenset(work), tuple(sorted(off | work)))


def is_working_day(day: dt.date, holidays: Table | None = None) -> bool:
    """Whether ``day`` is a working day (a year outside the table: a weekday)."""
    holidays = holidays or table()
    if day in holidays.work:
        return True
    return day.weekday() < 5 and day not in holidays.off


@dataclass(frozen=True)
class Count:
    """A day reached by counting working days, and whether the count met a year the
    holiday table does not cover (then it counted weekends only)."""

    day: dt.date
    assumed: bool = False


@lru_cache(maxsize=4096)  # a roll repeats its dates: due and check ask for each member
def add(start: dt.date, days: int) -> Count:
    """The ``days``-th working day after ``start`` (``start`` itself not counted)."""
    holidays = table()
    day, left = start, days
    while left > 0:
        # A week without a holiday or a swap holds five working days: stepped over at
        # once while more than five are left (the last ones are counted a day at a time).
        if left > 5 and not _marked(holidays, day, day + _WEEK):
            day += _WEEK
            left -= 5
            continue
        day += ONE_DAY
        if is_working_day(day, holidays):
            left -= 1
    # The days counted run from the day after ``start`` to ``day``, years in between too.
    assumed = day > start and not (holidays.covers(start + ONE_DAY) and holidays.covers(day))
    return Count(day, assumed)


_WEEK = dt.timedelta(days=7)


def _marked(holidays: Table, after: dt.date, upto: dt.date) -> bool:
    """Whether a day off or a swapped working day falls after ``after``, up to ``upto``."""
    at = bisect.bisect_right(holidays.marks, after)
    return at < len(holidays.marks) and holidays.marks[at] <= upto


def between(start: dt.date, end: dt.date) -> tuple[int, bool]:
    """Working days after ``start`` up to ``end`` included (0 when ``end`` is not later),
    and whether a year outside the table was counted with weekends only."""
    holidays = table()
    count, assumed, day = 0, False, start
    while day < end:
        day += ONE_DAY
        assumed = assumed or not holidays.covers(day)
        count += is_working_day(day, holidays)
    return count, assumed


def counted_label(assumed: bool) -> str:
    """The catalogue key that says how a count was made (holidays known, or not)."""
    return "admission.weekends_only" if assumed else "admission.holidays_counted"
