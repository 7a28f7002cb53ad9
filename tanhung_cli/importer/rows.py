"""A file's rows to a target's records: its headers mapped to the target's columns, then
each row's cells validated by the target, its problems kept with their line."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tanhung_cli import vietnamese as vn
from tanhung_cli.columns import Column
from tanhung_cli.errors import FileProblem
from tanhung_cli.importer import staged
from tanhung_cli.importer.target import Target
from tanhung_cli.problems import pack
from tanhung_cli.table import HeaderTest, Row


def header_key(text: str) -> str:
    """Headers compare folded: any case, with or without diacritics, _ or - as a space."""
    return " ".join(vn.fold(text).replace("_", " ").replace("-", " ").split())


@dataclass
class HeaderMap:
    index: list[tuple[int, str]]  # (position in the row, column name)
    labels: dict[str, str]  # column name → the header as the file writes it
    unknown: list[str]
    width: int


def header_test(columns: Sequence[Column]) -> HeaderTest:
    """How a workbook's header row is told from the title rows above it."""
    names = {header_key(s) for c in columns for s in (c.name, c.vi, *c.also)}
    required = ", ".join(c.vi for c in columns if c.required) or ", ".join(
        c.vi for c in columns[:4]
    )
    return HeaderTest(frozenset(names), header_key, required)


def map_headers(
    headers: Sequence[str],
    columns: Sequence[Column],
    file: str,
    ignored: Iterable[str] = (),
    line: int = 1,
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
        raise FileProblem(
            "import.missing_columns", file=file, columns=", ".join(missing), line=line
        )
    return HeaderMap(index, labels, unknown, len(headers))


def check_rows(rows: Iterable[Row], target: Target, headers: HeaderMap) -> staged.Checked:
    """The rows checked: their records as ``(line, *record)``, and every problem found."""
    records: list[tuple[Any, ...]] = []
    problems: list[staged.ProblemRow] = []
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
            problems.extend(staged.rows_of(line, found))
    return records, problems
