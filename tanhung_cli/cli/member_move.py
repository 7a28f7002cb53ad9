"""`tanhung member move`: a member moves between the committee's branches on a date."""

from __future__ import annotations

from typing import Annotated

import typer

from tanhung_cli.cli.common import registry, today
from tanhung_cli.cli.member_life import DecisionOption, MemberArg, NoteOption, OnOption, event_day
from tanhung_cli.i18n import t
from tanhung_cli.render import values

# Joined to the `member` group in cli/__init__.COMMANDS.
app = typer.Typer()


@app.command("move")
def move(
    ctx: typer.Context,
    member: MemberArg,
    to: Annotated[str, typer.Option("--to", help="The branch moved to (chi bộ mới).")],
    on: OnOption = None,
    decision: DecisionOption = None,
    note: NoteOption = None,
    correction: Annotated[
        bool,
        typer.Option(
            "--correction",
            help="The branch was typed wrongly from the start: correct it, no move (sửa nhập sai).",
        ),
    ] = False,
) -> None:
    """Move a member to another branch on a date (chuyển sinh hoạt giữa các chi bộ).

    Reports at an earlier date keep the member in the old branch. With --correction the
    branch is corrected for the whole time since the member joined (or last moved).

    Example: tanhung member move 12 --to "Ấp Chợ" --on 01/03/2025 --decision 15-QĐ/ĐU
    """
    from tanhung_cli import branch_moves

    if correction and on is not None:
        raise typer.BadParameter(t("moves.correction_dated"), param_hint="--on")
    conn = registry(ctx, write=True)
    if correction:
        done = branch_moves.correct(conn, member, to, note)
        key = "moves.corrected"
    else:
        done = branch_moves.move(conn, member, to, event_day(on), decision, note, today())
        key = "moves.moved"
    typer.echo(
        t(
            key,
            id=done.member_id,
            name=done.name,
            old=done.old,
            new=done.new,
            date=values.date(done.on),
        )
    )
