"""The one validator of a member record, used by `member add`, `member edit`, imports and `check`.

It takes raw values (text typed or read from a file, or cells of a workbook) keyed by
column name and returns the record to store plus every problem found, each tied to
its column, so that an import can report ``file.csv:17: birth_date: …``.

A file repeats its values down a million rows (a gender, a branch, a birth date): what
a cell says is read once (`cells.py`) and remembered in the context's memo, a date with
what the rules between dates need, so that most rows cost a few dictionary lookups.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from tanhung_cli import cells
from tanhung_cli import member_schema as schema
from tanhung_cli import vietnamese as vn
from tanhung_cli.cells import DIGIT_LENGTHS, before_months_after, memo_key, months_between
from tanhung_cli.problems import Problem, dated

_T = TypeVar("_T")


def _found(column: str, key: str, params: Mapping[str, Any] | None = None) -> Problem:
    """A problem of one column, in the validator's reading order: where, then what."""
    return Problem(key, params or {}, column)


@dataclass(frozen=True)
class Limits:
    """Rules that may change; kept as settings (see `settings.py`)."""

    min_age_months: int = 18 * 12
    max_age_months: int = 60 * 12
    probation_months: int = 12
    # Dates of the roll known only by year or month are old records' (before this year).
    partial_dates_before: int = 2000


@dataclass
class Context:
    today: dt.date
    # Resolve a branch name to (id, canonical name); raise LookupError with suggestions.
    resolve_branch: Callable[[str], tuple[int, str]]
    limits: Limits = field(default_factory=Limits)
    # Store names as typed, even in capitals throughout (--keep-case).
    keep_case: bool = False
    # What the values that repeat down a file say ("Nam", "Kinh", a birth date), by kind
    # of value then by `cells.memo_key`: an `Answer`, or a `cells.DateCell` for a date.
    # At most MEMO_SIZE of them in all, per import.
    memo: defaultdict[str, dict[object, Any]] = field(
        default_factory=lambda: defaultdict(dict), repr=False
    )
    remembered: int = field(default=0, init=False, repr=False)

    def remember(self, kind: str, key: object, answer: _T) -> _T:
        if self.remembered < MEMO_SIZE:  # once full, later values are worked out each time
            self.memo[kind][key] = answer
            self.remembered += 1
        return answer


_FILE_NO = re.compile(r"^(\d{6})([A-Z]{1,4})$")
# The column sets, from the one declaration of a member's fields (`member_schema`).
VOCAB_COLUMNS = tuple((f.name, f.vocab) for f in schema.named("vocab"))
# Date columns and their fields in the record: a move in is when one joined the roll.
DATE_COLUMNS = tuple((f.name, f.column or f.name) for f in schema.named("date"))
TEXT_COLUMNS = tuple(f.name for f in schema.named("text"))
FILE_NO_COLUMNS = tuple(f.name for f in schema.named("file_no"))
PLAN_COLUMNS = tuple(f.name for f in schema.named("plan"))
LATEST = dt.date(2199, 12, 31)  # as far as a planned date may go (`cli.common.LATEST`)
# The record's fields, each None until a cell fills it: the stored columns and the
# name's keys.
RECORD = dict.fromkeys(
    column
    for f in schema.FIELDS
    if f.column and f.kind != "id"
    for column in ((f.column, "name_key", "sort_key") if f.kind == "name" else (f.column,))
)
MAX_TEXT = 200
TEMPORARY_YES = frozenset({"x", "có", "co", "yes", "y", "1", "true", "tạm thời", "tam thoi"})
TEMPORARY_NO = frozenset({"không", "khong", "no", "n", "0", "false", "-"})
# Enough for a file's vocabulary values, branches, common names and most dates, at a
# few megabytes: an import's memory must not grow with the file.
MEMO_SIZE = 100_000


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


