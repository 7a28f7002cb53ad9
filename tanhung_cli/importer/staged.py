"""What the workers staged, as the main process reads it back: where each block's records
and problems are (`Chunk`), the staging files attached in file order (`Staging`), and
checked rows as SQL values (a record is a tuple of None, int, float, str, bytes)."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tanhung_cli.problems import Problem, pack

# A problem as SQL values: (line, column, message key, parameters packed by `problems.pack`).
ProblemRow = tuple[int, str | None, str, bytes | None]
# Checked rows: their records as (line, *record), and their problems.
Checked = tuple[list[tuple[Any, ...]], list[ProblemRow]]


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
    ethnic_numbers: bool = False  # the worker read a bare ethnic code (`ethnic_codes`)


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
