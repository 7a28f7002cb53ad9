"""`tanhung meeting …`: meetings of the committee and its branches, and who attended."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from tanhung_cli import meeting_lists, meetings, reports_activity
from tanhung_cli.branches import get_branch
from tanhung_cli.cli.common import RECORD_MAX, date_option, registry, warn
from tanhung_cli.cli.outputs import ForceOption, emit, guard
from tanhung_cli.errors import Invalid
from tanhung_cli.i18n import t
from tanhung_cli.render import Format, formats, values
from tanhung_cli.render.sheet import Sheet, Table

app = typer.Typer(
    no_args_is_help=True, help="Meetings and attendance (hội nghị, sinh hoạt chi bộ)."
)

MeetingArg = Annotated[str, typer.Argument(help="The meeting's id (meeting list).")]
FromOpt = Annotated[str | None, typer.Option("--from", help="First day counted (dd/mm/yyyy).")]
ToOpt = Annotated[str | None, typer.Option("--to", help="Last day counted (dd/mm/yyyy).")]
TermOpt = Annotated[
    str | None, typer.Option("--term", "-t", help="The term (nhiệm kỳ), e.g. 2015-2020.")
]
SinceOpt = Annotated[
    str | None, typer.Option("--since", help="From this day (dd/mm/yyyy) up to today.")
]
BranchOpt = Annotated[
    str | None, typer.Option("--branch", "-b", help="Only this branch's meetings (chi bộ).")
]
CommitteeOpt = Annotated[
    bool, typer.Option("--committee", help="Only the committee's meetings (hội nghị Đảng ủy).")
]
FormatOpt = Annotated[
    formats.Report, typer.Option("--format", "-f", help="table, json, csv or markdown.")
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to a new file: .xlsx, .md, .html, .csv (or .json)."),
]


def kind_code(value: str) -> str:
    try:
        return meetings.meeting_kind(value)
    except Invalid as exc:
        raise typer.BadParameter(exc.message(), param_hint="--kind") from None


def period_of(
    ctx: typer.Context,
    start: str | None,
    stop: str | None,
    term: str | None,
    since: str | None,
    branch: str | None = None,
    committee: bool = False,
) -> reports_activity.Period:
    """The period and holder the options name (only one way of naming the period)."""
    if sum(x is not None for x in ((start or stop), term, since)) > 1:
        raise typer.BadParameter(t("meeting.one_period"), param_hint="--from/--to, --term, --since")
    if branch and committee:
        raise typer.BadParameter(t("meeting.branch_or_committee"), param_hint="--committee")
    conn = registry(ctx)
    p = reports_activity.period(
        conn,
        start=date_option(start, "--from", allow_future=True),
        stop=date_option(stop, "--to", allow_future=True),
        term=term,
        since=date_option(since, "--since", allow_future=True),
    )
    branch_id = get_branch(conn, branch)["id"] if branch else None
    return reports_activity.Period(p.start, p.stop, branch_id, committee)


def held_by(name: str | None) -> str:
    return name or t("meeting.committee")


def period_text(p: reports_activity.Period) -> str:
    start = values.date(p.start) if p.start != reports_activity.FIRST_DAY else "…"
    return f"{start} – {values.date(p.stop)}"


@app.command("add")
def add(
    ctx: typer.Context,
    title: Annotated[
        str | None, typer.Argument(help="Title; default the kind's name.", show_default=False)
    ] = None,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            "-k",
            help="briefing, review, committee, thematic (committee); regular, thematic (branch).",
        ),
    ] = "regular",
    on: Annotated[str, typer.Option("--on", help="The day it was held (dd/mm/yyyy).")] = "",
    branch: Annotated[
        str | None,
        typer.Option("--branch", "-b", help="Held by this branch; default the committee."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="Its decision or a note.")] = None,
    guests: Annotated[
        int, typer.Option("--guests", min=0, max=RECORD_MAX, help="Guests who are not on the roll.")
    ] = 0,
) -> None:
    """Record a meeting held by the committee or a branch (ghi cuộc họp, hội nghị).

    Example: tanhung meeting add "Giao ban bí thư chi bộ quý I/2017" --kind briefing
    --on 15/03/2017; tanhung meeting add --kind regular --branch "Ấp Chợ" --on 05/04/2024
    """
    code = kind_code(kind)
    day = date_option(on or None, "--on")
    if day is None:
        raise typer.BadParameter(t("meeting.on_required"), param_hint="--on")
    conn = registry(ctx, write=True)
    meeting_id = meetings.add_meeting(conn, day, code, title, branch, note, guests)
    row = meetings.get_meeting(conn, meeting_id)
    typer.echo(t("meeting.added", id=meeting_id, title=row["title"], date=values.date(day)))


def _meeting_table(rows: list[dict[str, Any]]) -> Table:
    shown = [
        {
            **r,
            "kind_label": values.label("meeting_kind", r["kind"]),
            "held": held_by(r["held_by"]),
        }
        for r in rows
    ]
    columns = ["id", "on_date", "kind_label", "title", "held", "present", "absent", "guests"]
    headers = [t("column.id"), *(t(f"meeting.col.{c}") for c in columns[1:])]
    return Table(
        columns, headers, shown, right=("present", "absent", "guests"), keep_whole=("on_date",)
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    start: FromOpt = None,
    stop: ToOpt = None,
    term: TermOpt = None,
    since: SinceOpt = None,
    kind: Annotated[str | None, typer.Option("--kind", "-k", help="Only this kind.")] = None,
    branch: BranchOpt = None,
    committee: CommitteeOpt = False,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """List meetings, oldest first, with how many attended (danh sách cuộc họp).

    The CSV (--format csv) has the columns of `import meetings`. Example:
    tanhung meeting list --term 2015-2020 --kind briefing
    """
    p = period_of(ctx, start, stop, term, since, branch, committee)
    code = kind_code(kind) if kind else None
    rows = meeting_lists.list_meetings(registry(ctx), p, code)
    table = _meeting_table(rows)
    if fmt is Format.csv or (output and output.suffix.lower() == ".csv"):
        table = Table(meeting_lists.MEETING_COLUMNS, [], rows)
    title = t("meeting.list_title", period=period_text(p))
    sheet = Sheet(title, rows, tables=[table], caption=t("meeting.count", count=len(rows)))
    emit(sheet, fmt, output, guard(ctx, force))


@app.command("show")
def show(
    ctx: typer.Context,
    meeting: MeetingArg,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """Show a meeting and its attendees in Vietnamese name order (chi tiết cuộc họp)."""
    detail = meeting_lists.meeting_detail(registry(ctx), meeting)
    people = [
        {**p, "no": i, "status_label": values.label("attendance", p["attendance"])}
        for i, p in enumerate(detail["members"], 1)
    ]
    columns = ["no", "id", "full_name", "branch", "status_label", "reason"]
    labels = (
        "label.no",
        "column.id",
        "column.full_name",
        "column.branch",
        "meeting.col.attendance",
        "meeting.col.reason",
    )
    headers = [t(key) for key in labels]
    attendees = Table(columns, headers, people, key="attendance")
    if fmt is Format.csv or (output and output.suffix.lower() == ".csv"):
        attendees = Table(["id", "full_name", "branch", "attendance", "reason"], [], people)
    lines = [
        t(
            "meeting.show_line",
            date=values.date(detail["on_date"]),
            kind=values.label("meeting_kind", detail["kind"]),
            held=held_by(detail["held_by"]),
            present=detail["present"],
            absent=detail["absent"],
            guests=detail["guests"],
        )
    ]
    if detail["note"]:
        lines.append(t("meeting.note_line", note=detail["note"]))
    emit(Sheet(detail["title"], detail, lines, [attendees]), fmt, output, guard(ctx, force))


@app.command("attend")
def attend(
    ctx: typer.Context,
    meeting: MeetingArg,
    members: Annotated[list[str], typer.Argument(help="Member ids or party card numbers.")],
    status: Annotated[
        str,
        typer.Option(
            "--status",
            "-s",
            help="present (có mặt), excused (vắng có lý do) or absent (vắng không lý do).",
        ),
    ] = "present",
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why they were absent (lý do vắng).")
    ] = None,
) -> None:
    """Mark members at a meeting (điểm danh): all of them or, on any refusal, none.

    Each must be on the roll on the meeting's day (of that branch, for a branch meeting).
    Example: tanhung meeting attend 4 12 15 31; tanhung meeting attend 4 7 -s excused
    --reason "ốm"
    """
    conn = registry(ctx, write=True)
    result = meetings.attend(conn, meeting, members, status, reason)
    if result.unchanged:
        warn(t("meeting.already_marked", ids=", ".join(map(str, result.unchanged))))
    label = values.label("attendance", meetings.attendance_status(status))
    typer.echo(
        t(
            "meeting.marked",
            count=len(result.added) + len(result.changed),
            id=result.meeting_id,
            status=label,
        )
    )
