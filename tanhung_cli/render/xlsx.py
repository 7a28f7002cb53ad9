"""Rows as the first sheet of an xlsx workbook: text stays text, ISO dates become dates.

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
) -> int:
    """Rows as the first sheet of a workbook: text stays text, ISO dates become date cells."""
    from openpyxl import Workbook  # only when a workbook is written: it is slow to import

    with scratch.temporary_files_in(XLSX_SCRATCH):
        return _write_rows(
            Workbook(write_only=True), out, headers, rows, text_columns, date_columns
        )


# openpyxl streams a sheet's rows through a temporary file (personal data): kept in a
# scratch folder of this kind, which the next workbook written sweeps if this one is killed.
XLSX_SCRATCH = "tanhung-xlsx-"


def _write_rows(
    book: Any,
    out: IO[bytes],
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    text_columns: Iterable[int],
    date_columns: Iterable[int],
) -> int:
    from openpyxl.cell import WriteOnlyCell

    sheet = book.create_sheet()
    try:
        sheet.append(list(headers))
        texts, dates = set(text_columns), set(date_columns)
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
