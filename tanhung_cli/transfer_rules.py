"""The deadlines of transfers (chuyển sinh hoạt đảng), Quy định 294-QĐ/TW point 6.3.

- 6.3.1, official transfer: within 30 working days of the date of the transfer letter
  (giấy giới thiệu), the member presents it to the branch committee where they go; a late
  presentation is reported with its reason to the competent committee.
- 6.3.2, temporary transfer: a change of residence or work of 3 months to under 1 year, or
  full-time study of 3 months to 2 years; longer only by an extension (gia hạn).

The lengths and the letter's deadline are settings (table ``settings``), since offices
read them differently; the defaults are the regulation's.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tanhung_cli import vietnamese as vn
from tanhung_cli import working_days
from tanhung_cli.errors import Invalid
from tanhung_cli.problems import Problem, dated
from tanhung_cli.vocab import UnknownValue, vocabulary


@dataclass(frozen=True)
class TransferLimits:
    temporary_min_months: int = 3  # a temporary transfer lasts at least 3 months
    temporary_under_months: int = 12  # work or residence: under 1 year
    study_max_months: int = 24  # full-time study: up to 2 years
    letter_within_days: int = 30  # working days to present an official transfer letter
    # 1: `check` lists members transferred out officially whose letter is not recorded as
    # presented where they went once its deadline has passed; 0: the office gets no notice.
    follow_letters_out: int = 1


DEFAULTS = {name: getattr(TransferLimits, name) for name in TransferLimits.__dataclass_fields__}


def limits(conn: sqlite3.Connection) -> TransferLimits:
    """The lengths and the letter's deadline in force for this registry."""
    stored = dict(conn.execute("SELECT key, value FROM settings").fetchall())
    return TransferLimits(**{k: int(stored.get(k, v)) for k, v in DEFAULTS.items()})


def purpose(value: str) -> str:
    """work or study, from any spelling."""
    try:
        return vocabulary("transfer_purpose").resolve(value).code
    except UnknownValue:
        raise Invalid("transfers.bad_purpose", value=vn.clean(value)[:40]) from None


def check_length(
    since: dt.date, until: dt.date, why: str, rules: TransferLimits, extension: str | None
) -> None:
    """Refuse a planned end outside the allowed length of a temporary transfer, unless an
    extension decision is recorded (QĐ 294-QĐ/TW 6.3.2)."""
    shortest = vn.add_months(since, rules.temporary_min_months)
    if until < shortest:
        raise Invalid(
            "transfers.too_short", until=until, months=rules.temporary_min_months, earliest=shortest
        )
    if extension:
        return
    if why == "study":
        longest = vn.add_months(since, rules.study_max_months)
        if until > longest:
            raise Invalid(
                "transfers.too_long_study",
                until=until,
                months=rules.study_max_months,
                latest=longest,
            )
    else:
        limit = vn.add_months(since, rules.temporary_under_months)
        if until >= limit:
            raise Invalid(
                "transfers.too_long",
                until=until,
                months=rules.temporary_under_months,
                latest=limit - dt.timedelta(days=1),
            )


def present_by(letter_on: dt.date, rules: TransferLimits) -> working_days.Count:
    """The last day to present an official transfer letter: the 30th working day after its
    date (the date itself not counted; QĐ 294-QĐ/TW 6.3.1)."""
    return working_days.add(letter_on, rules.letter_within_days)


def late_presentation(
    letter_on: str | None, presented_on: str | None, rules: TransferLimits
) -> working_days.Count | None:
    """The deadline that a recorded presentation missed, if it did."""
    try:
        letter = dt.date.fromisoformat(letter_on or "")
        presented = dt.date.fromisoformat(presented_on or "")
    except ValueError:
        return None  # not recorded, or known by year or month alone
    deadline = present_by(letter, rules)
    return deadline if presented > deadline.day else None


