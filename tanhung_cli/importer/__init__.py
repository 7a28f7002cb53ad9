"""Rows of a file → validated records → one atomic write: the machinery every `import` shares.

An import names a :class:`Target` (members, branches, …): its columns, how one row is
validated, how valid rows are staged and finally written. This module reads the file
(``tabular``), maps its headers, validates every row (in worker processes for large
files), collects every problem as ``FILE:LINE: column: problem``, and then writes all
or nothing, the valid rows only (``skip_invalid``), or nothing at all (``dry_run``).
Problems wait in a temporary table, so memory does not grow with the file. A large file is
checked on every core before the write lock is taken (see `staging`).
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import operator
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any, Protocol

from tanhung_cli import history
from tanhung_cli import vietnamese as vn
from tanhung_cli.columns import Column
from tanhung_cli.db import bulk_load
from tanhung_cli.errors import FileProblem, Invalid
from tanhung_cli.history import write_transaction
from tanhung_cli.i18n import t
from tanhung_cli.importer import staging
from tanhung_cli.importer.rejects import write_rejects
from tanhung_cli.outfile import Guard
from tanhung_cli.problems import Problem, located, pack, unpack
from tanhung_cli.table import Row, Table
from tanhung_cli.tabular import open_table

PARALLEL_BYTES = 4 << 20  # files smaller than this are checked in this process
LARGE_BYTES = 4 << 20  # files this large are worth a bulk load's tricks (dropped indexes)
CACHE_KIB = 24 * 1024  # page cache for an import that keeps indexes (the default spills)

Problems = list[Problem]  # each with its column


@dataclass
class Options:
    dry_run: bool = False
    skip_invalid: bool = False
    update: bool = False
    rejects: Path | None = None
    encoding: str | None = None
    keep_case: bool = False  # member names in capitals throughout stored as typed
    rejects_guard: Guard | None = None  # what the rejects file may not overwrite
    large: bool = False  # set by run_import for files worth bulk-loading tricks
    # Where the rows' problems go as data (`--format json`); by default, to `report` as lines.
    found: Callable[[Problem], None] | None = None


@dataclass
class Summary:
    file: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    problems: int = 0
    seconds: float = 0.0
    dry_run: bool = False
    rejects_written: int = 0


class ImportRefused(Invalid):
    """The file has invalid rows and the import wrote nothing."""

    key = "import.refused"

    def __init__(self, summary: Summary) -> None:
        super().__init__(file=summary.file, rows=summary.rejected, problems=summary.problems)
        self.summary = summary


class Target(Protocol):
    """What one kind of import (members, branches, …) brings to the machinery."""

    file: str  # the file's name, set by run_import

    @property
    def entity(self) -> str: ...  # the audit trail's entity: "member", "branch", …
    @property
    def columns(self) -> Sequence[Column]: ...
    @property
    def ignored(self) -> Sequence[str]: ...  # headers read without complaint and without use

    def begin(self, conn: sqlite3.Connection, options: Options, sink: ProblemSink) -> None: ...
    # A record is a tuple of SQL values: large files stage records in SQLite (`staging`).
    # Optional: `record_width` (the longest record, when usual ones are shorter),
    # `loads_in_bulk(conn, options)` (before the lock: a bulk load, see `db.bulk_load`),
    # `copy_staged(conn, chunk, shift)` (copy a staged chunk by SQL; False: stage rows).
    def validate(self, raw: dict[str, Any]) -> tuple[tuple[Any, ...] | None, Problems]: ...
    def stage(self, conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None: ...
    def finish(self, conn: sqlite3.Connection) -> Summary: ...
    def write(self, conn: sqlite3.Connection, change: history.Change) -> None: ...


def header_key(text: str) -> str:
    """Headers compare folded: any case, with or without diacritics, _ or - as a space."""
    return " ".join(vn.fold(text).replace("_", " ").replace("-", " ").split())


@dataclass
class HeaderMap:
    index: list[tuple[int, str]]  # (position in the row, column name)
    labels: dict[str, str]  # column name → the header as the file writes it
    unknown: list[str]
    width: int


def map_headers(
    headers: Sequence[str], columns: Sequence[Column], file: str, ignored: Iterable[str] = ()
) -> HeaderMap:
    """Which cell holds which column; refuse a file missing a required column."""
    known = {}
    for column in columns:
        for spelling in (column.name, column.vi, *column.also):
            known[header_key(spelling)] = column.name
    skip = {header_key(h) for h in ignored}
    index, labels, unknown = [], {}, []
    for position, header in enumerate(headers):
        key = header_key(header)
        name = known.get(key)
        if name is None:
            if key and key not in skip:
                unknown.append(header)
            continue
        if name in labels:
            raise FileProblem("import.duplicate_column", file=file, column=header)
        index.append((position, name))
        labels[name] = header
    missing = [f"{c.name} ({c.vi})" for c in columns if c.required and c.name not in labels]
    if missing:
        raise FileProblem("import.missing_columns", file=file, columns=", ".join(missing))
    return HeaderMap(index, labels, unknown, len(headers))


class ProblemSink:
    """Every problem found, in a temporary table, as data: key, parameters, line, column."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        conn.execute("DROP TABLE IF EXISTS temp.import_problems")
        conn.execute(
            "CREATE TEMP TABLE import_problems"
            " (line INTEGER, col TEXT, key TEXT NOT NULL, params BLOB)"
        )
        self.count = 0

    def add(self, line: int, column: str | None, key: str, **params: Any) -> None:
        """A problem of ``line``: the message ``key`` of the catalogue and its parameters."""
        self.conn.execute(
            "INSERT INTO import_problems VALUES (?, ?, ?, ?)", (line, column, key, pack(params))
        )
        self.count += 1

    def add_problems(self, line: int, problems: Iterable[Problem]) -> None:
        self.add_many(staging.rows_of(line, problems))

    def add_many(self, rows: list[staging.ProblemRow]) -> None:
        self.conn.executemany("INSERT INTO import_problems VALUES (?, ?, ?, ?)", rows)
        self.count += len(rows)

    def copy(self, chunk: staging.Chunk, shift: int) -> None:
        """The problems a worker staged for ``chunk``, its lines shifted to the file's."""
        first, last = chunk.problems
        if first <= last:
            self.conn.execute(
                "INSERT INTO import_problems SELECT line + ?, col, key, params"
                f" FROM {chunk.db}.problems WHERE rowid BETWEEN ? AND ? ORDER BY rowid",
                (shift, first, last),
            )
            self.count += last - first + 1

    def rejected_lines(self) -> int:
        return int(
            self.conn.execute("SELECT count(DISTINCT line) FROM import_problems").fetchone()[0]
        )

    def problems(self, file: str | None = None) -> Iterator[Problem]:
        """Every problem found, in line order."""
        rows = self.conn.execute(
            "SELECT line, col, key, params FROM import_problems ORDER BY line, rowid"
        )
        for line, column, key, params in rows:
            yield Problem(key, unpack(params), column, line, file=file)

    def located(self, file: str, labels: dict[str, str]) -> Iterator[str]:
        """Every problem as `FILE:LINE: column: problem`, in line order."""
        for problem in self.problems(file):
            yield located(problem, label=labels.get(problem.column or ""))

    def reasons(self, labels: dict[str, str]) -> Iterator[tuple[int, str]]:
        """(line, its problems joined) in line order, for a rejects file."""
        for line, group in groupby(self.problems(), key=lambda problem: problem.line or 0):
            yield line, "; ".join(located(p, label=labels.get(p.column or "")) for p in group)


