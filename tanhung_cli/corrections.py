"""Corrections (đính chính): a mistaken date of a member's roll put right by a correcting event.

The history keeps both the mistaken entry and the correction; the members row takes
the corrected values, checked together so that no impossible combination is stored.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping
from typing import Any

from tanhung_cli import history, leaving, roll, settings
from tanhung_cli import vietnamese as vn
from tanhung_cli.errors import Invalid
from tanhung_cli.lifecycle import Result, text
from tanhung_cli.members import member_for_update
from tanhung_cli.problems import dated
from tanhung_cli.readmission_rules import current_admission
from tanhung_cli.vocab import UnknownValue, vocabulary

CORRECTABLE = (
    "admitted_on", "official_on", "joined_roll_on", "left_on", "left_reason", "exempt_since",
    "presence", "readmitted_on",
)  # fmt: skip
ALSO = ("card_no", "removal_reason")  # read with them: checked, or cleared along


def _check_state(conn: sqlite3.Connection, state: Mapping[str, Any], member_id: int) -> None:
    """Refuse a combination of dates of the roll that cannot be true."""
    if not state["admitted_on"] or not state["joined_roll_on"]:
        raise Invalid("life.correct_required")
    limits = settings.limits(conn)
    for column in (
        "admitted_on",
        "official_on",
        "joined_roll_on",
        "left_on",
        "exempt_since",
        "readmitted_on",
    ):
        value = state[column]
        if vn.is_partial(value) and int(value[:4]) >= limits.partial_dates_before:
            raise Invalid(
                "dates.correct_too_recent", value=dated(value), year=limits.partial_dates_before
            )
    # A date known by year or month alone (old records) is read as its first day.
    admitted = vn.date_bounds(current_admission(state))[0]  # a new probation after re-admission
    if _before(state["joined_roll_on"], state["admitted_on"]):
        raise Invalid("life.joined_before_admitted")
    if state["readmitted_on"] and not _before(state["admitted_on"], state["readmitted_on"]):
        raise Invalid("readmit.correct_before_first")
    months = limits.probation_months
    if state["official_on"] and _before(
        state["official_on"], vn.add_months(admitted, months).isoformat()
    ):
        earliest = vn.add_months(admitted, months).isoformat()
        raise Invalid("life.confirm_too_early", earliest=dated(earliest), months=months)
    if state["card_no"] and not state["official_on"]:
        raise Invalid("life.card_needs_official")
    if bool(state["left_on"]) != bool(state["left_reason"]):
        raise Invalid("life.left_pair")
    if state["left_on"] and _before(state["left_on"], state["joined_roll_on"]):
        raise Invalid("life.before_joining", date=dated(state["joined_roll_on"]), id=member_id)
    if state["exempt_since"] and _before(state["exempt_since"], state["joined_roll_on"]):
        raise Invalid("life.before_joining", date=dated(state["joined_roll_on"]), id=member_id)
    if state["presence"] not in ("regular", "temporary"):
        raise Invalid("life.bad_presence", value=str(state["presence"])[:40])
    last = roll.last_left(conn, member_id)
    if last and _before(state["joined_roll_on"], last):
        raise Invalid("life.overlaps_past", date=dated(last))


def _before(earlier: str, later: str) -> bool:
    """Whether every day ``earlier`` may be (a year or month alone is many) comes first."""
    return vn.date_bounds(earlier)[1] < vn.date_bounds(later)[0]


def correct(
    conn: sqlite3.Connection,
    ref: str | int,
    changes: Mapping[str, str | None],
    on: dt.date,
    decision: str | None = None,
    note: str | None = None,
) -> Result:
    """Correct dates of the member's roll by a correcting event (đính chính); "" clears."""
    with member_for_update(conn, ref) as row:
        state = {column: row[column] for column in (*CORRECTABLE, *ALSO)}
        for column, value in changes.items():
            if column not in CORRECTABLE:
                raise Invalid("life.not_correctable", column=column)
            if column == "left_reason" and value:
                try:
                    value = vocabulary("leave_reason").resolve(value).code
                except UnknownValue:
                    raise Invalid("life.bad_leave_reason", value=vn.clean(value)[:40]) from None
            state[column] = value or None
        if state["left_reason"] != "removed":  # a removal's sub-reason goes with it
            state["removal_reason"] = None
        _check_state(conn, state, row["id"])
        if state["left_on"]:  # the reason the status then allows (`leaving`)
            who = {**state, "id": row["id"], "full_name": row["full_name"]}
            leaving.refuse_wrong_reason(
                who, state["left_on"], state["left_reason"], state["removal_reason"]
            )
        changed = (*CORRECTABLE, "removal_reason")
        diff = {c: (row[c], state[c]) for c in changed if state[c] != row[c]}
        result = Result(row["id"], row["full_name"], on.isoformat(), diff)
        if not diff:
            return result
        history.update_member(conn, row["id"], {c: new for c, (_, new) in diff.items()})
        change = history.record(conn, "correct", "member", row["id"], diff)
        for column, (old, new) in diff.items():
            change.event(
                row["id"],
                "corrected",
                on,
                field=column,
                old=old,
                new=new,
                decision=text(decision),
                note=text(note),
            )
    return result
