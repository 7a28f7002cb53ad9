"""A member's life on the roll: confirmation, exemption, leaving, corrections.

Each step is a dated event of the member's history (``events``), with the
decision number and a note, recorded with its audit row in one transaction.
History is never edited: a mistake is undone by a correcting event. Transfers
in ``transfers.py``, re-admission in ``readmission.py``; party age in ``party_age.py``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from tanhung_cli import enrolments, history, leaving, party_age, probation, settings, working_days
from tanhung_cli import vietnamese as vn
from tanhung_cli.errors import Conflict, Invalid
from tanhung_cli.members import member_for_update
from tanhung_cli.problems import Problem, dated
from tanhung_cli.readmission_rules import current_admission
from tanhung_cli.roll import Period
from tanhung_cli.vocab import UnknownValue, vocabulary


@dataclass
class Result:
    """What a lifecycle step did, for the command to report."""

    member_id: int
    name: str
    on: str
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    event: str = ""  # the kind of history entry written, when a command can write several


def text(value: str | None, limit: int = 200) -> str | None:
    """A decision number, note or place as stored: NFC, trimmed, None when empty."""
    cleaned = vn.clean(value or "")[:limit]
    return cleaned or None


def refuse_if_left(row: Period) -> None:
    if row["left_on"]:
        reason = vocabulary("leave_reason").label(row["left_reason"])
        raise Conflict(
            "life.has_left",
            id=row["id"],
            name=row["full_name"],
            date=dated(row["left_on"]),
            reason=reason,
        )


def refuse_before_joining(row: Period, on: dt.date) -> None:
    if on.isoformat() < row["joined_roll_on"]:
        raise Invalid("life.before_joining", date=dated(row["joined_roll_on"]), id=row["id"])


def confirm(
    conn: sqlite3.Connection,
    ref: str | int,
    on: dt.date,
    decision: str | None = None,
    note: str | None = None,
) -> Result:
    """Confirm a probationary member as official (công nhận chính thức).

    The official date is the end of the probation, counted from the ceremony
    (`probation.start`), even when the decision ``on`` comes later; a decision before
    that end is refused.
    """
    with member_for_update(conn, ref) as row:
        refuse_if_left(row)
        if row["presence"] == "temporary":
            raise Conflict("life.confirm_temporary", id=row["id"], name=row["full_name"])
        if row["official_on"]:
            raise Conflict(
                "life.already_official",
                id=row["id"],
                name=row["full_name"],
                date=dated(row["official_on"]),
            )
        # Official from the end of probation, counted from the ceremony (the decision
        # when not recorded: `probation.start`); an admission known by year or month
        # alone (old records) gives an end known as well as that, never a made-up day.
        months = probation.months_for(
            current_admission(row), settings.limits(conn).probation_months
        )
        admitted = probation.start(row)
        official = vn.add_months(vn.date_bounds(admitted)[0], months)
        official_on = official.isoformat()[: len(admitted)] if vn.is_partial(admitted) else None
        if on < official:
            raise Invalid("life.confirm_too_early", earliest=dated(official), months=months)
        result = Result(row["id"], row["full_name"], official_on or official.isoformat())
        # Late only past the branch's 30 working days after probation (Charter 2011, 5.2).
        last = vn.date_bounds(official_on or official.isoformat())[1]
        if on > working_days.add(last - dt.timedelta(days=1), working_days.CONFIRM_WITHIN).day:
            result.warnings.append(
                Problem("life.confirm_late", {"date": dated(official_on) or official})
            )
        if not enrolments.has_new_member_class(conn, row["id"]):
            result.warnings.append(Problem("life.no_new_member_class", {"id": row["id"]}))
        official_on = official_on or official.isoformat()
        history.update_member(conn, row["id"], {"official_on": official_on})
        change = history.record(
            conn, "confirm", "member", row["id"], {"official_on": official_on, "decided_on": on}
        )
        change.event(
            row["id"],
            "confirmed",
            on,
            field="official_on",
            new=official_on,
            decision=text(decision),
            note=text(note),
        )
    result.changes["official_on"] = (None, official_on)
    return result


def exempt(
    conn: sqlite3.Connection,
    ref: str | int,
    on: dt.date,
    decision: str | None = None,
    note: str | None = None,
) -> Result:
    """Exempt a member from duties and meetings (miễn công tác và sinh hoạt đảng)."""
    with member_for_update(conn, ref) as row:
        refuse_if_left(row)
        refuse_before_joining(row, on)
        if row["exempt_since"]:
            raise Conflict("life.already_exempt", id=row["id"], date=dated(row["exempt_since"]))
        history.update_member(conn, row["id"], {"exempt_since": on.isoformat()})
        change = history.record(conn, "exempt", "member", row["id"], {"on": on})
        change.event(
            row["id"],
            "exempted",
            on,
            field="exempt_since",
            new=on.isoformat(),
            decision=text(decision),
            note=text(note),
        )
    return Result(row["id"], row["full_name"], on.isoformat())


def unexempt(
    conn: sqlite3.Connection,
    ref: str | int,
    on: dt.date,
    decision: str | None = None,
    note: str | None = None,
) -> Result:
    """End a member's exemption: they attend meetings again."""
    with member_for_update(conn, ref) as row:
        refuse_if_left(row)
        if not row["exempt_since"]:
            raise Conflict("life.not_exempt", id=row["id"], name=row["full_name"])
        if on.isoformat() < row["exempt_since"]:
            raise Invalid("life.before_exemption", date=dated(row["exempt_since"]))
        history.update_member(conn, row["id"], {"exempt_since": None})
        change = history.record(conn, "unexempt", "member", row["id"], {"on": on})
        change.event(
            row["id"],
            "unexempted",
            on,
            field="exempt_since",
            old=row["exempt_since"],
            decision=text(decision),
            note=text(note),
        )
    return Result(row["id"], row["full_name"], on.isoformat())


