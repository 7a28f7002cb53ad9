"""`tanhung report support`, and the support lines `tanhung demo` prints after the roll's."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tanhung_cli.cli.outputs import ForceOption, emit, guard
from tanhung_cli.cli.report_options import (
    AsOf,
    BranchOpt,
    FormatOpt,
    OutputOpt,
    TermOpt,
    need_term,
    scope_of,
)
from tanhung_cli.i18n import t
from tanhung_cli.render import Format, values
from tanhung_cli.render.sheet import Sheet, Table

app = typer.Typer(no_args_is_help=True)

FIGURES = ("amount_vnd", "loans", "members")
BALANCE = ("capital", "lent", "repaid", "balance", "outstanding")


def support_lines(data: dict[str, Any] | None) -> list[str]:
    """The figures as a report writes them: "1.145 triệu đồng (trên 1,1 tỷ đồng), 53 lượt,
    42 đảng viên", then one line per kind of fund."""
    if not data or not data["loans"]:
        return []
    amount = data["amount_vnd"]
    over = f" ({values.money_over(amount)})" if amount >= 10**9 else ""
    lines = [
        t(
            "support.summary.total",
            amount=values.money_in(amount),
            over=over,
            loans=values.integer(data["loans"]),
            members=values.integer(data["members"]),
        )
    ]
    for kind in data["by_kind"]:
        lines.append(
            t(
                "support.summary.kind",
                kind=values.label("fund_kind", kind["kind"]),
                amount=values.money_in(kind["amount_vnd"]),
                loans=values.integer(kind["loans"]),
                members=values.integer(kind["members"]),
            )
        )
    return lines


def _money(rows: list[dict[str, Any]], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    return [r | {k: values.money(r[k]) for k in keys if isinstance(r.get(k), int)} for r in rows]


def _tables(data: dict[str, Any], as_stored: bool) -> list[Table]:
    def table(key: str, first: str, rows: list[dict[str, Any]], cols: tuple[str, ...]) -> Table:
        columns = (first, *cols)
        if as_stored:
            return Table(columns, columns, rows, key=key)
        headers = [t(f"support.col.{c}") for c in columns]
        money = ("amount_vnd", *BALANCE)
        shown = _money(rows, money)
        return Table(columns, headers, shown, t(f"support.report.{key}"), cols, key)

    kinds = [k | {"label": values.label("fund_kind", k["kind"])} for k in data["by_kind"]]
    total = {"label": t("report.label.all"), **{k: data[k] for k in FIGURES}}
    return [
        table(
            "by_kind",
            "kind" if as_stored else "label",
            kinds + ([] if as_stored else [total]),
            FIGURES,
        ),
        table("by_fund", "name", data["by_fund"], FIGURES),
        table("by_branch", "branch", data["by_branch"], FIGURES),
        table("balances", "name", data["balances"], BALANCE),
    ]


@app.command("support")
def support(
    ctx: typer.Context,
    as_of: AsOf = None,
    term: TermOpt = None,
    start: Annotated[
        str | None,
        typer.Option("--from", help="Loans from this date (dd/mm/yyyy); default the term's start."),
    ] = None,
    stop: Annotated[
        str | None,
        typer.Option(
            "--to", help="Loans up to this date, included; default the term's end or --as-of."
        ),
    ] = None,
    branch: BranchOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """Count support for members in hardship: amount, turns (lượt), members (hỗ trợ đảng viên).

    By kind of fund, by fund and by the borrowers' branch over a term or --from/--to;
    what each revolving fund holds and is owed at the period's end.
    Example: tanhung report support --term 2015-2020
    """
    from tanhung_cli import reports_support
    from tanhung_cli.cli.common import date_option, registry

    sc = scope_of(ctx, as_of, term, branch)
    first, last = date_option(start, "--from"), date_option(stop, "--to", allow_future=True)
    if not (first and last) and sc.window is None:
        need_term(sc)  # a period needs both ends: from the term, or typed
    window = sc.window or ("", "")
    period = reports_support.Period(
        first.isoformat() if first else window[0],
        last.isoformat() if last else window[1],
        sc.branch_id,
        sc.branch,
    )
    data = reports_support.report(registry(ctx), period)
    suffix = output.suffix.lower() if output else ""
    as_stored = fmt in (Format.csv, Format.json) or suffix in (".csv", ".json")
    span = {"start": values.date(period.start), "end": values.date(period.stop)}
    title = t("support.report.title", **span)
    emit(
        Sheet(title, data, support_lines(data), _tables(data, as_stored)),
        fmt,
        output,
        guard(ctx, force),
    )
