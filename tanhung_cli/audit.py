"""Who changed what, when, by which command: the append-only audit trail.

Its rows are written by ``history.record`` (with the members' dated history); this
module names the clerk and the command, and reads the trail back.
"""

from __future__ import annotations

import datetime
import getpass
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


def entries(conn: sqlite3.Connection, since: str | None = None) -> list[dict[str, Any]]:
    """Every audit row, oldest first; ``since`` (an ISO date) keeps those recorded from that day."""
    rows = conn.execute(
        "SELECT id, at, clerk, command, action, entity, entity_id, detail FROM audit"
        " WHERE :since IS NULL OR at >= :since ORDER BY id",
        {"since": since},
    ).fetchall()
    return [dict(row) for row in rows]
