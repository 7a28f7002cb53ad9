"""`tanhung report changes`: the roll at the start and end of a period and every change
between (báo cáo tăng, giảm đảng viên: the six-monthly and yearly statistics)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tanhung_cli import reports_changes, terms
from tanhung_cli.branches import get_branch
from tanhung_cli.cli.common import date_option, registry
from tanhung_cli.cli.outputs import ForceOption, emit, guard
from tanhung_cli.cli.report_options import BranchOpt, FormatOpt, OutputOpt
from tanhung_cli.i18n import t
from tanhung_cli.render import Format, values
from tanhung_cli.render.sheet import Sheet, Table
from tanhung_cli.render.values import cell

app = typer.Typer(no_args_is_help=True)

FIGURES = ("start", "increases", "decreases", "end")
FromOpt = Annotated[
    str | None,
    typer.Option("--from", help="First day (dd/mm/yyyy); the start is the roll the day before."),
]
ToOpt = Annotated[
    str | None, typer.Option("--to", help="Last day (dd/mm/yyyy); the end is the roll that day.")
]
TermOpt = Annotated[
    str | None,
    typer.Option(
        "--term", "-t", help="The term (nhiệm kỳ) instead of --from/--to, e.g. 2015-2020."
    ),
]


def _detail(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The committee's (or the branch's) figures, one line each, in the order of the forms."""

    def line(key: str, value: int, label: str) -> dict[str, Any]:
        return {"key": key, "figure": label, "count": value}

    first, last = values.date(data["from"]), values.date(data["to"])
    rows = [line("start", data["start"], t("changes.start", date=first))]
    for part in ("increases", "decreases"):
        found = data[part]
        rows.append(line(part, found["total"], t(f"changes.{part}")))
        rows += [
            line(f"{part}.{k}", n, f"  – {t(f'changes.{k}')}")
            for k, n in found.items()
            if k != "total" and (k != "other" or n)
        ]
    for key in ("moved_in", "moved_out"):  # between branches: shown when there are any
        if data[key]:
            rows.append(line(key, data[key], t(f"changes.{key}")))
    rows.append(line("end", data["end"], t("changes.end", date=last)))
    return rows


def _figures(data: dict[str, Any]) -> tuple[str, ...]:
    """The by-branch columns: moves between branches beside the changes when any."""
    if any(r["moved_in"] or r["moved_out"] for r in data["by_branch"]):
        return ("start", "increases", "decreases", "moved_in", "moved_out", "end")
    return FIGURES


@app.command("changes")
def changes(
    ctx: typer.Context,
    start: FromOpt = None,
    stop: ToOpt = None,
    term: TermOpt = None,
    branch: BranchOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """Count the roll at the start, each increase and decrease, and the roll at the end
    (tăng, giảm đảng viên), for the committee and by branch.

    Start (đầu kỳ): the roll the day before --from. Changes: dated --from to --to, both
    included. End (cuối kỳ): the roll at --to, as report summary gives it.
    Start + increases - decreases = end. A branch is the member's branch on each day: a
    move between branches is out of one and into the other.

    Example: tanhung report changes --from 01/01/2020 --to 30/06/2020
    """
    if term is not None and (start or stop):
        raise typer.BadParameter(t("meeting.one_period"), param_hint="--from/--to, --term")
    first = date_option(start, "--from", allow_future=True)
    last = date_option(stop, "--to", allow_future=True)
    conn = registry(ctx)
    if term is not None:
        found = terms.get_term(conn, term)
        first, last = found.start, found.end
    if first is None or last is None:
        raise typer.BadParameter(t("changes.period_needed"), param_hint="--from/--to")
    if last < first:
        raise typer.BadParameter(
            t("changes.to_before_from", start=values.date(first), end=values.date(last)),
            param_hint="--to",
        )
    branch_row = get_branch(conn, branch) if branch else None
    data = reports_changes.changes(conn, first, last, branch_row["id"] if branch_row else None)
    name = None
    if branch_row is not None:  # its name at the period's end (issue #15)
        from tanhung_cli import org

        name = org.names_at(conn, last.isoformat())[branch_row["id"]]
        data = {"branch": name, **data}
    figures = _figures(data)
    per_branch = [
        {"branch": r["branch"], **{k: _total(r, k) for k in figures}} for r in data["by_branch"]
    ]
    per_branch.append({"branch": t("report.label.all"), **{k: _total(data, k) for k in figures}})
    tables = [
        Table(
            ["figure", "count"],
            [t("changes.figure"), t("changes.count")],
            _detail(data),
            right=["count"],
            key="changes",
        ),
        Table(
            ["branch", *figures],
            [t("report.label.branch"), *(t(f"changes.col.{k}") for k in figures)],
            per_branch,
            t("changes.by_branch"),
            figures,
            "by_branch",
        ),
    ]
    if fmt is Format.csv or (output and output.suffix.lower() == ".csv"):
        tables = [Table(["key", "count"], [], _detail(data), key="changes"), _csv_branches(data)]
    lines = [
        t(
            "changes.balance",
            start=cell(data["start"]),
            increases=cell(data["increases"]["total"]),
            decreases=cell(data["decreases"]["total"]),
            end=cell(data["end"]),
        )
    ]
    if not data["reconciles"]:
        lines.append(t("changes.unbalanced"))
    title = t("changes.title", start=values.date(first), end=values.date(last))
    if branch_row is not None:
        title = f"{title} – {name}"
    emit(Sheet(title, data, lines, tables), fmt, output, guard(ctx, force))


def _total(data: dict[str, Any], key: str) -> int:
    value = data[key]
    return int(value["total"] if isinstance(value, dict) else value)


def _csv_branches(data: dict[str, Any]) -> Table:
    """By branch with every change in its own column, under stable English keys."""
    gains = [k for k in data["increases"] if k != "total"]
    losses = [k for k in data["decreases"] if k != "total"]
    rows = [
        {
            "branch": r["branch"],
            "start": r["start"],
            **{k: r["increases"].get(k, 0) for k in gains},
            "increases": r["increases"]["total"],
            **{k: r["decreases"].get(k, 0) for k in losses},
            "decreases": r["decreases"]["total"],
            "moved_in": r["moved_in"],
            "moved_out": r["moved_out"],
            "end": r["end"],
        }
        for r in data["by_branch"]
    ]
    moved = ["moved_in", "moved_out"] if "moved_in" in _figures(data) else []
    columns = ["branch", "start", *gains, "increases", *losses, "decreases", *moved, "end"]
    return Table(columns, [], rows, key="by_branch")
