"""Every problem an import finds, kept as data in a temporary table (memory does not grow
with the file), then worded in line order: located lines, a rejects file's reasons."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import Any

from tanhung_cli.importer import staged
from tanhung_cli.problems import Problem, located, pack, unpack


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
        self.add_many(staged.rows_of(line, problems))

    def add_many(self, rows: list[staged.ProblemRow]) -> None:
        self.conn.executemany("INSERT INTO import_problems VALUES (?, ?, ?, ?)", rows)
        self.count += len(rows)

    def copy(self, chunk: staged.Chunk, shift: int) -> None:
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
