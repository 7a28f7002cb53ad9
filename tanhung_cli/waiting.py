"""Waiting for another clerk's write, within the documented busy timeout, and saying so.

SQLite's busy handler waits silently; a clerk whose backup seems to hang for 15 s cannot
tell it from a crash. A first short try, then (if another clerk holds the lock) a word to
the clerk at once, then one wait bounded in all by the connection's own busy timeout
(``db.BUSY_TIMEOUT_MS``, set when `db` opened it).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from tanhung_cli.errors import DatabaseProblem
from tanhung_cli.storage import BUSY_PAUSE_S, database_problem, is_busy

# Seconds to wait before taking the write lock (tests/test_scenario_write_races.py): whatever a
# command read before the lock goes stale meanwhile; what it reads after cannot.
PAUSE_BEFORE_LOCK = "TANHUNG_TEST_PAUSE_BEFORE_LOCK"
# Called once when a write must wait for another clerk's: the command line sets it to say
# so on stderr at once (SQLite's busy handler waits silently).
wait_notice: Callable[[], None] | None = None

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
    from tanhung_cli import history
    from tanhung_cli.errors import TanhungError

    try:
        begin_immediate(conn, on_wait)
        try:
            history.record(conn, action, "registry", None, detail)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except (TanhungError, sqlite3.Error) as exc:
        return exc.key if isinstance(exc, TanhungError) else database_problem(exc).key
    return None


@contextlib.contextmanager
def write_lock(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """All of the block's writes or none of them (writers take it through
    ``history.write_transaction``, which also sees that every change is audited).

    BEGIN IMMEDIATE takes the write lock up front, so a second clerk's command
    waits on the busy timeout instead of failing half-way when a read
    transaction cannot be upgraded to a write.
    """
    if conn.in_transaction:
        # Nested use joins the outer transaction.
        yield conn
        return
    if PAUSE_BEFORE_LOCK in os.environ:  # tests only: widen the window a stale read would race in
        time.sleep(float(os.environ[PAUSE_BEFORE_LOCK] or 0))
    # One wait bounded by the busy timeout in all (retrying it would wait four times as
    # long as the README says), told to the clerk as soon as it begins.
    begin_immediate(conn, wait_notice)
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException as exc:
        # After a full disk or an I/O error SQLite may have rolled back already.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        problem = database_problem(exc) if isinstance(exc, sqlite3.OperationalError) else None
        if problem is not None and problem.key != "db.unusable":
            raise problem from None
        raise
