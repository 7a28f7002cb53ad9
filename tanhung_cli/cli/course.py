"""`tanhung course …`: training courses (đào tạo, bồi dưỡng) and who took them."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Annotated, Any

import typer

from tanhung_cli import courses, enrolments, render
from tanhung_cli.cli.common import Format, FormatOption, date_option, warn
from tanhung_cli.cli.common import registry as open_registry
from tanhung_cli.cli.list_output import listing, refuse_early, write_list
from tanhung_cli.cli.outputs import ForceOption, emit, guard
from tanhung_cli.cli.report_options import OutputOpt
from tanhung_cli.errors import Invalid
from tanhung_cli.i18n import t
from tanhung_cli.problems import word
from tanhung_cli.render import values
from tanhung_cli.render.sheet import Sheet

app = typer.Typer(no_args_is_help=True, help="Training courses (khóa đào tạo, bồi dưỡng).")

CourseArg = Annotated[str, typer.Argument(help="The course, by id or name.")]
MembersArg = Annotated[list[str], typer.Argument(help="Member ids or party card numbers.")]
COLUMNS = ("id", "name", "kind", "organiser", "start_on", "end_on", "enrolled", "completed")


def _kind(value: str) -> str:
    try:
        return courses.course_kind(value)
    except Invalid as exc:
        raise typer.BadParameter(exc.message(), param_hint="--kind") from None


def _required_date(value: str, option: str) -> dt.date:
    day = date_option(value, option, allow_future=True)
    assert day is not None
    return day


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Name of the course.")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            "-k",
            help="theory-elementary, theory-intermediate, theory-advanced, new-member, committee, professional (or the Vietnamese name).",
        ),
    ],
    start: Annotated[str, typer.Option("--start", help="First day (dd/mm/yyyy).")],
    end: Annotated[str, typer.Option("--end", help="Last day (dd/mm/yyyy).")],
    organiser: Annotated[
        str | None, typer.Option("--organiser", help="Who runs it (đơn vị tổ chức).")
    ] = None,
) -> None:
    """Add a training course (thêm khóa đào tạo, bồi dưỡng).

    Example: tanhung course add "Lớp đảng viên mới đợt 1/2024" --kind new-member
    --start 04/03/2024 --end 08/03/2024 --organiser "Trung tâm chính trị huyện"
    """
    code = _kind(kind)
    conn = open_registry(ctx, write=True)
    course_id = courses.add_course(
        conn, name, code, _required_date(start, "--start"), _required_date(end, "--end"), organiser
    )
    typer.echo(t("course.added", id=course_id, name=courses.get_course(conn, course_id)["name"]))


def _table_rows(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (
            r["id"],
            r["name"],
            values.label("course_kind", r["kind"]),
            r["organiser"],
            values.date(r["start_on"]),
            values.date(r["end_on"]),
            r.get("enrolled", 0),
            r.get("completed", 0),
        )
        for r in rows
    ]


@app.command("list")
def list_(
    ctx: typer.Context,
    kind: Annotated[
        str | None, typer.Option("--kind", "-k", help="Only courses of this kind.")
    ] = None,
    fmt: FormatOption = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """List the training courses, newest first (danh sách khóa học).

    Example: tanhung course list -o khoa-hoc.xlsx
    """
    refuse_early(ctx, output, force)
    rows = courses.list_courses(open_registry(ctx), _kind(kind) if kind else None)
    if output is not None:
        headers = [t("column.id") if c == "id" else t("course.col." + c) for c in COLUMNS]
        shown = [{**r, "kind": values.label("course_kind", r["kind"])} for r in rows]
        table = listing(
            COLUMNS,
            headers,
            [[r.get(c) for c in COLUMNS] for r in shown],
            right=("id", "enrolled", "completed"),
            keep_whole=("start_on", "end_on"),
        )
        caption = t("course.count", count=len(rows))
        write_list(ctx, output, force, t("course.list_title"), table, rows, caption)
        return
    if fmt is Format.json:
        render.to_json(rows)
    elif fmt is Format.csv:
        render.to_csv(rows, COLUMNS)
    else:
        headers = [t("column.id") if c == "id" else t("course.col." + c) for c in COLUMNS]
        caption = t("course.count", count=len(rows))
        render.table(_table_rows(rows), headers, title=t("course.list_title"), caption=caption)


@app.command("show")
def show(
    ctx: typer.Context,
    course: CourseArg,
    fmt: FormatOption = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """Show a course and its participants (học viên) in Vietnamese name order."""
    refuse_early(ctx, output, force)
    detail = courses.course_detail(open_registry(ctx), course)
    if fmt is Format.json and output is None:
        render.to_json(detail)
        return
    people = detail["members"]
    if fmt is Format.csv and output is None:
        render.to_csv(people, ["id", "full_name", "branch", "completed", "completed_on"])
        return
    headers = [t("column.id") if c == "id" else t("course.col." + c) for c in COLUMNS]
    yes, no = t("life.yes"), t("life.no")
    cells = [
        (i, p["id"], p["full_name"], p["branch"], yes if p["completed"] else no, p["completed_on"])
        for i, p in enumerate(people, 1)
    ]
    heads = [
        t("label.no"),
        t("column.id"),
        t("column.full_name"),
        t("column.branch"),
        t("course.col.completed"),
        t("label.on_date"),
    ]
    caption = t("member.count", count=len(people))
    if output is not None:
        names = ("no", "id", "full_name", "branch", "completed", "completed_on")
        table = listing(names, heads, cells, ("no", "id"), ("completed_on",))
        about = [
            f"{h}: {v}" for h, v in zip(headers[2:6], _table_rows([detail])[0][2:6], strict=True)
        ]
        sheet = Sheet(detail["name"], detail, about, [table], caption=caption)
        emit(sheet, Format.table, output, guard(ctx, force))
        return
    render.table(_table_rows([detail]), headers, title=detail["name"])
    grid = [(*c[:5], values.date(c[5])) for c in cells]
    render.grid(grid, heads, caption=caption)


@app.command("enrol")
def enrol(
    ctx: typer.Context,
    course: CourseArg,
    members: MembersArg,
    temporary: Annotated[
        bool,
        typer.Option(
            "--temporary",
            help="Count members who attend here only temporarily (sinh hoạt tạm thời).",
        ),
    ] = False,
) -> None:
    """Enrol members in a course (ghi danh học viên): all of them or, on any refusal, none.

    Only members on this committee's roll during the course count here.
    Example: tanhung course enrol 3 12 15 01234567
    """
    conn = open_registry(ctx, write=True)
    result = enrolments.enrol(conn, course, members, temporary=temporary)
    name = courses.get_course(conn, result.course_id)["name"]
    if result.already:
        warn(t("course.already_enrolled", ids=", ".join(map(str, result.already))))
    typer.echo(t("course.enrolled", count=len(result.added), name=name))


@app.command("complete")
def complete(
    ctx: typer.Context,
    course: CourseArg,
    members: MembersArg,
    on: Annotated[
        str | None, typer.Option("--on", help="Completion date; default the course's end.")
    ] = None,
) -> None:
    """Record members completing a course (hoàn thành khóa học); theory courses raise the level.

    The members must be enrolled, and the course over by the completion date.
    Example: tanhung course complete 3 12 15
    """
    conn = open_registry(ctx, write=True)
    result = enrolments.complete(conn, course, members, date_option(on, "--on"))
    name = courses.get_course(conn, result.course_id)["name"]
    for problem in result.warnings:  # the level a code: its label in the clerk's language
        level = values.label("theory_level", problem.params.get("level"))
        warn(word(replace(problem, params={**problem.params, "level": level})))
    if result.already:
        warn(t("course.already_completed", ids=", ".join(map(str, result.already))))
    for member_id, (old, new) in result.theory.items():
        old_label = values.label("theory_level", old) or "—"
        new_label = values.label("theory_level", new)
        typer.echo(t("course.theory_raised", id=member_id, old=old_label, new=new_label))
    typer.echo(t("course.completed", count=len(result.completed), name=name))
