"""Reading a registry someone sent without changing a byte of it (`db.open_db(untouched=)`).

SQLite's own read-only mode is not enough for a file read in place: a WAL registry
opened with ``mode=ro`` still creates its ``-wal`` and ``-shm`` beside it, and leaves
them. A registry at rest (no ``-wal`` beside it: every connection closed, the log folded
in) is read as ``immutable``, which creates nothing, while this process holds the
shared lock SQLite's readers take on the file (the same bytes, POSIX advisory locks):
no other process can then write it with a rollback journal, nor fold a log into it on
closing. A writer that starts in WAL mode meanwhile creates a ``-wal``, and a log can be
folded in only while that ``-wal`` exists: `Untouched.disturbed` says so, and the read is
done again the ordinary way. A file with a ``-wal`` (a clerk working on it, or a crash)
is read through SQLite's ``mode=ro`` with its locks; its side files are already there.

Without POSIX locks (Windows) the file is read the ordinary way (``mode=ro``). POSIX
locks belong to the process: closing the lock's descriptor also drops the locks another
SQLite connection of this same process holds on that file, so a process reads in place
only files it has no other connection to (the commands do).
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path
from typing import Any

from tanhung_cli import storage
from tanhung_cli.errors import DatabaseProblem

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

# SQLite's lock bytes (os_unix.c): a reader read-locks PENDING, then the SHARED range.
PENDING_BYTE = 0x40000000
SHARED_FIRST = PENDING_BYTE + 2
SHARED_SIZE = 510
# A file read in place waits this long for another clerk's write, not 15 s: a report over
# a hundred files names a locked one and goes on (`--skip-unreadable`).
BUSY_TIMEOUT_MS = 1_000


class Untouched(sqlite3.Connection):
    """A connection to a registry read in place; closing it releases the shared lock."""

    lock_fd: int | None = None
    watched: Path | None = None

    def disturbed(self) -> bool:
        """Whether a writer may have changed the file while it was read as immutable."""
        return self.watched is not None and _has_log(self.watched)

    def close(self) -> None:
        super().close()
        if self.lock_fd is not None:
            os.close(self.lock_fd)  # releases the lock
            self.lock_fd = None


def _has_log(path: Path) -> bool:
    return Path(f"{path}-wal").exists() or Path(f"{path}-journal").exists()


def _shared_lock(path: Path) -> int | None:
    """Take SQLite's shared lock on ``path``: DatabaseProblem("db.busy") if a writer holds
    it, None where the file system has no locks (then SQLite's own reading is used)."""
    assert fcntl is not None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise DatabaseProblem("db.cannot_read", path=str(path), reason=exc.strerror) from None
    try:
        fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB, 1, PENDING_BYTE)
        try:
            fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB, SHARED_SIZE, SHARED_FIRST)
        finally:
            fcntl.lockf(fd, fcntl.LOCK_UN, 1, PENDING_BYTE)
    except OSError as exc:
        os.close(fd)
        if exc.errno in (errno.EACCES, errno.EAGAIN):
            raise DatabaseProblem("db.busy") from None
        return None  # e.g. ENOLCK on a network share
    return fd


def _connect(path: Path, query: str) -> Untouched:
    conn: Any = sqlite3.connect(
        storage.uri(path, query),
        uri=True,
        isolation_level=None,
        timeout=BUSY_TIMEOUT_MS / 1000,
        factory=Untouched,
    )
    conn.row_factory = sqlite3.Row
    return conn  # type: ignore[no-any-return]


def open_untouched(path: Path) -> tuple[Untouched, int]:
    """Open ``path`` for reading without creating or changing any file; its schema version.

    Raises DatabaseProblem: ``db.busy`` when another process holds the file locked.
    """
    conn: Untouched | None = None
    try:
        fd = _shared_lock(path) if fcntl is not None and not _has_log(path) else None
        if fd is not None:
            try:
                conn = _connect(path, "mode=ro&immutable=1")
            except BaseException:
                os.close(fd)
                raise
            conn.lock_fd, conn.watched = fd, path
            if _has_log(path):  # a writer came between the look and the lock
                conn.close()
                conn = None
        if conn is None:
            conn = _connect(path, "mode=ro")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return conn, int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        raise storage.database_problem(exc, path) from None
