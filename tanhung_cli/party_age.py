"""Party age (tuổi đảng) and Party badges (Huy hiệu Đảng), from a member's periods.

Party age runs from the admission decision, probation included once the member
is confirmed, minus any time out of the Party. Transfers between committees are
not time out: only leaving the Party (death, removal, expulsion, resignation)
ends a membership, and a re-admission starts a new one. A membership whose
probation never ended in confirmation counts for nothing.

The gaps between counted memberships are subtracted in days: the age at ``d`` is
the whole months from the first admission to ``d`` moved back by the gaps, so a
badge of N years falls due N years after the first admission plus the gaps. So are the
recorded periods out of contact or interrupted by a transfer (`gaps`, both days out). A
membership restored (khôi phục đảng tịch, `restoration`) keeps its admission, so the
periods before and after are one membership and the time out is not subtracted.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from tanhung_cli import vietnamese as vn
from tanhung_cli.errors import Invalid
from tanhung_cli.readmission_rules import current_admission
from tanhung_cli.roll import Period

# Defaults of the settings (table ``settings``) that rule badges.
DEFAULT_BADGE_YEARS = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)
DEFAULT_PRESENTATION_DAYS = ((2, 3), (5, 19), (9, 2), (11, 7))  # (month, day): 3/2, 19/5, 2/9, 7/11
SETTING_DEFAULTS = {
    "badge_years": ",".join(str(y) for y in DEFAULT_BADGE_YEARS),
    "badge_dates": ",".join(f"{d:02d}/{m:02d}" for m, d in DEFAULT_PRESENTATION_DAYS),
    "early_award_months": "12",
    "early_award_months_long": "24",
    "early_award_long_from_years": "70",
}
# Leaving for these reasons ends a membership of the Party; a transfer does not.
LEAVES_PARTY = ("died", "removed", "expelled", "resigned")
DATE_COLUMNS = ("admitted_on", "official_on", "left_on")


def has_partial_dates(member: Period, spells: Iterable[Period] = ()) -> bool:
    """Whether a date that party age counts from is known by its year or month alone."""
    return any(vn.is_partial(p[c]) for p in [member, *spells] for c in DATE_COLUMNS)


@dataclass(frozen=True)
class BadgeRules:
    years: tuple[int, ...] = DEFAULT_BADGE_YEARS
    presentation_days: tuple[tuple[int, int], ...] = DEFAULT_PRESENTATION_DAYS
    early_months: int = 12  # early award for serious illness
    early_months_long: int = 24  # … for the badges of long_from years and more
    long_from: int = 70

    def early(self, years: int) -> int:
        return self.early_months_long if years >= self.long_from else self.early_months


def badge_rules(conn: sqlite3.Connection) -> BadgeRules:
    """The badge settings in force for this registry (defaults when not set)."""
    stored = dict(conn.execute("SELECT key, value FROM settings").fetchall())
    values = {k: str(stored.get(k, v)) for k, v in SETTING_DEFAULTS.items()}
    try:
        years = tuple(sorted(int(y) for y in values["badge_years"].split(",")))
        days = []
        for text in values["badge_dates"].split(","):
            day, month = (int(part) for part in text.strip().split("/"))
            dt.date(2000, month, day)  # a real day of the year (29/02 included)
            days.append((month, day))
        return BadgeRules(
            years=years,
            presentation_days=tuple(sorted(days)),
            early_months=int(values["early_award_months"]),
            early_months_long=int(values["early_award_months_long"]),
            long_from=int(values["early_award_long_from_years"]),
        )
    except ValueError:
        raise Invalid("life.bad_badge_setting", value=str(values)[:200]) from None


@dataclass(frozen=True)
class Membership:
    """One admission to the Party, until the member left it (or still a member)."""

    admitted_on: dt.date
    official_on: dt.date | None
    ended_on: dt.date | None
    # The admission date as stored: a year or month alone stays one when shown.
    admitted_as: str = field(default="", compare=False)
    # Periods inside it not counted in party age (`gaps`): first and last day, in order.
    gaps: tuple[tuple[dt.date, dt.date], ...] = ()

    def gap_days(self, until: dt.date) -> int:
        """Days of this membership's gaps before ``until``."""
        return sum(max(0, (min(end + _DAY, until) - start).days) for start, end in self.gaps)


_DAY = dt.timedelta(days=1)


def _day(value: str | None, late: bool) -> dt.date | None:
    return vn.date_bounds(value)[late] if value else None


