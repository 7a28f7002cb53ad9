"""Restoring a backup over the registry: refuse what is unsound, keep what is replaced.

The incoming file is copied privately and checked (``backup.inspect``) before anything
is touched; the current registry is then saved beside itself, and the backup is written
into it through SQLite's backup API, so that other clerks' open connections see the
change whole. A file SQLite cannot open at all is replaced by rename instead.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tanhung_cli import audit, backup
from tanhung_cli.backup import Copy
from tanhung_cli.db import connect, open_db, write_transaction
from tanhung_cli.errors import DatabaseProblem, Invalid

_WORKDIR = ".tanhung-restore-"


@dataclass
class Restored:
    source: Copy
    saved: Path | None  # where the replaced registry was kept
    replaced_members: int | None  # how many members the replaced registry held


def _private_copy(source: Path, folder: Path) -> Path:
    """Copy a file given to restore (and its -wal) into a private folder, untouched."""
    for stale in folder.glob(f"{_WORKDIR}*"):
        # Left by a restore that was killed: a private copy nobody needs any more.
        if time.time() - stale.stat().st_mtime > 600:
            shutil.rmtree(stale, ignore_errors=True)
    workdir = Path(tempfile.mkdtemp(prefix=_WORKDIR, dir=folder))
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


def _save_current(db_path: Path) -> tuple[Path | None, int | None]:
    """Keep the registry about to be replaced; return where, and how many members it held."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None, None
    saved = backup.reserve(db_path, "before-restore")
    try:
        live = connect(db_path)
        try:
            return saved, backup.copy_verified(live, saved, reserved=True).members
        finally:
            live.close()
    except (sqlite3.Error, DatabaseProblem, Invalid):
        # A damaged or foreign file cannot go through SQLite: keep its bytes as they are.
        partial = backup.partial_of(saved)
        backup.discard(partial)
        backup.create_private(partial)
        shutil.copyfile(db_path, partial)
        if Path(f"{db_path}-wal").is_file():
            shutil.copyfile(f"{db_path}-wal", f"{saved}-wal")
        os.replace(partial, saved)
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
    if tables and version == 0 and not set(backup.REQUIRED_TABLES) <= tables:
        raise DatabaseProblem("db.not_registry", path=str(db_path))


def _replace_file(incoming: Path, db_path: Path) -> None:
    """Put a fresh copy of ``incoming`` in place of an unusable registry file."""
    fresh = db_path.with_name(f".{db_path.name}.restoring")
    backup.discard(fresh)
    backup.create_private(fresh)
    src = sqlite3.connect(f"file:{incoming}?mode=ro", uri=True)
    try:
        backup.snapshot(src, fresh)
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
    backup.check_header(source, str(source))
    _refuse_foreign(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    incoming = _private_copy(source, db_path.parent)
    try:
        info = backup.inspect(incoming, shown=source)
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
            raise DatabaseProblem("backup.restore_unverified", source=str(source), saved=str(saved))
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
