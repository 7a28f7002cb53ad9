"""`tanhung member void|unvoid|voided|void-event`: records entered by mistake (issue #15)."""

from __future__ import annotations

from typing import Annotated

import typer

from tanhung_cli import render
from tanhung_cli.cli.common import RECORD_MAX, Format, FormatOption, registry
from tanhung_cli.i18n import t
from tanhung_cli.render import values

# Joined to the `member` group in cli/__init__.COMMANDS.
app = typer.Typer()

MemberArg = Annotated[str, typer.Argument(help="Member id or party card number.")]
ReasonOption = Annotated[
    str | None, typer.Option("--reason", help="Why (lý do), required: kept in the audit trail.")
]


@app.command("void")
def void(ctx: typer.Context, member: MemberArg, reason: ReasonOption = None) -> None:
    """Void a member entered by mistake, e.g. a duplicate (hủy bản ghi nhập nhầm).

    The record leaves every count, list, report, export and check; it stays in the audit
    trail and `member show`, marked. This is not removal from the Party (xóa tên: member
    leave ID removed). Example: tanhung member void 379 --reason "nhập trùng với mã 12"
    """
    from tanhung_cli import voiding

    row = voiding.void_member(registry(ctx, write=True), member, reason)
    typer.echo(t("void.member_done", id=row["id"], name=row["full_name"]))


@app.command("unvoid")
def unvoid(ctx: typer.Context, member: MemberArg, reason: ReasonOption = None) -> None:
    """Undo a void: the member counts again (khôi phục bản ghi đã hủy).

    Example: tanhung member unvoid 379 --reason "hủy nhầm"
    """
    from tanhung_cli import voiding

    row = voiding.unvoid_member(registry(ctx, write=True), member, reason)
    typer.echo(t("void.member_undone", id=row["id"], name=row["full_name"]))


@app.command("voided")
def voided(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """List the members voided as mistakes, with why (danh sách bản ghi đã hủy)."""
    from tanhung_cli import voiding

    rows = voiding.voided_members(registry(ctx))
    if fmt is Format.json:
        render.to_json(rows)
        return
    columns = ["id", "full_name", "birth_date", "branch", "voided_at", "void_reason"]
    if fmt is Format.csv:
        render.to_csv(rows, columns)
        return
    render.table(
        [
            (
                r["id"],
                r["full_name"],
                values.date(r["birth_date"]),
                r["branch"],
                values.date(r["voided_at"][:10]),
                r["void_reason"],
            )
            for r in rows
        ],
        [
            t("column.id"),
            t("column.full_name"),
            t("column.birth_date"),
            t("column.branch"),
            t("void.label.voided_on"),
            t("void.label.reason"),
        ],
        title=t("void.list_title"),
        caption=t("member.count", count=len(rows)),
    )


@app.command("void-event")
def void_event(
    ctx: typer.Context,
    member: MemberArg,
    event: Annotated[
        int,
        typer.Argument(
            min=1, max=RECORD_MAX, help="The event's number, as `member history` shows."
        ),
    ],
    reason: ReasonOption = None,
) -> None:
    """Void a life event recorded on the wrong person (hủy sự kiện ghi nhầm người).

    The member's state before it comes back; only the latest confirmation, exemption (or
    its end), leaving, or dated change of theory level, education, religion … (thay đổi). Example: tanhung member void-event 12 4051 --reason "ghi nhầm người"
    """
    from tanhung_cli import void_events
    from tanhung_cli.cli.member import value_reader

    conn = registry(ctx, write=True)
    restored = void_events.void_event(conn, member, event, reason)
    typer.echo(t("void.event_done", event=event, id=member))
    shown = value_reader(conn)
    for column, (old, new) in restored.items():
        typer.echo(f"  {t('column.' + column)}: {shown(column, old)} → {shown(column, new)}")
