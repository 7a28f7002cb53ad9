"""What one kind of import brings to the machinery (`Target`), what it is told (`Options`)
and what it reports (`Summary`); an import refused as a whole (`ImportRefused`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from tanhung_cli import history
from tanhung_cli.columns import Column
from tanhung_cli.errors import Invalid
from tanhung_cli.importer.problem_sink import ProblemSink
from tanhung_cli.outfile import Guard
from tanhung_cli.problems import Problem

Problems = list[Problem]  # each with its column


@dataclass
class Options:
    dry_run: bool = False
    skip_invalid: bool = False
    update: bool = False
    rejects: Path | None = None
    encoding: str | None = None
    keep_case: bool = False  # member names in capitals throughout stored as typed
    ethnic_codes: str = "2008"  # the table of bare ethnic code numbers (`ethnic_codes`)
    rejects_guard: Guard | None = None  # what the rejects file may not overwrite
    large: bool = False  # set by run_import for files worth bulk-loading tricks
    # Where the rows' problems go as data (`--format json`); by default, to `report` as lines.
    found: Callable[[Problem], None] | None = None
    sheet: str | None = None  # a workbook's sheet, by name or number (--sheet)


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
