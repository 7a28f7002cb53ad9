"""`tanhung report …`: the figures a clerk reports (báo cáo), in every format.

This module holds the group and the summary and per-branch reports; the term's
admissions and training are in `report_term`, the roll's composition and roster in
`report_roll`, activity in `report_activity` (joined in `cli/__init__.COMMANDS`)."""

from __future__ import annotations

from typing import Any

import typer

from tanhung_cli import reports
from tanhung_cli.cli import report_many as many
from tanhung_cli.cli.common import registry
from tanhung_cli.cli.outputs import ForceOption, emit, guard
from tanhung_cli.cli.report_options import (
    AsOf,
    BranchOpt,
    FormatOpt,
    OutputOpt,
    TermOpt,
    date_of,
    scope_of,
)
from tanhung_cli.i18n import get_lang, t
from tanhung_cli.render import Format, values
from tanhung_cli.render.sheet import Sheet, Table
from tanhung_cli.render.values import cell

app = typer.Typer(no_args_is_help=True, help="Reports (báo cáo): summary, branches, admissions…")


def _figures(data: dict[str, Any]) -> list[dict[str, Any]]:
    m, a, tr = data["members"], data["admissions"], data["training"]
    rows = [
        {"figure": t(f"report.figure.{k}"), "key": f"members.{k}", "value": m[k]}
        for k in ("total", "official", "probationary", "women", "men")
    ]
    rows += [
        {
            "figure": t("report.figure.ethnicity", name=name),
            "key": f"members.by_ethnicity.{name}",
            "value": n,
        }
        for name, n in m["by_ethnicity"].items()
    ]
    rows += [
        {"figure": t(f"report.figure.{k}"), "key": f"admissions.{k}", "value": a[k]}
        for k in ("in_term", "target", "percent_of_target", "readmitted")
    ]
    rows += [
        {"figure": t(f"report.figure.{k}"), "key": f"training.{k}", "value": tr[k]}
        for k in ("attendances", "people")
    ]
    # Meetings and support (#13): the figures of the term, where the registry has a term.
    for part, keys in (
        ("activity", ("conferences", "attendances")),
        ("support", ("amount_vnd", "loans", "members")),
    ):
        if data.get(part):
            rows += [
                {
                    "figure": t(f"report.figure.{part}.{k}"),
                    "key": f"{part}.{k}",
                    "value": data[part][k],
                }
                for k in keys
            ]
    for row in rows:
        if row["key"].endswith("percent_of_target") and row["value"] is not None:
            row["shown"] = values.percent(row["value"])
        elif row["key"] == "support.amount_vnd":
            row["shown"] = values.money(row["value"])
        else:
            row["shown"] = cell(row["value"])
    return rows


def summary_lines(data: dict[str, Any]) -> list[str]:
    """The summary as a clerk writes it: "Toàn Đảng bộ có 301 đảng viên; …"."""
    m = data["members"]
    others = ", ".join(
        f"{name} {cell(n)}" for name, n in m["by_ethnicity"].items() if name != "Kinh"
    )
    who = (
        t("report.summary.branch", name=data["branch"])
        if "branch" in data
        else t("report.summary.whole")
    )
    lines = [
        t(
            "report.summary.roll",
            who=who,
            total=cell(m["total"]),
            official=cell(m["official"]),
            probationary=cell(m["probationary"]),
            women=cell(m["women"]),
            ethnic=t("report.summary.ethnic_part", groups=others) if others else "",
        )
    ]
    term, a = data["term"], data["admissions"]
    if term is None:
        return [*lines, t("report.summary.no_term", date=cell(data["as_of"]))]
    span = {"term": term["name"], "start": cell(term["start"]), "end": cell(term["end"])}
    if a["target"]:
        lines.append(
            t(
                "report.summary.admissions",
                **span,
                admitted=cell(a["in_term"]),
                target=cell(a["target"]),
                percent=values.percent(a["percent_of_target"]),
            )
        )
    elif "branch" in data:
        lines.append(
            t(
                "report.summary.branch_admissions_no_target",
                **span,
                admitted=cell(a["in_term"]),
                branch=data["branch"],
            )
        )
    else:
        lines.append(t("report.summary.admissions_no_target", **span, admitted=cell(a["in_term"])))
    if a["readmitted"]:  # counted apart from the new admissions (kết nạp lại)
        lines.append(t("report.summary.readmitted", readmitted=cell(a["readmitted"])))
    tr = data["training"]
    lines.append(
        t("report.summary.training", attendances=cell(tr["attendances"]), people=cell(tr["people"]))
    )
    if data.get("activity") and data["activity"]["conferences"]:
        from tanhung_cli.cli.report_activity import activity_line

        lines.append(activity_line(data["activity"]))
    from tanhung_cli.cli.report_support import support_lines

    return [*lines, *support_lines(data.get("support"))]


