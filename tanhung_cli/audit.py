"""Who changed what, when, by which command: the append-only audit trail.

Its rows are written by ``history.record`` (with the members' dated history); this
module names the clerk and the command, and reads the trail back.
"""

from __future__ import annotations

import datetime
import getpass
import json
import os
import sqlite3
from typing import Any

_context: dict[str, str] = {}


def set_context(*, command: str) -> None:
    """Name the command that later writes are recorded under."""
    _context["command"] = command


def set_clerk(clerk: str | None) -> None:
    """Name the clerk that later writes are recorded under (default: the OS user)."""
    _context["clerk"] = clerk or os.environ.get("TANHUNG_CLERK") or _os_user()


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "?"


def now() -> str:
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")


def clerk() -> str:
    """The clerk the current command's writes are recorded under."""
    return _context.get("clerk") or os.environ.get("TANHUNG_CLERK") or _os_user()


def command() -> str:
    """The command the current writes are recorded under."""
    return _context.get("command", "")


def entries(
    conn: sqlite3.Connection, since: str | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Every audit row, oldest first; ``since`` (an ISO date) keeps those recorded from that
    day, ``limit`` the newest so many of them."""
    rows = conn.execute(
        "SELECT * FROM (SELECT id, at, clerk, command, action, entity, entity_id, detail"
        " FROM audit WHERE :since IS NULL OR at >= :since ORDER BY id DESC LIMIT :limit)"
        " ORDER BY id",
        {"since": since, "limit": -1 if limit is None else limit},
    ).fetchall()
    return [dict(row) for row in rows]


def count(conn: sqlite3.Connection, since: str | None = None) -> int:
    """How many audit rows were recorded from ``since`` (an ISO date; None: all)."""
    found = conn.execute(
        "SELECT count(*) FROM audit WHERE :since IS NULL OR at >= :since", {"since": since}
    )
    return int(found.fetchone()[0])


NAMED = {"member": "members", "branch": "branches", "course": "courses"}


def names(conn: sqlite3.Connection, rows: list[dict[str, Any]]) -> None:
    """Give each row the name of the member, branch or course it is about (``name``)."""
    wanted: dict[str, set[int]] = {}
    for row in rows:
        if row["entity"] in NAMED and row["entity_id"] is not None:
            wanted.setdefault(row["entity"], set()).add(row["entity_id"])
    found: dict[tuple[str, int], str] = {}
    for entity, ids in wanted.items():
        column = "full_name" if entity == "member" else "name"
        table = NAMED[entity]
        for chunk in _chunks(sorted(ids)):
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT id, {column} FROM {table} WHERE id IN ({marks})"  # noqa: S608
            for key, name in conn.execute(sql, chunk):
                found[(entity, key)] = name
    for row in rows:
        row["name"] = found.get((row["entity"], row["entity_id"]))
    dated(conn, rows)


def dated(conn: sqlite3.Connection, rows: list[dict[str, Any]]) -> None:
    """Give each row the date its change took effect (``on``), its history entry's kind
    (``event``: moved, changed…) and decision, and the names of the branches its detail
    numbers (``branches``, id → name on that date): a move reads "Ấp Nhứt → Ấp Chợ,
    from 01/03/2024", never "2, 1"."""
    # A member's history entries are written with the audit row of their change, and read
    # through the index on member_id (there is none on audit_id).
    wanted = {row["id"]: row["entity_id"] for row in rows if row["entity"] == "member"}
    first: dict[int, tuple[int, str, str, str | None]] = {}
    for chunk in _chunks(sorted({m for m in wanted.values() if m is not None})):
        marks = ",".join("?" * len(chunk))
        sql = (
            "SELECT audit_id, id, kind, on_date, decision_no FROM events"  # noqa: S608
            f" WHERE member_id IN ({marks})"
        )
        for audit_id, *entry in conn.execute(sql, chunk):
            if audit_id in wanted and (audit_id not in first or entry[0] < first[audit_id][0]):
                first[audit_id] = tuple(entry)
    found = {audit_id: entry[1:] for audit_id, entry in first.items()}
    current = dict(conn.execute("SELECT id, name FROM branches").fetchall())
    kinds = {code: (vi, en) for code, vi, en in conn.execute("SELECT code, vi, en FROM unit_kinds")}
    earlier: dict[int, list[tuple[str, str]]] = {}
    for branch_id, name, to_on in conn.execute(
        "SELECT branch_id, name, to_on FROM branch_names ORDER BY to_on"
    ):
        earlier.setdefault(branch_id, []).append((to_on, name))
    for row in rows:
        if row["id"] in found:
            row["event"], row["on"], row["decision"] = found[row["id"]]
        day = row.get("on") or str(row["at"])[:10]
        named = {
            i: next((n for to_on, n in earlier.get(i, []) if to_on > day), current[i])
            for i in _branch_ids(row["detail"])
            if i in current
        }
        if named:
            row["branches"] = named
        if row["entity"] == "branch" and kinds and '"kind"' in (row["detail"] or ""):
            row["kinds"] = kinds


def _branch_ids(detail: str | None) -> set[int]:
    """The branch ids a stored detail names (``branch_id``: one, or [before, after])."""
    if not detail or "branch_id" not in detail:
        return set()
    try:
        value = json.loads(detail).get("branch_id")
    except (ValueError, AttributeError):
        return set()
    found = value if isinstance(value, list) else [value]
    return {int(v) for v in found if isinstance(v, int) or (isinstance(v, str) and v.isdigit())}


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]
