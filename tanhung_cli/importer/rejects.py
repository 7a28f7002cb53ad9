"""The rejects file: the rows an import refused, in the input's own columns plus the reason.

The reason comes first, where the clerk sees it, and the row's cells follow as they were
(a row with too many cells keeps them, and is still refused until fixed). The clerk fixes
the rows and imports the file again; the reason column is ignored then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tanhung_cli.csvout import write_csv
from tanhung_cli.i18n import t
from tanhung_cli.outfile import Guard
from tanhung_cli.render.xlsx import write_xlsx
from tanhung_cli.table import HeaderTest, Table
from tanhung_cli.tabular import open_table
from tanhung_cli.vietnamese import fold, format_date

REASON_HEADERS = ("reason", "Lý do bị từ chối")


def _cell(value: Any) -> Any:
    """A workbook's date cell as the clerk typed it: dd/mm/yyyy."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return format_date(value, "vi") if isinstance(value, dt.date) else value


def _rows(
    table: Table, reasons: Iterator[tuple[int, str]], dropped: set[int]
) -> Iterator[list[Any]]:
    """The rows whose line has a reason, read again in step with the reasons."""
    wanted = next(reasons, None)
    for row in table.rows:
        while wanted is not None and wanted[0] < row.line:
            wanted = next(reasons, None)
        if wanted is None:
            break
        if wanted[0] == row.line:
            yield [wanted[1], *(_cell(c) for i, c in enumerate(row.cells) if i not in dropped)]


def write_rejects(
    target: Path,
    source: Path,
    encoding: str | None,
    reasons: Iterator[tuple[int, str]],
    guard: Guard | None = None,
    sheet: str | None = None,
    header: HeaderTest | None = None,
) -> int:
    """Write the rejected rows of ``source`` to ``target`` (.xlsx, else CSV with BOM).

    Never over ``source`` itself (the clerk's "fix the rejects, import them again" loop),
    nor over an existing file unless the guard says ``force``."""
    where = (guard or Guard()).reading(source)
    where.refuse(target)
    table = open_table(source, encoding, sheet, header)
    # A rejects file imported again: its old reasons give way to the new ones.
    old = {fold(h) for h in REASON_HEADERS}
    dropped = {i for i, h in enumerate(table.headers) if fold(h) in old}
    kept = [h for i, h in enumerate(table.headers) if i not in dropped]
    head = [t("import.reason_header"), *kept]
    rows = _rows(table, reasons, dropped)
    if target.suffix.lower() == ".xlsx":
        with where.open(target, binary=True) as out:
            return write_xlsx(out, head, rows, text_columns=range(1, len(head)))
    with where.open(target, encoding="utf-8-sig") as fh:
        return write_csv(fh, head, rows)
