"""The one validator of a member record, used by `member add`, `member edit` and imports.

It takes raw values (text typed or read from a file, or cells of a workbook) keyed by
column name and returns the record to store plus every problem found, each tied to
its column, so that an import can report ``file.csv:17: birth_date: …``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tanhung_cli import vietnamese as vn
from tanhung_cli.i18n import get_lang, t
from tanhung_cli.vocab import UnknownValue, vocabulary


@dataclass(frozen=True)
class Problem:
    column: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str | None = None) -> str:
        lang = lang or get_lang()
        params = {
            k: vn.format_date(v, lang) if isinstance(v, dt.date) else v
            for k, v in self.params.items()
        }
        return t(self.key, lang=lang, **params)


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
    # Answers for values that repeat down a file ("Nam", "Kinh", a birth date):
    # (kind, raw value) -> (result, problem key, problem params). Bounded, per import.
    memo: dict[tuple[object, ...], tuple[Any, str | None, dict[str, Any]]] = field(
        default_factory=dict, repr=False
    )

    def remember(
        self, key: tuple[object, ...], answer: tuple[Any, str | None, dict[str, Any]]
    ) -> None:
        if len(self.memo) < MEMO_SIZE:
            self.memo[key] = answer  # once full, later values are worked out each time


_NAME_OK = re.compile(r"^[^\W\d_]+(?:[ '\-.][^\W\d_]+)*\.?$")
_DIGITS = re.compile(r"\D")
_FILE_NO = re.compile(r"^(\d{6})([A-Z]{1,4})$")
DIGIT_LENGTHS = {"card_no": (8,), "national_id": (12,), "phone": (10, 11)}
MAX_TEXT = 200
TEMPORARY_YES = frozenset({"x", "có", "co", "yes", "y", "1", "true", "tạm thời", "tam thoi"})
TEMPORARY_NO = frozenset({"không", "khong", "no", "n", "0", "false", "-"})
# Enough for a file's vocabulary values, branches, common names and most dates, at a
# few megabytes: an import's memory must not grow with the file.
MEMO_SIZE = 100_000


def _text(value: object) -> str:
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


def memo_key(kind: str, value: object, other: object = None) -> tuple[object, ...]:
    """A memo key that keeps cells of different types apart (True == 1 == 1.0 in Python)."""
    if type(value) is str and (other is None or type(other) is str):
        return (kind, value, other)
    return (kind, value, other, type(value).__name__, type(other).__name__)


def _optional(value: object) -> str:
    """Most optional cells are empty: skip the cleaning for them."""
    return _text(value) if value is not None and value != "" else ""


def _date(column: str, value: object, problems: list[Problem], ctx: Context) -> dt.date | None:
    if value is None or value == "":
        return None
    key = memo_key("date", value)
    answer = ctx.memo.get(key)
    if answer is None:
        answer = _parse_date(value, ctx.today)
        ctx.remember(key, answer)
    day, problem, params = answer
    if problem:
        problems.append(Problem(column, problem, params))
    return day


def _parse_date(value: object, today: dt.date) -> tuple[dt.date | None, str | None, dict[str, Any]]:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        if value > today:
            return None, "rule.date_future", {"value": value.isoformat()}
        return value, None, {}
    text = _text(value)
    if not text:
        return None, None, {}
    try:
        return vn.parse_date(text, today=today), None, {}
    except vn.DateError as exc:
        return None, f"rule.date_{exc.reason}", {"value": text}


def _vocab(
    column: str, name: str, value: object, problems: list[Problem], ctx: Context
) -> str | None:
    if value is None or value == "":
        return None
    key = memo_key(name, value)
    answer = ctx.memo.get(key)
    if answer is None:
        answer = _resolve(name, value)
        ctx.remember(key, answer)
    code, problem, params = answer
    if problem:
        problems.append(Problem(column, problem, params))
    return code


def _resolve(name: str, value: object) -> tuple[str | None, str | None, dict[str, Any]]:
    text = _text(value)
    if not text:
        return None, None, {}
    try:
        return vocabulary(name).resolve(text).code, None, {}
    except UnknownValue as exc:
        hint = ", ".join(exc.suggestions)
        key = "rule.unknown_value_hint" if hint else "rule.unknown_value"
        return None, key, {"value": text, "hint": hint}


def _digits(column: str, value: object, problems: list[Problem]) -> str | None:
    if value is None or value == "":
        return None
    if (
        type(value) is str
        and value.isascii()
        and value.isdigit()
        and len(value) in DIGIT_LENGTHS[column]
    ):
        return value  # the usual case: nothing to clean
    text = _text(value)
    if not text:
        return None
    if column == "phone" and text.startswith("+84"):
        text = "0" + text[3:]
    digits = _DIGITS.sub("", text)
    lengths = DIGIT_LENGTHS[column]
    if not digits or len(digits) != len(re.sub(r"[\s.\-]", "", text)):
        problems.append(Problem(column, "rule.not_digits", {"value": text}))
        return None
    if len(digits) not in lengths:
        key = "rule.digits_leading_zero" if len(digits) == lengths[0] - 1 else "rule.digits_length"
        want = " / ".join(str(n) for n in lengths)
        problems.append(Problem(column, key, {"value": text, "want": want, "got": len(digits)}))
        return None
    return digits


def _name(value: object, given_value: object) -> tuple[dict[str, Any], str | None, dict[str, Any]]:
    """The name columns of a record, and the name's problem if it has one."""
    name = _text(value)
    problem: str | None = None
    params: dict[str, Any] = {}
    if not name:
        problem = "rule.required"
    elif len(name) > 100 or not _NAME_OK.match(name):
        problem, params = "rule.bad_name", {"value": name[:60]}
    given = _optional(given_value) or None
    if given and name and not vn.fold(name).endswith(vn.fold(given)):
        if problem is None:
            problem, params = "rule.given_not_in_name", {"value": given}
        given = None
    if given and len(given.split()) < 2:
        given = None  # one word is the default given name: nothing to remember
    names: dict[str, Any] = {"full_name": name, "given_name": given}
    if name:
        names["name_key"] = vn.fold(name)
        names["sort_key"] = vn.name_sort_key(name, given)
    return names, problem, params


