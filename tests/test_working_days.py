"""Working days: weekends and the public holidays of Bộ luật Lao động 2019, Article 112,
as data (``tanhung_cli/holidays.toml``), with the years the table covers."""

from __future__ import annotations

import datetime as dt
import tomllib
from importlib import resources

from tanhung_cli import working_days as wd

D = dt.date


def test_every_covered_year_is_listed_with_its_days_labour_code_112() -> None:
    """Labour Code 2019, Article 112.1: 11 days a year from 2021 (New Year 1, Tết 5, Hùng
    Kings 1, 30/4, 1/5, National day 2); Labour Code 2012, Article 115: 10 before (National
    day 1). Each covered year lists at least those as weekdays off (made-up days of
    Article 112.3 included); a day worked in exchange is a Saturday."""
    data = tomllib.loads(
        resources.files("tanhung_cli").joinpath("holidays.toml").read_text("utf-8")
    )
    first, last = data["covers"]
    assert (first, last) == (2019, 2026)
    for year in range(first, last + 1):
        off = [D.fromisoformat(d) for d in data["years"][str(year)]["off"]]
        assert len(off) >= (11 if year >= 2021 else 10), year
        assert all(d.year == year and d.weekday() < 5 for d in off), year
        assert all(D.fromisoformat(d).weekday() == 5 for d in data["years"][str(year)]["work"])


def test_lunar_holidays_are_the_actual_days_of_each_year_labour_code_112_1b() -> None:
    """Article 112.1.b and .đ: Tết and Hùng Kings' day (10/3 lunar) move every year."""
    assert not wd.is_working_day(D(2025, 1, 29))  # Tết Ất Tỵ, Wednesday
    assert not wd.is_working_day(D(2024, 2, 12))  # Tết Giáp Thìn, the Monday after
    assert wd.is_working_day(D(2024, 2, 15))  # back to work
    assert not wd.is_working_day(D(2025, 4, 7))  # Hùng Kings 2025 (Monday)
    assert not wd.is_working_day(D(2022, 4, 11))  # Hùng Kings 2022 on Sunday: made up Monday
    assert not wd.is_working_day(D(2025, 9, 1)) and not wd.is_working_day(D(2025, 9, 2))
    assert wd.is_working_day(D(2024, 5, 4))  # a Saturday worked in exchange for 29/04
    assert not wd.is_working_day(D(2020, 1, 28))  # Tết Canh Tý 2020 (Labour Code 2012, 115)
    assert not wd.is_working_day(D(2024, 5, 5))  # Sunday


def test_counting_starts_the_day_after_and_the_30th_day() -> None:
    """QĐ 294-QĐ/TW: the ceremony "within 30 working days" of the decision: the decision's
    day is not counted; Tết 2025 (27/01-31/01) is skipped."""
    assert wd.add(D(2025, 1, 20), 1) == wd.Count(D(2025, 1, 21))
    assert wd.add(D(2025, 1, 20), 30) == wd.Count(D(2025, 3, 10))
    assert wd.between(D(2025, 1, 20), D(2025, 3, 10)) == (30, False)
    assert wd.between(D(2025, 1, 20), D(2025, 1, 20)) == (0, False)


def test_outside_the_table_weekends_only_and_it_says_so() -> None:
    """A year the table does not cover is counted with weekends only, flagged `assumed`."""
    count = wd.add(D(2030, 1, 1), 30)
    assert count == wd.Count(D(2030, 2, 12), assumed=True)
    assert wd.add(D(2026, 12, 1), 30).assumed  # runs into 2027
    assert not wd.add(D(2026, 11, 1), 30).assumed
    assert wd.counted_label(True) == "admission.weekends_only"
