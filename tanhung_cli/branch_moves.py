"""A member's branch over time (issue #15): moving between branches on a date.

``members.branch_id`` is the branch today; each earlier branch is a row of
``branch_spells`` until the day of the move that ended it (`roll.branch_at` reads them).
`move` is the one writer of both: a move (chuyển sinh hoạt giữa các chi bộ), a merge or a
split of branches (`org_changes`), and a re-admission into another branch. A correction
(the branch typed wrongly from the start) rewrites the branch of the current spell and is
no move: it changes the reports of the days it covers, as a correction should.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from tanhung_cli import audit, history, org, roll
from tanhung_cli.branches import get_branch
from tanhung_cli.errors import Conflict, Invalid
from tanhung_cli.lifecycle import text
from tanhung_cli.members import member_for_update
from tanhung_cli.problems import Count, Problem, dated

HOW = ("move", "merge", "split", "readmit")


@dataclass
class Moved:
    member_id: int
    name: str
    old: str  # the branch left (its name on the day)
    new: str
    on: str


def branch_on(conn: sqlite3.Connection, member: sqlite3.Row, day: str) -> int:
    """The member's branch on ``day`` (`roll.branch_at`)."""
    sql = f"SELECT {roll.branch_at(':day', ':id', ':current')}"
    found = conn.execute(sql, {"day": day, "id": member["id"], "current": member["branch_id"]})
    return int(found.fetchone()[0])


def last_move(conn: sqlite3.Connection, member_id: int) -> str | None:
    """The day of the member's latest move between branches, if any."""
    row = conn.execute("SELECT max(to_on) FROM branch_spells WHERE member_id = ?", (member_id,))
    found: str | None = row.fetchone()[0]
    return found


def refuse_closed(conn: sqlite3.Connection, branch: sqlite3.Row, day: str) -> None:
    """Refuse a branch that was not open on ``day``."""
    if (branch["opened_on"] or "") > day or (branch["closed_on"] and branch["closed_on"] <= day):
        raise Conflict("moves.branch_not_open", name=branch["name"], date=dated(day))


def spell(
    conn: sqlite3.Connection,
    member: sqlite3.Row,
    branch_id: int,
    day: str,
    how: str,
    decision: str | None,
) -> None:
    """Close the member's branch spell on ``day`` and make ``branch_id`` theirs from then,
    with its history entry (inside the caller's write transaction)."""
    begun = last_move(conn, member["id"]) or member["joined_roll_on"]
    conn.execute(
        "INSERT INTO branch_spells (member_id, branch_id, from_on, to_on, how, decision,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (member["id"], member["branch_id"], begun, day, how, decision, audit.now()),
    )
    history.update_member(conn, member["id"], {"branch_id": branch_id})


def move(
    conn: sqlite3.Connection,
    ref: str | int,
    to: str,
    on: dt.date,
    decision: str | None = None,
    note: str | None = None,
    today: dt.date | None = None,
    how: str = "move",
) -> Moved:
    """Move a member to the branch ``to`` on ``on``: refused before they joined the roll,
    after today, after they left, into a branch not open then, or before an earlier move."""
    day = on.isoformat()
    with member_for_update(conn, ref) as row:
        who = {"id": row["id"], "name": row["full_name"]}
        if on > (today or dt.date.today()):
            raise Invalid("moves.future", date=dated(day))
        if day <= row["joined_roll_on"]:
            raise Invalid("moves.before_joining", date=dated(row["joined_roll_on"]), **who)
        if row["left_on"] and day >= row["left_on"]:
            raise Conflict("moves.after_leaving", date=dated(row["left_on"]), **who)
        earlier = last_move(conn, row["id"])
        if earlier and day <= earlier:
            raise Conflict("moves.before_last", date=dated(earlier), **who)
        branch = get_branch(conn, to)
        refuse_closed(conn, branch, day)
        if branch["id"] == row["branch_id"]:
            raise Conflict("moves.same_branch", branch=branch["name"], **who)
        names = org.names_at(conn, day)
        spell(conn, row, branch["id"], day, how, text(decision))
        change = history.record(
            conn, "move", "member", row["id"], {"branch_id": [row["branch_id"], branch["id"]]}
        )
        change.event(
            row["id"],
            "moved",
            on,
            field="branch_id",
            old=str(row["branch_id"]),
            new=str(branch["id"]),
            decision=text(decision),
            note=text(note),
        )
    return Moved(row["id"], row["full_name"], names[row["branch_id"]], names[branch["id"]], day)


def correct(conn: sqlite3.Connection, ref: str | int, to: str, note: str | None = None) -> Moved:
    """Correct the branch of the member's current spell (typed wrongly): no move, no date."""
    with member_for_update(conn, ref) as row:
        branch = get_branch(conn, to)
        who = {"id": row["id"], "name": row["full_name"]}
        if branch["id"] == row["branch_id"]:
            raise Conflict("moves.same_branch", branch=branch["name"], **who)
        since = last_move(conn, row["id"]) or row["joined_roll_on"]
        refuse_closed(conn, branch, since)
        old = conn.execute("SELECT name FROM branches WHERE id = ?", (row["branch_id"],))
        history.update_member(conn, row["id"], {"branch_id": branch["id"]})
        change = history.record(
            conn, "edit", "member", row["id"], {"branch_id": [row["branch_id"], branch["id"]]}
        )
        change.event(
            row["id"],
            "edited",
            dt.date.today(),
            field="branch_id",
            old=str(row["branch_id"]),
            new=str(branch["id"]),
            note=text(note),
        )
    return Moved(row["id"], row["full_name"], old.fetchone()[0], branch["name"], since)


def notes(conn: sqlite3.Connection) -> list[Problem]:
    """`check`'s statement of the migration's assumption (issue #15): the branch each member
    had when the registry began to keep branch history is taken as theirs since joining."""
    row = conn.execute("SELECT migrated_on, members FROM branch_history_assumed").fetchone()
    if row is None:
        return []
    return [Problem("moves.assumed", {"count": Count(row[1]), "date": dated(row[0])})]


def unmove(conn: sqlite3.Connection, member: sqlite3.Row, event: sqlite3.Row) -> None:
    """Take back the member's latest move (voided: entered by mistake): its spell goes and
    the branch before it is theirs again. A merge or a split is refused: it moved others."""
    spell = conn.execute(
        "SELECT id, how FROM branch_spells WHERE member_id = ? ORDER BY to_on DESC LIMIT 1",
        (member["id"],),
    ).fetchone()
    if spell is None or spell["how"] != "move" or event["on_date"] != last_move(conn, member["id"]):
        raise Conflict("moves.not_undoable", id=member["id"], name=member["full_name"])
    conn.execute("DELETE FROM branch_spells WHERE id = ?", (spell["id"],))
