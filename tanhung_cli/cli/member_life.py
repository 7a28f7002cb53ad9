"""`tanhung member confirm|transfer-out|transfer-in|exempt|unexempt|leave|readmit|correct|standing`.

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
    fail,
    registry,
    today,
    warn,
)
from tanhung_cli.cli.member import MemberFields
from tanhung_cli.cli.member_fields import member_options
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


@app.command("transfer-out")
def transfer_out(
    ctx: typer.Context,
    member: MemberArg,
    to: Annotated[str, typer.Option("--to", help="Where the member goes (nơi chuyển đến).")],
    kind: KindOption = "official",
    on: OnOption = None,
    until: Annotated[
        Text,
        typer.Option(
            "--until", help="Planned return (dự kiến trở về), dd/mm/yyyy: a temporary transfer."
        ),
    ] = None,
    decision: DecisionOption = None,
    note: NoteOption = None,
) -> None:
    """Transfer a member out (chuyển sinh hoạt đảng đi): official or temporary.

    An official transfer takes the member off the roll; a temporary one keeps them
    counted here. Example: tanhung member transfer-out 12 --to "Đảng bộ xã Tân Hòa" --kind temporary
    --until 30/06/2027
    """
    from tanhung_cli import lifecycle, transfers

    code = _choice(transfers.transfer_kind, kind, "--kind")
    back = date_option(until, "--until", allow_future=True)
    result = transfers.transfer_out(
        registry(ctx, write=True), member, to, code, event_day(on), decision, note, back
    )
    key = "life.transferred_out" if result.changes else "life.transferred_out_temporary"
    report_done(result, key, place=lifecycle.text(to), date=shown_date(result.on))
    if back is not None:
        typer.echo(t("schema.returning_on", date=shown_date(back)))


@app.command("transfer-in")
@member_options("transfer-in", prefix="New member: ")
def transfer_in(
    ctx: typer.Context,
    member: Annotated[
        Text, typer.Argument(help="Id of a registered member; omit for a new one.")
    ] = None,
    kind: KindOption = "official",
    origin: Annotated[Text, typer.Option("--from", help="Where the member comes from.")] = None,
    on: OnOption = None,
    *,
    fields: MemberFields,
    decision: DecisionOption = None,
    note: NoteOption = None,
) -> None:
    """Receive a member transferred in (tiếp nhận sinh hoạt đảng), new or returning.

    A temporary member attends here but is not counted in the committee's totals.
    Example: tanhung member transfer-in --kind temporary --from "Xã Tân Hòa" --name "Lê Văn Tư"
    --gender Nam --born 02/03/1990 --ethnicity Kinh --branch "Ấp Chợ" --admitted 03/02/2015
    --official 03/02/2016
    """
    from tanhung_cli import transfers

    conn = registry(ctx, write=True)
    code = _choice(transfers.transfer_kind, kind, "--kind")
    day = event_day(on)
    if member is not None:
        official_day = date_option(fields.get("official_on"), "--official")
        result = transfers.transfer_in(
            conn, member, code, day, origin, official_day, decision, note
        )
    else:
        if "full_name" not in fields:
            fail(t("life.new_needs_details"))
        result = transfers.transfer_in_new(conn, fields, code, day, origin, decision, note)
    key = "life.returned" if result.event == "returned" else "life.transferred_in"
    report_done(result, key, date=shown_date(result.on), kind=t("life.kind_" + code))


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
