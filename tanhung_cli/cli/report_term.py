"""`tanhung report admissions|training|leavings`: the term's admissions, training, leavings."""

from __future__ import annotations

import typer

from tanhung_cli import reports_term
from tanhung_cli.cli.common import registry
from tanhung_cli.cli.outputs import ForceOption, emit, guard
from tanhung_cli.cli.report_options import (
    AsOf,
    BranchOpt,
    FormatOpt,
    OutputOpt,
    TermOpt,
    date_of,
    need_term,
    scope_of,
)
from tanhung_cli.i18n import t
from tanhung_cli.render import Format, values
from tanhung_cli.render.charts import bar_chart
from tanhung_cli.render.sheet import Sheet, Table
from tanhung_cli.render.values import cell

app = typer.Typer(no_args_is_help=True)


@app.command("admissions")
def admissions(
    ctx: typer.Context,
    as_of: AsOf = None,
    term: TermOpt = None,
    branch: BranchOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """Show the term's admissions by year and branch against the target (kết nạp đảng viên).

    Example: tanhung report admissions --term 2015-2020
    """
    sc = scope_of(ctx, as_of, term, branch)
    need_term(sc)
    data = reports_term.admissions(registry(ctx), sc)
    years = [
        {"group": str(r["year"]), "admitted": r["admitted"], "readmitted": r["readmitted"]}
        for r in data["by_year"]
    ]
    # Re-admissions (kết nạp lại), counted apart from new admissions, where there are any.
    again = ["readmitted"] if data["readmitted"] else []
    per_branch = [
        {
            "group": r["branch"],
            "admitted": r["admitted"],
            "target": r["target"],
            "percent": values.percent(r["percent_of_target"])
            if r["percent_of_target"] is not None
            else None,
        }
        for r in data["by_branch"]
    ]
    admitted = t("report.label.admitted")
    # A branch's own targets, where any branch has one (never the committee's).
    goals = ["target", "percent"] if any(r["target"] for r in per_branch) else []
    tables = [
        Table(
            ["group", "admitted", *again],
            [t("report.label.year"), admitted, *(t("report.label.readmitted") for _ in again)],
            years,
            t("report.admissions.by_year"),
            ["admitted", *again],
            "year",
        ),
        Table(
            ["group", "admitted", *goals],
            [t("report.label.branch"), admitted, *(t("report.label." + g) for g in goals)],
            per_branch,
            t("report.admissions.by_branch"),
            ["admitted", *goals],
            "branch",
        ),
    ]
    lines = []
    if data["target"]:
        lines.append(
            t(
                "report.admissions.result",
                admitted=cell(data["in_term"]),
                target=cell(data["target"]),
                percent=values.percent(data["percent_of_target"]),
            )
        )
    if data["readmitted"]:
        lines.append(t("report.summary.readmitted", readmitted=cell(data["readmitted"])))
    chart = bar_chart(
        t("report.admissions.chart_title", target=cell(data["target"])),
        [(str(r["year"]), r["admitted"]) for r in data["by_year"]],
    )
    charts = [chart]
    if data["target"]:
        against = [
            (t("report.label.admitted"), data["in_term"]),
            (t("report.label.target"), round(data["target"])),
        ]
        mark = t("render.chart.target", target=cell(data["target"]))
        title = t("report.admissions.against_title")
        charts.append(bar_chart(title, against, target=data["target"], target_label=mark))
    title = t("report.admissions.title", term=data["term"]["name"], date=date_of(sc))
    emit(Sheet(title, data, lines, tables, charts), fmt, output, guard(ctx, force))


@app.command("training")
def training(
    ctx: typer.Context,
    as_of: AsOf = None,
    term: TermOpt = None,
    branch: BranchOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """Count training attendances (lượt) and people by kind of course (đào tạo, bồi dưỡng).

    Example: tanhung report training --term 2015-2020 --format markdown
    """
    sc = scope_of(ctx, as_of, term, branch)
    need_term(sc)
    data = reports_term.training(registry(ctx), sc)
    rows = [{**r, "label": values.label("course_kind", r["kind"])} for r in data["by_kind"]]
    rows.append({"kind": "", "label": t("report.label.all"), **data["total"]})
    table = Table(
        ["label", "attendances", "people"],
        [t("report.label.course_kind"), t("report.label.attendances"), t("report.label.people")],
        rows,
        right=("attendances", "people"),
    )
    if fmt is Format.csv or (output and output.suffix.lower() == ".csv"):
        table = Table(["kind", "attendances", "people"], [], data["by_kind"])
    assert sc.term is not None
    title = t("report.training.title", term=sc.term.name, date=date_of(sc))
    emit(Sheet(title, data, tables=[table]), fmt, output, guard(ctx, force))


@app.command("leavings")
def leavings(
    ctx: typer.Context,
    as_of: AsOf = None,
    term: TermOpt = None,
    branch: BranchOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """Count who left the Party in the term, by reason; removals by why (ra khỏi Đảng).

    Died, name removed, expelled and resigned are separate statistical columns.
    Example: tanhung report leavings --term 2015-2020
    """
    from tanhung_cli import reports_leaving

    sc = scope_of(ctx, as_of, term, branch)
    need_term(sc)
    data = reports_leaving.leavings(registry(ctx), sc)
    rows = []
    for entry in data["by_reason"]:
        rows.append(
            {"group": values.label("leave_reason", entry["reason"]), "count": entry["count"]}
        )
        for part in entry.get("by_removal", ()):
            label = (
                values.label("removal_reason", part["removal"])
                if part["removal"]
                else t("report.leavings.not_recorded")
            )
            rows.append({"group": f"  – {label}", "count": part["count"]})
    rows.append({"group": t("report.label.all"), "count": data["total"]})
    if data["restored"]:
        rows.append({"group": t("gaps.restored_apart"), "count": data["restored"]})
    table = Table(
        ["group", "count"],
        [t("report.leavings.reason"), t("report.leavings.count")],
        rows,
        right=["count"],
        key="reason",
    )
    title = t("report.leavings.title", term=data["term"]["name"], date=date_of(sc))
    emit(Sheet(title, data, [], [table]), fmt, output, guard(ctx, force))
