"""`tanhung export …`: member lists out to CSV, Excel or JSON files."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from tanhung_cli import exporter, roll
from tanhung_cli.cli.common import (
    AllFilter,
    AsOfOption,
    BranchFilter,
    EthnicityFilter,
    GenderFilter,
    StatusFilter,
    as_of_date,
    member_filters,
    registry,
)
from tanhung_cli.cli.outputs import ForceOption, Headers, HeadersOption, file_kind
from tanhung_cli.i18n import t
from tanhung_cli.render.formats import Format, MemberFile

app = typer.Typer(
    no_args_is_help=True, help="Write lists to CSV / Excel / JSON files (xuất ra tệp)."
)

Text = str | None


# `.txt` is read back as CSV by `import`, so it is written as CSV too.


def _written(statuses: Counter[str], output: Path) -> str:
    """What the file holds: the members counted, and apart those who are not."""
    counted = statuses["official"] + statuses["probationary"]
    apart = [t(f"export.apart.{s}", count=statuses[s]) for s in roll.APART if statuses[s]]
    if not apart:
        return t("export.written", count=counted, file=output)
    return t("export.written_apart", count=counted, apart=", ".join(apart), file=output)


@app.command("members")
def members_(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="The file to write; stdout when omitted.")
    ] = None,
    fmt: Annotated[
        MemberFile | None,
        typer.Option(
            "--format",
            "-f",
            help="csv (UTF-8 with BOM), xlsx or json; default from the file's ending.",
        ),
    ] = None,
    headers: HeadersOption = Headers.en,
    branch: BranchFilter = None,
    status: StatusFilter = None,
    gender: GenderFilter = None,
    ethnicity: EthnicityFilter = None,
    all_: AllFilter = False,
    as_of: AsOfOption = None,
    force: ForceOption = False,
) -> None:
    """Export members to a CSV, Excel or JSON file (xuất danh sách đảng viên).

    Takes the same filters as `member list`. The file imports back unchanged. An
    existing file is replaced only with --force, and never a registry or a backup.

    Example: tanhung export members -o ap-cho.xlsx --format xlsx --headers vi --branch "Ấp Chợ"
    """
    kind, where = file_kind(ctx, output, fmt, force)
    conn = registry(ctx)
    filters = member_filters(conn, branch, status, gender, ethnicity, all_)
    day = as_of_date(as_of)
    if output is None:
        exporter.export_members(conn, filters, day, kind.value, headers.value, sys.stdout)
    else:
        # UTF-8 with a BOM: the only way Excel opens a CSV file as UTF-8 by a double click.
        encoding = "utf-8-sig" if kind is Format.csv else "utf-8"
        binary = kind is Format.xlsx
        with where.open(output, binary=binary, encoding=encoding) as out:
            written = exporter.export_members(conn, filters, day, kind.value, headers.value, out)
        typer.echo(_written(written, output), err=True)
    typer.echo(t("privacy.personal_data"), err=True)