def leave_reason(value: str) -> str:
    """The leave_reason code of ``value``; a transfer is not a way to leave here."""
    try:
        code = vocabulary("leave_reason").resolve(value).code
    except UnknownValue:
        code = ""
    if code not in party_age.LEAVES_PARTY:
        raise Invalid("life.bad_leave_reason", value=vn.clean(value)[:40])
    return code


def leave(
    conn: sqlite3.Connection,
    ref: str | int,
    reason: str,
    on: dt.date,
    decision: str | None = None,
    note: str | None = None,
    removal: str | None = None,
) -> Result:
    """Take a member off the roll: died, name removed (with its sub-reason ``removal``),
    expelled or resigned; the reason must fit the member's status then (`leaving`)."""
    code = leave_reason(reason)
    with member_for_update(conn, ref) as row:
        refuse_if_left(row)
        refuse_before_joining(row, on)
        leaving.refuse_wrong_reason(row, on, code, removal)
        # Gone from the roll, no longer away on a temporary transfer (`members.away_*`).
        away = {"away_since": None, "away_to": None, "away_until": None, "away_purpose": None}
        away["away_extension"] = None
        values = {"left_on": on.isoformat(), "left_reason": code, "removal_reason": removal}
        history.update_member(conn, row["id"], {**values, **away})
        detail = {"on": on, "reason": code, **({"removal": removal} if removal else {})}
        change = history.record(conn, "leave", "member", row["id"], detail)
        change.event(
            row["id"],
            "left",
            on,
            field="left_reason",
            new=code,
            decision=text(decision),
            note=text(note),
        )
        if removal:
            change.event(row["id"], "left", on, field="removal_reason", new=removal)
    changes = {
        "left_reason": (None, code),
        **({"removal_reason": (None, removal)} if removal else {}),
    }
    return Result(row["id"], row["full_name"], on.isoformat(), changes)


def past_spells(conn: sqlite3.Connection, member_id: int) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT * FROM past_spells WHERE member_id = ? ORDER BY joined_roll_on", (member_id,)
    ).fetchall()
