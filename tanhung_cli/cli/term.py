"""`tanhung term …` and `tanhung target …`: terms (nhiệm kỳ) and their targets (chỉ tiêu)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tanhung_cli import render, terms
from tanhung_cli.cli.common import Format, FormatOption, date_option, registry
from tanhung_cli.cli.list_output import listing, refuse_early, write_list
from tanhung_cli.cli.outputs import ForceOption
from tanhung_cli.cli.report_options import OutputOpt
from tanhung_cli.i18n import t
from tanhung_cli.render import values

app = typer.Typer(no_args_is_help=True, help="Terms between congresses (nhiệm kỳ).")
target_app = typer.Typer(no_args_is_help=True, help="Targets of a term's resolution (chỉ tiêu).")


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The term's name, e.g. 2020-2025.")],
    start: Annotated[str, typer.Option("--start", help="First day (dd/mm/yyyy).")],
    end: Annotated[str, typer.Option("--end", help="Last day (dd/mm/yyyy).")],
) -> None:
    """Record a term between two congresses (thêm nhiệm kỳ).

    Example: tanhung term add 2015-2020 --start 01/07/2015 --end 30/06/2020
    """
    first = date_option(start, "--start", allow_future=True)
    last = date_option(end, "--end", allow_future=True)
    assert first is not None and last is not None
    term = terms.add_term(registry(ctx, write=True), name, first, last)
    typer.echo(
        t("term.added", name=term.name, start=values.date(term.start), end=values.date(term.end))
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    fmt: FormatOption = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """List the terms with their targets (danh sách nhiệm kỳ).

    Example: tanhung term list -o nhiem-ky.xlsx
    """
    refuse_early(ctx, output, force)
    conn = registry(ctx)
    found = terms.list_terms(conn)
    own = terms.list_branch_targets(conn)
    rows: list[dict[str, Any]] = [
        {**term.as_json(), "targets": targets, "branch_targets": own.get(term.id, {})}
        for term, targets in found
    ]
    if fmt is Format.json:
        render.to_json(rows)
        return
    if fmt is Format.csv:
        flat = [{**r, **{f"target_{k}": v for k, v in r["targets"].items()}} for r in rows]
        metrics = [f"target_{m}" for m in terms.METRICS]
        render.to_csv(flat, ["name", "start", "end", *metrics])
        return
    cells = [
        (
            term.name,
            term.start.isoformat(),
            term.end.isoformat(),
            "; ".join(
                [
                    *(
                        f"{t('term.metric.' + k)}: {values.short_decimal(v)}"
                        for k, v in targets.items()
                    ),
                    *(
                        f"{branch}: {t('term.metric.' + k)} {values.short_decimal(v)}"
                        for branch, goals in own.get(term.id, {}).items()
                        for k, v in goals.items()
                    ),
                ]
            ),
        )
        for term, targets in found
    ]
    headers = [
        t("report.label.term"),
        t("report.label.start"),
        t("report.label.end"),
        t("report.label.targets"),
    ]
    if output is not None:
        table = listing(("name", "start", "end", "targets"), headers, cells, (), ("start", "end"))
        write_list(ctx, output, force, t("term.list_title"), table, rows)
        return
    if not rows:
        typer.echo(t("term.none"))
        return
    shown = [
        (name, values.date(start), values.date(end), goals) for name, start, end, goals in cells
    ]
    render.table(shown, headers, title=t("term.list_title"))


@target_app.command("set")
def set_(
    ctx: typer.Context,
    term: Annotated[str, typer.Argument(help="The term, e.g. 2015-2020.")],
    metric: Annotated[
        str, typer.Argument(help="admissions (kết nạp) or training (lượt bồi dưỡng).")
    ],
    value: Annotated[float, typer.Argument(help="The target, e.g. 39.")],
    branch: Annotated[
        str | None,
        typer.Option("--branch", "-b", help="A branch's own target (chỉ tiêu của chi bộ)."),
    ] = None,
) -> None:
    """Set a target of a term's resolution (đặt chỉ tiêu nghị quyết).

    Example: tanhung target set 2015-2020 admissions 39
    A branch's own: tanhung target set 2015-2020 admissions 6 --branch "Ấp Chợ"
    """
    found = terms.set_target(registry(ctx, write=True), term, metric, value, branch)
    code = terms.metric_code(metric)
    shown = values.short_decimal(value)
    if branch is None:
        typer.echo(
            t("term.target_set", name=found.name, metric=t("term.metric." + code), value=shown)
        )
    else:
        from tanhung_cli.branches import get_branch

        typer.echo(
            t(
                "term.branch_target_set",
                name=found.name,
                metric=t("term.metric." + code),
                value=shown,
                branch=get_branch(registry(ctx), branch)["name"],
            )
        )
