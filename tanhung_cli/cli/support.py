"""`tanhung support …`: support for members in hardship (hỗ trợ đảng viên khó khăn)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from tanhung_cli import money, support
from tanhung_cli.cli.common import date_option, registry
from tanhung_cli.cli.outputs import ForceOption, emit, guard
from tanhung_cli.errors import Invalid
from tanhung_cli.i18n import t
from tanhung_cli.render import Format, formats, values
from tanhung_cli.render.sheet import Sheet, Table

app = typer.Typer(
    no_args_is_help=True, help="Support for members in hardship (hỗ trợ đảng viên khó khăn)."
)

FundArg = Annotated[str, typer.Argument(help="The fund, by id or name (words of it will do).")]
AmountArg = Annotated[
    str, typer.Argument(help="Amount: 20000000, 20.000.000, 20 triệu, 20tr, 1,1 tỷ.")
]
OnOpt = Annotated[str, typer.Option("--on", help="The date (dd/mm/yyyy).")]
FormatOpt = Annotated[
    formats.Report, typer.Option("--format", "-f", help="table, json, csv or markdown.")
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to a new file: .xlsx, .md, .html, .csv, .json."),
]
LOAN_COLUMNS = (
    "id",
    "fund",
    "full_name",
    "branch",
    "kind",
    "amount",
    "lent_on",
    "due_on",
    "repaid",
    "owed",
    "status",
)
FUND_COLUMNS = (
    "id",
    "name",
    "kind",
    "branch",
    "revolving",
    "capital",
    "lent",
    "repaid",
    "balance",
    "loans",
)
MONEY = ("amount", "repaid", "owed", "capital", "lent", "balance", "outstanding", "amount_vnd")


def amount(value: str, name: str = "AMOUNT") -> int:
    """An amount typed as clerks type it; a malformed one is a usage error with its reason."""
    try:
        return money.parse_amount(value)
    except Invalid as exc:
        raise typer.BadParameter(exc.message(), param_hint=name) from None


def day(value: str | None, name: str) -> dt.date | None:
    """A date typed: a fact of the past, but for a due date or a list's bounds."""
    return date_option(value, name, allow_future=name in ("--due", "--from", "--to"))


