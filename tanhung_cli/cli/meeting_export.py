"""`tanhung export meetings|attendance`: files that `import meetings|attendance` read back."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from tanhung_cli import meeting_lists, reports_activity
from tanhung_cli.cli.common import registry
from tanhung_cli.cli.meeting import (
    BranchOpt,
    CommitteeOpt,
    FromOpt,
    SinceOpt,
    TermOpt,
    ToOpt,
    period_of,
)
from tanhung_cli.cli.outputs import ForceOption, Headers, HeadersOption, file_kind, write_records
from tanhung_cli.i18n import t
from tanhung_cli.importer.attendance import ATTENDANCE_COLUMNS
from tanhung_cli.importer.meetings import MEETING_COLUMNS
from tanhung_cli.render.formats import Format, MemberFile
from tanhung_cli.vocab import vocabulary

app = typer.Typer()

# Headers of columns the imports read past (ids), and of the member's name.
OTHER_HEADERS = {"id": "Mã", "meeting_id": "Mã cuộc họp", "full_name": "Họ và tên"}
VOCABS = {"kind": "meeting_kind", "attendance": "attendance"}
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="The file to write; stdout when omitted.")
]
FileFormat = Annotated[
    MemberFile | None,
    typer.Option("--format", "-f", help="csv (UTF-8 with BOM), xlsx or json; default by ending."),
]


def _headers(columns: tuple[str, ...], lang: str) -> list[str]:
    if lang != "vi":
        return list(columns)
    vi = {c.name: c.vi for c in (*MEETING_COLUMNS, *ATTENDANCE_COLUMNS)} | OTHER_HEADERS
    return [vi[c] for c in columns]


def _write(
    ctx: typer.Context,
    rows: list[dict[str, Any]],
    columns: tuple[str, ...],
    output: Path | None,
    fmt: MemberFile | None,
    headers: Headers,
    force: bool,
) -> None:
    kind, where = file_kind(ctx, output, fmt, force)
    if headers == "vi" and kind is not Format.json:
        for row in rows:  # a Vietnamese sheet says "Có mặt", as its headers are Vietnamese
            for column, name in VOCABS.items():
                if column in row:
                    row[column] = vocabulary(name).label(row[column], "vi")
    head = _headers(columns, headers)
    write_records(kind, columns, head, rows, "on_date", output, where)
    if output is None:
        return
    typer.echo(t("meeting.exported", count=len(rows), file=output), err=True)


def _period(
    ctx: typer.Context,
    start: str | None,
    stop: str | None,
    term: str | None,
    since: str | None,
    branch: str | None,
    committee: bool,
) -> reports_activity.Period:
    """The period named, else every meeting recorded."""
    p = period_of(ctx, start, stop, term, since, branch, committee)
    if not (start or stop or term or since):
        return replace(p, start=reports_activity.FIRST_DAY, stop="9999-12-31")
    return p


@app.command("meetings")
def meetings_(
    ctx: typer.Context,
    output: OutputOpt = None,
    fmt: FileFormat = None,
    headers: HeadersOption = Headers.en,
    start: FromOpt = None,
    stop: ToOpt = None,
    term: TermOpt = None,
    since: SinceOpt = None,
    branch: BranchOpt = None,
    committee: CommitteeOpt = False,
    force: ForceOption = False,
) -> None:
    """Export meetings to a CSV, Excel or JSON file that `import meetings` reads back.

    Example: tanhung export meetings -o hoi-nghi.xlsx --headers vi --term 2015-2020
    """
    p = _period(ctx, start, stop, term, since, branch, committee)
    rows = meeting_lists.meeting_rows(registry(ctx), p)
    _write(ctx, rows, meeting_lists.MEETING_COLUMNS, output, fmt, headers, force)


@app.command("attendance")
def attendance_(
    ctx: typer.Context,
    output: OutputOpt = None,
    fmt: FileFormat = None,
    headers: HeadersOption = Headers.en,
    start: FromOpt = None,
    stop: ToOpt = None,
    term: TermOpt = None,
    since: SinceOpt = None,
    branch: BranchOpt = None,
    committee: CommitteeOpt = False,
    force: ForceOption = False,
) -> None:
    """Export attendance to a CSV, Excel or JSON file that `import attendance` reads back.

    Example: tanhung export attendance -o diem-danh.csv --branch "Ấp Chợ" --since 01/01/2019
    """
    p = _period(ctx, start, stop, term, since, branch, committee)
    rows = meeting_lists.attendance_rows(registry(ctx), p)
    _write(ctx, rows, meeting_lists.ATTENDANCE_COLUMNS, output, fmt, headers, force)
