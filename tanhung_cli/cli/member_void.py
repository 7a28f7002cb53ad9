"""`tanhung member void|unvoid|voided|void-event`: records entered by mistake (issue #15)."""

from __future__ import annotations

from typing import Annotated

import typer

from tanhung_cli import render
from tanhung_cli.cli.common import RECORD_MAX, Format, FormatOption, registry
from tanhung_cli.cli.list_output import listing, refuse_early, write_list
from tanhung_cli.cli.outputs import ForceOption
from tanhung_cli.cli.report_options import OutputOpt
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
def voided(
    ctx: typer.Context,
    fmt: FormatOption = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """List the members voided as mistakes, with why (danh sách bản ghi đã hủy)."""
    from tanhung_cli import voiding

    refuse_early(ctx, output, force)
    rows = voiding.voided_members(registry(ctx))
    if fmt is Format.json and output is None:
        render.to_json(rows)
        return
    columns = ["id", "full_name", "birth_date", "branch", "voided_at", "void_reason"]
    if fmt is Format.csv and output is None:
        render.to_csv(rows, columns)
        return
    cells = [[*(r[c] for c in columns[:4]), r["voided_at"][:10], r["void_reason"]] for r in rows]
    headers = [
        t("column.id"),
        t("column.full_name"),
        t("column.birth_date"),
        t("column.branch"),
        t("void.label.voided_on"),
        t("void.label.reason"),
    ]
    caption = t("member.count", count=len(rows))
    if output is not None:
        table = listing(columns, headers, cells, ("id",), ("birth_date", "voided_at"))
        write_list(ctx, output, force, t("void.list_title"), table, rows, caption)
        return
    shown = [(c[0], c[1], values.date(c[2]), c[3], values.date(c[4]), c[5]) for c in cells]
    render.table(shown, headers, title=t("void.list_title"), caption=caption)


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
    its end), leaving, move between branches (member move, not a merge or split), or dated
    change of theory level, education, religion … (member edit --on).

    Example: tanhung member void-event 12 4051 --reason "ghi nhầm người"
    """
    from tanhung_cli import void_events
    from tanhung_cli.cli.member import value_reader

    conn = registry(ctx, write=True)
    restored = void_events.void_event(conn, member, event, reason)
    typer.echo(t("void.event_done", event=event, id=member))
    shown = value_reader(conn)
    for column, (old, new) in restored.items():
        typer.echo(f"  {t('column.' + column)}: {shown(column, old)} → {shown(column, new)}")
