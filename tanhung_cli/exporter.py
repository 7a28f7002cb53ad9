"""Member lists out to the files clerks hand to Excel: CSV (UTF-8 with BOM), XLSX and JSON.

A cell that a spreadsheet would run as a formula gets a quote in front in CSV
(``csvout``), and is stored as plain text in XLSX; imports take the quote away again, so
export → import → export gives the same file. The caller opens the file (``outfile``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import IO, Any

from tanhung_cli import member_lists, scratch
from tanhung_cli.columns import COLUMN_BY_NAME, MEMBER_COLUMNS, MEMBER_DATES, header
from tanhung_cli.csvout import keep_quotes, neutralise, write_csv
from tanhung_cli.i18n import t
from tanhung_cli.vocab import vocabulary

__all__ = ["neutralise", "write_csv", "write_xlsx", "export_members", "export_headers"]

FORMATS = ("csv", "xlsx", "json")
EXPORT_COLUMNS = (*(c.name for c in MEMBER_COLUMNS), "status")
# Numbers that are text: Excel must not strip their leading zeros.
TEXT_COLUMNS = frozenset(c.name for c in MEMBER_COLUMNS if c.kind in ("digits", "file_no"))
DATE_COLUMNS = MEMBER_DATES


def export_headers(lang: str) -> list[str]:
    """The header row of a member file: column names (en) or the Vietnamese headers (vi)."""
    if lang != "vi":
        return list(EXPORT_COLUMNS)
    return [
        header(COLUMN_BY_NAME[name], "vi")
        if name in COLUMN_BY_NAME
        else t("column." + name, lang="vi")
        for name in EXPORT_COLUMNS
    ]


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
                if i in dates and isinstance(value, str) and value:
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


def export_members(
    conn: sqlite3.Connection,
    filters: member_lists.Filters,
    as_of: dt.date,
    fmt: str,
    headers: str,
    out: IO[Any],
) -> int:
    """Write the selected members to ``out``: a binary stream for xlsx, else a text one."""
    records = member_lists.list_members(conn, filters, as_of)
    if fmt == "json":  # the contract's keys and status codes, whatever the headers
        # The file's columns, as in CSV and xlsx (lists also say whether exempt or away).
        records = [{c: r.get(c) for c in EXPORT_COLUMNS} for r in records]
        out.write(json.dumps(records, ensure_ascii=False, indent=2, default=str) + "\n")
        return len(records)
    if headers == "vi":
        # A Vietnamese sheet says "Chính thức", as its other columns say "Nam" and "Kinh".
        statuses = vocabulary("status")
        for r in records:
            r["status"] = statuses.label(r["status"], "vi")
    rows = ([r.get(c) for c in EXPORT_COLUMNS] for r in records)
    head = export_headers(headers)
    if fmt == "xlsx":
        positions = {name: i for i, name in enumerate(EXPORT_COLUMNS)}
        return write_xlsx(
            out,
            head,
            rows,
            text_columns=[positions[c] for c in TEXT_COLUMNS],
            date_columns=[positions[c] for c in DATE_COLUMNS],
        )
    return write_csv(out, head, rows)
