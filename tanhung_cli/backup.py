"""Backups of the registry, with SQLite's online backup API.

A backup is taken inside one read transaction of the live registry, so it is a
consistent snapshot even while other clerks write; the copy is then checked
(integrity, schema, the same number of rows as the snapshot) and kept readable
by its owner only. Restoring one is `restore.py`'s work.
"""

from __future__ import annotations

import datetime
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from tanhung_cli import audit
from tanhung_cli.db import SCHEMA_VERSION, SQLITE_HEADER, write_transaction
from tanhung_cli.errors import Conflict, DatabaseProblem, FileProblem, Invalid, NotFound

# The tables every registry has; a file without them is some other program's.
REQUIRED_TABLES = ("members", "branches", "audit", "events")
COUNTED_TABLES = ("members", "branches", "events", "audit")


@dataclass
class Copy:
    """A verified registry file and what it holds."""

    path: Path
    schema: int
    counts: dict[str, int]
    size: int
    last_member_id: int = 0

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


def create_private(target: Path) -> None:
    """Create ``target`` empty, owner-only; refuse to overwrite anything."""
    if target.is_dir():
        raise Invalid("backup.target_is_directory", path=str(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise Conflict("backup.exists", path=str(target)) from None
    except OSError as exc:
        raise FileProblem("backup.cannot_write", path=str(target), reason=exc.strerror) from None
    os.close(fd)


def counts_of(conn: sqlite3.Connection) -> dict[str, int]:
    return {
        name: conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in COUNTED_TABLES
    }


def snapshot(source: sqlite3.Connection, target: Path) -> dict[str, int]:
    """Copy ``source`` into the new file ``target``; return the snapshot's row counts."""
    dest = sqlite3.connect(target, isolation_level=None)
    try:
        # One read transaction: the counts and the copied pages are the same snapshot.
        source.execute("BEGIN")
        try:
            counts = counts_of(source)
            source.backup(dest)
        finally:
            source.execute("COMMIT")
        # A backup is one self-contained file, not a WAL database with side files.
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
    os.chmod(target, 0o600)
    return counts


def discard(path: Path) -> None:
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        name.unlink(missing_ok=True)


def check_header(path: Path, shown: str) -> None:
    if not path.exists():
        raise NotFound("backup.missing", path=shown)
    if path.is_dir():
        raise Invalid("backup.is_directory", path=shown)
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise FileProblem("backup.cannot_read", path=shown, reason=exc.strerror) from None
    if header != SQLITE_HEADER:
        raise Invalid("backup.not_sqlite", path=shown)


def inspect(path: Path, shown: Path | None = None) -> Copy:
    """Check that ``path`` is a sound registry this version can read; say what it holds."""
    name = str(shown or path)
    check_header(path, name)
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise Invalid("backup.damaged", path=name, reason=str(exc)) from None
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        schema = conn.execute("PRAGMA user_version").fetchone()[0]
        if schema > SCHEMA_VERSION:
            raise Invalid("backup.too_new", path=name, found=schema, known=SCHEMA_VERSION)
        if schema < 1 or not set(REQUIRED_TABLES) <= tables:
            raise Invalid("backup.not_registry", path=name)
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check(3)")]
        if problems != ["ok"]:
            lines = [x for p in problems for x in str(p).splitlines() if not x.startswith("***")]
            raise Invalid("backup.damaged", path=name, reason="; ".join(lines)[:300])
        counts = counts_of(conn)
        last = conn.execute("SELECT coalesce(max(id), 0) FROM members").fetchone()[0]
    except sqlite3.Error as exc:
        raise Invalid("backup.damaged", path=name, reason=str(exc)) from None
    finally:
        conn.close()
    return Copy(path, schema, counts, path.stat().st_size, last)


def copy_verified(conn: sqlite3.Connection, target: Path, *, reserved: bool = False) -> Copy:
    """Copy the live registry into the new file ``target`` (made by `reserve` if ``reserved``)
    and check that the copy is sound and holds what the registry held.

    The copy is written beside ``target`` and takes its name once verified, so that a
    crash or a full disk never leaves an empty or half-written file under a backup's name.
    """
    partial = partial_of(target)
    if not reserved:
        if target.is_dir():
            raise Invalid("backup.target_is_directory", path=str(target))
        if target.exists() or target.is_symlink():
            raise Conflict("backup.exists", path=str(target))
        discard(partial)
        create_private(partial)
    try:
        counts = snapshot(conn, partial)
        copy = inspect(partial, shown=target)
        if copy.counts != counts:
            raise DatabaseProblem("backup.verify_failed", path=str(target))
        _take_name(partial, target)
    except BaseException as exc:
        discard(partial)
        if isinstance(exc, sqlite3.Error):
            raise DatabaseProblem("backup.failed", path=str(target), reason=str(exc)) from None
        if isinstance(exc, Invalid) and exc.key == "backup.damaged":
            # A faithful copy of a damaged registry: the registry is what is damaged.
            raise DatabaseProblem("db.damaged", reason=exc.params["reason"]) from None
        raise
    copy.path = target
    return copy


def backup(conn: sqlite3.Connection, db_path: Path, target: Path | None = None) -> Copy:
    """Back up the live registry into ``target`` (default: a new timestamped file)."""
    if target is None:
        copy = copy_verified(conn, reserve(db_path), reserved=True)
    else:
        copy = copy_verified(conn, target)
    counts = copy.counts
    try:
        with write_transaction(conn):
            audit.record(conn, "backup", "registry", None, {"file": str(copy.path), **counts})
    except DatabaseProblem as exc:
        if exc.key != "db.readonly":  # a read-only registry can still be backed up
            raise
    return copy
