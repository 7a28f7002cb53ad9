"""Members judged by the rules of this release, so that `check` judges them only once.

Each member row carries `rules.RULES_VERSION` of the validator it passed
(``members.rules_version``, migration `rules_stamp`): set by the writers that validate
(`member add` / `edit`, the importer) and by `check` on the rows it re-validated. The
migration's triggers drop a stamp when its row is changed without being stamped anew, and
every stamp when a setting the rules read changes: a stamp always means "this row, as it
is, passed these rules with these settings". `check` re-validates only the rows whose
stamp is not the current version (`check --full`: every row).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from tanhung_cli import history
from tanhung_cli import vietnamese as vn
from tanhung_cli.errors import DatabaseProblem
from tanhung_cli.member_schema import STORED as STORED_FIELDS
from tanhung_cli.problems import Problem
from tanhung_cli.rules import RULES_VERSION, Context, validate_member

COLUMN = "rules_version"
_CHUNK = 500  # ids a statement binds


TRIGGER = f"members_{COLUMN}_stale"


def present(conn: sqlite3.Connection) -> bool:
    """Whether the registry keeps stamps that can be trusted: the column, and the trigger
    that drops a stamp when its row changes (a file of an older schema opened read-only has
    neither; one whose trigger was dropped by hand is judged in full, and not stamped)."""
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ? AND tbl_name = 'members'",
        (TRIGGER,),
    ).fetchone()
    return found is not None and any(
        row[1] == COLUMN for row in conn.execute("PRAGMA table_info(members)")
    )


def settled(path: Path) -> bool:
    """Whether ``path`` has no write-ahead log waiting (none, or empty): a file left by a
    crash, or written by another program right now, is checked as it is and not stamped,
    so that `check` never replays a log into it."""
    wal = Path(f"{path}-wal")
    try:
        return not wal.exists() or wal.stat().st_size == 0
    except OSError:
        return False


def record(path: Path, seen: sqlite3.Connection, ids: Sequence[int], data_version: int) -> bool:
    """Stamp members ``ids``, judged through ``seen`` (read-only) since ``data_version``,
    unless the file changed meanwhile or cannot be written (read-only media, a clerk's long
    write): then the next check judges them again. Whether they were stamped."""
    from tanhung_cli import db

    try:
        writer = db.open_db(path, create=False, migrate=False)
    except (DatabaseProblem, sqlite3.Error):
        return False
    try:
        with history.bookkeeping_transaction(writer):
            # Under the write lock: had anything been committed since the check began,
            # a row judged may not be the row stamped.
            if seen.execute("PRAGMA data_version").fetchone()[0] != data_version:
                return False
            stamp(writer, ids)
        return True
    except (DatabaseProblem, sqlite3.Error):
        return False
    finally:
        writer.close()


def stored_problems(row: Any, ctx: Context, branch_names: dict[int, str]) -> list[Problem]:
    """A stored member re-checked by the one validator, as if typed again today."""
    raw: dict[str, Any] = {name: row[name] for name in STORED_FIELDS if name != "branch_id"}
    raw["branch"] = branch_names.get(row["branch_id"], "")
    raw["temporary"] = "x" if row["presence"] == "temporary" else None  # the rules read it
    _, problems = validate_member(raw, ctx)
    found = [replace(p, member=row["id"], member_name=row["full_name"]) for p in problems]
    joined, admitted = row["joined_roll_on"], row["admitted_on"]
    if joined and admitted and _before(joined, admitted):
        found.append(
            Problem(
                "check.official_without_admission",
                {"joined": joined, "admitted": admitted},
                member=row["id"],
                member_name=row["full_name"],
            )
        )
    return found


def _before(earlier: str, later: str) -> bool:
    """Whether every day ``earlier`` may be comes first (a year or month alone is many)."""
    try:
        return vn.date_bounds(earlier)[1] < vn.date_bounds(later)[0]
    except ValueError:
        return earlier < later  # a malformed date: as text, as ever


def stamp(conn: sqlite3.Connection, ids: Iterable[int]) -> None:
    """Record that members ``ids`` pass the current rules (in the caller's transaction)."""
    chunk: list[int] = []
    for member_id in ids:
        chunk.append(member_id)
        if len(chunk) == _CHUNK:
            _stamp(conn, chunk)
            chunk = []
    if chunk:
        _stamp(conn, chunk)


def _stamp(conn: sqlite3.Connection, ids: Sequence[int]) -> None:
    history.stamp_rules(conn, RULES_VERSION, ids)


def stamp_if_valid(conn: sqlite3.Connection, member_id: int, ctx: Context) -> None:
    """After a validated write: stamp the member when the row as stored passes as `check`
    judges it (``ctx``: `members.context`, today); a row the writer let through with a
    problem stays unstamped, for `check` to tell."""
    row = conn.execute("SELECT * FROM members WHERE id = ?", (member_id,)).fetchone()
    if row is None:
        return
    names = dict(conn.execute("SELECT id, name FROM branches WHERE id = ?", (row["branch_id"],)))
    if not stored_problems(row, ctx, names):
        _stamp(conn, [member_id])
