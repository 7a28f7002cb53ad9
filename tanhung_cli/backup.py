"""Backups of the registry, with SQLite's online backup API.

A backup is taken inside one read transaction of the live registry, so it is a
consistent snapshot even while other clerks write; the copy is then checked
(integrity, schema, the same number of rows as the snapshot) and kept readable
by its owner only. Restoring one is `restore.py`'s work.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tanhung_cli import storage, waiting
from tanhung_cli.errors import Conflict, DatabaseProblem, FileProblem, Invalid
from tanhung_cli.safe_files import create_private, refuse_target, require_regular
from tanhung_cli.storage import SCHEMA_VERSION, database_problem, discard, uri

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


def reserve(db_path: Path, label: str = "backup") -> Path:
    """A new name beside the registry for a copy: ``tanhung.backup.20261129-131500.db``.

    The name is claimed by creating its hidden partial file (`partial_of`), which
    `copy_verified` fills and then puts under the name: a crash never leaves an empty or
    half-written file under a backup's name.
    """
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = db_path.suffix or ".db"
    for n in range(1, 1000):
        extra = f"-{n}" if n > 1 else ""
        candidate = db_path.with_name(f"{db_path.stem}.{label}.{stamp}{extra}{suffix}")
        if candidate.exists():
            continue
        try:
            create_private(partial_of(candidate))
        except Conflict:
            continue  # another clerk's backup of the same second
        return candidate
    raise Conflict("backup.exists", path=str(candidate))


def partial_of(target: Path) -> Path:
    """Where a copy is written before it takes its name."""
    return target.with_name(f".{target.name}.partial")


def _take_name(partial: Path, target: Path) -> None:
    """Give the finished copy its name, never over an existing file."""
    try:
        os.link(partial, target)  # fails if the name is taken meanwhile
    except FileExistsError:
        raise Conflict("backup.exists", path=str(target)) from None
    except OSError:  # no hard links here (a FAT-formatted USB stick)
        if target.exists():
            raise Conflict("backup.exists", path=str(target)) from None
        os.replace(partial, target)
        return
    partial.unlink()


def counts_of(conn: sqlite3.Connection) -> dict[str, int]:
    return {
        name: conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in COUNTED_TABLES
    }


def snapshot(
    source: sqlite3.Connection, target: Path, on_wait: Callable[[], None] | None = None
) -> dict[str, int]:
    """Copy ``source`` into the new file ``target``; return the snapshot's row counts.

    Inside ``source``'s transaction when it has one (a restore holds the write lock).
    """
    dest = sqlite3.connect(target, isolation_level=None)
    try:
        # One read transaction: the counts and the copied pages are the same snapshot.
        own = not source.in_transaction
        counts = waiting.begin_read(source, lambda: counts_of(source), on_wait) if own else None
        try:
            counts = counts or counts_of(source)
            source.backup(dest)
        finally:
            if own:
                source.execute("COMMIT")
        # A backup is one self-contained file, not a WAL database with side files.
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
    os.chmod(target, 0o600)
    return counts


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


def inspect(path: Path, shown: Path | None = None, *, triggers: bool = True) -> Copy:
    """Check that ``path`` is a sound registry this version can read; say what it holds.

    ``triggers``: also require the append-only triggers (a file to restore must have them;
    a backup copies the registry as it is, and `check` reports what it lacks).
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
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check(3)")]
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


def copy_verified(
    conn: sqlite3.Connection,
    target: Path,
    *,
    reserved: bool = False,
    registry: Path | None = None,
    on_wait: Callable[[], None] | None = None,
) -> Copy:
    """Copy the live registry into the new file ``target`` (made by `reserve` if ``reserved``)
    and check that the copy is sound and holds what the registry held.

    The copy is written beside ``target`` and takes its name once verified, so that a
    crash or a full disk never leaves an empty or half-written file under a backup's name.
    """
    partial = partial_of(target)
    made_folder = False
    if not reserved:
        refuse_target(target, registry)
        discard(partial)
        made_folder = create_private(partial)
    try:
        counts = snapshot(conn, partial, on_wait)
        copy = inspect(partial, shown=target, triggers=False)
        if copy.counts != counts:
            raise DatabaseProblem("backup.verify_failed", path=str(target))
        _take_name(partial, target)
    except BaseException as exc:
        discard(partial)
        if made_folder:
            _remove_empty(partial.parent)
        if isinstance(exc, sqlite3.Error):
            problem = database_problem(exc)
            if problem.key == "db.busy":
                raise problem from None
            raise DatabaseProblem("backup.failed", path=str(target), reason=str(exc)) from None
        if isinstance(exc, Invalid) and exc.key == "backup.damaged":
            # A faithful copy of a damaged registry: the registry is what is damaged.
            raise DatabaseProblem("db.damaged", reason=exc.params["reason"]) from None
        raise
    copy.path = target
    return copy


def _remove_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty after all: someone else's files
        folder.rmdir()


def backup(
    conn: sqlite3.Connection,
    db_path: Path,
    target: Path | None = None,
    on_wait: Callable[[], None] | None = None,
) -> Copy:
    """Back up the live registry into ``target`` (default: a new timestamped file).

    ``on_wait`` is called once another clerk's write makes it wait (at most the busy
    timeout). A verified copy is a finished backup: if its audit row cannot be written
    (the registry stays busy, or is read-only), ``audit_note`` says why, and that is all.
    """
    if target is None:
        copy = copy_verified(conn, reserve(db_path), reserved=True, on_wait=on_wait)
    else:
        copy = copy_verified(conn, target, registry=db_path, on_wait=on_wait)
    detail = {"file": str(copy.path), **copy.counts}
    copy.audit_note = waiting.record_audit(conn, "backup", detail, on_wait)
    return copy
