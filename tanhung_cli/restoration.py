"""Restoration of membership (khôi phục đảng tịch): a member expelled or removed wrongly
comes back by a decision, with the party age continuous (DOMAIN.md §7).

Unlike a re-admission (`readmission`: 36 months' wait, consent, once only, a new
probation, the time out subtracted), a restoration brings the member back with the
admission, confirmation and status they had. The period closed by the expulsion or
removal is kept in ``past_spells`` (the roll at a date inside it still shows the member
as gone, as the reports of that time did); since both periods share one admission,
`party_age.memberships` reads them as one membership and the time out is not subtracted.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from tanhung_cli import history
from tanhung_cli.errors import Conflict, Invalid
from tanhung_cli.lifecycle import Result, text
from tanhung_cli.members import member_for_update
from tanhung_cli.problems import dated
from tanhung_cli.transfers import close_period
from tanhung_cli.vocab import vocabulary

# The leavings a restoration undoes: a discipline or a removal found wrong.
RESTORABLE = ("expelled", "removed")


def restore(
    conn: sqlite3.Connection,
    ref: str | int,
    on: dt.date,
    decision: str | None,
    note: str | None = None,
) -> Result:
    """Restore the membership of a member expelled or removed (khôi phục đảng tịch)."""
    day = on.isoformat()
    if not text(decision):
        raise Invalid("gaps.restore_needs_decision")
    with member_for_update(conn, ref) as row:
        if not row["left_on"]:
            raise Conflict("life.already_on_roll", id=row["id"], name=row["full_name"])
        if row["left_reason"] not in RESTORABLE:
            raise Conflict(
                "gaps.not_restorable",
                id=row["id"],
                name=row["full_name"],
                reason=vocabulary("leave_reason").label(row["left_reason"]),
            )
        if day <= row["left_on"]:
            raise Invalid("life.before_leaving", date=dated(row["left_on"]))
        # Back on the roll from ``on``; admission, confirmation, presence and card stay.
        values = {
            "joined_roll_on": day,
            "left_on": None,
            "left_reason": None,
            "removal_reason": None,
        }
        close_period(conn, row, row["left_on"], row["left_reason"])
        history.update_member(conn, row["id"], values)
        changes = {k: (row[k], v) for k, v in values.items() if row[k] != v}
        change = history.record(conn, "restore", "member", row["id"], {"on": day, **changes})
        change.event(
            row["id"],
            "restored",
            on,
            field="left_reason",
            old=row["left_reason"],
            new=None,
            decision=text(decision),
            note=text(note),
        )
    return Result(row["id"], row["full_name"], day, changes)
