"""`tanhung member transfer-out|transfer-in|extend-transfer`: transfers (chuyển sinh hoạt
đảng) with their deadlines (Quy định 294-QĐ/TW point 6.3). They are added to the
`member` group.
"""

from __future__ import annotations

from typing import Annotated

import typer

from tanhung_cli.cli.common import date_option, fail, registry
from tanhung_cli.cli.member import MemberFields
from tanhung_cli.cli.member_fields import member_options
from tanhung_cli.cli.member_life import (
    DecisionOption,
    KindOption,
    MemberArg,
    NoteOption,
    OnOption,
    Text,
    _choice,
    event_day,
    report_done,
    shown_date,
)
from tanhung_cli.i18n import t

# Joined to the `member` group in cli/__init__.COMMANDS.
app = typer.Typer()

LetterOption = Annotated[
    Text,
    typer.Option(
        "--letter-date",
        help="Date of the official transfer letter (giấy giới thiệu), dd/mm/yyyy; default the"
        " transfer's date. It is presented within 30 working days (QĐ 294-QĐ/TW, 6.3.1).",
    ),
]


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
            "--until",
            help="Planned return (dự kiến trở về), dd/mm/yyyy: required for a temporary"
            " transfer, 3 months to under 1 year (study: up to 2 years).",
        ),
    ] = None,
    purpose: Annotated[
        Text,
        typer.Option(
            "--purpose", help="work (công tác, cư trú; default) or study (học tập trung)."
        ),
    ] = None,
    extension: Annotated[
        Text,
        typer.Option(
            "--extension", help="Decision allowing a longer temporary transfer (gia hạn)."
        ),
    ] = None,
    letter: LetterOption = None,
    decision: DecisionOption = None,
    note: NoteOption = None,
) -> None:
    """Transfer a member out (chuyển sinh hoạt đảng đi): official or temporary.

    An official transfer takes the member off the roll; its letter is to be presented
    where the member goes within 30 working days. A temporary one keeps them counted here
    until the planned return: 3 months to under 1 year for work or residence, up to 2 years
    for full-time study, longer with an extension decision (Quy định 294-QĐ/TW, 6.3).
    Example: tanhung member transfer-out 12 --to "Đảng bộ xã Tân Hòa" --kind temporary
    --until 30/06/2027
    """
    from tanhung_cli import lifecycle, transfer_rules, transfers, working_days

    code = _choice(transfers.transfer_kind, kind, "--kind")
    why = _choice(transfer_rules.purpose, purpose, "--purpose") if purpose else None
    back = date_option(until, "--until", allow_future=True)
    letter_day = date_option(letter, "--letter-date")
    plan = transfer_rules.Plan(purpose=why, extension=extension, letter_on=letter_day)
    conn = registry(ctx, write=True)
    result = transfers.transfer_out(
        conn, member, to, code, event_day(on), decision, note, back, plan
    )
    key = "life.transferred_out" if result.changes else "life.transferred_out_temporary"
    report_done(result, key, place=lifecycle.text(to), date=shown_date(result.on))
    if back is not None:
        typer.echo(t("schema.returning_on", date=shown_date(back)))
    if code == "official" and result.changes:
        sent = letter_day or event_day(on)
        rules = transfer_rules.limits(conn)
        deadline = transfer_rules.present_by(sent, rules)
        typer.echo(
            t(
                "transfers.present_by",
                letter=shown_date(sent),
                deadline=shown_date(deadline.day),
                days=rules.letter_within_days,
                counted=t(working_days.counted_label(deadline.assumed)),
            )
        )


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
    until: Annotated[
        Text,
        typer.Option("--until", help="A temporary attendance here: its planned end (dd/mm/yyyy)."),
    ] = None,
    letter: LetterOption = None,
    presented: Annotated[
        Text,
        typer.Option(
            "--letter-presented",
            help="When the letter was presented here; default the transfer's date.",
        ),
    ] = None,
    decision: DecisionOption = None,
    note: NoteOption = None,
) -> None:
    """Receive a member transferred in (tiếp nhận sinh hoạt đảng), new or returning.

    A temporary member attends here but is not counted in the committee's totals.
    An official transfer's letter is presented within 30 working days of its date
    (Quy định 294-QĐ/TW, 6.3.1): a later one is told, and listed by `check`.
    Example: tanhung member transfer-in --kind temporary --from "Xã Tân Hòa" --name "Lê Văn Tư"
    --gender Nam --born 02/03/1990 --ethnicity Kinh --branch "Ấp Chợ" --admitted 03/02/2015
    --official 03/02/2016 --until 30/06/2027
    """
    from tanhung_cli import transfer_rules, transfers

    conn = registry(ctx, write=True)
    code = _choice(transfers.transfer_kind, kind, "--kind")
    day = event_day(on)
    plan = transfer_rules.Plan(
        until=date_option(until, "--until", allow_future=True),
        letter_on=date_option(letter, "--letter-date"),
        presented_on=date_option(presented, "--letter-presented"),
    )
    if member is not None:
        official_day = date_option(fields.get("official_on"), "--official")
        result = transfers.transfer_in(
            conn, member, code, day, origin, official_day, decision, note, plan
        )
    else:
        if "full_name" not in fields:
            fail(t("life.new_needs_details"))
        result = transfers.transfer_in_new(conn, fields, code, day, origin, decision, note, plan)
    key = "life.returned" if result.event == "returned" else "life.transferred_in"
    report_done(result, key, date=shown_date(result.on), kind=t("life.kind_" + code))
    if plan.until is not None and code == "temporary":
        typer.echo(t("transfers.attending_until", date=shown_date(plan.until)))


@app.command("extend-transfer")
def extend_transfer(
    ctx: typer.Context,
    member: MemberArg,
    until: Annotated[str, typer.Option("--until", help="The new planned return (dd/mm/yyyy).")],
    decision: Annotated[
        str, typer.Option("--decision", help="The extension decision (số quyết định gia hạn).")
    ],
    on: OnOption = None,
    note: NoteOption = None,
) -> None:
    """Extend a temporary transfer out (gia hạn chuyển sinh hoạt tạm thời).

    Sets the new planned return, by the recorded decision, which allows more than the usual
    length (Quy định 294-QĐ/TW, 6.3.2); also records a planned return an old record lacks.
    Example: tanhung member extend-transfer 12 --until 31/12/2027 --decision 45-QĐ/ĐU
    """
    from tanhung_cli import transfer_extension

    back = date_option(until, "--until", allow_future=True)
    assert back is not None
    result = transfer_extension.extend(
        registry(ctx, write=True), member, back, decision, event_day(on), note
    )
    report_done(result, "transfers.extended", date=shown_date(back))


@app.command("letter-presented")
def letter_presented(
    ctx: typer.Context,
    member: MemberArg,
    on: OnOption = None,
    note: NoteOption = None,
) -> None:
    """Record that a member transferred out presented the letter where they went.

    The official transfer letter (giấy giới thiệu) is presented within 30 working days of
    its date (Quy định 294-QĐ/TW, 6.3.1); until this is recorded, `check` lists the member
    once the deadline has passed. Example: tanhung member letter-presented 12 --on 10/09/2025
    """
    from tanhung_cli import transfer_extension

    result = transfer_extension.letter_presented(
        registry(ctx, write=True), member, event_day(on), note
    )
    report_done(result, "transfers.letter_recorded", date=shown_date(result.on))
