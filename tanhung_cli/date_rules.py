"""The member validator's dates (`rules.validate_member`): each date cell read once per
file, and the rules between dates, as arithmetic on `cells.DateCell`.

A date known by year or month alone (old records) is a range of days: a rule between
two dates refuses only when no day of theirs fits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from tanhung_cli import admission_dates, cells
from tanhung_cli import member_schema as schema
from tanhung_cli import vietnamese as vn
from tanhung_cli.cells import before_months_after, memo_key, months_between
from tanhung_cli.probation import months_for as probation_months
from tanhung_cli.problems import Problem, dated

if TYPE_CHECKING:
    from tanhung_cli.rules import Context, Limits

# Date columns and their fields in the record: a move in is when one joined the roll.
DATE_COLUMNS = tuple((f.name, f.column or f.name) for f in schema.named("date"))
PLAN_COLUMNS = tuple(f.name for f in schema.named("plan"))
LATEST = dt.date(2199, 12, 31)  # as far as a planned date may go (`cli.common.LATEST`)
Days = dict[str, cells.DateCell | None]


def _found(column: str, key: str, params: Mapping[str, Any] | None = None) -> Problem:
    return Problem(key, params or {}, column)


def read_dates(
    get: Callable[[str], object], rec: dict[str, Any], problems: list[Problem], ctx: Context
) -> Days:
    """Each date column read (remembered per file) into ``rec``; the cells by column."""
    memo, remember = ctx.memo, ctx.remember
    days: Days = {}
    for column, name in DATE_COLUMNS:
        value = get(column)
        day = None
        if value is not None and value != "":
            key = value if type(value) is str else memo_key(value)
            cell: cells.DateCell = memo["date"].get(key) or remember(
                "date", key, cells.read_date(value, ctx.today)
            )
            if cell.problem:
                problems.append(_found(column, cell.problem, cell.params))
            elif cell.partial and column != "birth_date" and not _old_enough(cell, ctx.limits):
                problems.append(_found(column, "dates.partial_too_recent", _partial(cell, ctx)))
            elif cell.iso:
                rec[name], day = cell.iso, cell
        days[column] = day
    for column in PLAN_COLUMNS:  # a plan (a planned return) may lie ahead
        value = get(column)
        if value is not None and value != "":
            key = value if type(value) is str else memo_key(value)
            cell = memo["plan"].get(key) or remember("plan", key, cells.read_date(value, LATEST))
            if cell.problem:
                problems.append(_found(column, cell.problem, cell.params))
            elif cell.iso:
                rec[column], days[column] = cell.iso, cell
    for column in ("birth_date", "admitted_on"):
        if days[column] is None and not cells.text(get(column)):
            problems.append(_found(column, "rule.required"))
    return days


def between_dates(
    get: Callable[[str], object],
    rec: dict[str, Any],
    days: Days,
    problems: list[Problem],
    limits: Limits,
) -> None:
    """Age at admission, probation, and the order of joining, moving in and leaving."""
    born, admitted, official = days["birth_date"], days["admitted_on"], days["official_on"]
    left, moved_in = days["left_on"], days["transferred_in_on"]
    value = get("age_exception")
    if value is not None and value != "":
        rec["age_exception"] = cells.text(value) or None
    # Age is checked at the branch meeting that considered the candidate when it is
    # recorded, else at the decision (Quy định 294-QĐ/TW; `admission_dates`).
    aged_at = "branch_met_on" if days["branch_met_on"] else "admitted_on"
    considered = days[aged_at]
    if born and considered:
        if limits.age_by_calendar_month:  # the day of the month not counted (a setting)
            most, least = (
                considered.last.month - born.first.month,
                considered.first.month - born.last.month,
            )
        else:
            most = months_between(born.first, considered.last)
            least = months_between(born.last, considered.first)
        too_young, too_old = most < limits.min_age_months, least > limits.max_age_months
        if (too_young or too_old) and not rec["age_exception"]:
            key = "rule.too_young" if too_young else "rule.too_old"
            months = most if too_young else least
            problems.append(_found(aged_at, key, {"years": months // 12, "months": months % 12}))
    problems += admission_dates.order_problems(days)
    # Probation from the ceremony (the decision when not recorded), of its era's length.
    begun = days["ceremony_on"] or admitted
    probation = probation_months(admitted.iso, limits.probation_months) if admitted else 0
    if (
        admitted
        and begun
        and official
        and before_months_after(official.last, begun.first, probation)
    ):
        earliest = vn.add_months(begun.date, probation)
        if begun is admitted and probation == 12:
            problems.append(
                _found("official_on", "rule.official_too_early", {"earliest": earliest})
            )
        else:
            since = {"months": probation, "since": dated(begun.iso), "earliest": earliest}
            problems.append(_found("official_on", "admission.official_too_early", since))
    if admitted and left and left.last.iso < admitted.first.iso:
        problems.append(_found("left_on", "rule.left_before_admitted"))
    if admitted and moved_in and moved_in.last.iso < admitted.first.iso:
        problems.append(_found("transferred_in_on", "rule.moved_in_before_admitted"))
    if moved_in and left and left.last.iso < moved_in.first.iso:
        problems.append(_found("left_on", "rule.left_before_moved_in"))


def age_uncertain(born: str | None, admitted: str | None, limits: Limits) -> bool:
    """Whether a birth or admission known by year or month alone (old records) leaves the
    age at admission uncertain: within the limits on some of its days, outside on others."""
    if not born or not admitted or not (vn.is_partial(born) or vn.is_partial(admitted)):
        return False
    (born_first, born_last), (admitted_first, admitted_last) = map(vn.date_bounds, (born, admitted))
    most = vn.months_between(born_first, admitted_last)
    least = vn.months_between(born_last, admitted_first)
    return least < limits.min_age_months <= most or least <= limits.max_age_months < most


def _old_enough(cell: cells.DateCell, limits: Limits) -> bool:
    return int(cell.iso[:4]) < limits.partial_dates_before


def _partial(cell: cells.DateCell, ctx: Context) -> dict[str, Any]:
    return {"value": dated(cell.iso), "year": ctx.limits.partial_dates_before}


def standing_problems(rec: Mapping[str, Any], joined: cells.DateCell | None) -> list[Problem]:
    """What is wrong with a member's standing now: exempt since, away since / to / until."""
    found = []
    for column in ("exempt_since", "away_since"):
        if joined and rec[column] and rec[column] < joined.iso:
            found.append(_found(column, "schema.before_joining", {"date": joined.date}))
    since, place, until = rec["away_since"], rec["away_to"], rec["away_until"]
    if (since or until) and not place:
        found.append(_found("away_to", "schema.away_needs_place"))
    elif (place or until) and not since:
        found.append(_found("away_since", "schema.away_needs_date"))
    elif until and until < since:
        found.append(_found("away_until", "schema.return_before_leaving"))
    if since and rec["presence"] == "temporary":
        found.append(_found("away_since", "schema.away_temporary"))
    return found
