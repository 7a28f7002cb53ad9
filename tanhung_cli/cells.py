"""Reading one cell of a member row: text typed or read from a file, or a workbook cell.

What a reader returns (an `Answer`, or a `DateCell` for a date) depends on the cell
alone, so that `rules.validate_member` can remember it for the values that repeat
down a file. The rules between dates count on `DateCell`s, without building dates.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from tanhung_cli import member_schema
from tanhung_cli import vietnamese as vn
from tanhung_cli.vocab import UnknownValue, vocabulary

# What a cell says: (result, problem key or None, problem params).
Answer = tuple[Any, str | None, dict[str, Any]]
# The params of every answer without a problem: remembered answers share it (never read).
NO_PARAMS: dict[str, Any] = {}

_NAME_OK = re.compile(r"^[^\W\d_]+(?:[ '\-.][^\W\d_]+)*\.?$")
_DIGITS = re.compile(r"\D")
DIGIT_LENGTHS = member_schema.DIGIT_LENGTHS  # digits of a card, a CCCD, a phone


def text(value: object) -> str:
    """A cell as clean text: workbook numbers lose their '.0', dates their time."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    return vn.clean(str(value))


def optional(value: object) -> str:
    """Most optional cells are empty: skip the cleaning for them."""
    return text(value) if value is not None and value != "" else ""


def memo_key(value: object, other: object = None) -> object:
    """A cell's key (or a pair's) among remembered answers. A lone text cell is its own
    key; other cells are keyed with their type, as True == 1 == 1.0 in Python."""
    if type(value) is str and other is None:
        return value
    if type(value) is str and type(other) is str:
        return (value, other)
    return (value, other, type(value).__name__, type(other).__name__)


class DateCell:
    """What a date cell says: a day, or a problem, or nothing (an empty cell).

    A day is kept as what the rules between dates need, so that they are comparisons
    of text and small numbers: its ISO text (which sorts as the dates do), its month
    counted from year 0, its day of the month and whether that is the month's last.
    One object, as a file's dates are fetched from the memo row after row.

    A date known only by its year or month (old rolls: "1960", "03/1960") keeps that ISO
    text ("1960", "1960-03") and the cells of its ``first`` and ``last`` days, between
    which a rule reads it; a day is its own first and last.
    """

    __slots__ = ("iso", "problem", "params", "month", "day", "month_end", "first", "last")

    def __init__(
        self,
        date: dt.date | None,
        problem: str | None = None,
        params: dict[str, Any] = NO_PARAMS,
        partial: str | None = None,
    ) -> None:
        self.problem, self.params = problem, params
        self.iso, self.month, self.day, self.month_end = "", 0, 0, False
        self.first = self.last = self
        if partial:
            first, last = vn.date_bounds(partial)
            self.first, self.last = DateCell(first), DateCell(last)
            date = first
        if date:
            self.iso = partial or date.isoformat()
            self.month = date.year * 12 + date.month - 1
            self.day = date.day
            self.month_end = (
                date.day >= 28 and date.day == calendar.monthrange(date.year, date.month)[1]
            )

    @property
    def partial(self) -> bool:
        return self.first is not self

    @property
    def date(self) -> dt.date:
        """The day, or a partial date's first day."""
        return dt.date.fromisoformat(self.first.iso)


