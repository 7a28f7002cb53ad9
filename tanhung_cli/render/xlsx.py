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
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import IO, Any

from tanhung_cli import scratch
from tanhung_cli import vietnamese as vn
from tanhung_cli.csvout import keep_quotes


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
    length would not do (a name, an address)."""
    from openpyxl import Workbook  # only when a workbook is written: it is slow to import

    texts, dates = set(text_columns), set(date_columns)
    with scratch.temporary_files_in(XLSX_SCRATCH):
        book = Workbook(write_only=True)
        ws = book.create_sheet(_sheet_name(sheet) or None)
        _lay_out(ws, headers, texts, dates, widths or {})
        return _write_rows(book, ws, out, headers, rows, texts, dates)


MAX_WIDTH = 50


def _sheet_name(name: str) -> str:
    """A name Excel accepts for a sheet: none of []:*?/\\, 31 characters at most."""
    for ch in "[]:*?/\\":
        name = name.replace(ch, " ")
    return " ".join(name.split())[:31].strip("' ")


def _lay_out(
    ws: Any, headers: Sequence[str], texts: set[int], dates: set[int], widths: dict[int, int]
) -> None:
    """Column widths and the frozen header, set before the first row (a streamed sheet
    writes them first)."""
    from openpyxl.utils import get_column_letter

    for i, head in enumerate(headers):
        least = 12 if i in dates else 14 if i in texts else 8
        width = widths.get(i) or max(least, len(str(head)) + 2)
        ws.column_dimensions[get_column_letter(i + 1)].width = min(width, MAX_WIDTH)
    ws.freeze_panes = "A2"


# openpyxl streams a sheet's rows through a temporary file (personal data): kept in a
# scratch folder of this kind, which the next workbook written sweeps if this one is killed.
XLSX_SCRATCH = "tanhung-xlsx-"


def _write_rows(
    book: Any,
    sheet: Any,
    out: IO[bytes],
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    texts: set[int],
    dates: set[int],
) -> int:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    try:
        bold = Font(bold=True)
        head = []
        for value in headers:
            cell = WriteOnlyCell(sheet, value=keep_quotes(value))
            cell.data_type, cell.font = "s", bold
            head.append(cell)
        sheet.append(head)
        count = 0
        for row in rows:
            cells = []
            for i, value in enumerate(row):
                cell = WriteOnlyCell(sheet, value=value)
                if i in dates and isinstance(value, str) and vn.is_partial(value):
                    # A year or month alone (old records) is text, as the clerk reads it.
                    cell.value, cell.data_type = vn.format_date(value), "s"
                    cell.number_format = "@"
                elif i in dates and isinstance(value, str) and value:
                    cell.value = dt.date.fromisoformat(value)
                    cell.number_format = "DD/MM/YYYY"
                elif isinstance(value, str):
                    cell.value = keep_quotes(value)
                    cell.data_type = "s"  # never a formula, whatever its first character
                    if i in texts:
                        cell.number_format = "@"
                cells.append(cell)
            sheet.append(cells)
            count += 1
        book.save(out)
    except BaseException:
        _abandon(sheet)
        raise
    return count


def _abandon(sheet: Any) -> None:
    """Close openpyxl's stream of rows after a failure (a full disk), and remove its
    temporary file now: left to the garbage collector, it prints a traceback."""
    writer = getattr(sheet, "_writer", None)
    if writer is not None:
        with contextlib.suppress(Exception):
            writer.close()
        with contextlib.suppress(Exception):
            writer.cleanup()
