"""`tanhung support fund | capital | funds`: the support funds and their capital (quỹ, vốn)."""

from __future__ import annotations

from typing import Annotated

import typer

from tanhung_cli import funds
from tanhung_cli.cli.common import registry
from tanhung_cli.cli.outputs import ForceOption, emit, guard
from tanhung_cli.cli.support import (
    FUND_COLUMNS,
    AmountArg,
    FormatOpt,
    FundArg,
    OnOpt,
    OutputOpt,
    amount,
    day,
    raw,
    table,
)
from tanhung_cli.i18n import t
from tanhung_cli.render import Format, values
from tanhung_cli.render.sheet import Sheet

app = typer.Typer()


@app.command("fund")
def fund(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Name of the fund.")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            "-k",
            help="farmers-support, poor-members, revolving, other (or the Vietnamese name).",
        ),
    ],
    branch: Annotated[
        str | None,
        typer.Option("--branch", "-b", help="The branch that owns it; default the committee."),
    ] = None,
    revolving: Annotated[
        bool | None,
        typer.Option(
            "--revolving/--not-revolving", help="Lends repaid money again; default: its kind says."
        ),
    ] = None,
    capital: Annotated[
        str | None, typer.Option("--capital", help="Its first capital (vốn), e.g. 200 triệu.")
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Date of the first capital (dd/mm/yyyy).")
    ] = None,
) -> None:
    """Add a support fund (thêm quỹ hỗ trợ), with its first capital if given.

    Example: tanhung support fund "Quỹ quay vòng chi bộ Ấp Sáu" --kind revolving
    --branch "Ấp Sáu" --capital "200 triệu" --on 01/09/2015
    """
    first = amount(capital, "--capital") if capital else None
    since = day(on, "--on")
    if first and since is None:
        raise typer.BadParameter(t("support.capital_needs_date"), param_hint="--on")
    conn = registry(ctx, write=True)
    put_in = (first, since) if first and since else None
    fund_id = funds.add_fund(conn, name, kind, branch, revolving=revolving, capital=put_in)
    typer.echo(t("support.fund_added", id=fund_id, name=funds.get_fund(conn, fund_id)["name"]))


@app.command("capital")
def capital(ctx: typer.Context, fund: FundArg, value: AmountArg, on: OnOpt) -> None:
    """Record money put into a fund (ghi vốn cấp cho quỹ).

    Example: tanhung support capital "quay vong Ap Sau" "50 triệu" --on 01/01/2018
    """
    sum_ = amount(value)
    since = day(on, "--on")
    assert since is not None
    conn = registry(ctx, write=True)
    funds.add_capital(conn, fund, sum_, since)
    name = funds.get_fund(conn, fund)["name"]
    typer.echo(t("support.capital_added", amount=values.money(sum_), name=name))


@app.command("funds")
def funds_(
    ctx: typer.Context,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """List the funds: capital, lent, repaid, and what a revolving fund holds (danh sách quỹ)."""
    rows = funds.list_funds(registry(ctx))
    sheet = Sheet(
        t("support.funds_title"), rows, tables=[table(FUND_COLUMNS, rows, raw(fmt, output))]
    )
    emit(sheet, fmt, output, guard(ctx, force))