def check_rows(rows: Iterable[Row], target: Target, headers: HeaderMap) -> staging.Checked:
    """The rows checked: their records as ``(line, *record)``, and every problem found."""
    records: list[tuple[Any, ...]] = []
    problems: list[staging.ProblemRow] = []
    width, index, validate = headers.width, headers.index, target.validate
    names = [name for _, name in index]
    positions = [i for i, _ in index]
    if len(positions) > 1:
        pick: Callable[[list[Any]], Iterable[Any]] = operator.itemgetter(*positions)
    else:  # itemgetter of one position returns the cell, not a tuple
        pick = lambda cells: [cells[i] for i in positions]  # noqa: E731
    for line, cells, problem in rows:
        if problem:
            problems.append((line, None, problem, None))
            continue
        size = len(cells)
        if size > width and any(c is not None and str(c).strip() for c in cells[width:]):
            params = {"got": size, "want": width}
            problems.append((line, None, "import.too_many_fields", pack(params)))
            continue
        if size >= width:
            raw = dict(zip(names, pick(cells), strict=True))
        else:
            raw = {name: cells[i] if i < size else None for i, name in index}
        record, found = validate(raw)
        if record is not None:
            records.append((line, *record))
        if found:
            problems.extend(staging.rows_of(line, found))
    return records, problems


def _never(conn: sqlite3.Connection, options: Options) -> bool:
    return False


def _workers(table: Table) -> int:
    """How many processes check a file: every core for a large one (where fork exists)."""
    if table.size < PARALLEL_BYTES or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    cores = os.cpu_count() or 1
    # Each worker's staging file is attached for the write: SQLite attaches at most 10.
    return min(cores, staging.MAX_WORKERS) if cores > 1 else 0


def _stage_staged(
    conn: sqlite3.Connection, target: Target, chunk: staging.Chunk, shift: int
) -> None:
    """Hand a staged chunk's records to the target: copied by SQLite if it can, else as rows."""
    first, last = chunk.rows
    if first > last:
        return
    copy = getattr(target, "copy_staged", None)
    if copy is None or not copy(conn, chunk, shift):
        target.stage(conn, staging.staged_rows(conn, chunk.db, first, last, shift))


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
    table = open_table(path, options.encoding)
    headers = map_headers(table.headers, target.columns, table.name, target.ignored)
    target.file = table.name
    options.large = table.size >= LARGE_BYTES
    for header in headers.unknown:
        report(t("import.unknown_column", file=table.name, column=header))
    check = functools.partial(check_rows, target=target, headers=headers)
    workers = _workers(table)
    width = getattr(target, "record_width", 0)
    staged = staging.stage_file(table, check, workers, progress, width) if workers else None
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
    check: Callable[[list[Row]], staging.Checked],
    staged: staging.Staging | None,
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
