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
from tanhung_cli import vietnamese as vn
from tanhung_cli.cells import DIGIT_LENGTHS, before_months_after, memo_key, months_between
from tanhung_cli.problems import Problem

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
VOCAB_COLUMNS = (
    ("gender", "gender"),
    ("ethnicity", "ethnicity"),
    ("religion", "religion"),
    ("education", "education"),
    ("theory_level", "theory_level"),
    ("left_reason", "leave_reason"),
)
# Date columns and their fields in the record: a move in is when one joined the roll.
DATE_COLUMNS = (
    ("birth_date", "birth_date"),
    ("admitted_on", "admitted_on"),
    ("official_on", "official_on"),
    ("left_on", "left_on"),
    ("transferred_in_on", "joined_roll_on"),
)
TEXT_COLUMNS = ("home_town", "profession", "note")
# The record's fields in order, each None until a cell fills it.
RECORD = dict.fromkeys(
    (
        "full_name", "given_name", "name_key", "sort_key",
        *(column for column, _ in VOCAB_COLUMNS), "branch_id", "presence",
        *(name for _, name in DATE_COLUMNS), *DIGIT_LENGTHS, "file_no",
        *TEXT_COLUMNS, "age_exception",
    )
)  # fmt: skip
MAX_TEXT = 200
TEMPORARY_YES = frozenset({"x", "có", "co", "yes", "y", "1", "true", "tạm thời", "tam thoi"})
TEMPORARY_NO = frozenset({"không", "khong", "no", "n", "0", "false", "-"})
# Enough for a file's vocabulary values, branches, common names and most dates, at a
# few megabytes: an import's memory must not grow with the file.
MEMO_SIZE = 100_000


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

    days: list[cells.DateCell | None] = []
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
            elif cell.iso:
                rec[name], day = cell.iso, cell
        days.append(day)
    born, admitted, official, left, moved_in = days
    if born is None and not cells.text(get("birth_date")):
        problems.append(_found("birth_date", "rule.required"))
    if admitted is None and not cells.text(get("admitted_on")):
        problems.append(_found("admitted_on", "rule.required"))

    limits = ctx.limits
    value = get("age_exception")
    if value is not None and value != "":
        rec["age_exception"] = cells.text(value) or None
    if born and admitted:
        months = months_between(born, admitted)
        too_young, too_old = months < limits.min_age_months, months > limits.max_age_months
        if (too_young or too_old) and not rec["age_exception"]:
            key = "rule.too_young" if too_young else "rule.too_old"
            problems.append(
                _found("admitted_on", key, {"years": months // 12, "months": months % 12})
            )
    if admitted and official and before_months_after(official, admitted, limits.probation_months):
        earliest = vn.add_months(admitted.date, limits.probation_months)
        problems.append(_found("official_on", "rule.official_too_early", {"earliest": earliest}))
    if admitted and left and left.iso < admitted.iso:
        problems.append(_found("left_on", "rule.left_before_admitted"))
    if admitted and moved_in and moved_in.iso < admitted.iso:
        problems.append(_found("transferred_in_on", "rule.moved_in_before_admitted"))
    if moved_in and left and left.iso < moved_in.iso:
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
    value = get("file_no")
    if value is not None and value != "":
        file_no = cells.text(value).upper().replace(" ", "").replace("-", "")
        if file_no and not _FILE_NO.match(file_no):
            problems.append(_found("file_no", "rule.bad_file_no", {"value": file_no}))
        rec["file_no"] = file_no or None

    for column in TEXT_COLUMNS:
        value = get(column)
        if value is None or value == "":
            continue
        text = cells.text(value)
        if len(text) > MAX_TEXT:
            problems.append(_found(column, "rule.too_long", {"max": MAX_TEXT}))
        rec[column] = text or None
    return rec, problems
