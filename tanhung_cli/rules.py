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

from tanhung_cli import cccd, cells, date_rules, education, founding, leaving, readmission_rules
from tanhung_cli import member_schema as schema
from tanhung_cli.cells import DIGIT_LENGTHS, memo_key
from tanhung_cli.problems import Problem
from tanhung_cli.transfer_rules import record_problems as transfer_problems

_T = TypeVar("_T")
# The release of the rules a stored member passed (`members.rules_version`, `rules_stamp`):
# bump it whenever what the validator accepts changes; tests/test_rules_stamp.py fails
# until its sources' recorded hash and this number are updated together.
RULES_VERSION = 1


def _found(column: str, key: str, params: Mapping[str, Any] | None = None) -> Problem:
    """A problem of one column, in the validator's reading order: where, then what."""
    return Problem(key, params or {}, column)


@dataclass(frozen=True)
class Limits:
    """Rules that may change; kept as settings (see `settings.py`)."""

    min_age_months: int = 18 * 12
    max_age_months: int = 60 * 12
    probation_months: int = 12
    # 1: age at admission in calendar months, the day of birth not counted (born 20/03/2006
    # is 18 from March 2024); 0: in months completed to the day. Offices read HD
    # 12-HD/BTCTW's "tính theo tháng" either way.
    age_by_calendar_month: int = 0
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
TEXT_COLUMNS = tuple(f.name for f in schema.named("text"))
FILE_NO_COLUMNS = tuple(f.name for f in schema.named("file_no"))
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


def validate_member(
    raw: Mapping[str, object], ctx: Context
) -> tuple[dict[str, Any], list[Problem]]:
    """Check one member's values against every rule; return (record, problems).

    Problems come in the validator's reading order (name, vocabularies, branch, dates and
    the rules between them, numbers, texts, standing), which is the order a line lists
    them in. Empty cells ("" or missing), most optional ones, are passed over before any
    work; a text cell, the usual kind, is its own memo key (see `cells.memo_key`).
    """
    problems: list[Problem] = []
    rec = RECORD.copy()
    get = raw.get
    _names(get, rec, problems, ctx)
    _vocabularies(get, rec, problems, ctx)
    education.read(get, rec, problems, ctx)  # general education; old single-scale values
    _branch(get, rec, problems, ctx)
    days = date_rules.read_dates(get, rec, problems, ctx)
    date_rules.between_dates(get, rec, days, problems, ctx.limits)
    founding.check(days["admitted_on"], problems)
    if days["readmitted_on"]:  # a re-admission: the new probation runs from it
        problems += readmission_rules.record_problems(days, ctx.limits.probation_months)
    value = get("temporary")
    if value is not None and value != "":
        flag = cells.text(value).casefold()
        if flag and flag not in TEMPORARY_YES and flag not in TEMPORARY_NO:
            problems.append(_found("temporary", "rule.bad_flag", {"value": flag}))
        # Only what the file says: an empty cell leaves the roll dates as they are.
        rec["presence"] = "temporary" if flag in TEMPORARY_YES else "regular" if flag else None
    left = days["left_on"]
    if bool(left) != bool(rec["left_reason"]) and not any(
        p.column in ("left_on", "left_reason") for p in problems
    ):
        problems.append(_found("left_reason" if left else "left_on", "rule.left_pair"))
    elif left and not any(p.column in ("left_on", "official_on") for p in problems):
        problems += leaving.record_problems(rec, days)  # the reason the status then allows
    _numbers(get, rec, problems, days["official_on"])
    if rec["national_id"] and len(rec["national_id"]) == 12:  # TT 59/2021/TT-BCA art. 7
        found = cccd.disagreement(rec["national_id"], rec["gender"], days["birth_date"])
        if found:
            problems.append(found)
    _texts(get, rec, problems)
    if (
        rec["exempt_since"] or rec["away_since"] or rec["away_to"] or rec["away_until"]
    ) and not any(p.column in schema.STANDING for p in problems):
        problems += date_rules.standing_problems(
            rec, days["transferred_in_on"] or days["admitted_on"]
        )
    if rec["away_purpose"] or rec["away_extension"] or rec["temporary_until"] or rec["letter_on"]:
        problems += transfer_problems(rec)  # QĐ 294-QĐ/TW point 6.3
    return rec, problems


Get = Callable[[str], object]


def _names(get: Get, rec: dict[str, Any], problems: list[Problem], ctx: Context) -> None:
    # Names repeat down a roll (Nguyễn Văn Hùng): work each one out once per import.
    name_value, given_value = get("full_name"), get("given_name")
    key: object = name_value
    if type(name_value) is not str or given_value is not None:
        key = memo_key(name_value, given_value)
    names, problem, params = ctx.memo["name"].get(key) or ctx.remember(
        "name", key, cells.read_name(name_value, given_value, ctx.keep_case)
    )
    if problem:
        column = "given_name" if problem == "rule.given_not_in_name" else "full_name"
        problems.append(_found(column, problem, params))
    rec["full_name"], rec["given_name"], rec["name_key"], rec["sort_key"] = names
    if not names[0]:
        del rec["name_key"], rec["sort_key"]  # no name, no keys


def _vocabularies(get: Get, rec: dict[str, Any], problems: list[Problem], ctx: Context) -> None:
    memo, remember = ctx.memo, ctx.remember
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


def _branch(get: Get, rec: dict[str, Any], problems: list[Problem], ctx: Context) -> None:
    value = get("branch")
    key = value if type(value) is str else memo_key(value)
    rec["branch_id"], problem, params = ctx.memo["branch"].get(key) or ctx.remember(
        "branch", key, cells.read_branch(value, ctx.resolve_branch)
    )
    if problem:
        problems.append(_found("branch", problem, params))


def _numbers(
    get: Get, rec: dict[str, Any], problems: list[Problem], official: cells.DateCell | None
) -> None:
    """Card, CCCD and file numbers: their digits and forms."""
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


def _texts(get: Get, rec: dict[str, Any], problems: list[Problem]) -> None:
    for column in TEXT_COLUMNS:
        value = get(column)
        if value is None or value == "":
            continue
        text = cells.text(value)
        if len(text) > MAX_TEXT:
            problems.append(_found(column, "rule.too_long", {"max": MAX_TEXT}))
        rec[column] = text or None
