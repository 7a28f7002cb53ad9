"""A table as the importer reads it, whatever the file: its rows, and its header row."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from tanhung_cli.errors import FileProblem


@dataclass(frozen=True)
class HeaderTest:
    """How an import knows its header row below a workbook's title rows: the header keys
    (folded) of the columns it reads, the folding, and its required columns as a message
    names them."""

    names: frozenset[str]
    key: Callable[[str], str]
    required: str

    def score(self, cells: list[Any]) -> int:
        """How many of ``cells`` name a column of the import."""
        return sum(1 for c in cells if c is not None and self.key(str(c)) in self.names)


class Row(NamedTuple):
    line: int  # the row number Excel shows; the header is line 1
    cells: list[Any]
    problem: str | None = None  # message key: the line itself is unreadable


@dataclass
class Table:
    """An open table: its headers, then its rows one at a time."""

    path: Path
    encoding: str
    separator: str | None
    headers: list[str]
    rows: Iterator[Row]
    size: int
    position: Callable[[], int] = field(default=lambda: 0)
    header_line: int = 1
    # Where the rows start in the file, for a text file that `blocks` can cut (else None).
    data_start: int | None = None

    @property
    def name(self) -> str:
        return self.path.name


def read_header(table_rows: Iterator[Row], path: Path) -> tuple[list[str], int]:
    """The first row that says anything, as headers, and its line."""
    for row in table_rows:
        if any(str(c).strip() for c in row.cells if c is not None):
            if row.problem:
                raise FileProblem("import.bad_header", file=path.name)
            return [
                "" if c is None else unicodedata.normalize("NFC", str(c)).strip() for c in row.cells
            ], row.line
    raise FileProblem("import.empty_file", file=path.name)
