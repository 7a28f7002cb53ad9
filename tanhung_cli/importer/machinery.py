"""`run_import`: a file checked (here, or on every core for a large one, see `staging`),
then written all or nothing in one write transaction, the valid rows only
(``skip_invalid``), or nothing at all (``dry_run``)."""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from tanhung_cli import ethnic_codes, history
from tanhung_cli.db import bulk_load
from tanhung_cli.history import write_transaction
from tanhung_cli.i18n import t
from tanhung_cli.importer import pool, staging
from tanhung_cli.importer.problem_sink import ProblemSink
from tanhung_cli.importer.rejects import write_rejects
from tanhung_cli.importer.rows import HeaderMap, check_rows, header_test, map_headers
from tanhung_cli.importer.staged import Checked, Chunk, Staging, staged_rows
from tanhung_cli.importer.target import ImportRefused, Options, Summary, Target
from tanhung_cli.table import Row, Table
from tanhung_cli.tabular import open_table

PARALLEL_BYTES = 4 << 20  # files smaller than this are checked in this process
LARGE_BYTES = 4 << 20  # files this large are worth a bulk load's tricks (dropped indexes)
CACHE_KIB = 24 * 1024  # page cache for an import that keeps indexes (the default spills)


def _never(conn: sqlite3.Connection, options: Options) -> bool:
    return False


def _workers(table: Table) -> int:
    """How many processes check a file: every core for a large one (where fork exists)."""
    if table.size < PARALLEL_BYTES or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    cores = os.cpu_count() or 1
    # Each worker's staging file is attached for the write: SQLite attaches at most 10.
    return min(cores, staging.MAX_WORKERS) if cores > 1 else 0


def _stage_staged(conn: sqlite3.Connection, target: Target, chunk: Chunk, shift: int) -> None:
    """Hand a staged chunk's records to the target: copied by SQLite if it can, else as rows."""
    first, last = chunk.rows
    if first > last:
        return
    copy = getattr(target, "copy_staged", None)
    if copy is None or not copy(conn, chunk, shift):
        target.stage(conn, staged_rows(conn, chunk.db, first, last, shift))


class _Rollback(Exception):
    """Leave the write transaction without writing (a dry run)."""


def run_import(
    conn: sqlite3.Connection,
    path: Path,
    target: Target,
    options: Options,
    report: Callable[[str], None],
    progress: Callable[[int, int | None], None] | None = None,
) -> Summary:
    """Import ``path`` into the registry; every problem goes to ``report`` as one line.

    ``progress(done, total)`` follows the bytes read; ``progress(0, None)`` says a large
    file's checked rows are now being written, which has no measure.
    """
    start = time.perf_counter()
    reading = header_test(target.columns)
    table = open_table(path, options.encoding, options.sheet, reading)
    headers = map_headers(
        table.headers, target.columns, table.name, target.ignored, table.header_line
    )
    target.file = table.name
    options.large = table.size >= LARGE_BYTES
    for header in headers.unknown:
        report(t("import.unknown_column", file=table.name, column=header))
    check = functools.partial(check_rows, target=target, headers=headers)
    workers = _workers(table)
    width = getattr(target, "record_width", 0)
    staged = None
    if workers:
        try:
            staged = staging.stage_file(table, check, workers, progress, width)
        except pool.WorkersStuck:
            report(t("import.workers_stuck", seconds=int(pool.STUCK_S)))
            # read again, from the start
            table = open_table(path, options.encoding, options.sheet, reading)
    cache, summary = None, None
    try:
        cache = conn.execute("PRAGMA cache_size").fetchone()[0]
        if staged:
            staged.attach(conn)
        bulk = getattr(target, "loads_in_bulk", _never)(conn, options)
        if not bulk:  # indexes kept up row by row: a larger cache keeps them from spilling
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        # Indexes built in one go sort on every core, and sort faster with the default
        # cache (several short sorted runs in parallel, not one long one).
        conn.execute(f"PRAGMA threads = {os.cpu_count() or 1}")
        # A dry run writes nothing to keep: it stays in WAL, readers reading on.
        with bulk_load(conn) if bulk and not options.dry_run else contextlib.nullcontext():
            summary = _write(
                conn, table, headers, target, options, report, progress, check, staged, start
            )
    finally:
        # Stopped half-way (SIGTERM), a read of a staging file may still be open, its cursor
        # held by the traceback: SQLite will not detach that file ("locked"), and saying so
        # must not hide why the import stopped. The files are removed all the same.
        tidy = contextlib.suppress(sqlite3.Error) if summary is None else contextlib.nullcontext()
        try:
            with tidy:
                if cache is not None:
                    conn.execute(f"PRAGMA cache_size = {cache}")
                conn.execute("PRAGMA threads = 0")
                if staged:
                    staged.detach(conn)
        finally:
            if staged:
                staged.remove()
    summary.seconds = time.perf_counter() - start
    return summary


def _write(
    conn: sqlite3.Connection,
    table: Table,
    headers: HeaderMap,
    target: Target,
    options: Options,
    report: Callable[[str], None],
    progress: Callable[[int, int | None], None] | None,
    check: Callable[[list[Row]], Checked],
    staged: Staging | None,
    start: float,
) -> Summary:
    """All or nothing: stage every record, then write, refuse, or (dry run) roll back."""
    try:
        with write_transaction(conn):
            sink = ProblemSink(conn)
            target.begin(conn, options, sink)
            if staged:
                if progress:
                    progress(0, None)
                for chunk, shift in staged.in_order():
                    if chunk.ethnic_numbers:  # what the import tells after its summary
                        ethnic_codes.note_met()
                    sink.copy(chunk, shift)
                    _stage_staged(conn, target, chunk, shift)
            else:
                for rows in staging.row_chunks(table.rows):
                    records, problems = check(rows)
                    if problems:
                        sink.add_many(problems)
                    target.stage(conn, records)
                    if progress:
                        progress(table.position(), table.size)
            summary = target.finish(conn)
            summary.file, summary.dry_run = table.name, options.dry_run
            summary.problems, summary.rejected = sink.count, sink.rejected_lines()
            if options.found is not None:
                for problem in sink.problems(table.name):
                    options.found(problem)
            else:
                for message in sink.located(table.name, headers.labels):
                    report(message)
            if options.rejects and summary.rejected:
                summary.rejects_written = write_rejects(
                    options.rejects,
                    table.path,
                    options.encoding,
                    sink.reasons(headers.labels),
                    options.rejects_guard,
                    options.sheet,
                    header_test(target.columns),
                )
            summary.seconds = time.perf_counter() - start
            if summary.problems and not options.skip_invalid:
                raise ImportRefused(summary)
            if options.dry_run:
                raise _Rollback
            detail = {
                "file": table.name,
                "added": summary.added,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
                "rejected": summary.rejected,
            }
            target.write(conn, history.record(conn, "import", target.entity, None, detail))
    except _Rollback:
        pass
    return summary