def validate_member(
    raw: Mapping[str, object], ctx: Context
) -> tuple[dict[str, Any], list[Problem]]:
    """Check one member's values against every rule; return (record, problems)."""
    problems: list[Problem] = []
    rec = RECORD.copy()
    get, memo, remember = raw.get, ctx.memo, ctx.remember
    # Empty cells ("" or missing), most optional ones, are passed over before any work;
    # a text cell, the usual kind, is its own memo key (see `cells.memo_key`).

    # Names repeat down a roll (Nguyễn Văn Hùng): work each one out once per import.
    name_value, given_value = get("full_name"), get("given_name")
    key: object = name_value
    if type(name_value) is not str or given_value is not None:
        key = memo_key(name_value, given_value)
    names, problem, params = memo["name"].get(key) or remember(
        "name", key, cells.read_name(name_value, given_value, ctx.keep_case)
    )
    if problem:
        column = "given_name" if problem == "rule.given_not_in_name" else "full_name"
        problems.append(_found(column, problem, params))
    rec["full_name"], rec["given_name"], rec["name_key"], rec["sort_key"] = names
    if not names[0]:
        del rec["name_key"], rec["sort_key"]  # no name, no keys

    for column, kind in VOCAB_COLUMNS:
        value = get(column)
        if value is None or value == "":
            continue
        key = value if type(value) is str else memo_key(value)
        rec[column], problem, params = memo[kind].get(key) or remember(
            kind, key, cells.read_vocab(kind, value)
        )
        if problem:
            problems.append(_found(column, problem, params))
    for column in ("gender", "ethnicity"):
        if rec[column] is None and not cells.text(get(column)):
            problems.append(_found(column, "rule.required"))

    value = get("branch")
    key = value if type(value) is str else memo_key(value)
    rec["branch_id"], problem, params = memo["branch"].get(key) or remember(
        "branch", key, cells.read_branch(value, ctx.resolve_branch)
    )
    if problem:
        problems.append(_found("branch", problem, params))

    days: dict[str, cells.DateCell | None] = {}
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
    born, admitted, official = days["birth_date"], days["admitted_on"], days["official_on"]
    left, moved_in = days["left_on"], days["transferred_in_on"]
    if born is None and not cells.text(get("birth_date")):
        problems.append(_found("birth_date", "rule.required"))
    if admitted is None and not cells.text(get("admitted_on")):
        problems.append(_found("admitted_on", "rule.required"))

    limits = ctx.limits
    value = get("age_exception")
    if value is not None and value != "":
        rec["age_exception"] = cells.text(value) or None
    if born and admitted:
        # Dates known by year or month alone are refused only when no day of theirs fits.
        most = months_between(born.first, admitted.last)
        least = months_between(born.last, admitted.first)
        too_young, too_old = most < limits.min_age_months, least > limits.max_age_months
        if (too_young or too_old) and not rec["age_exception"]:
            key = "rule.too_young" if too_young else "rule.too_old"
            months = most if too_young else least
            problems.append(
                _found("admitted_on", key, {"years": months // 12, "months": months % 12})
            )
    if (
        admitted
        and official
        and before_months_after(official.last, admitted.first, limits.probation_months)
    ):
        earliest = vn.add_months(admitted.date, limits.probation_months)
        problems.append(_found("official_on", "rule.official_too_early", {"earliest": earliest}))
    if admitted and left and left.last.iso < admitted.first.iso:
        problems.append(_found("left_on", "rule.left_before_admitted"))
    if admitted and moved_in and moved_in.last.iso < admitted.first.iso:
        problems.append(_found("transferred_in_on", "rule.moved_in_before_admitted"))
    if moved_in and left and left.last.iso < moved_in.first.iso:
        problems.append(_found("left_on", "rule.left_before_moved_in"))
    value = get("temporary")
    if value is not None and value != "":
        flag = cells.text(value).casefold()
        if flag and flag not in TEMPORARY_YES and flag not in TEMPORARY_NO:
            problems.append(_found("temporary", "rule.bad_flag", {"value": flag}))
        # Only what the file says: an empty cell leaves the roll dates as they are.
        rec["presence"] = "temporary" if flag in TEMPORARY_YES else "regular" if flag else None
    if bool(left) != bool(rec["left_reason"]) and not any(
        p.column in ("left_on", "left_reason") for p in problems
    ):
        problems.append(_found("left_reason" if left else "left_on", "rule.left_pair"))

    for column, lengths in DIGIT_LENGTHS.items():
        value = get(column)
        if value is None or value == "":
            continue
        if type(value) is str and value.isascii() and value.isdigit() and len(value) in lengths:
            rec[column] = value  # the usual case: nothing to clean
            continue
        rec[column], problem, params = cells.read_digits(column, value)
        if problem:
            problems.append(_found(column, problem, params))
    if rec["card_no"] and not official and "official_on" not in {p.column for p in problems}:
        problems.append(_found("card_no", "rule.card_needs_official"))
    for column in FILE_NO_COLUMNS:
        value = get(column)
        if value is None or value == "":
            continue
        number = cells.text(value).upper().replace(" ", "").replace("-", "")
        if number and not _FILE_NO.match(number):
            problems.append(_found(column, "rule.bad_file_no", {"value": number}))
        rec[column] = number or None

    for column in TEXT_COLUMNS:
        value = get(column)
        if value is None or value == "":
            continue
        text = cells.text(value)
        if len(text) > MAX_TEXT:
            problems.append(_found(column, "rule.too_long", {"max": MAX_TEXT}))
        rec[column] = text or None
    if (
        rec["exempt_since"] or rec["away_since"] or rec["away_to"] or rec["away_until"]
    ) and not any(p.column in schema.STANDING for p in problems):
        problems += standing_problems(rec, moved_in or admitted)
    return rec, problems


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
