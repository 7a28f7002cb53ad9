"""Checking a large file on every core, before the registry is locked.

The main process cuts a text file into blocks of whole records, without decoding it (a
workbook or a UTF-16 file it reads itself, in chunks of rows), and hands them to worker
processes. A worker reads its block, checks each row with the import's validator, and
writes the records and the problems into a staging database of its own, in a private
temporary folder; it sends back only where they are. The main process then takes the
write lock, attaches the staging files and copies them in, in file order: the copying is
SQLite's, not Python's, and nothing crosses between processes row by row.

A record is a tuple of SQL values (None, int, float, str, bytes).
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import shutil
import sqlite3
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tanhung_cli import csv_records, scratch, signals, tabular
from tanhung_cli.csv_records import NoRecordEnd
from tanhung_cli.errors import FileProblem
from tanhung_cli.problems import Problem, pack
from tanhung_cli.table import Row, Table

# A problem as SQL values: (line, column, message key, parameters packed by `problems.pack`).
ProblemRow = tuple[int, str | None, str, bytes | None]
# Checked rows: their records as (line, *record), and their problems.
Checked = tuple[list[tuple[Any, ...]], list[ProblemRow]]
BLOCK_BYTES = 256 << 10  # ~2,500 member rows: what a worker holds at once stays small
MAX_WORKERS = 8  # their staging files are attached at once: SQLite attaches at most 10
PREFIX = "tanhung-import-"  # a staging folder: PREFIX, the importing process's id, "-", …
CHUNK_ROWS = 2000  # rows a chunk carries when the main process reads them itself


def rows_of(line: int, problems: Iterable[Problem]) -> list[ProblemRow]:
    """The problems of one line as SQL values."""
    return [(line, p.column, p.key, pack(p.params)) for p in problems]


@dataclass(frozen=True)
class Chunk:
    """Where one block's records and problems were staged."""

    db: str  # the staging file's schema name once attached
    lines: int  # records the block held (its lines count from 1); 0 when rows kept their lines
    open_quote: bool  # the block's last cell was left open (see `csv_records.Tally`)
    broken: bool  # the csv reader could not read one of its records
    rows: tuple[int, int]  # rowids in `staged`: first, last (none when first > last)
    problems: tuple[int, int]  # rowids in `problems`
    widest: int = 0  # the length of its longest record


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


_job: Job | None = None
_conn: sqlite3.Connection | None = None


def _staging_db() -> sqlite3.Connection:
    """This worker's staging file, opened on its first block."""
    global _conn
    assert _job is not None
    if _conn is None:
        _conn = sqlite3.connect(_job.folder / f"w{os.getpid()}.db", isolation_level=None)
        _conn.execute("PRAGMA journal_mode = OFF")  # a scratch file: nothing to roll back
        _conn.execute("PRAGMA synchronous = OFF")
        _conn.execute("CREATE TABLE problems (line INTEGER, col TEXT, key TEXT, params BLOB)")
    return _conn


def _stage(payload: bytes | list[Row]) -> Chunk:
    """In a worker: check one block (or chunk of rows) and stage what it found."""
    assert _job is not None
    tally = csv_records.Tally()
    if isinstance(payload, bytes):
        rows: Any = csv_records.block_rows(payload, _job.encoding, _job.separator, tally)
    else:
        rows = payload
    records, problems = _job.check(rows)
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
        f"w{os.getpid()}", tally.records, tally.open_quote, tally.broken, spans[0], spans[1], widest
    )


def _insert_sql(conn: sqlite3.Connection, length: int) -> str:
    """INSERT for rows of ``length`` values (the line, then the record's first values)."""
    assert _job is not None
    if not _job.width:
        _job.width = length - 1
    conn.execute(
        "CREATE TABLE IF NOT EXISTS staged"
        f" (line, {', '.join(f'r{i}' for i in range(max(_job.width, length - 1)))})"
    )
    columns = ", ".join(["line", *(f"r{i}" for i in range(length - 1))])
    return f"INSERT INTO staged ({columns}) VALUES ({', '.join('?' * length)})"


def _span(conn: sqlite3.Connection, table: str, count: int) -> tuple[int, int]:
    """The rowids of the ``count`` rows last inserted into ``table`` (first > last: none)."""
    if not count:
        return 1, 0
    last = conn.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0]
    return last - count + 1, last


def staged_rows(
    conn: sqlite3.Connection, db: str, first: int, last: int, shift: int, condition: str = ""
) -> list[tuple[Any, ...]]:
    """Staged rows ``first``…``last`` of ``db`` (attached) as ``(line, *record)``, the line
    shifted to the file's; ``condition``: more SQL for the WHERE clause."""
    rows = conn.execute(
        f"SELECT line + ?, * FROM {db}.staged WHERE rowid BETWEEN ? AND ? {condition}",
        (shift, first, last),
    )
    return [(row[0], *row[2:]) for row in rows]  # (less the line as the worker numbered it)


