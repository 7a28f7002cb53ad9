"""A list command's table written to the file its --output names (issue #16, "Every list
and report to .xlsx"): one table, its title and count, through ``outputs.emit`` as every
report is: .xlsx (title rows, frozen header, Excel types), .pdf/.html (the office's
heading), .md, .csv, .json.

The rows hold raw values (ISO dates, counts as numbers): the workbook keeps them as Excel
dates and numbers, the document and Markdown show them as the terminal does."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from tanhung_cli.cli.outputs import emit, guard
from tanhung_cli.render.formats import Format

if TYPE_CHECKING:
    from tanhung_cli.render.sheet import Table

SHOWN_DAY = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


def write_list(
    ctx: typer.Context,
    output: Path,
    force: bool,
    title: str,
    table: Table,
    data: Any,
    caption: str = "",
) -> None:
    """``table`` under ``title`` (its count in ``caption``) to ``output``; its JSON is
    ``data``, what `--format json` prints."""
    from tanhung_cli.render.sheet import Sheet  # files only: not for a list on the screen

    emit(
        Sheet(title, data, tables=[table], caption=caption), Format.table, output, guard(ctx, force)
    )


def listing(
    columns: Sequence[str],
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    right: Sequence[str] = (),
    keep_whole: Sequence[str] = (),
) -> Table:
    """A table from rows of values in the order of ``columns``."""
    from tanhung_cli.render.sheet import Table

    return Table(
        list(columns),
        list(headers),
        [dict(zip(columns, row, strict=True)) for row in rows],
        right=list(right),
        keep_whole=list(keep_whole),
    )


def raw(value: Any) -> Any:
    """A value of a list already shown (a date as dd/mm/yyyy, a count as text) back to what
    the workbook keeps as an Excel value: the date in ISO, the count a number. Anything
    else (a date with a note beside it, a name) as it is."""
    if isinstance(value, str):
        shown = SHOWN_DAY.fullmatch(value)
        if shown:
            day, month, year = shown.groups()
            try:
                return dt.date(int(year), int(month), int(day)).isoformat()
            except ValueError:
                return value
        if value.isdigit() and not value.startswith("0"):
            return int(value)
    return value


def refuse_early(ctx: typer.Context, output: Path | None, force: bool) -> None:
    """An output it may not write over, or an ending it does not write, refused before
    the registry is read (nothing to refuse when the list goes to the screen)."""
    if output is None:
        return
    from tanhung_cli.cli.outputs import ending
    from tanhung_cli.render.sheet import OUTPUT_KINDS

    guard(ctx, force).refuse(output)
    ending(output, tuple(OUTPUT_KINDS), "--output")


def moment(stamp: str | None) -> dt.datetime | None:
    """A recorded moment (ISO) as a date-time, shown to the minute and kept by Excel as a
    date-time; None when it is not one (the text is shown as it is)."""
    try:
        return dt.datetime.fromisoformat(stamp or "")
    except ValueError:
        return None
