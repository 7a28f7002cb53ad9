"""A dated change of an attribute recorded by mistake, voided (issue #15).

`member void-event` undoes a dated change (`dated_values`: wrong date, wrong person,
wrong value) the way it undoes a life event: the entries of that change are marked
``voided`` (never deleted), the value at every date is read without them, and the
member's row gets the value before the change back. Only the latest live change of each
field, and only while the row still holds the value it gave; a later change is voided
first. Entries of other kinds written by the same edit stay as they were.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from tanhung_cli import dated_values, history, roll
from tanhung_cli.errors import Conflict
from tanhung_cli.problems import dated
from tanhung_cli.voiding import today_iso


def void_change(
    conn: sqlite3.Connection, row: sqlite3.Row, event: sqlite3.Row, reason: str
) -> dict[str, tuple[Any, Any]]:
    """Void the dated changes written with ``event`` (inside the caller's transaction);
    returns the columns restored, each (value voided, value back)."""
    who = {"id": row["id"], "name": row["full_name"], "event": event["id"]}
    entries = conn.execute(
        f"SELECT e.* FROM events e WHERE e.member_id = ? AND e.audit_id IS ? AND e.kind = ?"
        f" AND NOT {roll.EVENT_VOIDED} ORDER BY e.id",
        (row["id"], event["audit_id"], dated_values.CHANGED),
    ).fetchall()
    restored: dict[str, tuple[Any, Any]] = {}
    for entry in entries:
        field = entry["field"]
        latest = dated_values.changes(conn, row["id"], field)[-1]
        if latest["id"] != entry["id"]:
            raise Conflict(
                "void.event_not_latest", **who, later=latest["id"], date=dated(latest["on_date"])
            )
        if row[field] != entry["new"]:
            raise Conflict("void.event_changed_since", **who)
        restored[field] = (entry["new"], entry["old"])
    history.update_member(conn, row["id"], {c: back for c, (_, back) in restored.items()})
    detail = {"event": event["id"], "kind": event["kind"], "reason": reason}
    change = history.record(conn, "void", "event", row["id"], detail)
    change.events(
        (row["id"], today_iso(), "voided", "event", str(e["id"]), None, None, reason)
        for e in entries
    )
    return restored