def row_chunks(rows: Iterator[Row]) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        # Plain tuples: a worker receives them three times faster than named ones.
        chunk.append(tuple(row))  # type: ignore[arg-type]
        if len(chunk) == CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class Staging:
    """The staged chunks of one file, in file order, and the files that hold them."""

    def __init__(self, folder: Path, chunks: list[Chunk], header_line: int) -> None:
        self.folder, self.chunks, self.header_line = folder, chunks, header_line

    def in_order(self) -> Iterator[tuple[Chunk, int]]:
        """Each chunk with what to add to its line numbers to get the file's."""
        shift = self.header_line
        for chunk in self.chunks:
            yield chunk, shift if chunk.lines else 0
            shift += chunk.lines

    def attach(self, conn: sqlite3.Connection) -> None:
        """Attach the staging files (outside any transaction, as SQLite requires)."""
        for name in sorted({c.db for c in self.chunks}):
            conn.execute("ATTACH DATABASE ? AS " + name, (str(self.folder / f"{name}.db"),))

    def detach(self, conn: sqlite3.Connection) -> None:
        attached = {row[1] for row in conn.execute("PRAGMA database_list")}
        for name in sorted({c.db for c in self.chunks} & attached):
            conn.execute("DETACH DATABASE " + name)

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def stage_file(
    table: Table,
    check: Callable[[list[Row]], Checked],
    workers: int,
    progress: Callable[[int, int | None], None] | None = None,
    width: int = 0,
) -> Staging:
    """Check every row of ``table`` in ``workers`` processes (fork) into staging files.

    ``width``: the longest record the check makes (0: records all have one length).
    """
    global _job
    try:
        folder = scratch.make(PREFIX)  # private (0700); a killed import's are swept first
    except OSError as exc:
        raise FileProblem("import.no_scratch", folder=tempfile.gettempdir(), reason=exc) from None
    try:
        _job = Job(check, table.encoding, table.separator or ",", folder, width)
        try:
            if table.data_start is not None:
                blocks = csv_records.blocks(table, BLOCK_BYTES)
                return Staging(
                    folder, _run(blocks, workers, table.size, progress), table.header_line
                )
        except NoRecordEnd:
            # Quotes the cutting cannot follow: the csv reader cuts the file into rows.
            for leftover in folder.iterdir():
                leftover.unlink()
            table = tabular.open_table(table.path, table.encoding)
        chunks = ((chunk, table.position()) for chunk in row_chunks(table.rows))
        return Staging(folder, _run(chunks, workers, table.size, progress), table.header_line)
    except NoScratch as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise FileProblem("import.no_scratch", folder=folder.parent, reason=exc) from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        _job = None


def _start_worker() -> None:
    # Ctrl-C and SIGTERM are for the main process, which stops the workers (no traceback
    # from each): `signals.stoppable` there, `signals.in_worker` here.
    signals.in_worker()
    # The collector passes over what a worker inherits (it never frees any of it), so its
    # collections stay short and the inherited pages stay shared.
    gc.freeze()


def _abandon(pool: Any) -> None:
    """Stopped (SIGTERM to every process, Ctrl-C): kill the workers and leave the pool.

    Pool.terminate takes the queues' locks first, and a worker ended by the same signal
    may hold one for ever: the import then hung instead of stopping (1 run in ~15). So the
    pool is told to stop replacing workers, they are killed, and its finaliser (the same
    terminate, at exit) is cancelled. Its threads are daemons; the process is ending.
    """
    from multiprocessing.pool import TERMINATE

    pool._state = TERMINATE
    pool._worker_handler._state = TERMINATE
    pool._worker_handler.join(timeout=1)
    for worker in pool._pool:
        worker.kill()
    for worker in pool._pool:
        worker.join(timeout=5)
    pool._terminate.cancel()


# How long Pool.terminate may wait for its workers to end on SIGTERM before they are killed.
TERMINATE_GRACE_S = 10.0


def _terminate(pool: Any) -> None:
    """Pool.terminate, bounded: it waits for each worker to end on SIGTERM, and a worker
    seen stuck on a lock it inherited at the fork never did (the suite hung in the join,
    twice in some thousands of imports). A watchdog kills what is still alive by then."""
    import threading

    def kill_the_rest() -> None:
        for worker in list(pool._pool):
            if worker.exitcode is None:
                worker.kill()

    watchdog = threading.Timer(TERMINATE_GRACE_S, kill_the_rest)
    watchdog.daemon = True
    watchdog.start()
    try:
        pool.terminate()
    finally:
        watchdog.cancel()


def _run(
    payloads: Iterator[tuple[Any, int]],
    workers: int,
    size: int,
    progress: Callable[[int, int | None], None] | None,
) -> list[Chunk]:
    """Hand ``payloads`` to the workers, a bounded queue ahead; their chunks in file order.

    A payload comes with how far into the file (of ``size`` bytes) it ends.
    """
    chunks: list[Chunk] = []
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_start_worker)
    try:
        pending: deque[Any] = deque()
        for payload, position in payloads:
            pending.append(pool.apply_async(_stage, (payload,)))
            while len(pending) > 2 * workers or (pending and pending[0].ready()):
                chunks.append(pending.popleft().get())
                if progress:
                    progress(position, size)
        while pending:
            chunks.append(pending.popleft().get())
    except signals.Stopped:
        _abandon(pool)
        raise
    finally:
        if pool._state == "RUN":  # type: ignore[attr-defined]
            _terminate(pool)
    if any(chunk.open_quote for chunk in chunks[:-1]) or any(c.broken for c in chunks):
        # A quote opened in one block and closed in another: the cut between them was not
        # between records, as far as the csv reader goes. Or a record it cannot read at
        # all, which only the whole file read in order can locate.
        raise NoRecordEnd
    if progress:
        progress(size, size)
    return chunks
