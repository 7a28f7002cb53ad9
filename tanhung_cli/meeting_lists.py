"""Meetings listed and shown, and their rows as the import files write them (export).

The rows of ``meeting_rows`` and ``attendance_rows`` carry the columns of
`import meetings` and `import attendance`, so that an export imports back.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from tanhung_cli.meetings import get_meeting
from tanhung_cli.reports_activity import IN_PERIOD, Period

MEETING_COLUMNS = ("id", "on_date", "kind", "title", "held_by", "note", "guests")
ATTENDANCE_COLUMNS = (
    "meeting_id",
    "on_date",
    "kind",
    "held_by",
    "id",
    "full_name",
    "attendance",
    "absence_reason",
)
_COUNTS = (
    "(SELECT count(*) FROM attendance a WHERE a.meeting_id = g.id AND a.status = 'present')"
    " AS present,"
    " (SELECT count(*) FROM attendance a WHERE a.meeting_id = g.id AND a.status != 'present')"
    " AS absent"
)


def list_meetings(
    conn: sqlite3.Connection, p: Period, kind: str | None = None
) -> list[dict[str, Any]]:
    """The meetings of the period (of ``kind``), oldest first, with their attendance."""
    rows = conn.execute(
        f"SELECT g.*, b.name AS held_by, {_COUNTS} FROM meetings g"
        " LEFT JOIN branches b ON b.id = g.branch_id"
        f" WHERE {IN_PERIOD}{p.holder} AND (:kind IS NULL OR g.kind = :kind)"
        " ORDER BY g.on_date, g.id",
        {**p.params(), "kind": kind},
    ).fetchall()
    return [_public(r) for r in rows]


def _public(row: sqlite3.Row) -> dict[str, Any]:
    out = {c: row[c] for c in MEETING_COLUMNS}
    out["branch_id"] = row["branch_id"]
    out["present"], out["absent"] = row["present"], row["absent"]
    return out


def meeting_detail(conn: sqlite3.Connection, ref: str | int) -> dict[str, Any]:
    """A meeting and its attendees in Vietnamese name order."""
    meeting = get_meeting(conn, ref)
    row = conn.execute(
        f"SELECT g.*, b.name AS held_by, {_COUNTS} FROM meetings g"
        " LEFT JOIN branches b ON b.id = g.branch_id WHERE g.id = ?",
        (meeting["id"],),
    ).fetchone()
    people = conn.execute(
        "SELECT m.id, m.full_name, b.name AS branch, a.status AS attendance, a.reason"
        " FROM attendance a JOIN members m ON m.id = a.member_id"
        " JOIN branches b ON b.id = m.branch_id WHERE a.meeting_id = ?"
        " ORDER BY m.sort_key, m.id",
        (meeting["id"],),
    ).fetchall()
    return _public(row) | {"members": [dict(r) for r in people]}


def meeting_rows(conn: sqlite3.Connection, p: Period) -> list[dict[str, Any]]:
    """The meetings of the period, with the columns of `import meetings`."""
    return [{c: r[c] for c in MEETING_COLUMNS} for r in list_meetings(conn, p)]


def attendance_rows(conn: sqlite3.Connection, p: Period) -> list[dict[str, Any]]:
    """Every attendance of the period's meetings, with the columns of `import attendance`."""
    rows = conn.execute(
        "SELECT g.id AS meeting_id, g.on_date, g.kind, b.name AS held_by, m.id,"
        " m.full_name, a.status AS attendance, a.reason AS absence_reason FROM meetings g"
        " JOIN attendance a ON a.meeting_id = g.id JOIN members m ON m.id = a.member_id"
        f" LEFT JOIN branches b ON b.id = g.branch_id WHERE {IN_PERIOD}{p.holder}"
        " ORDER BY g.on_date, g.id, m.sort_key, m.id",
        p.params(),
    ).fetchall()
    return [dict(r) for r in rows]
