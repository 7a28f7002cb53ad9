"""Rows as the first sheet of an xlsx workbook: text stays text, ISO dates become dates.

The sheet is named, its header row bold and frozen, its columns as wide as their header
and kind say (rows are streamed, never all held: a million rows stay memory-flat, so the
widths are set before any row is read).

A text cell is never a formula, whatever its first character; a value that starts with
a quote before a formula character keeps it by one more (``csvout.keep_quotes``), as
imports take one away.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from tanhung_cli import scratch
from tanhung_cli.render.xlsx_stream import write_sheet


def write_xlsx(
    out: IO[bytes],
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    text_columns: Iterable[int] = (),
    date_columns: Iterable[int] = (),
    *,
    sheet: str = "",
    widths: dict[int, int] | None = None,
) -> int:
    """Rows as the first sheet of a workbook (named ``sheet``): text stays text, ISO dates
    become date cells. ``widths``: a column's width by its position, where the header's
    length would not do (a name, an address). More rows than a sheet holds are refused
    (`xlsx_stream.TooManyRows`): the caller's file is then never given its name."""
    texts, dates = set(text_columns), set(date_columns)
    # openpyxl's reports stream through scratch folders: sweep those of killed processes.
    scratch.sweep(Path(tempfile.gettempdir()), XLSX_SCRATCH)
    return write_sheet(
        out,
        headers,
        rows,
        texts,
        dates,
        _sheet_name(sheet) or "Sheet",
        _widths(headers, texts, dates, widths or {}),
    )


MAX_WIDTH = 50


def _sheet_name(name: str) -> str:
    """A name Excel accepts for a sheet: none of []:*?/\\, 31 characters at most."""
    for ch in "[]:*?/\\":
        name = name.replace(ch, " ")
    return " ".join(name.split())[:31].strip("' ")


def _widths(
    headers: Sequence[str], texts: set[int], dates: set[int], widths: dict[int, int]
) -> list[int]:
    """Each column's width: as wide as its header and kind say (rows are streamed, never
    all held, so the widths are set before any row is read)."""
    out = []
    for i, head in enumerate(headers):
        least = 12 if i in dates else 14 if i in texts else 8
        out.append(min(widths.get(i) or max(least, len(str(head)) + 2), MAX_WIDTH))
    return out


# openpyxl streams a sheet's rows through a temporary file (personal data): kept in a
# scratch folder of this kind, which the next workbook written sweeps if this one is killed.
XLSX_SCRATCH = "tanhung-xlsx-"


def _abandon(sheet: Any) -> None:
    """Close openpyxl's stream of rows after a failure (a full disk), and remove its
    temporary file now: left to the garbage collector, it prints a traceback."""
    writer = getattr(sheet, "_writer", None)
    if writer is not None:
        with contextlib.suppress(Exception):
            writer.close()
        with contextlib.suppress(Exception):
            writer.cleanup()
