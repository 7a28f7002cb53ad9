"""Leaving the Party by status: which reasons a member's status at the leaving date allows.

Expulsion (khai trừ) is a discipline of official members, and only an official member
may resign (xin ra khỏi Đảng): Điều lệ Đảng 2011, art. 8 and 35; QĐ 294-QĐ/TW 2025,
point 8. A probationary member no longer worthy has the name removed (xóa tên; Điều lệ
art. 5.3). A removal carries its sub-reason (vocabulary ``removal_reason``), which the
statistics count apart (HD 11-HD/BTCTW 2021). Used by `member leave` and by the
validator of member files (`rules.validate_member`), so both refuse alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from tanhung_cli import vietnamese as vn
from tanhung_cli.cells import DateCell
from tanhung_cli.errors import Invalid
from tanhung_cli.problems import Problem, dated
from tanhung_cli.roll import Period
from tanhung_cli.vocab import UnknownValue, vocabulary

OFFICIAL_ONLY = ("expelled", "resigned")  # Điều lệ art. 8, 35: official members only
NOT_CONFIRMED = "not-confirmed"  # a removal at the end of probation: probationers only


def official_at(official_on: str | None, on: str) -> bool:
    """Whether a member confirmed on ``official_on`` is official at ``on`` (ISO text, a
    year or month alone read at its first day: official by then at the latest)."""
    return bool(official_on) and str(official_on) <= on


def reason_problem(
    official_on: str | None, on: str, reason: str | None, removal: str | None
) -> Problem | None:
    """What is wrong with leaving for ``reason`` (and ``removal``) at ``on``, or None.

    The problem's column is the one that is wrong: ``left_reason`` or ``removal_reason``.
    """
    official = official_at(official_on, on)
    status = "official" if official else "probationary"
    params = {"date": dated(on), "status": status}
    if reason in OFFICIAL_ONLY and not official:
        return Problem(f"leaving.official_only.{reason}", params, "left_reason")
    if removal and reason != "removed":
        return Problem("leaving.removal_needs_removed", params, "removal_reason")
    if removal == NOT_CONFIRMED and official:
        return Problem("leaving.not_confirmed_official", params, "removal_reason")
    return None


def record_problems(rec: Mapping[str, Any], days: Mapping[str, DateCell | None]) -> list[Problem]:
    """The validator's hook: a member file's leaving reason against the status then."""
    left = days.get("left_on")
    if not left or not rec.get("left_reason") and not rec.get("removal_reason"):
        return []
    official = days.get("official_on")
    # A date known by year or month alone: official if it may have been by the leaving.
    official_on = official.first.iso if official else None
    problem = reason_problem(
        official_on, left.last.iso, rec.get("left_reason"), rec.get("removal_reason")
    )
    return [problem] if problem else []


def removal_reason(value: str) -> str:
    """The removal_reason code of ``value`` (a name, alias or code)."""
    try:
        return vocabulary("removal_reason").resolve(value).code
    except UnknownValue:
        raise Invalid("leaving.bad_removal_reason", value=vn.clean(value)[:40]) from None


def refuse_wrong_reason(
    row: Period, on: dt.date | str, reason: str | None, removal: str | None
) -> None:
    """Refuse `member leave` (or a correction) with a reason the member's status at ``on``
    does not allow."""
    from tanhung_cli.members import InvalidMember  # members reads the validator, which reads this

    day = on if isinstance(on, str) else on.isoformat()
    problem = reason_problem(row["official_on"], day, reason, removal)
    if problem is not None:
        located = replace(problem, member=row["id"], member_name=row["full_name"])
        raise InvalidMember([located])
