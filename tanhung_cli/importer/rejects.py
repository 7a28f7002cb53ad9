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

from tanhung_cli.exporter import write_csv, write_xlsx
from tanhung_cli.i18n import t
from tanhung_cli.private import create_private
from tanhung_cli.tabular import Table, open_table
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
    target: Path, source: Path, encoding: str | None, reasons: Iterator[tuple[int, str]]
) -> int:
    """Write the rejected rows of ``source`` to ``target`` (.xlsx, else CSV with BOM)."""
    table = open_table(source, encoding)
    # A rejects file imported again: its old reasons give way to the new ones.
    old = {fold(h) for h in REASON_HEADERS}
    dropped = {i for i, h in enumerate(table.headers) if fold(h) in old}
    kept = [h for i, h in enumerate(table.headers) if i not in dropped]
    head = [t("import.reason_header"), *kept]
    rows = _rows(table, reasons, dropped)
    if target.suffix.lower() == ".xlsx":
        return write_xlsx(target, head, rows, text_columns=range(1, len(head)))
    create_private(target)
    with target.open("w", encoding="utf-8-sig", newline="") as fh:
        return write_csv(fh, head, rows)