@dataclass(frozen=True)
class Plan:
    """What a transfer command says beyond its kind, place and date."""

    purpose: str | None = None  # a temporary transfer out: work (default) or study
    extension: str | None = None  # the decision extending a temporary transfer
    until: dt.date | None = None  # a temporary attendance here: its planned end
    letter_on: dt.date | None = None  # an official transfer: the letter's date
    presented_on: dt.date | None = None  # … and when it was presented here


def _text(value: str | None) -> str | None:
    return vn.clean(value)[:200] or None if value else None


def away_values(
    conn: sqlite3.Connection,
    kind: str,
    ends: bool,
    on: dt.date,
    until: dt.date | None,
    plan: Plan,
) -> dict[str, Any]:
    """The member's transfer columns as a transfer out leaves them, or a refusal: a
    temporary absence needs its planned end within the allowed length (QĐ 294 6.3.2); an
    official transfer keeps the letter's date (by default the transfer's) for 6.3.1."""
    if kind == "official":
        if plan.purpose or plan.extension:
            raise Invalid("transfers.temporary_only")
        return {"letter_on": (plan.letter_on or on).isoformat(), "letter_presented_on": None}
    if ends:
        return {}  # a temporary attendee leaves: their attendance here ends
    if until is None:
        raise Invalid("transfers.until_required")
    why = plan.purpose or "work"
    check_length(on, until, why, limits(conn), plan.extension)
    return {"away_purpose": why, "away_extension": _text(plan.extension)}


@dataclass
class Arrival:
    values: dict[str, Any]
    warnings: list[Problem] = field(default_factory=list)


def arrival_values(
    conn: sqlite3.Connection, kind: str, on: dt.date, origin: str | None, plan: Plan | None
) -> Arrival:
    """The transfer columns of a member arriving: where from, a temporary attendance's
    planned end, an official letter's date and presentation (late: a warning, 6.3.1)."""
    plan = plan or Plan()
    values: dict[str, Any] = {"came_from": _text(origin), "temporary_until": None}
    values |= {"letter_on": None, "letter_presented_on": None}
    if kind == "temporary":
        if plan.letter_on or plan.presented_on:
            raise Invalid("transfers.letter_official_only")
        if plan.until is not None and plan.until <= on:
            raise Invalid("transfers.until_before_arrival", until=plan.until, date=on)
        values["temporary_until"] = plan.until.isoformat() if plan.until else None
        return Arrival(values)
    if plan.until is not None:
        raise Invalid("schema.until_official")
    if plan.letter_on is None:
        if plan.presented_on is not None:
            raise Invalid("transfers.presented_needs_letter")
        return Arrival(values)
    presented = plan.presented_on or on
    if presented < plan.letter_on:
        raise Invalid("transfers.presented_before_letter", date=plan.letter_on)
    values |= {
        "letter_on": plan.letter_on.isoformat(),
        "letter_presented_on": presented.isoformat(),
    }
    rules = limits(conn)
    late = late_presentation(values["letter_on"], values["letter_presented_on"], rules)
    warnings = []
    if late is not None:
        params = {"days": rules.letter_within_days, "deadline": late.day, "presented": presented}
        warnings.append(Problem("transfers.letter_late", params))
    return Arrival(values, warnings)


def record_problems(rec: Mapping[str, Any]) -> list[Problem]:
    """What is wrong with a member's transfer columns as a file or the registry holds them."""
    found = []
    if (rec.get("away_purpose") or rec.get("away_extension")) and not rec.get("away_since"):
        column = "away_purpose" if rec.get("away_purpose") else "away_extension"
        found.append(Problem("transfers.needs_away", {}, column))
    if rec.get("temporary_until") and rec.get("presence") != "temporary":
        found.append(Problem("transfers.until_needs_temporary", {}, "temporary_until"))
    letter, presented = rec.get("letter_on"), rec.get("letter_presented_on")
    if presented and letter and presented < letter:
        found.append(
            Problem(
                "transfers.presented_before_letter", {"date": dated(letter)}, "letter_presented_on"
            )
        )
    return found
