"""Turn plain report data into terminal tables, CSV or JSON. No queries here."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO


def to_json(data: Any, out: TextIO | None = None) -> None:
    """One JSON document on stdout: dates ISO, text as it is (NFC)."""
    out = out or sys.stdout
    json.dump(data, out, ensure_ascii=False, indent=2, default=str)
    out.write("\n")


def to_csv(
    rows: Iterable[dict[str, Any]], columns: Sequence[str], out: TextIO | None = None
) -> None:
    out = out or sys.stdout
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])


def table(
    rows: Sequence[Sequence[Any]],
    headers: Sequence[str],
    *,
    title: str | None = None,
    caption: str | None = None,
    justify: Sequence[str] | None = None,
) -> None:
    """A rich table on the terminal."""
    from rich.console import Console
    from rich.table import Table

    grid = Table(title=title, caption=caption, header_style="bold", show_lines=False)
    for i, head in enumerate(headers):
        grid.add_column(head, justify=(justify[i] if justify else "left"), overflow="fold")  # type: ignore[arg-type]
    for row in rows:
        grid.add_row(*("" if cell is None else str(cell) for cell in row))
    Console().print(grid)


def csv_text(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    to_csv(rows, columns, buf)
    return buf.getvalue()
