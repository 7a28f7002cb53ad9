"""What runs in a worker process: check one block (or chunk of rows) with the import's
validator and write its records and problems into the worker's own staging file."""

from __future__ import annotations

import gc
import itertools
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tanhung_cli import csv_records, ethnic_codes, signals
from tanhung_cli.importer.staged import Checked, Chunk
from tanhung_cli.table import Row


@dataclass
class Job:
    """What a worker needs, inherited through fork."""

    check: Callable[[list[Row]], Checked]
    encoding: str
    separator: str
    folder: Path
    width: int  # the longest record a target makes (0: as long as the first one)


class NoScratch(Exception):
    """A worker could not write its staging file (the folder is full, or gone)."""


# The job of the workers about to be forked: set by `staging.stage_file`, inherited.
job: Job | None = None
_conn: sqlite3.Connection | None = None


def _staging_db() -> sqlite3.Connection:
    """This worker's staging file, opened on its first block."""
    global _conn
    assert job is not None
    if _conn is None:
        _conn = sqlite3.connect(job.folder / f"w{os.getpid()}.db", isolation_level=None)
        _conn.execute("PRAGMA journal_mode = OFF")  # a scratch file: nothing to roll back
        _conn.execute("PRAGMA synchronous = OFF")
        _conn.execute("CREATE TABLE problems (line INTEGER, col TEXT, key TEXT, params BLOB)")
    return _conn


def stage(payload: bytes | list[Row]) -> Chunk:
    """In a worker: check one block (or chunk of rows) and stage what it found."""
    assert job is not None
    tally = csv_records.Tally()
    if isinstance(payload, bytes):
        rows: Any = csv_records.block_rows(payload, job.encoding, job.separator, tally)
    else:
        rows = payload
    records, problems = job.check(rows)
    try:
        conn = _staging_db()
        conn.execute("BEGIN")
        if records:
            # A short record leaves its last values out: runs of one length bind at once.
            for length, run in itertools.groupby(records, len):
                conn.executemany(_insert_sql(conn, length), run)
        if problems:
            conn.executemany("INSERT INTO problems VALUES (?, ?, ?, ?)", problems)
        spans = [
            _span(conn, table, len(values))
            for table, values in (("staged", records), ("problems", problems))
        ]
        conn.execute("COMMIT")
    except (OSError, sqlite3.OperationalError) as exc:
        raise NoScratch(str(exc)) from None
    widest = max(map(len, records), default=1) - 1  # (less the line)
    return Chunk(
        f"w{os.getpid()}",
        tally.records,
        tally.open_quote,
        tally.broken,
        spans[0],
        spans[1],
        widest,
        ethnic_codes.met_numbers(),
    )


def _insert_sql(conn: sqlite3.Connection, length: int) -> str:
    """INSERT for rows of ``length`` values (the line, then the record's first values)."""
    assert job is not None
    if not job.width:
        job.width = length - 1
    conn.execute(
        "CREATE TABLE IF NOT EXISTS staged"
        f" (line, {', '.join(f'r{i}' for i in range(max(job.width, length - 1)))})"
    )
    columns = ", ".join(["line", *(f"r{i}" for i in range(length - 1))])
    return f"INSERT INTO staged ({columns}) VALUES ({', '.join('?' * length)})"


def _span(conn: sqlite3.Connection, table: str, count: int) -> tuple[int, int]:
    """The rowids of the ``count`` rows last inserted into ``table`` (first > last: none)."""
    if not count:
        return 1, 0
    last = conn.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0]
    return last - count + 1, last


def start_worker() -> None:
    # Ctrl-C and SIGTERM are for the main process, which stops the workers (no traceback
    # from each): `signals.stoppable` there, `signals.in_worker` here.
    signals.in_worker()
    # The collector passes over what a worker inherits (it never frees any of it), so its
    # collections stay short and the inherited pages stay shared.
    gc.freeze()
