"""`tanhung report activity|attendance`: meetings, attendances (lượt) and people."""

from __future__ import annotations

from typing import Any

import typer

from tanhung_cli import reports_activity
from tanhung_cli.cli.common import registry
from tanhung_cli.cli.meeting import (
    BranchOpt,
    CommitteeOpt,
    FormatOpt,
    FromOpt,
    OutputOpt,
    SinceOpt,
    TermOpt,
    ToOpt,
    held_by,
    period_of,
    period_text,
)
from tanhung_cli.cli.outputs import ForceOption, emit, guard
from tanhung_cli.i18n import t
from tanhung_cli.render import Format, values
from tanhung_cli.render.sheet import Sheet, Table

app = typer.Typer(no_args_is_help=True)

FIGURES = ("meetings", "attendances", "members", "excused", "absent", "guests", "percent_present")
SHOWN = ("meetings", "attendances", "members", "guests", "percent_present")  # on a terminal


def activity_line(figures: dict[str, Any]) -> str:
    """The article's sentence: "Từ năm 2017 đến nay, tổ chức 12 cuộc hội nghị … 623 lượt"."""
    if not figures.get("conferences"):
        return t("activity.no_conferences")
    since = figures["since"][:4]
    return t(
        "activity.line",
        since=since,
        conferences=values.integer(figures["conferences"]),
        attendances=values.integer(figures["attendances"]),
    )


def _table(
    rows: list[dict[str, Any]], first: str, header: str, key: str, figures: tuple[str, ...]
) -> Table:
    headers = [header, *(t(f"activity.col.{c}") for c in figures)]
    title = t(f"activity.{key}") if header else ""
    return Table([first, *figures], headers, rows, title=title, right=figures, key=key)


@app.command("activity")
def activity(
    ctx: typer.Context,
    start: FromOpt = None,
    stop: ToOpt = None,
    term: TermOpt = None,
    since: SinceOpt = None,
    branch: BranchOpt = None,
    committee: CommitteeOpt = False,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """Count meetings, attendances (lượt) and members by kind and by branch (sinh hoạt đảng).

    Attendances count members present; the rate is present over those marked.
    Example: tanhung report activity --term 2015-2020; tanhung report activity --since 01/01/2017
    """
    p = period_of(ctx, start, stop, term, since, branch, committee)
    data = reports_activity.activity(registry(ctx), p)
    kinds = [{**r, "label": values.label("meeting_kind", r["kind"])} for r in data["by_kind"]]
    kinds.append({"kind": "", "label": t("report.label.all"), **data["total"]})
    holders = [{**r, "held": held_by(r["branch"])} for r in data["by_branch"]]
    tables = [
        _table(kinds, "label", t("activity.col.kind"), "by_kind", SHOWN),
        _table(holders, "held", t("activity.col.held"), "by_branch", SHOWN),
    ]
    if fmt is Format.csv or (output and output.suffix.lower() == ".csv"):
        tables = [
            _table(data["by_kind"], "kind", "", "by_kind", FIGURES),
            _table(data["by_branch"], "branch", "", "by_branch", FIGURES),
        ]
    title = t("activity.title", period=period_text(p))
    emit(Sheet(title, data, tables=tables), fmt, output, guard(ctx, force))


@app.command("attendance")
def attendance(
    ctx: typer.Context,
    start: FromOpt = None,
    stop: ToOpt = None,
    term: TermOpt = None,
    since: SinceOpt = None,
    branch: BranchOpt = None,
    committee: CommitteeOpt = False,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """Show each member's attendance and rate over a period (tỷ lệ dự sinh hoạt).

    Example: tanhung report attendance --branch "Ấp Chợ" --from 01/01/2019 --to 31/12/2019
    """
    p = period_of(ctx, start, stop, term, since, branch, committee)
    rows = reports_activity.member_rates(registry(ctx), p)
    columns = ["id", "full_name", "meetings", "present", "excused", "absent", "percent_present"]
    headers = [
        t("column.id"),
        t("column.full_name"),
        *(t(f"activity.col.{c}") for c in columns[2:]),
    ]
    numbers = columns[2:]
    if fmt is Format.csv or (output and output.suffix.lower() == ".csv"):
        columns.insert(2, "branch")
    table = Table(columns, headers, rows, right=numbers, keep_whole=numbers)
    title = t("activity.attendance_title", period=period_text(p))
    caption = t("member.count", count=len(rows))
    emit(Sheet(title, rows, tables=[table], caption=caption), fmt, output, guard(ctx, force))
