"""How a report looks: terminal tables and charts, CSV, Markdown, HTML and JSON. No SQL.

A report reaches this module as plain data (``reports``) turned into ``Sheet``s by
``cli.report``: a title, sentences a clerk would write, tables of raw values and
charts. Raw values go to CSV and JSON as they are; the terminal, Markdown and HTML
show them formatted for the language (``115,4 %`` in Vietnamese).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import io
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

import typer

from tanhung_cli import vietnamese as vn
from tanhung_cli.cli.outputs import ending
from tanhung_cli.csvout import write_csv
from tanhung_cli.i18n import get_lang, t
from tanhung_cli.outfile import Guard


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


@dataclass
class Table:
    columns: Sequence[str]  # keys of the rows
    headers: Sequence[str]  # labels shown
    rows: list[dict[str, Any]]
    title: str = ""
    right: Sequence[str] = ()  # columns aligned right (numbers)
    key: str = ""  # the table's name in the "section" column of a CSV
    keep_whole: Sequence[str] = ()  # columns never wrapped nor cut (dates, numbers)


@dataclass
class Sheet:
    title: str
    data: Any  # what --format json prints
    lines: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Callable[[], Any]] = field(default_factory=list)  # rich renderables
    caption: str = ""


def cell(value: Any, column: str = "") -> str:
    """A value as a clerk reads it in the current language."""
    lang = get_lang()
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value) if column in ("year", "no", "id") else vn.format_int(value, lang)
    if isinstance(value, float):
        if column.startswith("percent"):
            return vn.format_percent(value, 1, lang)
        text = vn.format_decimal(value, 1, lang)
        return text[:-2] if text.endswith((",0", ".0")) else text
    if isinstance(value, str) and len(value) == 7 and value[4] == "-":
        with contextlib.suppress(ValueError):  # a month without its day (old records): 03/1960
            vn.date_bounds(value)
            return vn.format_date(value, lang)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return vn.format_date(dt.date.fromisoformat(value), lang)
        except ValueError:
            return value
    return str(value)


def _csv(sheet: Sheet, out: IO[str]) -> None:
    many = len(sheet.tables) > 1
    columns = list(dict.fromkeys(c for tab in sheet.tables for c in tab.columns))
    rows = (
        ([tab.key or tab.title] if many else []) + [row.get(c) for c in columns]
        for tab in sheet.tables
        for row in tab.rows
    )
    write_csv(out, (["section"] if many else []) + columns, rows, lineterminator="\n")


def _markdown(sheet: Sheet, out: IO[str]) -> None:
    out.write(f"# {sheet.title}\n\n")
    for line in sheet.lines:
        out.write(line + "\n\n")
    for tab in sheet.tables:
        if tab.title:
            out.write(f"## {tab.title}\n\n")
        out.write("| " + " | ".join(tab.headers) + " |\n")
        marks = ["---:" if c in tab.right else "---" for c in tab.columns]
        out.write("| " + " | ".join(marks) + " |\n")
        for row in tab.rows:
            cells = [cell(row.get(c), c).replace("|", "\\|") for c in tab.columns]
            out.write("| " + " | ".join(cells) + " |\n")
        out.write("\n")
    if sheet.caption:
        out.write(sheet.caption + "\n")


def _rich(sheet: Sheet, console: Any) -> None:
    from rich.table import Table as RichTable
    from rich.text import Text

    console.print(Text(sheet.title, style="bold"))
    # Texts from the registry (branch names…) go in as Text, never as rich markup: a name
    # like "[link=…]" would otherwise become a link in the HTML page.
    for line in sheet.lines:
        console.print(Text(line))
    for tab in sheet.tables:
        title = Text(tab.title, "table.title") if tab.title else None
        grid = RichTable(title=title, header_style="bold", title_justify="left")
        for column, head in zip(tab.columns, tab.headers, strict=True):
            whole = column in tab.keep_whole or column in tab.right
            grid.add_column(Text(head), justify="right" if column in tab.right else "left",
                            no_wrap=whole, min_width=None if whole else 6)  # fmt: skip
        for row in tab.rows:
            grid.add_row(*(Text(cell(row.get(c), c)) for c in tab.columns))
        console.print(grid)
    for chart in sheet.charts:
        console.print(chart())
    if sheet.caption:
        console.print(Text(sheet.caption))


# What --output writes, by the file's ending.
OUTPUT_KINDS = {".md": ReportFormat.markdown, ".markdown": ReportFormat.markdown,
                ".csv": ReportFormat.csv, ".json": ReportFormat.json,
                ".html": None, ".htm": None}  # fmt: skip


def html_page(sheet: Sheet) -> str:
    """The sheet as a page to print; every text in it escaped (rich escapes the body)."""
    from rich.console import Console

    console = Console(record=True, width=180, file=io.StringIO(), color_system=None)
    _rich(sheet, console)
    text = console.export_html(inline_styles=True)
    title = html.escape(sheet.title, quote=True)
    return text.replace("<head>", f'<head>\n<meta name="title" content="{title}">', 1)


def emit(sheet: Sheet, fmt: ReportFormat, output: Path | None, guard: Guard | None = None) -> None:
    """Print ``sheet`` in ``fmt``, or write it to ``output`` in the format its name says."""
    if output is None:
        _write(sheet, fmt, sys.stdout)
        return
    where = guard or Guard()
    where.refuse(output)  # first: a backup named x.db is told as a database
    kind = OUTPUT_KINDS[ending(output, tuple(OUTPUT_KINDS), "--output")]
    if kind is None:
        page = html_page(sheet)
        with where.open(output) as fh:  # a roster holds personal data: owner-only
            fh.write(page)
    else:
        # Excel opens a CSV as UTF-8 only with a byte-order mark.
        encoding = "utf-8-sig" if kind is ReportFormat.csv else "utf-8"
        with where.open(output, encoding=encoding) as fh:
            _write(sheet, kind, fh)
    typer.echo(t("report.written", path=output))


def _write(sheet: Sheet, fmt: ReportFormat, out: IO[str]) -> None:
    if fmt is ReportFormat.json:
        json.dump(sheet.data, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt is ReportFormat.csv:
        _csv(sheet, out)
    elif fmt is ReportFormat.markdown:
        _markdown(sheet, out)
    else:
        from rich.console import Console

        _rich(sheet, Console(file=out if out is not sys.stdout else None, highlight=False))


def bar_chart(title: str, bars: Sequence[tuple[str, int]], width: int = 40) -> Callable[[], Any]:
    """Horizontal bars, one per label, scaled to the largest value."""

    def draw() -> Any:
        from rich.table import Table as RichTable
        from rich.text import Text

        top = max((v for _, v in bars), default=0) or 1
        grid = RichTable.grid(padding=(0, 1))
        grid.title, grid.title_justify = Text(title, "table.title"), "left"
        grid.add_column(justify="right")
        grid.add_column()
        for label, value in bars:
            size = round(value * width / top)
            grid.add_row(Text(label), f"[green]{'█' * size}[/green] {cell(value)}")
        return grid

    return draw


def pyramid(
    title: str, bands: Sequence[tuple[str, int, int]], width: int = 30
) -> Callable[[], Any]:
    """An age pyramid: men to the left, women to the right, the oldest band on top."""

    def draw() -> Any:
        from rich.table import Table as RichTable
        from rich.text import Text

        top = max((max(m, w) for _, m, w in bands), default=0) or 1
        grid = RichTable.grid(padding=(0, 1))
        grid.title, grid.title_justify = Text(title, "table.title"), "left"
        grid.add_column(justify="right")
        grid.add_column(justify="center")
        grid.add_column()
        for label, men, women in reversed(bands):
            left = f"{cell(men)} [blue]{'█' * round(men * width / top)}[/blue]"
            right = f"[magenta]{'█' * round(women * width / top)}[/magenta] {cell(women)}"
            grid.add_row(left, Text(label), right)
        return grid

    return draw
