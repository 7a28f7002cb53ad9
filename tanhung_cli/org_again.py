"""A dated change of the organisation given again (`org_changes`): recognised, not repeated.

A clerk who runs the same command twice (unsure the first one went through, or reading it
again off a paper list) must not add a second row of the same change: the second run
writes nothing and says the change is recorded already (exit 0), as `member edit` says
"nothing changed". A different change on a date that already has one is refused, saying
how to correct the first (`--correction` for the level above, `branch edit --name` for a
misspelt new name), as a dated member change before a later one is refused.

Each function looks, inside the caller's write transaction, for the change already done.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from tanhung_cli.branches import branch_key, display_name
from tanhung_cli.errors import Conflict, Invalid
from tanhung_cli.lifecycle import text
from tanhung_cli.problems import dated


@dataclass(frozen=True)
class Level:
    """What `set_level_above` did: recorded, found already (since ``since``), corrected."""

    outcome: str  # "recorded" | "already" | "corrected"
    since: str
    old: str | None = None


def level_above(
    conn: sqlite3.Connection, name: str, day: str, decision: str | None, correction: bool
) -> Level | sqlite3.Row | None:
    """The outcome when the level above ``name`` from ``day`` needs no new row; the row of
    that day to correct (``correction``); None to record it. Conflict on another level
    recorded from that day without --correction."""
    same_day = conn.execute(
        "SELECT id, name, decision FROM levels_above WHERE from_on = ? ORDER BY id DESC LIMIT 1",
        (day,),
    ).fetchone()
    if correction:
        if same_day is None:
            raise Invalid("bugs.org.level_nothing_to_correct", date=dated(day))
        if same_day["name"] == name and (decision is None or same_day["decision"] == decision):
            return Level("already", day)
        return same_day  # type: ignore[no-any-return]
    if same_day is not None:
        if same_day["name"] == name and decision in (None, same_day["decision"]):
            return Level("already", day)
        raise Conflict(
            "bugs.org.level_same_day",
            date=dated(day),
            name=same_day["name"],
            new=name,
            decision=same_day["decision"] or "-",
        )
    before = conn.execute(
        "SELECT name, from_on FROM levels_above WHERE from_on < ?"
        " ORDER BY from_on DESC, id DESC LIMIT 1",
        (day,),
    ).fetchone()
    if before is not None and before["name"] == name and decision is None:
        return Level("already", before["from_on"])
    return None


def opened(conn: sqlite3.Connection, name: str, day: str) -> sqlite3.Row | None:
    """The branch ``name`` if it was opened on ``day`` already."""
    row = conn.execute(
        "SELECT * FROM branches WHERE name_key = ?", (branch_key(display_name(name)),)
    ).fetchone()
    return row if row is not None and row["opened_on"] == day else None


def renamed(conn: sqlite3.Connection, ref: str, name: str, day: str) -> sqlite3.Row | None:
    """The branch ``ref`` (by today's name, id, or the name it had until ``day``) if it was
    renamed ``name`` on ``day`` already."""
    found = conn.execute(
        "SELECT b.* FROM branches b JOIN branch_names n ON n.branch_id = b.id"
        " WHERE n.to_on = ? AND b.name_key = ? AND (n.name_key = ? OR CAST(b.id AS TEXT) = ?"
        " OR b.name_key = ?)",
        (day, branch_key(display_name(name)), branch_key(ref), ref.strip(), branch_key(ref)),
    ).fetchone()
    return found  # type: ignore[no-any-return]


def rename_again(row: sqlite3.Row, day: str, last: str | None) -> None:
    """Refuse a rename on the day of the last one (another name: a correction of it)."""
    if last == day:
        raise Conflict("bugs.org.rename_same_day", name=row["name"], id=row["id"], date=dated(day))


def merged(conn: sqlite3.Connection, olds: list[sqlite3.Row], into: str, day: str) -> bool:
    """Whether the branches ``olds`` (other than ``into``) were closed on ``day`` already,
    ``into`` open then (a merge given again)."""
    target = conn.execute(
        "SELECT id, opened_on, closed_on FROM branches WHERE name_key = ?",
        (branch_key(display_name(into)),),
    ).fetchone()
    if target is None or (target["closed_on"] and target["closed_on"] <= day):
        return False
    others = [b for b in olds if b["id"] != target["id"]]
    return bool(others) and all(b["closed_on"] == day for b in others)


def split_off(conn: sqlite3.Connection, old: int, member_ids: list[int], day: str) -> bool:
    """Whether every member of ``member_ids`` was split off ``old`` on ``day`` already."""
    marks = ",".join("?" * len(member_ids))
    found = conn.execute(
        "SELECT count(DISTINCT member_id) FROM branch_spells WHERE branch_id = ? AND to_on = ?"
        f" AND how = 'split' AND member_id IN ({marks})",
        (old, day, *member_ids),
    ).fetchone()[0]
    return bool(member_ids) and found == len(member_ids)


def kind_added(conn: sqlite3.Connection, code: str, vi: str, en: str | None) -> bool:
    """Whether the kind of unit ``code`` was added with these names already."""
    row = conn.execute("SELECT vi, en FROM unit_kinds WHERE code = ?", (code,)).fetchone()
    return row is not None and row["vi"] == vi and (en is None or row["en"] == text(en, 100))
