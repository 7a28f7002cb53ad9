"""`tanhung export …`: member lists out to CSV, Excel or JSON files."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tanhung_cli import exporter, members
from tanhung_cli.branches import get_branch
from tanhung_cli.cli.common import AsOfOption, as_of_date, registry
from tanhung_cli.cli.member import _vocab_code
from tanhung_cli.i18n import t

app = typer.Typer(
    no_args_is_help=True, help="Write lists to CSV / Excel / JSON files (xuất ra tệp)."
)

Text = str | None


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


class Headers(StrEnum):
    en = "en"
    vi = "vi"


@app.command("members")
def members_(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="The file to write; stdout when omitted.")
    ] = None,
    fmt: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="csv (UTF-8 with BOM), xlsx or json; default from the file's ending.",
        ),
    ] = None,
    headers: Annotated[
        Headers, typer.Option("--headers", help="Column headers: en (column names) or vi.")
    ] = Headers.en,
    branch: Annotated[Text, typer.Option("--branch", "-b", help="Only this branch.")] = None,
    status: Annotated[
        Text,
        typer.Option(
            "--status", "-s", help="official, probationary (dự bị), left, temporary, exempt."
        ),
    ] = None,
    gender: Annotated[Text, typer.Option("--gender", help="Nam / Nữ.")] = None,
    ethnicity: Annotated[Text, typer.Option("--ethnicity", help="Ethnic group.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Include members who left the roll.")] = False,
    as_of: AsOfOption = None,
) -> None:
    """Export members to a CSV, Excel or JSON file (xuất danh sách đảng viên).

    Takes the same filters as `member list`. The file imports back unchanged.

    Example: tanhung export members -o ap-cho.xlsx --format xlsx --headers vi --branch "Ấp Chợ"
    """
    if fmt is None:
        # `-o danh-sach.xlsx` means a workbook: the clerk named it so.
        ending = output.suffix.lower().lstrip(".") if output else ""
        fmt = ExportFormat(ending) if ending in ExportFormat.__members__ else ExportFormat.csv
    if fmt is ExportFormat.xlsx and output is None:
        raise typer.BadParameter(t("export.needs_file"), param_hint="--output")
    conn = registry(ctx)
    filters = members.Filters(
        branch_id=get_branch(conn, branch)["id"] if branch else None,
        status=_vocab_code("status", status.replace("-", " ") if status else None, "--status"),
        gender=_vocab_code("gender", gender, "--gender"),
        ethnicity=_vocab_code("ethnicity", ethnicity, "--ethnicity"),
        include_left=all_,
    )
    day = as_of_date(as_of)
    out = output if output is not None else sys.stdout
    count = exporter.export_members(conn, filters, day, fmt.value, headers.value, out)
    if output is not None:
        typer.echo(t("export.written", count=count, file=output), err=True)
    typer.echo(t("privacy.personal_data"), err=True)
