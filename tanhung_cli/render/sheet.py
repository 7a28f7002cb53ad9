"""A report as a sheet, and the sheet in every format: terminal, CSV, Markdown, HTML, JSON
(HTML and PDF are documents to print: ``render.document``).

A report reaches here as plain data (``reports``) turned into a ``Sheet`` by the
command: a title, sentences a clerk would write, tables of raw values and charts.
Raw values go to CSV and JSON as they are; the terminal, Markdown and HTML show them
through ``values.cell``, formatted for the language (``115,4 %`` in Vietnamese).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from tanhung_cli.csvout import write_csv
from tanhung_cli.render.formats import Format
from tanhung_cli.render.values import cell
from tanhung_cli.render.writers import to_json


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


def _csv(sheet: Sheet, out: IO[str]) -> None:
    """The sheet's tables as one CSV, headed in the clerk's language: the stable column
    names (as JSON's keys) in English, the tables' own headers in Vietnamese (`csv_header`)."""
    from tanhung_cli.i18n import get_lang, t

    many = len(sheet.tables) > 1
    columns = list(dict.fromkeys(c for tab in sheet.tables for c in tab.columns))
    english = get_lang() == "en"
    heads = columns if english else [csv_header(sheet.tables, c) for c in columns]
    section = ["section" if english else t("render.csv_section")] if many else []

    def name(tab: Table) -> str:
        return (tab.key or tab.title) if english else (tab.title or tab.key)

    rows = (
        ([name(tab)] if many else []) + [row.get(c) for c in columns]
        for tab in sheet.tables
        for row in tab.rows
    )
    write_csv(out, section + heads, rows, lineterminator="\n")


def csv_header(tables: Sequence[Table], column: str) -> str:
    """A column's header in the clerk's language: as a table of the sheet shows it, else
    its label in the catalogue (a report's, a member field's), else its name."""
    from tanhung_cli.columns import COLUMN_BY_NAME
    from tanhung_cli.i18n import catalogue, t

    for tab in tables:
        if column in tab.columns and len(tab.headers) == len(tab.columns):
            shown = tab.headers[list(tab.columns).index(column)]
            if shown.strip() and shown != column:  # a table headed by its names: look on
                return shown
    known = catalogue()
    for key in (f"report.label.{column}", f"column.{column}", f"csv.{column}"):
        if key in known:
            return t(key)
    field = COLUMN_BY_NAME.get(column)
    return field.vi if field is not None else column


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
    from rich.text import Text

    from tanhung_cli.render.terminal import rich_tables

    console.print(Text(sheet.title, style="bold"))
    # Texts from the registry (branch names…) go in as Text, never as rich markup: a name
    # like "[link=…]" would otherwise become a link in the HTML page.
    for line in sheet.lines:
        console.print(Text(line))
    for tab in sheet.tables:
        # Fitted to the console (`fit`): nothing cut, split in parts if need be.
        for part in rich_tables(
            [[cell(row.get(c), c) for c in tab.columns] for row in tab.rows],
            tab.headers,
            console.width,
            title=tab.title or None,
            justify=["right" if c in tab.right else "left" for c in tab.columns],
            whole=[c in tab.keep_whole or c in tab.right for c in tab.columns],
            title_justify="left",
        ):
            console.print(part)
    for chart in sheet.charts:
        console.print(chart())
    if sheet.caption:
        console.print(Text(sheet.caption))


# What --output writes, by the file's ending.
OUTPUT_KINDS = {
    ".md": Format.markdown,
    ".markdown": Format.markdown,
    ".csv": Format.csv,
    ".json": Format.json,
    ".html": Format.html,
    ".htm": Format.html,
    ".xlsx": Format.xlsx,
    ".pdf": Format.pdf,
}


def html_page(sheet: Sheet) -> str:
    """The sheet as a document to print (``render.document``), with a blank heading."""
    from tanhung_cli.letterhead import Letterhead
    from tanhung_cli.render.document import html_document

    return html_document(sheet, Letterhead())


def write(sheet: Sheet, fmt: Format, out: IO[str]) -> None:
    """``sheet`` in ``fmt`` into ``out`` (the terminal when it is stdout)."""
    if fmt is Format.json:
        to_json(sheet.data, out)
    elif fmt is Format.csv:
        _csv(sheet, out)
    elif fmt is Format.markdown:
        _markdown(sheet, out)
    elif fmt is Format.html:
        out.write(html_page(sheet))
    else:
        from rich.console import Console

        from tanhung_cli.render.terminal import terminal_width

        console = Console(
            file=out if out is not sys.stdout else None, highlight=False, width=terminal_width()
        )
        _rich(sheet, console)
