"""`tanhung report …`: the figures a clerk reports (báo cáo), in every format."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from tanhung_cli import composition, render, reports
from tanhung_cli.cli.common import date_option, registry, warn
from tanhung_cli.cli.outputs import ForceOption, emit, guard
from tanhung_cli.i18n import get_lang, t
from tanhung_cli.render import Format, formats, values
from tanhung_cli.render.charts import bar_chart, pyramid
from tanhung_cli.render.sheet import Sheet, Table
from tanhung_cli.render.values import cell

app = typer.Typer(no_args_is_help=True, help="Reports (báo cáo): summary, branches, admissions…")

AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Answer for this date (dd/mm/yyyy); default the term's end or today."
    ),
]
TermOpt = Annotated[
    str | None,
    typer.Option(
        "--term",
        "-t",
        help="The term (nhiệm kỳ), e.g. 2015-2020; default the term running at --as-of.",
    ),
]
BranchOpt = Annotated[str | None, typer.Option("--branch", "-b", help="Only this branch (chi bộ).")]
FormatOpt = Annotated[
    formats.Report, typer.Option("--format", "-f", help="table, json, csv or markdown.")
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to a new file to print: .md, .html, .csv (or .json).",
    ),
]


def _scope(
    ctx: typer.Context, as_of: str | None, term: str | None, branch: str | None = None
) -> reports.Scope:
    day = date_option(as_of, "--as-of", allow_future=True)
    return reports.scope(registry(ctx), as_of=day, term=term, branch=branch)


def _date(sc: reports.Scope) -> str:
    return values.date(sc.as_of)


def _need_term(sc: reports.Scope) -> None:
    if sc.term is None:
        from tanhung_cli.errors import NotFound

        raise NotFound("report.no_term", date=_date(sc))


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
        for k in ("in_term", "target", "percent_of_target")
    ]
    rows += [
        {"figure": t(f"report.figure.{k}"), "key": f"training.{k}", "value": tr[k]}
        for k in ("attendances", "people")
    ]
    for row in rows:
        if row["key"].endswith("percent_of_target") and row["value"] is not None:
            row["shown"] = values.percent(row["value"])
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
    tr = data["training"]
    lines.append(
        t("report.summary.training", attendances=cell(tr["attendances"]), people=cell(tr["people"]))
    )
    return lines


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
) -> None:
    """Print the summary of the roll, admissions and training (báo cáo tổng hợp).

    Example: tanhung report summary --term 2015-2020
    """
    sc = _scope(ctx, as_of, term, branch)
    data = reports.summary(registry(ctx), sc)
    sheet = summary_sheet(data)
    if fmt is Format.csv or (output and output.suffix.lower() == ".csv"):
        sheet.tables = [
            Table(
                ["key", "value"],
                ["key", "value"],
                [{"key": r["key"], "value": r["value"]} for r in _figures(data)],
            )
        ]
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
    sc = _scope(ctx, as_of, term, branch)
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
    sheet = Sheet(t("report.branches.title", date=_date(sc)), rows, tables=[table])
    if fmt is Format.csv or (output and output.suffix.lower() == ".csv"):
        sheet.tables = [Table(["branch", "kind", *numbers], [], flat)]
    emit(sheet, fmt, output, guard(ctx, force))


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
    sc = _scope(ctx, as_of, term, branch)
    _need_term(sc)
    data = reports.admissions(registry(ctx), sc)
    years = [{"group": str(r["year"]), "admitted": r["admitted"]} for r in data["by_year"]]
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
            ["group", "admitted"],
            [t("report.label.year"), admitted],
            years,
            t("report.admissions.by_year"),
            ["admitted"],
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
        charts.append(bar_chart(t("report.admissions.against_title"), against))
    title = t("report.admissions.title", term=data["term"]["name"], date=_date(sc))
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
    sc = _scope(ctx, as_of, term, branch)
    _need_term(sc)
    data = reports.training(registry(ctx), sc)
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
    title = t("report.training.title", term=sc.term.name, date=_date(sc))
    emit(Sheet(title, data, tables=[table]), fmt, output, guard(ctx, force))


@app.command("composition")
def composition_(
    ctx: typer.Context,
    as_of: AsOf = None,
    branch: BranchOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """Break the roll down by ethnicity, religion, age, theory and education (cơ cấu đảng viên).

    Example: tanhung report composition --branch "Te Te 1"
    """
    sc = _scope(ctx, as_of, None, branch)
    data = composition.composition(registry(ctx), sc, get_lang())
    if data.get("age_uncertain"):
        warn(t("dates.age_bands_uncertain", count=data["age_uncertain"]))
    head = [
        t("report.label.group"),
        t("report.label.men"),
        t("report.label.women"),
        t("report.label.total"),
    ]
    tables = []
    for key in ("ethnicity", "religion", "age", "theory_level", "education"):
        rows = [{**r, "group": r["group"] or t("report.label.not_stated")} for r in data[key]]
        tables.append(
            Table(
                ["group", "men", "women", "total"],
                head,
                rows,
                t(f"report.composition.{key}"),
                ("men", "women", "total"),
                key,
            )
        )
    chart = pyramid(
        t("report.composition.pyramid"), [(r["group"], r["men"], r["women"]) for r in data["age"]]
    )
    emit(
        Sheet(t("report.composition.title", date=_date(sc)), data, tables=tables, charts=[chart]),
        fmt,
        output,
        guard(ctx, force),
    )


ROSTER_COLUMNS = ("no", "full_name", "gender", "birth_date", "ethnicity", "religion", "home_town",
                  "education", "admitted_on", "official_on", "card_no", "transfers", "leaving",
                  "remarks")  # fmt: skip


SCREEN_COLUMNS = ("no", "full_name", "gender", "birth_date", "ethnicity", "admitted_on",
                  "official_on", "card_no", "remarks")  # fmt: skip


@app.command("roster")
def roster(
    ctx: typer.Context,
    branch: BranchOpt = None,
    as_of: AsOf = None,
    all_: Annotated[bool, typer.Option("--all", help="Include members who left the roll.")] = False,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """Print a branch's member list in the form of the official list (danh sách đảng viên).

    The terminal shows the main columns; --output FILE (.html, .md, .csv) writes
    every column of the form, ready to print.

    Example: tanhung report roster --branch "Ấp Chợ" --output ap-cho.html
    """
    sc = _scope(ctx, as_of, None, branch)
    rows = composition.roster(registry(ctx), sc, include_left=all_)
    shown = []
    for r in rows:
        moved = (
            t("report.roster.transferred_in", date=cell(r["transferred_in_on"]))
            if r["transferred_in_on"]
            else ""
        )
        left = f"{cell(r['left_on'])} {r['left_reason'] or ''}".strip() if r["left_on"] else ""
        exempt = (
            t("report.roster.exempt", date=cell(r["exempt_since"])) if r["exempt_since"] else ""
        )
        away = (
            t("report.roster.away", place=r["away_to"], date=cell(r["away_since"]))
            if r["away_since"]
            else ""
        )
        education = " / ".join(x for x in (r["education"], r["theory_level"]) if x)
        transfers = "; ".join(x for x in (moved, away) if x)
        remarks = "; ".join(x for x in (moved, away, left, exempt) if x)
        # The form's note column holds what has no column of its own; the screen's, all.
        shown.append(
            {
                **r,
                "education": education,
                "transfers": transfers,
                "leaving": left,
                "remarks": remarks if output is None else exempt,
            }
        )
    # On the terminal, the columns that fit a screen; the full form goes to a file to print.
    columns = ROSTER_COLUMNS if output else SCREEN_COLUMNS
    headers = [t(f"report.label.{c}") for c in columns]
    dates = ("birth_date", "admitted_on", "official_on", "card_no")
    table = Table(columns, headers, shown, right=("no",), keep_whole=dates)
    if fmt is Format.csv or (output and output.suffix.lower() == ".csv"):
        table = Table(list(rows[0]) if rows else ["no"], [], rows)
    who = sc.branch or t("report.roster.all_branches")
    if fmt is Format.table and output is None:
        # A long list: the registry's one-pass grid, which fits the names to the terminal.
        render.grid(
            [[cell(r.get(c), c) for c in columns] for r in shown],
            headers,
            title=t("report.roster.title", branch=who, date=_date(sc)),
            caption=t("report.roster.count", count=len(rows)),
            justify=["right" if c == "no" else "left" for c in columns],
        )
        return
    sheet = Sheet(
        t("report.roster.title", branch=who, date=_date(sc)),
        rows,
        tables=[table],
        caption=t("report.roster.count", count=len(rows)),
    )
    emit(sheet, fmt, output, guard(ctx, force))


def _register_support() -> None:
    from tanhung_cli.cli.report_support import support

    app.command("support")(support)


_register_support()
