"""`tanhung term edit|void`: a term typed wrongly (issue #15)."""

from __future__ import annotations

from typing import Annotated

import typer

from tanhung_cli.cli.common import date_option, registry
from tanhung_cli.cli.course_void import ReasonOption, changed
from tanhung_cli.i18n import t

# Joined to the `term` group in cli/__init__.COMMANDS.
app = typer.Typer()

TermArg = Annotated[str, typer.Argument(help="The term, e.g. 2015-2020.")]


@app.command("edit")
def edit(
    ctx: typer.Context,
    term: TermArg,
    name: Annotated[str | None, typer.Option("--name", help="The right name.")] = None,
    start: Annotated[str | None, typer.Option("--start", help="First day (dd/mm/yyyy).")] = None,
    end: Annotated[str | None, typer.Option("--end", help="Last day (dd/mm/yyyy).")] = None,
) -> None:
    """Correct a term typed wrongly (sửa nhiệm kỳ); overlaps are refused as `term add` does.

    A target is changed by setting it again (tanhung target set 2015-2020 admissions 40).
    Example: tanhung term edit 2020-2025 --start 01/07/2020
    """
    from tanhung_cli import amend

    first = date_option(start, "--start", allow_future=True)
    last = date_option(end, "--end", allow_future=True)
    shown, changes = amend.edit_term(
        registry(ctx, write=True), term, new_name=name, start=first, end=last
    )
    typer.echo(t("void.term_edited", name=shown, fields=changed(dict(changes))))


@app.command("void")
def void(ctx: typer.Context, term: TermArg, reason: ReasonOption = None) -> None:
    """Void a term entered by mistake, with its targets (hủy nhiệm kỳ nhập nhầm).

    The audit trail keeps its dates and targets. Example: tanhung term void 2021-2026
    --reason "gõ nhầm, đúng là 2020-2025"
    """
    from tanhung_cli import voiding

    name = voiding.void_term(registry(ctx, write=True), term, reason)
    typer.echo(t("void.term_done", name=name))
