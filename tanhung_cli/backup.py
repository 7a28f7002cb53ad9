"""Backups and restores of the registry, with SQLite's online backup API.

A backup is taken inside one read transaction of the live registry, so it is a
consistent snapshot even while other clerks write; the copy is then checked
(integrity, schema, the same number of rows as the snapshot) and kept readable
by its owner only. A restore refuses anything that is not a sound registry and
saves the current file first.
"""

from __future__ import annotations

import datetime
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tanhung_cli import audit
from tanhung_cli.db import SCHEMA_VERSION, SQLITE_HEADER, connect, open_db, write_transaction
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


@dataclass
class Restored:
    source: Copy
    saved: Path | None  # where the replaced registry was kept
    replaced_members: int | None  # how many members the replaced registry held


def reserve(db_path: Path, label: str = "backup") -> Path:
    """Create a new private file beside the registry: ``tanhung.backup.20261129-131500.db``."""
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = db_path.suffix or ".db"
    for n in range(1, 1000):
        extra = f"-{n}" if n > 1 else ""
        candidate = db_path.with_name(f"{db_path.stem}.{label}.{stamp}{extra}{suffix}")
        try:
            _create_private(candidate)
        except Conflict:
            continue  # another clerk's backup of the same second
        return candidate
    raise Conflict("backup.exists", path=str(candidate))


def _create_private(target: Path) -> None:
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


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {
        name: conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in COUNTED_TABLES
    }


def _snapshot(source: sqlite3.Connection, target: Path) -> dict[str, int]:
    """Copy ``source`` into the new file ``target``; return the snapshot's row counts."""
    dest = sqlite3.connect(target, isolation_level=None)
    try:
        # One read transaction: the counts and the copied pages are the same snapshot.
        source.execute("BEGIN")
        try:
            counts = _counts(source)
            source.backup(dest)
        finally:
            source.execute("COMMIT")
        # A backup is one self-contained file, not a WAL database with side files.
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
    os.chmod(target, 0o600)
    return counts


def _discard(path: Path) -> None:
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        name.unlink(missing_ok=True)


def _check_header(path: Path, shown: str) -> None:
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
    _check_header(path, name)
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
        counts = _counts(conn)
        last = conn.execute("SELECT coalesce(max(id), 0) FROM members").fetchone()[0]
    except sqlite3.Error as exc:
        raise Invalid("backup.damaged", path=name, reason=str(exc)) from None
    finally:
        conn.close()
    return Copy(path, schema, counts, path.stat().st_size, last)


def _private_copy(source: Path, folder: Path) -> Path:
    """Copy a file given to restore (and its -wal) into a private folder, untouched."""
    workdir = Path(tempfile.mkdtemp(prefix=".tanhung-restore-", dir=folder))
    copy = workdir / "incoming.db"
    try:
        shutil.copyfile(source, copy)
        if Path(f"{source}-wal").is_file():
            shutil.copyfile(f"{source}-wal", f"{copy}-wal")
        conn = sqlite3.connect(copy, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        # What cannot be copied or settled is judged as it is by inspect().
        shutil.rmtree(workdir, ignore_errors=True)
        return source
    return copy


def copy_verified(conn: sqlite3.Connection, target: Path, *, reserved: bool = False) -> Copy:
    """Copy the live registry into the new file ``target`` (made by `reserve` if ``reserved``)
    and check that the copy is sound and holds what the registry held."""
    if not reserved:
        _create_private(target)
    try:
        counts = _snapshot(conn, target)
        copy = inspect(target)
    except sqlite3.Error as exc:
        _discard(target)
        raise DatabaseProblem("backup.failed", path=str(target), reason=str(exc)) from None
    except Invalid as exc:
        _discard(target)
        if exc.key == "backup.damaged":  # a faithful copy of a damaged registry
            raise DatabaseProblem("db.damaged", reason=exc.params["reason"]) from None
        raise
    except BaseException:
        _discard(target)
        raise
    if copy.counts != counts:
        _discard(target)
        raise DatabaseProblem("backup.verify_failed", path=str(target))
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


def _save_current(db_path: Path) -> tuple[Path | None, int | None]:
    """Keep the registry about to be replaced; return where, and how many members it held."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None, None
    saved = reserve(db_path, "before-restore")
    try:
        live = connect(db_path)
        try:
            members = _snapshot(live, saved).get("members")
        finally:
            live.close()
        return saved, members
    except (sqlite3.Error, DatabaseProblem):
        # A damaged or foreign file cannot go through SQLite: keep its bytes as they are.
        shutil.copyfile(db_path, saved)
        if Path(f"{db_path}-wal").is_file():
            shutil.copyfile(f"{db_path}-wal", f"{saved}-wal")
        return saved, None


def _refuse_foreign(db_path: Path) -> None:
    """Never restore over another program's database that --db names by mistake."""
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.Error:
        return  # missing, empty or damaged: a restore is what it needs
    if tables and version == 0 and not set(REQUIRED_TABLES) <= tables:
        raise DatabaseProblem("db.not_registry", path=str(db_path))


def _replace_file(incoming: Path, db_path: Path) -> None:
    """Put a fresh copy of ``incoming`` in place of an unusable registry file."""
    fresh = db_path.with_name(f".{db_path.name}.restoring")
    _discard(fresh)
    _create_private(fresh)
    src = sqlite3.connect(f"file:{incoming}?mode=ro", uri=True)
    try:
        _snapshot(src, fresh)
    finally:
        src.close()
    for side in ("-wal", "-shm", "-journal"):
        Path(f"{db_path}{side}").unlink(missing_ok=True)
    os.replace(fresh, db_path)


def restore(db_path: Path, source: Path) -> Restored:
    """Replace the registry with the backup ``source``, after saving the current one."""
    if db_path.exists() and source.exists() and db_path.resolve() == source.resolve():
        raise Invalid("backup.same_file", path=str(source))
    if db_path.is_dir():
        raise DatabaseProblem("db.is_directory", path=str(db_path))
    _check_header(source, str(source))
    _refuse_foreign(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    incoming = _private_copy(source, db_path.parent)
    try:
        info = inspect(incoming, shown=source)
        saved, replaced = _save_current(db_path)
        try:
            # Through SQLite's locks, so that other clerks' connections see the change whole.
            live = connect(db_path)
            src = sqlite3.connect(f"file:{incoming}?mode=ro", uri=True)
            try:
                src.backup(live)
            finally:
                src.close()
                live.close()
        except (sqlite3.Error, DatabaseProblem):
            _replace_file(incoming, db_path)
    finally:
        if incoming != source:
            shutil.rmtree(incoming.parent, ignore_errors=True)
    os.chmod(db_path, 0o600)
    conn = open_db(db_path)  # brings an older backup's schema up to date
    try:
        # Other clerks may already be adding members after the restored ones.
        restored = conn.execute(
            "SELECT count(*) FROM members WHERE id <= ?", (info.last_member_id,)
        ).fetchone()[0]
        if restored != info.members:
            raise DatabaseProblem("backup.verify_failed", path=str(db_path))
        with write_transaction(conn):
            detail = {
                "from": str(source.resolve()),
                "saved": str(saved) if saved else None,
                **info.counts,
            }
            audit.record(conn, "restore", "registry", None, detail)
    finally:
        conn.close()
    info.path = source
    return Restored(info, saved, replaced)