def memberships(
    member: Period,
    spells: Iterable[Period] = (),
    *,
    late: bool = False,
    gaps: Iterable[tuple[dt.date, dt.date]] = (),
) -> list[Membership]:
    """The member's memberships, oldest first, from the current period and past spells,
    each with the ``gaps`` (first and last day, `gaps.spans`) that begin inside it.

    A date known by its year or month alone (old records) is read as its first day, or
    with ``late`` its last: a party age that differs between the two is uncertain."""
    periods = sorted([*spells, member], key=lambda p: (p["joined_roll_on"], p is member))
    out: list[Membership] = []
    for period in periods:
        own = current_admission(period) if period is member else period["admitted_on"]
        admitted_as = own or member["admitted_on"]
        admitted = _day(admitted_as, late)
        assert admitted is not None
        official = _day(period["official_on"], late)
        ended = _day(period["left_on"], late) if period["left_reason"] in LEAVES_PARTY else None
        if out and out[-1].admitted_on == admitted:
            # The same membership seen from another period here (a transfer out and back).
            official = official or out[-1].official_on
            out[-1] = Membership(admitted, official, ended, admitted_as)
        else:
            out.append(Membership(admitted, official, ended, admitted_as))
    return _with_gaps(out, sorted(gaps)) if gaps else out


def _with_gaps(spans: list[Membership], gaps: list[tuple[dt.date, dt.date]]) -> list[Membership]:
    out = []
    for i, span in enumerate(spans):
        after = spans[i + 1].admitted_on if i + 1 < len(spans) else dt.date.max
        own = tuple(g for g in gaps if span.admitted_on <= g[0] < after)
        out.append(replace(span, gaps=own) if own else span)
    return out


def _counted(spans: list[Membership], as_of: dt.date) -> list[Membership]:
    return [s for s in spans if s.official_on and s.official_on <= as_of and s.admitted_on <= as_of]


def party_age_months(spans: list[Membership], as_of: dt.date) -> int | None:
    """Whole months of party age at ``as_of``; None while never confirmed."""
    counted = _counted(spans, as_of)
    if not counted:
        return None
    gaps = 0
    end = as_of
    for before, after in zip(counted, counted[1:], strict=False):
        if before.ended_on is not None:
            gaps += (after.admitted_on - before.ended_on).days
    last = counted[-1]
    if last.ended_on and last.ended_on < as_of:
        end = last.ended_on
    gaps += sum(span.gap_days(end) for span in counted)
    return vn.months_between(counted[0].admitted_on, end - dt.timedelta(days=gaps))


def reaches_on(spans: list[Membership], years: int, horizon: dt.date) -> dt.date | None:
    """The day party age reaches ``years``, counting memberships confirmed by ``horizon``."""
    counted = _counted(spans, horizon)
    if not counted:
        return None
    target = vn.add_months(counted[0].admitted_on, 12 * years)
    shift = dt.timedelta(0)
    for i, span in enumerate(counted):
        for start, last in span.gaps:  # in order: a gap passed moves the next ones in reach
            if start < target + shift:
                shift += last + _DAY - start
        candidate = target + shift
        if span.ended_on is None or candidate <= span.ended_on:
            return candidate if candidate >= span.admitted_on else None
        if i + 1 < len(counted):
            shift += counted[i + 1].admitted_on - span.ended_on
    return None


def _dates_of(year: int, rules: BadgeRules) -> list[dt.date]:
    return [
        dt.date(year, month, 28 if (month, dom) == (2, 29) and not _leap(year) else dom)
        for month, dom in rules.presentation_days
    ]


def next_presentation(day: dt.date, rules: BadgeRules) -> dt.date:
    """The first badge presentation date on or after ``day``."""
    return min(d for y in (day.year, day.year + 1) for d in _dates_of(y, rules) if d >= day)


def previous_presentation(day: dt.date, rules: BadgeRules) -> dt.date:
    """The last badge presentation date before ``day``."""
    return max(d for y in (day.year - 1, day.year) for d in _dates_of(y, rules) if d < day)


def presentations(start: dt.date, end: dt.date, rules: BadgeRules) -> list[dt.date]:
    """Every presentation date from ``start`` to ``end`` inclusive."""
    out = []
    day = next_presentation(start, rules)
    while day <= end:
        out.append(day)
        day = next_presentation(day + dt.timedelta(days=1), rules)
    return out


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


@dataclass(frozen=True)
class Badge:
    years: int
    reaches_on: dt.date
    presented_on: dt.date
    early: bool = False


def badges_due(
    spans: list[Membership],
    dates: list[dt.date],
    rules: BadgeRules,
    *,
    early: bool = False,
    levels: Iterable[int] | None = None,
) -> list[Badge]:
    """The badges due at the presentation ``dates``; with ``early``, also the early awards.

    ``levels`` limits the badge levels looked at (the caller may know which can fall due).
    """
    if not dates:
        return []
    out = []
    last = dates[-1]
    for years in rules.years if levels is None else levels:
        reach = reaches_on(spans, years, vn.add_months(last, rules.early(years)))
        if reach is None:
            continue
        presented = next_presentation(reach, rules)
        if presented in dates and _counted(spans, presented):
            out.append(Badge(years, reach, presented))
        elif early and reach > last and vn.add_months(reach, -rules.early(years)) <= last:
            first = next(d for d in dates if vn.add_months(reach, -rules.early(years)) <= d)
            out.append(Badge(years, reach, first, early=True))
    return out