def _branch(value: object, ctx: Context) -> tuple[int | None, str | None, dict[str, Any]]:
    branch = _text(value)
    if not branch:
        return None, "rule.required", {}
    try:
        return ctx.resolve_branch(branch)[0], None, {}
    except LookupError as exc:
        hint = ", ".join(exc.args[1]) if len(exc.args) > 1 else ""
        key = "rule.unknown_branch_hint" if hint else "rule.unknown_branch"
        return None, key, {"value": branch, "hint": hint}


def validate_member(
    raw: Mapping[str, object], ctx: Context
) -> tuple[dict[str, Any], list[Problem]]:
    """Check one member's values against every rule; return (record, problems)."""
    problems: list[Problem] = []
    rec: dict[str, Any] = {}

    name_value = raw.get("full_name")
    given_value = raw.get("given_name")
    name_key = memo_key("name", name_value, given_value)
    answer = ctx.memo.get(name_key)
    if answer is None:
        # Names repeat down a roll (Nguyễn Văn Hùng): work each one out once per import.
        answer = _name(name_value, given_value)
        ctx.remember(name_key, answer)
    names, problem, params = answer
    if problem:
        column = "given_name" if problem == "rule.given_not_in_name" else "full_name"
        problems.append(Problem(column, problem, params))
    rec.update(names)

    for column, vocab_name in (
        ("gender", "gender"),
        ("ethnicity", "ethnicity"),
        ("religion", "religion"),
        ("education", "education"),
        ("theory_level", "theory_level"),
        ("left_reason", "leave_reason"),
    ):
        rec[column] = _vocab(column, vocab_name, raw.get(column), problems, ctx)
    for column in ("gender", "ethnicity"):
        if rec[column] is None and not _text(raw.get(column)):
            problems.append(Problem(column, "rule.required"))

    branch_value = raw.get("branch")
    branch_key = memo_key("branch", branch_value)
    answer = ctx.memo.get(branch_key)
    if answer is None:
        answer = _branch(branch_value, ctx)
        ctx.remember(branch_key, answer)
    rec["branch_id"], problem, params = answer
    if problem:
        problems.append(Problem("branch", problem, params))

    dates = {}
    for column in ("birth_date", "admitted_on", "official_on", "left_on", "transferred_in_on"):
        dates[column] = _date(column, raw.get(column), problems, ctx)
    for column in ("birth_date", "admitted_on"):
        if dates[column] is None and not _text(raw.get(column)):
            problems.append(Problem(column, "rule.required"))
    born, admitted, official, left = (
        dates["birth_date"],
        dates["admitted_on"],
        dates["official_on"],
        dates["left_on"],
    )
    limits = ctx.limits
    age_exception = _optional(raw.get("age_exception")) or None
    if born and admitted:
        months = vn.months_between(born, admitted)
        too_young, too_old = months < limits.min_age_months, months > limits.max_age_months
        if (too_young or too_old) and not age_exception:
            key = "rule.too_young" if too_young else "rule.too_old"
            problems.append(
                Problem("admitted_on", key, {"years": months // 12, "months": months % 12})
            )
    if admitted and official:
        earliest = vn.add_months(admitted, limits.probation_months)
        if official < earliest:
            problems.append(
                Problem("official_on", "rule.official_too_early", {"earliest": earliest})
            )
    if admitted and left and left < admitted:
        problems.append(Problem("left_on", "rule.left_before_admitted"))
    moved_in = dates["transferred_in_on"]
    if admitted and moved_in and moved_in < admitted:
        problems.append(Problem("transferred_in_on", "rule.moved_in_before_admitted"))
    if moved_in and left and left < moved_in:
        problems.append(Problem("left_on", "rule.left_before_moved_in"))
    flag = _optional(raw.get("temporary")).casefold()
    if flag and flag not in TEMPORARY_YES and flag not in TEMPORARY_NO:
        problems.append(Problem("temporary", "rule.bad_flag", {"value": flag}))
    # Only what the file says: an empty cell leaves the roll dates as they are.
    rec["presence"] = "temporary" if flag in TEMPORARY_YES else "regular" if flag else None
    if bool(left) != bool(rec["left_reason"]) and not any(
        p.column in ("left_on", "left_reason") for p in problems
    ):
        problems.append(Problem("left_reason" if left else "left_on", "rule.left_pair"))
    for column, value in dates.items():
        rec[column] = value.isoformat() if value else None
    rec["joined_roll_on"] = rec.pop("transferred_in_on")

    for column in ("card_no", "national_id", "phone"):
        rec[column] = _digits(column, raw.get(column), problems)
    if rec["card_no"] and not official and "official_on" not in {p.column for p in problems}:
        problems.append(Problem("card_no", "rule.card_needs_official"))
    file_no = _optional(raw.get("file_no")).upper().replace(" ", "").replace("-", "")
    if file_no and not _FILE_NO.match(file_no):
        problems.append(Problem("file_no", "rule.bad_file_no", {"value": file_no}))
    rec["file_no"] = file_no or None

    for column in ("home_town", "profession", "note"):
        text = _optional(raw.get(column))
        if len(text) > MAX_TEXT:
            problems.append(Problem(column, "rule.too_long", {"max": MAX_TEXT}))
        rec[column] = text or None
    rec["age_exception"] = age_exception
    return rec, problems