def shown(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows as the clerk reads them: money the Vietnamese way, codes as labels."""
    out = []
    for row in rows:
        row = dict(row)
        for key in MONEY:
            if isinstance(row.get(key), int):
                row[key] = values.money(row[key])
        if "kind" in row:
            kind = row["kind"]
            row["kind"] = (
                t(f"support.kind.{kind}")
                if kind in ("loan", "grant")
                else values.label("fund_kind", kind)
            )
        if "status" in row:
            row["status"] = t(f"support.status.{row['status']}")
        if isinstance(row.get("revolving"), bool):
            row["revolving"] = t("life.yes") if row["revolving"] else t("life.no")
        out.append(row)
    return out


def raw(fmt: Format, output: Path | None) -> bool:
    """Whether values go out as stored: CSV and JSON (printed, or the --output's ending)."""
    suffix = output.suffix.lower() if output else ""
    return fmt in (Format.csv, Format.json) or suffix in (".csv", ".json")


def table(columns: tuple[str, ...], rows: list[dict[str, Any]], as_stored: bool) -> Table:
    if as_stored:
        return Table(columns, columns, rows)
    headers = [t(f"support.col.{c}") for c in columns]
    right = [c for c in columns if c in MONEY or c in ("id", "loans")]
    whole = [*right, *(c for c in columns if c.endswith("_on"))]  # never cut nor wrapped
    return Table(columns, headers, shown(rows), right=right, keep_whole=whole)


@app.command("add")
def add(
    ctx: typer.Context,
    fund: FundArg,
    member: Annotated[str, typer.Argument(help="The member: id or party card number.")],
    value: AmountArg,
    on: OnOpt,
    due: Annotated[str | None, typer.Option("--due", help="Due date of a loan (hạn trả).")] = None,
    grant: Annotated[
        bool, typer.Option("--grant", help="A grant, not repaid (hỗ trợ không hoàn lại).")
    ] = False,
    purpose: Annotated[
        str | None, typer.Option("--purpose", help="What it is for (mục đích).")
    ] = None,
) -> None:
    """Record a loan or a grant to a member (ghi khoản vay / hỗ trợ).

    The member must be on the roll on the date; a branch's revolving fund lends to its own
    members, no more than it holds. Example: tanhung support add "quay vong Ap Sau" 12
    "20 triệu" --on 15/03/2018 --due 15/03/2019 --purpose "nuôi bò"
    """
    sum_ = amount(value)
    lent = day(on, "--on")
    assert lent is not None
    conn = registry(ctx, write=True)
    kind = "grant" if grant else "loan"
    loan_id = support.add_loan(
        conn, fund, member, sum_, lent, kind=kind, due=day(due, "--due"), purpose=purpose
    )
    loan = support.loan_detail(conn, loan_id)
    typer.echo(
        t(
            f"support.{kind}_added",
            id=loan_id,
            amount=values.money(sum_),
            name=loan["full_name"],
            fund=loan["fund"],
        )
    )


@app.command("repay")
def repay(
    ctx: typer.Context,
    loan: Annotated[str, typer.Argument(help="The loan's id (support list).")],
    value: AmountArg,
    on: OnOpt,
) -> None:
    """Record a repayment of a loan (ghi trả nợ); never more than it still owes.

    Example: tanhung support repay 7 "10 triệu" --on 15/09/2018
    """
    sum_ = amount(value)
    paid = day(on, "--on")
    assert paid is not None
    conn = registry(ctx, write=True)
    support.repay(conn, loan, sum_, paid)
    owed = support.loan_detail(conn, loan)["owed"]
    typer.echo(t("support.repaid", id=loan, amount=values.money(sum_), owed=values.money(owed)))


@app.command("list")
def list_(
    ctx: typer.Context,
    fund: Annotated[str | None, typer.Option("--fund", help="Only this fund.")] = None,
    member: Annotated[str | None, typer.Option("--member", "-m", help="Only this member.")] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="Lent on or after (dd/mm/yyyy).")
    ] = None,
    stop: Annotated[
        str | None, typer.Option("--to", help="Lent on or before (dd/mm/yyyy).")
    ] = None,
    owing: Annotated[bool, typer.Option("--owing", help="Only loans not yet repaid.")] = False,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """List loans and grants, oldest first, with what is still owed (danh sách cho vay, hỗ trợ)."""
    rows = support.list_loans(
        registry(ctx),
        fund=fund,
        member=member,
        start=day(start, "--from"),
        stop=day(stop, "--to"),
        owing=owing,
    )
    total = sum(r["amount"] for r in rows)
    caption = t("support.count", count=len(rows), amount=values.money(total))
    tables = [table(LOAN_COLUMNS, rows, raw(fmt, output))]
    emit(Sheet(t("support.list_title"), rows, [caption], tables), fmt, output, guard(ctx, force))


@app.command("show")
def show(
    ctx: typer.Context,
    loan: Annotated[str, typer.Argument(help="The loan's id.")],
    fmt: FormatOpt = Format.table,
) -> None:
    """Show a loan or grant and its repayments (chi tiết khoản vay)."""
    detail = support.loan_detail(registry(ctx), loan)
    paid = detail["repayments"]
    lines = [t("support.purpose", purpose=detail["purpose"])] if detail["purpose"] else []
    as_stored = raw(fmt, None)
    tables = [table(LOAN_COLUMNS, [detail], as_stored)]
    if paid:
        tables.append(table(("paid_on", "amount"), paid, as_stored))
    emit(Sheet(t("support.show_title", id=detail["id"]), detail, lines, tables), fmt, None)
