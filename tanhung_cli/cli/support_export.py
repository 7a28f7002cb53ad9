"""`tanhung export loans | repayments`: support records to files that import back."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from tanhung_cli.cli.common import as_of_date, registry
from tanhung_cli.cli.outputs import ForceOption, Headers, HeadersOption, file_kind
from tanhung_cli.i18n import t
from tanhung_cli.render.formats import Format, MemberFile

app = typer.Typer(no_args_is_help=True)

OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="The file to write; stdout when omitted.")
]
FormatOpt = Annotated[
    MemberFile | None,
    typer.Option(
        "--format", "-f", help="csv (UTF-8 with BOM), xlsx or json; default from the file's ending."
    ),
]


def _export(
    ctx: typer.Context,
    what: str,
    output: Path | None,
    fmt: Format | None,
    headers: Headers,
    force: bool,
) -> None:
    from tanhung_cli import support_export as se

    kind, where = file_kind(ctx, output, fmt, force)
    conn = registry(ctx)
    columns: tuple[str, ...]
    if what == "loans":
        rows, columns = se.loan_rows(conn, as_of_date(None)), se.LOANS
    else:
        rows, columns = se.repayment_rows(conn), se.REPAYMENTS
    if output is None:
        se.write(rows, columns, kind.value, headers, sys.stdout)
        return
    encoding = "utf-8-sig" if kind is Format.csv else "utf-8"
    with where.open(output, binary=kind is Format.xlsx, encoding=encoding) as out:
        count = se.write(rows, columns, kind.value, headers, out)
    typer.echo(t("support.exported", count=count, file=output), err=True)


@app.command("loans")
def loans(
    ctx: typer.Context,
    output: OutputOpt = None,
    fmt: FormatOpt = None,
    headers: HeadersOption = Headers.en,
    force: ForceOption = False,
) -> None:
    """Export loans and grants to a CSV, Excel or JSON file that imports back (xuất danh sách cho vay).

    Example: tanhung export loans -o cho-vay.xlsx --headers vi
    """
    _export(ctx, "loans", output, fmt, headers, force)


@app.command("repayments")
def repayments(
    ctx: typer.Context,
    output: OutputOpt = None,
    fmt: FormatOpt = None,
    headers: HeadersOption = Headers.en,
    force: ForceOption = False,
) -> None:
    """Export repayments to a CSV, Excel or JSON file that imports back (xuất danh sách trả nợ).

    Example: tanhung export repayments -o tra-no.csv
    """
    _export(ctx, "repayments", output, fmt, headers, force)