def read_date(value: object, today: dt.date) -> DateCell:
    """The day of a date cell, or its problem (an empty cell has none)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        if value > today:
            return DateCell(None, "rule.date_future", {"value": value.isoformat()})
        return DateCell(value)
    cell = text(value)
    if not cell:
        return DateCell(None)
    try:
        day = vn.parse_partial_date(cell, today=today)
        return DateCell(None, partial=day) if isinstance(day, str) else DateCell(day)
    except vn.DateError as exc:
        return DateCell(None, f"rule.date_{exc.reason}", {"value": cell})


def months_between(start: DateCell, end: DateCell) -> int:
    """`vn.months_between` of two days, counted without building dates."""
    if end.iso < start.iso:
        return -months_between(end, start)
    # vn.add_months(start, months) lands in end's month, on start's day clamped to the
    # month's last: it passes end when start's day is later, unless end is that last day.
    months = end.month - start.month
    return months - 1 if start.day > end.day and not end.month_end else months


def before_months_after(day: DateCell, start: DateCell, months: int) -> bool:
    """Whether ``day`` comes before `vn.add_months` of ``start``, without building dates."""
    month = start.month + months
    if not 12 <= month < 120_000:
        vn.add_months(start.date, months)  # beyond the years 1–9999: raises, as ever
    # vn.add_months keeps start's day, clamped to the month's last.
    return day.month < month or (day.month == month and day.day < start.day and not day.month_end)


def read_vocab(name: str, value: object) -> Answer:
    """The code of the vocabulary ``name`` that the cell names."""
    cell = text(value)
    if not cell:
        return None, None, NO_PARAMS
    try:
        return vocabulary(name).resolve(cell).code, None, NO_PARAMS
    except UnknownValue as exc:
        hint = ", ".join(exc.suggestions)
        key = "rule.unknown_value_hint" if hint else "rule.unknown_value"
        return None, key, {"value": cell, "hint": hint}


def read_branch(value: object, resolve: Callable[[str], tuple[int, str]]) -> Answer:
    """The id of the branch the cell names."""
    branch = text(value)
    if not branch:
        return None, "rule.required", {}
    try:
        return resolve(branch)[0], None, NO_PARAMS
    except LookupError as exc:
        hint = ", ".join(exc.args[1]) if len(exc.args) > 1 else ""
        key = "rule.unknown_branch_hint" if hint else "rule.unknown_branch"
        return None, key, {"value": branch, "hint": hint}


def read_name(value: object, given_value: object, keep_case: bool = False) -> Answer:
    """(full_name, given_name, name_key, sort_key), and the name's problem if it has one.

    A name in capitals (or small letters) throughout is stored capitalised, unless
    ``keep_case``."""
    name = text(value)
    problem: str | None = None
    params = NO_PARAMS
    if not name:
        problem, params = "rule.required", {}
    elif len(name) > 100 or not _NAME_OK.match(name):
        problem, params = "rule.bad_name", {"value": name[:60]}  # as the clerk typed it
    elif not keep_case:
        name = vn.capitalised(name)
    given = optional(given_value) or None
    if given and not keep_case:
        given = vn.capitalised(given)
    if given and name and not vn.fold(name).endswith(vn.fold(given)):
        if problem is None:
            problem, params = "rule.given_not_in_name", {"value": given}
        given = None
    if given and len(given.split()) < 2:
        given = None  # one word is the default given name: nothing to remember
    if not name:
        return (name, given, None, None), problem, params
    # A clean cell (the usual one) is also the memo's key: the two share one string.
    full_name = value if type(value) is str and value == name else name
    return (full_name, given, vn.fold(name), vn.name_sort_key(name, given)), problem, params


def read_digits(column: str, value: object) -> Answer:
    """A number kept as digits (a card, a CCCD, a phone): leading zeros matter."""
    lengths = DIGIT_LENGTHS[column]
    cell = text(value)
    if not cell:
        return None, None, NO_PARAMS
    if column == "phone" and cell.startswith("+84"):
        cell = "0" + cell[3:]
    digits = _DIGITS.sub("", cell)
    if not digits or len(digits) != len(re.sub(r"[\s.\-]", "", cell)):
        return None, "rule.not_digits", {"value": cell}
    if len(digits) not in lengths:
        key = "rule.digits_leading_zero" if len(digits) == lengths[0] - 1 else "rule.digits_length"
        want = " / ".join(str(n) for n in lengths)
        return None, key, {"value": cell, "want": want, "got": len(digits)}
    return digits, None, NO_PARAMS
