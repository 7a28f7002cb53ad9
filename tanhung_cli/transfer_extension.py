"""After a transfer out: extending a temporary one (gia hạn chuyển sinh hoạt tạm thời), and
recording that an official one's letter was presented where the member went."""

from __future__ import annotations

import datetime as dt
import sqlite3

from tanhung_cli import history, transfer_rules
from tanhung_cli.errors import Conflict, Invalid
from tanhung_cli.lifecycle import Result, text
from tanhung_cli.members import member_for_update
from tanhung_cli.problems import Problem, dated
from tanhung_cli.transfers import away


def extend(
    conn: sqlite3.Connection,
    ref: str | int,
    until: dt.date,
    decision: str | None,
    on: dt.date,
    note: str | None = None,
) -> Result:
    """Extend an open temporary transfer out (gia hạn) to a new planned return, by the
    recorded decision: longer than the usual length is then allowed (QĐ 294-QĐ/TW 6.3.2)."""
    number = text(decision)
    if not number:
        raise Invalid("transfers.extension_needs_decision")
    with member_for_update(conn, ref) as row:
        if row["left_on"] or away(conn, row["id"]) is None or not row["away_since"]:
            raise Conflict("transfers.not_away", id=row["id"], name=row["full_name"])
        since = dt.date.fromisoformat(row["away_since"])
        if row["away_until"] and until.isoformat() <= row["away_until"]:
            raise Invalid(
                "transfers.extend_not_later", until=until, planned=dated(row["away_until"])
            )
        why = row["away_purpose"] or "work"
        transfer_rules.check_length(since, until, why, transfer_rules.limits(conn), number)
        history.update_member(
            conn, row["id"], {"away_until": until.isoformat(), "away_extension": number}
        )
        change = history.record(conn, "transfer-extend", "member", row["id"], {"until": until})
        change.event(
            row["id"],
            "transfer_extended",
            on,
            field="away_until",
            old=row["away_until"],
            new=until.isoformat(),
            decision=number,
            note=text(note),
        )
    result = Result(row["id"], row["full_name"], on.isoformat())
    result.changes = {"away_until": (row["away_until"], until.isoformat())}
    return result


def letter_presented(
    conn: sqlite3.Connection, ref: str | int, on: dt.date, note: str | None = None
) -> Result:
    """Record that the member transferred out officially presented the letter where they
    went (the receiving committee's notice), on ``on`` (QĐ 294-QĐ/TW 6.3.1)."""
    with member_for_update(conn, ref) as row:
        if row["left_reason"] != "transferred" or not row["letter_on"]:
            raise Conflict("transfers.no_letter_out", id=row["id"], name=row["full_name"])
        if on.isoformat() < row["letter_on"]:
            raise Invalid("transfers.presented_before_letter", date=dated(row["letter_on"]))
        history.update_member(conn, row["id"], {"letter_presented_on": on.isoformat()})
        change = history.record(conn, "letter-presented", "member", row["id"], {"on": on})
        change.event(
            row["id"],
            "letter_presented",
            on,
            field="letter_presented_on",
            old=row["letter_presented_on"],
            new=on.isoformat(),
            note=text(note),
        )
    result = Result(row["id"], row["full_name"], on.isoformat())
    rules = transfer_rules.limits(conn)
    late = transfer_rules.late_presentation(row["letter_on"], on.isoformat(), rules)
    if late is not None:
        params = {"days": rules.letter_within_days, "deadline": late.day, "presented": on}
        result.warnings.append(Problem("transfers.letter_late", params))
    return result
