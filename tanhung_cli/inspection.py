"""Whether a file is a sound registry this version can read, and what it holds: a backup
before it is restored, a copy just made before it takes its name (`backup`), the
append-only triggers `check` looks for."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from tanhung_cli import storage
from tanhung_cli.errors import FileProblem, Invalid
from tanhung_cli.safe_files import require_regular
from tanhung_cli.storage import SCHEMA_VERSION, uri

COUNTED_TABLES = ("members", "branches", "events", "audit")
# Made by migrations.m001 (_APPEND_ONLY): without them the audit trail and the members'
# history could be rewritten. name: (table, event).
APPEND_ONLY_TRIGGERS = {
    f"{table}_no_{event}": (table, event.upper())
    for table in ("audit", "events")
    for event in ("update", "delete")
}


@dataclass
class Copy:
    """A verified registry file and what it holds."""

    path: Path
    schema: int
    counts: dict[str, int]
    size: int
    last_member_id: int = 0
    audit_note: str | None = None  # why the backup's audit row is missing, if it is

    @property
    def members(self) -> int:
        return self.counts["members"]


def counts_of(conn: sqlite3.Connection) -> dict[str, int]:
    return {
        name: conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in COUNTED_TABLES
    }


def missing_triggers(conn: sqlite3.Connection) -> list[str]:
    """The append-only triggers a registry lacks (or has emptied of their refusal)."""
    found = {
        row[0]: (row[1], " ".join(str(row[2] or "").upper().split()))
        for row in conn.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type='trigger'"
        )
    }
    missing = []
    for name, (table, event) in APPEND_ONLY_TRIGGERS.items():
        on, sql = found.get(name, ("", ""))
        refuses = "RAISE(ABORT" in sql.replace(" ", "")
        if on != table or f"BEFORE {event} ON" not in sql or not refuses:
            missing.append(name)
    return missing


def check_header(path: Path, shown: str) -> None:
    require_regular(path, shown)  # a pipe would block the open below
    try:
        header = storage.read_header(path)
    except OSError as exc:
        raise FileProblem("backup.cannot_read", path=shown, reason=exc.strerror) from None
    if not storage.is_sqlite(header):
        raise Invalid("backup.not_sqlite", path=shown)


def inspect(
    path: Path, shown: Path | None = None, *, triggers: bool = True, quick: bool = False
) -> Copy:
    """Check that ``path`` is a sound registry this version can read; say what it holds.

    ``triggers``: also require the append-only triggers (a file to restore must have them;
    a backup copies the registry as it is, and `check` reports what it lacks).
    ``quick``: every page and record read and checked, but indexes not matched row by
    row against their tables (``PRAGMA quick_check``): enough for a copy just made page
    for page by the backup API, which cannot make them disagree (`check` looks for that
    in the registry); ten times faster on a national roll (issue #17).
    """
    name = str(shown or path)
    check_header(path, name)
    try:
        conn = sqlite3.connect(uri(path), uri=True)
    except sqlite3.Error as exc:
        raise Invalid("backup.damaged", path=name, reason=str(exc)) from None
    try:
        tables = storage.tables(conn)
        schema = conn.execute("PRAGMA user_version").fetchone()[0]
        if schema > SCHEMA_VERSION:
            raise Invalid("backup.too_new", path=name, found=schema, known=SCHEMA_VERSION)
        if not storage.is_registry(schema, tables):
            raise Invalid("backup.not_registry", path=name)
        pragma = "quick_check" if quick else "integrity_check"
        problems = [r[0] for r in conn.execute(f"PRAGMA {pragma}(3)")]
        if problems != ["ok"]:
            lines = [x for p in problems for x in str(p).splitlines() if not x.startswith("***")]
            raise Invalid("backup.damaged", path=name, reason="; ".join(lines)[:300])
        missing = missing_triggers(conn) if triggers else []
        if missing:
            raise Invalid("backup.no_triggers", path=name, triggers=", ".join(missing))
        counts = counts_of(conn)
        last = conn.execute("SELECT coalesce(max(id), 0) FROM members").fetchone()[0]
    except sqlite3.Error as exc:
        raise Invalid("backup.damaged", path=name, reason=str(exc)) from None
    finally:
        conn.close()
    return Copy(path, schema, counts, path.stat().st_size, last)
