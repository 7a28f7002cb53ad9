"""Member lists out to the files clerks hand to Excel: CSV (UTF-8 with BOM), XLSX and JSON.

A cell that a spreadsheet would run as a formula gets a quote in front in CSV
(``csvout``), and is stored as plain text in XLSX; imports take the quote away again, so
export → import → export gives the same file. The caller opens the file (``outfile``).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from typing import IO, Any

from tanhung_cli import member_lists
from tanhung_cli.columns import COLUMN_BY_NAME, MEMBER_COLUMNS, MEMBER_DATES, header
from tanhung_cli.csvout import neutralise, write_csv
from tanhung_cli.export_rows import export_rows
from tanhung_cli.i18n import t
from tanhung_cli.render.writers import to_json
from tanhung_cli.render.xlsx import XLSX_SCRATCH, write_xlsx
from tanhung_cli.render.xlsx_stream import SHEET_ROWS, TooManyRows
from tanhung_cli.vocab import vocabulary

__all__ = [
    "neutralise",
    "write_csv",
    "write_xlsx",
    "XLSX_SCRATCH",
    "export_members",
    "export_headers",
]

FORMATS = ("csv", "xlsx", "json")
EXPORT_COLUMNS = (*(c.name for c in MEMBER_COLUMNS), "status")
# Numbers that are text: Excel must not strip their leading zeros.
TEXT_COLUMNS = frozenset(c.name for c in MEMBER_COLUMNS if c.kind in ("digits", "file_no"))
DATE_COLUMNS = MEMBER_DATES
# Columns wider than their header in a workbook, by kind: a name, a branch, an address.
WIDTHS = {"name": 26, "given": 14, "branch": 24, "text": 30, "reason": 30}


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


def export_members(
    conn: sqlite3.Connection,
    filters: member_lists.Filters,
    as_of: dt.date,
    fmt: str,
    headers: str,
    out: IO[Any],
) -> Counter[str]:
    """Write the selected members to ``out``: a binary stream for xlsx, else a text one.
    Returns how many of each status were written (the clerk is told who is not counted)."""
    # One member at a time (issue #17: a national roll is never held in memory).
    written: Counter[str] = Counter()
    if fmt == "json":  # the contract's keys and status codes, whatever the headers
        records = member_lists.iter_members(conn, filters, as_of)
        # The file's columns, as in CSV and xlsx (lists also say whether exempt or away).
        listed = [{c: r.get(c) for c in EXPORT_COLUMNS} for r in records]
        written.update(str(r["status"]) for r in listed)
        to_json(listed, out)
        return written
    # A Vietnamese sheet says "Chính thức", as its other columns say "Nam" and "Kinh".
    words = vocabulary("status")
    statuses = {code: words.label(code, "vi") for code in words.codes()}
    rows = export_rows(
        conn, filters, as_of, EXPORT_COLUMNS, written, statuses if headers == "vi" else None
    )
    head = export_headers(headers)
    if fmt == "xlsx":
        _fits_a_sheet(conn, filters, as_of)
        positions = {name: i for i, name in enumerate(EXPORT_COLUMNS)}
        write_xlsx(
            out,
            head,
            rows,
            text_columns=[positions[c] for c in TEXT_COLUMNS],
            date_columns=[positions[c] for c in DATE_COLUMNS],
            sheet=t("excel.sheet.members", lang="vi" if headers == "vi" else "en"),
            widths={positions[c.name]: WIDTHS[c.kind] for c in MEMBER_COLUMNS if c.kind in WIDTHS},
        )
    else:
        write_csv(out, head, rows)
    return written


def _fits_a_sheet(conn: sqlite3.Connection, filters: member_lists.Filters, as_of: dt.date) -> None:
    """Refuse, before anything is written, a list longer than a sheet holds (a national
    roll): the clerk exports a branch at a time, or to csv (issue #17)."""
    sql, params = member_lists.members_sql(filters, as_of, "count(*) FROM members m")
    if conn.execute(sql, params).fetchone()[0] >= SHEET_ROWS:
        raise TooManyRows(limit=SHEET_ROWS - 1)
