"""`tanhung member confirm|exempt|unexempt|leave|readmit|correct|standing`.

The steps of a member's life, each a dated event (``--on``, default today) with an
optional decision number and note. They are added to the `member` group.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tanhung_cli.cli.common import (
    date_option,
    registry,
    today,
    warn,
)
from tanhung_cli.errors import Invalid
from tanhung_cli.i18n import t
from tanhung_cli.problems import word
from tanhung_cli.render import values

if TYPE_CHECKING:
    # The domain modules load with the command that needs them (see cli/__init__.py).
    from tanhung_cli import lifecycle

# Joined to the `member` group in cli/__init__.COMMANDS.
app = typer.Typer()

Text = str | None
MemberArg = Annotated[str, typer.Argument(help="Member id or party card number.")]
OnOption = Annotated[
    Text, typer.Option("--on", help="Date of the event (dd/mm/yyyy); default today.")
]
DecisionOption = Annotated[
    Text, typer.Option("--decision", help="Decision number (số quyết định).")
]
NoteOption = Annotated[Text, typer.Option("--note", help="Note for the history (ghi chú).")]
KindOption = Annotated[
    str, typer.Option("--kind", help="official (chính thức) or temporary (tạm thời).")
]


def event_day(value: str | None) -> dt.date:
    return date_option(value, "--on") or today()


def shown_date(value: dt.date | str | None) -> str:
    return values.date(value, empty="—")


def _choice(resolve: Callable[[str], str], value: str, option: str) -> str:
    """A vocabulary value of an option; an unknown one is a usage error (exit 2)."""
    try:
        return resolve(value)
    except Invalid as exc:
        raise typer.BadParameter(exc.message(), param_hint=option) from None


def report_done(result: lifecycle.Result, key: str, **params: Any) -> None:
    for problem in result.warnings:
        warn(word(problem))
    typer.echo(t(key, id=result.member_id, name=result.name, **params))


@app.command("confirm")
def confirm(
    ctx: typer.Context,
    member: MemberArg,
    on: OnOption = None,
    decision: DecisionOption = None,
    note: NoteOption = None,
) -> None:
    """Confirm a probationary member as official (công nhận đảng viên chính thức).

    The member counts as official from the end of the 12 months of probation, counted
    from the admission ceremony (from the decision when no ceremony is recorded), even
    when the decision (--on) comes later. Example: tanhung member confirm 12 --on 20/05/2021
    """
    from tanhung_cli import lifecycle

    result = lifecycle.confirm(registry(ctx, write=True), member, event_day(on), decision, note)
    report_done(result, "life.confirmed", date=shown_date(result.on))


@app.command("exempt")
def exempt(
    ctx: typer.Context,
    member: MemberArg,
    on: OnOption = None,
    decision: DecisionOption = None,
    note: NoteOption = None,
) -> None:
    """Exempt a member from duties and meetings (miễn công tác và sinh hoạt đảng).

    The member stays on the roll and in the totals. Example: tanhung member exempt 12 --note "Tuổi cao"
    """
    from tanhung_cli import lifecycle

    result = lifecycle.exempt(registry(ctx, write=True), member, event_day(on), decision, note)
    report_done(result, "life.exempted", date=shown_date(result.on))


@app.command("unexempt")
def unexempt(
    ctx: typer.Context,
    member: MemberArg,
    on: OnOption = None,
    decision: DecisionOption = None,
    note: NoteOption = None,
) -> None:
    """End a member's exemption (thôi miễn sinh hoạt đảng)."""
    from tanhung_cli import lifecycle

    result = lifecycle.unexempt(registry(ctx, write=True), member, event_day(on), decision, note)
    report_done(result, "life.unexempted", date=shown_date(result.on))


@app.command("leave")
def leave(
    ctx: typer.Context,
    member: MemberArg,
    reason: Annotated[
        str,
        typer.Option(
            "--reason", help="died (từ trần), removed (xóa tên), expelled (khai trừ), resigned."
        ),
    ],
    on: OnOption = None,
    decision: DecisionOption = None,
    note: NoteOption = None,
    removal: Annotated[
        Text,
        typer.Option(
            "--removal",
            help="Why the name is removed (lý do xóa tên): not-confirmed, abandoned (bỏ sinh"
            " hoạt), unpaid-dues, duties-unmet (two years running), other.",
        ),
    ] = None,
) -> None:
    """Take a member off the roll (ra khỏi danh sách): died, removed, expelled, resigned.

    Expelled and resigned apply to official members only; a probationary member no longer
    worthy has the name removed. The record and its history are kept.
    Example: tanhung member leave 12 --reason removed --removal abandoned --on 03/04/2024
    """
    from tanhung_cli import leaving, lifecycle

    code = _choice(lifecycle.leave_reason, reason, "--reason")
    sub = _choice(leaving.removal_reason, removal, "--removal") if removal else None
    result = lifecycle.leave(
        registry(ctx, write=True), member, code, event_day(on), decision, note, sub
    )
    label = values.label("leave_reason", code)
    report_done(result, "life.left", date=shown_date(result.on), reason=label)
