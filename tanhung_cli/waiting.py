"""Waiting for another clerk's write, within the documented busy timeout, and saying so.

SQLite's busy handler waits silently; a clerk whose backup seems to hang for 15 s cannot
tell it from a crash. A first short try, then (if another clerk holds the lock) a word to
the clerk at once, then one wait bounded in all by the connection's own busy timeout
(``db.BUSY_TIMEOUT_MS``, set when `db` opened it).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

from tanhung_cli.errors import DatabaseProblem
from tanhung_cli.storage import BUSY_PAUSE_S, database_problem, is_busy

T = TypeVar("T")
FIRST_TRY_MS = 200


def _set_timeout(conn: sqlite3.Connection, ms: int) -> None:
    conn.execute(f"PRAGMA busy_timeout = {ms}")


def bounded(
    conn: sqlite3.Connection, step: Callable[[], T], on_wait: Callable[[], None] | None = None
) -> T:
    """Run ``step`` (which takes a lock), waiting at most the busy timeout for it."""
    timeout_ms = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    _set_timeout(conn, FIRST_TRY_MS)
    try:
        try:
            return step()
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise
        if on_wait is not None:
            on_wait()
        deadline = time.monotonic() + timeout_ms / 1000
        while (remaining := deadline - time.monotonic()) > 0:
            _set_timeout(conn, max(1, int(remaining * 1000)))
            try:
                return step()
            except sqlite3.OperationalError as exc:
                if not is_busy(exc):
                    raise
            # SQLite skips its busy handler in a few cases (WAL recovery): pause, try again.
            time.sleep(min(BUSY_PAUSE_S, max(0.0, deadline - time.monotonic())))
        raise DatabaseProblem("db.busy")
    finally:
        _set_timeout(conn, timeout_ms)


def begin_immediate(conn: sqlite3.Connection, on_wait: Callable[[], None] | None = None) -> None:
    """Take the write lock (BEGIN IMMEDIATE) within the busy timeout."""
    bounded(conn, lambda: conn.execute("BEGIN IMMEDIATE"), on_wait)


def begin_read(
    conn: sqlite3.Connection,
    first_read: Callable[[], T],
    on_wait: Callable[[], None] | None = None,
) -> T:
    """Open a read transaction and make its first read (which takes the snapshot)."""

    def step() -> T:
        conn.execute("BEGIN")
        try:
            return first_read()
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    return bounded(conn, step, on_wait)


def record_audit(
    conn: sqlite3.Connection,
    action: str,
    detail: dict[str, object],
    on_wait: Callable[[], None] | None = None,
) -> str | None:
    """Write the audit row of a backup or restore that is already done and verified.

    The copy stands whatever happens here: return the message key of why its row could
    not be written (busy, read-only, full), or None when it was.
    """
    from tanhung_cli import audit
    from tanhung_cli.errors import TanhungError

    try:
        begin_immediate(conn, on_wait)
        try:
            audit.record(conn, action, "registry", None, detail)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except (TanhungError, sqlite3.Error) as exc:
        return exc.key if isinstance(exc, TanhungError) else database_problem(exc).key
    return None
