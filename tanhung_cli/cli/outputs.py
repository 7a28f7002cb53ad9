"""Options every command that writes a file shares: --force, and what it may not overwrite;
and a report printed, or written to the file --output names."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

from tanhung_cli.cli.common import state
from tanhung_cli.i18n import t
from tanhung_cli.outfile import Guard
from tanhung_cli.render.formats import Format

if TYPE_CHECKING:
    from tanhung_cli.letterhead import Letterhead
    from tanhung_cli.render.sheet import Sheet

ForceOption = Annotated[
    bool,
    typer.Option(
        "--force", help="Replace an existing file that is not a registry (never a database)."
    ),
]


@dataclass(frozen=True)
class CommandGuard(Guard):
    """A command's guard, which also knows the command: its document is headed with the
    registry's settings and the branch its --branch names."""

    ctx: typer.Context | None = field(default=None, compare=False)


def guard(ctx: typer.Context, force: bool, *sources: Path) -> Guard:
    """What this command may not write over: the registry it opens, the files it reads."""
    from tanhung_cli.db import default_db_path

    registry = state(ctx).db_path or default_db_path()
    return CommandGuard(force=force, registry=registry, sources=sources, ctx=ctx)


def ending(path: Path, accepted: Sequence[str], option: str) -> str:
    """The file's ending, if it is one of ``accepted``; else a usage error listing them."""
    suffix = path.suffix.lower()
    if suffix not in accepted:
        raise typer.BadParameter(
            t("outfile.bad_ending", name=path.name, endings=", ".join(accepted)),
            param_hint=option,
        )
    return suffix


FILE_ENDINGS = (".csv", ".txt", ".xlsx", ".json")  # the record files exports write


class Headers(StrEnum):
    """The column headers of an exported file: the column names, or Vietnamese."""

    en = "en"
    vi = "vi"


HeadersOption = Annotated[
    Headers, typer.Option("--headers", help="Column headers: en (column names) or vi.")
]


def file_kind(
    ctx: typer.Context, output: Path | None, fmt: Format | None, force: bool
) -> tuple[Format, Guard]:
    """The kind of record file an export writes (csv, xlsx, json), as asked, else as the
    output's ending says (`-o danh-sach.xlsx` means a workbook: the clerk named it so), and
    the guard it writes through. An output it may not write over, an ending it does not
    write, or a workbook to the terminal is refused before anything is read."""
    where, suffix = guard(ctx, force), ""
    if output is not None:
        where.refuse(output)  # first: a backup named x.db is told as a database
        suffix = ending(output, FILE_ENDINGS, "--output")
    kind = fmt or (Format(suffix.lstrip(".")) if suffix in (".xlsx", ".json") else Format.csv)
    if kind is Format.xlsx and output is None:
        raise typer.BadParameter(t("export.needs_file"), param_hint="--output")
    return kind, where


def emit(sheet: Sheet, fmt: Format, output: Path | None, where: Guard | None = None) -> None:
    """Print ``sheet`` in ``fmt``, or write it to ``output`` in the format its name says."""
    from tanhung_cli.render.sheet import OUTPUT_KINDS, write

    if output is None:
        write(sheet, fmt, sys.stdout)
        return
    where = where or Guard()
    where.refuse(output)  # first: a backup named x.db is told as a database
    kind = OUTPUT_KINDS[ending(output, tuple(OUTPUT_KINDS), "--output")]
    if kind is Format.xlsx:
        _workbook(sheet, output, where)
        return
    if kind in (Format.html, Format.pdf):
        _document(sheet, kind, output, where, getattr(where, "ctx", None))
        return
    # Excel opens a CSV as UTF-8 only with a byte-order mark.
    encoding = "utf-8-sig" if kind is Format.csv else "utf-8"
    with where.open(output, encoding=encoding) as fh:
        write(sheet, kind, fh)
    typer.echo(t("report.written", path=output))


def _workbook(sheet: Sheet, output: Path, where: Guard) -> None:
    """``sheet`` as an Excel workbook (``render.xlsx_report``), headed by the committee the
    registry's settings name (``document_committee``, as printed documents are)."""
    from tanhung_cli.render.xlsx_report import write_report

    with where.open(output, binary=True) as fh:  # personal data: owner-only
        write_report(sheet, fh, _committee(where.registry))
    typer.echo(t("report.written", path=output))


def _committee(path: Path | None) -> str:
    """The committee's name as the registry's settings hold it; "" when not set. (Typer runs
    commands in its own copy of click: the command's context is not reachable from here.)"""
    import contextlib
    import sqlite3

    from tanhung_cli.db import open_db
    from tanhung_cli.errors import TanhungError

    if path is None or not path.exists():
        return ""
    with contextlib.suppress(sqlite3.Error, OSError, TanhungError):
        conn = open_db(path, create=False, readonly=True, migrate=False)
        try:
            found = conn.execute("SELECT value FROM settings WHERE key = 'document_committee'")
            return str((found.fetchone() or [""])[0] or "").strip()
        finally:
            conn.close()
    return ""


def _document(
    sheet: Sheet, kind: Format, output: Path, where: Guard, ctx: typer.Context | None
) -> None:
    """``sheet`` as a document to print and file (``render.document``): HTML, or PDF
    printed by the browser, which is looked for first: without one nothing is written."""
    from tanhung_cli.render import pdf
    from tanhung_cli.render.document import html_document

    browser = pdf.need_browser() if kind is Format.pdf else ""
    page = html_document(sheet, _letterhead(ctx))
    data = pdf.to_pdf(page, browser) if kind is Format.pdf else page  # printed, then named
    with where.open(output, binary=kind is Format.pdf) as fh:  # personal data: owner-only
        fh.write(data)
    typer.echo(t("report.written", path=output))


def _letterhead(ctx: typer.Context | None) -> Letterhead:
    """The heading of the command's document: the registry's settings, and the branch its
    --branch names (its name as the registry spells it)."""
    from tanhung_cli.letterhead import letterhead

    conn = state(ctx).conn if ctx is not None else None
    named = ctx.params.get("branch") if ctx is not None else None
    branch = ""
    if conn is not None and isinstance(named, str) and named:
        from tanhung_cli.branches import get_branch

        branch = get_branch(conn, named)["name"]
    return letterhead(conn, branch)


def write_records(
    kind: Format,
    columns: Sequence[str],
    head: Sequence[str],
    rows: Sequence[dict[str, object]],
    date_column: str,
    output: Path | None,
    where: Guard,
) -> None:
    """A record file an import reads back: JSON under ``columns``, or an xlsx / CSV sheet
    headed ``head`` (its ``date_column`` a date in Excel), to stdout or ``output``."""
    from tanhung_cli.csvout import write_csv
    from tanhung_cli.render.writers import to_json
    from tanhung_cli.render.xlsx import write_xlsx

    cells = [[r.get(c) for c in columns] for r in rows]

    def emit(out: IO[Any]) -> None:
        if kind is Format.json:
            to_json([{c: r.get(c) for c in columns} for r in rows], out)
        elif kind is Format.xlsx:
            write_xlsx(out, list(head), cells, date_columns=[list(columns).index(date_column)])
        else:
            write_csv(out, list(head), cells)

    if output is None:
        emit(sys.stdout)
        return
    encoding = "utf-8-sig" if kind is Format.csv else "utf-8"  # Excel reads UTF-8 by its BOM
    with where.open(output, binary=kind is Format.xlsx, encoding=encoding) as out:
        emit(out)
