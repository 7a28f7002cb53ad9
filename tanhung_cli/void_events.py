"""A life event recorded on the wrong person, voided (issue #15, `voiding.py`).

History entries are never changed: a ``voided`` entry (field ``event``, old = the entry's
number) marks each entry of the change voided, `roll.EVENT_VOIDED` reads it (the state at
a date skips voided entries), and the member's state before the event comes back, when
it is the latest of its kind and its values still stand; anything else is refused and put
right with `member correct`.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from tanhung_cli import history, roll
from tanhung_cli.errors import Conflict, Invalid, NotFound
from tanhung_cli.history import write_transaction
from tanhung_cli.members import live_member
from tanhung_cli.problems import Label, Labels, dated
from tanhung_cli.voiding import reason_text, today_iso

# The life events a void undoes: the kinds that must have no later entry, and the member
# columns each puts back (to the value before the event).
UNDONE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "confirmed": (("confirmed",), ("official_on",)),
    "exempted": (("exempted", "unexempted"), ("exempt_since",)),
    "unexempted": (("exempted", "unexempted"), ("exempt_since",)),
    "left": (("left", "transferred_out", "transferred_in", "readmitted"),
             ("left_on", "left_reason", "removal_reason")),
    "moved": (("moved",), ("branch_id",)),  # a move between branches (`branch_moves`)
}  # fmt: skip
# Every kind of history entry `void_event` undoes: the life events above and a dated
# attribute's change (`dated_void`). The refusal of any other kind lists these, so that
# what it says cannot drift from what is done (`bugs.void.kind.*`: their words).
UNDOABLE = (*UNDONE, "changed")
_LIVE_EVENT = f"NOT {roll.EVENT_VOIDED}"


def void_event(
    conn: sqlite3.Connection, ref: str | int, event_id: int, reason: str | None
) -> dict[str, tuple[Any, Any]]:
    """Void a life event recorded on the wrong person; the state before it comes back.

    Only the member's latest event of its kind (``UNDOABLE``: confirmation, exemption or
    its end, leaving, a move between branches, a dated change of an attribute) whose values
    still stand; anything else is put right with `member correct`.
    Returns the columns restored, each (value voided, value back).
    """
    text = reason_text(reason)
    with write_transaction(conn):
        row = live_member(conn, ref)
        who = {"id": row["id"], "name": row["full_name"], "event": event_id}
        event = conn.execute(
            f"SELECT e.*, {roll.EVENT_VOIDED} AS voided FROM events e"
            " WHERE e.id = ? AND e.member_id = ?",
            (event_id, row["id"]),
        ).fetchone()
        if event is None:
            raise NotFound("void.event_not_found", **who)
        if event["voided"]:
            raise Conflict("void.event_already_voided", **who)
        if event["kind"] not in UNDOABLE:
            raise Invalid(
                "bugs.void.event_not_undoable",
                **who,
                kind=Label(f"event.{event['kind']}"),
                undoable=undoable(),
            )
        if event["kind"] == "changed":  # a dated attribute's change (`dated_void`)
            from tanhung_cli.dated_void import void_change

            return void_change(conn, row, event, text)
        kinds, columns = UNDONE[event["kind"]]
        marks = ", ".join("?" * len(kinds))
        later = conn.execute(
            f"SELECT e.id, e.on_date FROM events e WHERE e.member_id = ? AND e.kind IN ({marks})"
            f" AND e.audit_id != ? AND e.id > ? AND {_LIVE_EVENT} ORDER BY e.id LIMIT 1",
            (row["id"], *kinds, event["audit_id"], event["id"]),
        ).fetchone()
        if later is not None:
            raise Conflict(
                "void.event_not_latest", **who, later=later["id"], date=dated(later["on_date"])
            )
        back = _state_before(row, event)
        if back is not None and event["kind"] == "moved":  # its spell goes with it
            from tanhung_cli.branch_moves import unmove

            unmove(conn, row, event)
        if back is None:
            raise Conflict("void.event_changed_since", **who)
        restored = {c: (row[c], back[c]) for c in columns if row[c] != back[c]}
        history.update_member(conn, row["id"], {c: new for c, (_, new) in restored.items()})
        detail = {"event": event_id, "kind": event["kind"], "reason": text}
        change = history.record(conn, "void", "event", row["id"], detail)
        together = conn.execute(
            "SELECT id FROM events WHERE member_id = ? AND audit_id = ? ORDER BY id",
            (row["id"], event["audit_id"]),
        ).fetchall()
        change.events(
            (row["id"], today_iso(), "voided", "event", str(e["id"]), None, None, text)
            for e in together
        )
    return restored


def undoable() -> Labels:
    """What `void_event` undoes, in words (for its refusal of anything else)."""
    return Labels(f"bugs.void.kind.{kind}" for kind in UNDOABLE)


def _state_before(row: sqlite3.Row, event: sqlite3.Row) -> dict[str, Any] | None:
    """The member's columns as they were before ``event``, when its values still stand."""
    kind = event["kind"]
    if kind == "confirmed" and row["official_on"] == event["new"]:
        return {"official_on": None}
    if kind == "exempted" and row["exempt_since"] == event["new"]:
        return {"exempt_since": None}
    if kind == "unexempted" and row["exempt_since"] is None:
        return {"exempt_since": event["old"]}
    if kind == "moved" and str(row["branch_id"]) == event["new"] and event["old"]:
        return {"branch_id": int(event["old"])}
    if kind == "left" and row["left_on"] == event["on_date"] and row["left_reason"]:
        return {"left_on": None, "left_reason": None, "removal_reason": None}
    return None