def summary_sheet(data: dict[str, Any]) -> Sheet:
    rows = _figures(data)
    headers = [t("report.label.figure"), t("report.label.value")]
    table = Table(["figure", "shown"], headers, rows, right=("shown",))
    return Sheet(
        t("report.summary.title", date=cell(data["as_of"])), data, summary_lines(data), [table]
    )


@app.command("summary")
def summary(
    ctx: typer.Context,
    as_of: AsOf = None,
    term: TermOpt = None,
    branch: BranchOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
    dbs: many.ManyDb = None,
    folder: many.Folder = None,
    skip: many.SkipUnreadable = False,
) -> None:
    """Print the summary of the roll, admissions and training (báo cáo tổng hợp).

    With --db after the command (repeated) or --folder, the figures of many registries
    are read in place, unchanged, and added up (counts only).

    Example: tanhung report summary --term 2015-2020; tanhung report summary --folder so-cac-xa
    """
    if many.wanted(dbs, folder, branch):
        many.summary(ctx, dbs, folder, skip, as_of, term, fmt, output, force)
        return
    sc = scope_of(ctx, as_of, term, branch)
    data = reports.summary(registry(ctx), sc)
    sheet = summary_sheet(data)
    if fmt is Format.csv or (output and output.suffix.lower() == ".csv"):
        # The stable keys in English (members.total); the figures' names in Vietnamese.
        key = "key" if get_lang() == "en" else "figure"
        sheet.tables = [Table([key, "value"], [key, "value"], _figures(data))]
    elif output and output.suffix.lower() == ".xlsx":  # the figures as numbers, not text
        sheet.tables[0].columns = ["figure", "value"]
    emit(sheet, fmt, output, guard(ctx, force))


@app.command("branches")
def branches(
    ctx: typer.Context,
    as_of: AsOf = None,
    term: TermOpt = None,
    branch: BranchOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """Count members per branch: status, women, ethnic groups, admissions (theo chi bộ).

    Example: tanhung report branches --as-of 30/06/2020
    """
    sc = scope_of(ctx, as_of, term, branch)
    rows = reports.branches(registry(ctx), sc)
    counted: dict[str, int] = {}
    for r in rows:
        for name, n in r["by_ethnicity"].items():
            counted[name] = counted.get(name, 0) + n
    groups = sorted(counted, key=lambda name: -counted[name])
    flat = [
        {**{k: v for k, v in r.items() if k != "by_ethnicity"}, **r["by_ethnicity"]} for r in rows
    ]
    total: dict[str, Any] = {"branch": t("report.label.all")}
    for key in ("total", "official", "probationary", "women", *groups, "admitted_in_term"):
        values = [r.get(key) or 0 for r in flat]
        total[key] = sum(values) if sc.window or key != "admitted_in_term" else None
    numbers = ["total", "official", "probationary", "women", *groups, "admitted_in_term"]
    headers = [
        t("report.label.branch"),
        t("report.label.total"),
        t("report.label.official"),
        t("report.label.probationary"),
        t("report.label.women"),
        *groups,
        t("report.label.admitted_in_term"),
    ]
    table = Table(["branch", *numbers], headers, [*flat, total], right=numbers)
    sheet = Sheet(t("report.branches.title", date=date_of(sc)), rows, tables=[table])
    if fmt is Format.csv or (output and output.suffix.lower() == ".csv"):
        sheet.tables = [Table(["branch", "kind", *numbers], [], flat)]
    emit(sheet, fmt, output, guard(ctx, force))
