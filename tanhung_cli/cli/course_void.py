"""`tanhung course edit|void|void-enrolment`: a course or an enrolment typed wrongly (#15)."""

from __future__ import annotations

from typing import Annotated

import typer

from tanhung_cli.cli.common import date_option, registry
from tanhung_cli.i18n import t

# Joined to the `course` group in cli/__init__.COMMANDS.
app = typer.Typer()

CourseArg = Annotated[str, typer.Argument(help="The course, by id or name.")]
ReasonOption = Annotated[
    str | None, typer.Option("--reason", help="Why (lý do), required: kept in the audit trail.")
]


def changed(changes: dict[str, object]) -> str:
    """The fields a change touched, as the clerk reads them."""
    return ", ".join(t("void.field." + column) for column in changes) or t("void.nothing")


@app.command("edit")
def edit(
    ctx: typer.Context,
    course: CourseArg,
    name: Annotated[str | None, typer.Option("--name", help="The right name.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", "-k", help="The right kind.")] = None,
    start: Annotated[str | None, typer.Option("--start", help="First day (dd/mm/yyyy).")] = None,
    end: Annotated[str | None, typer.Option("--end", help="Last day (dd/mm/yyyy).")] = None,
    organiser: Annotated[
        str | None, typer.Option("--organiser", help='Who runs it ("" clears it).')
    ] = None,
) -> None:
    """Correct a course typed wrongly (sửa khóa đào tạo): name, kind, dates, organiser.

    Example: tanhung course edit 3 --start 05/03/2024 --end 09/03/2024
    """
    from tanhung_cli import amend

    first = date_option(start, "--start", allow_future=True)
    last = date_option(end, "--end", allow_future=True)
    shown, changes = amend.edit_course(
        registry(ctx, write=True),
        course,
        name=name,
        kind=kind,
        start=first,
        end=last,
        organiser=organiser,
    )
    typer.echo(t("void.course_edited", name=shown, fields=changed(dict(changes))))


@app.command("void")
def void(ctx: typer.Context, course: CourseArg, reason: ReasonOption = None) -> None:
    """Void a course entered by mistake, with its enrolments (hủy khóa nhập nhầm).

    It leaves the lists and the training counts; the audit trail keeps it and each
    member's history says so. Example: tanhung course void 7 --reason "nhập trùng khóa 6"
    """
    from tanhung_cli import voiding

    name, count = voiding.void_course(registry(ctx, write=True), course, reason)
    typer.echo(t("void.course_done", name=name, count=count))


@app.command("void-enrolment")
def void_enrolment(
    ctx: typer.Context,
    course: CourseArg,
    member: Annotated[str, typer.Argument(help="Member id or party card number.")],
    reason: ReasonOption = None,
) -> None:
    """Void a wrong enrolment (hủy ghi danh nhầm); a theory level it raised goes back.

    Example: tanhung course void-enrolment 3 12 --reason "ghi nhầm người"
    """
    from tanhung_cli import voiding

    found, who = voiding.void_enrolment(registry(ctx, write=True), course, member, reason)
    typer.echo(t("void.enrolment_done", id=who["id"], name=who["full_name"], course=found["name"]))
