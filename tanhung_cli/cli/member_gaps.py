"""`tanhung member gap-add|gap-remove|gaps|restore`: periods not counted in party age
(thời gian không tính tuổi đảng) and restoration of membership (khôi phục đảng tịch)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from tanhung_cli import render
from tanhung_cli.cli.common import RECORD_MAX, Format, FormatOption, date_option, registry, today
from tanhung_cli.cli.list_output import listing, refuse_early, write_list
from tanhung_cli.cli.member_life import (
    DecisionOption,
    MemberArg,
    NoteOption,
    OnOption,
    _choice,
    event_day,
    report_done,
    shown_date,
)
from tanhung_cli.cli.outputs import ForceOption
from tanhung_cli.cli.report_options import OutputOpt
from tanhung_cli.i18n import t
from tanhung_cli.render import values

# Joined to the `member` group in cli/__init__.COMMANDS.
app = typer.Typer()

COLUMNS = ("id", "kind", "from_on", "to_on", "days", "decision", "note")


def _day(value: str, option: str) -> dt.date:
    # A day after today is the domain's refusal (exit 1), told with the member's dates.
    day = date_option(value, option, allow_future=True)
    assert day is not None
    return day


@app.command("gap-add")
def gap_add(
    ctx: typer.Context,
    member: MemberArg,
    start: Annotated[str, typer.Option("--from", help="First day not counted (dd/mm/yyyy).")],
    end: Annotated[str, typer.Option("--to", help="Last day not counted (dd/mm/yyyy).")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="lost-contact (mất liên lạc), transfer-interruption (gián đoạn sinh hoạt"
            " khi chuyển) or other (khác).",
        ),
    ],
    decision: DecisionOption = None,
    note: NoteOption = None,
) -> None:
    """Record a period not counted in party age (thời gian không tính tuổi đảng).

    Time out of contact with the Party organisation and an interruption of party life
    during a transfer are subtracted from party age, both days included, and the badges
    fall due later by as many days (Điều lệ Đảng, Điều 5.4; QĐ 294-QĐ/TW). Example:
    tanhung member gap-add 12 --from 01/01/2000 --to 30/06/2000 --kind lost-contact
    """
    from tanhung_cli import gaps

    code = _choice(gaps.gap_kind, kind, "--kind")
    first, last = _day(start, "--from"), _day(end, "--to")
    conn = registry(ctx, write=True)
    result = gaps.add_gap(conn, member, code, first, last, decision, note, today=today())
    report_done(
        result,
        "gaps.added",
        gap=result.event,
        kind=values.label("gap_kind", code),
        start=shown_date(first),
        end=shown_date(last),
        days=values.integer((last - first).days + 1),
    )


@app.command("gap-remove")
def gap_remove(
    ctx: typer.Context,
    gap: Annotated[
        int,
        typer.Argument(min=1, max=RECORD_MAX, help="The period's number (tanhung member gaps ID)."),
    ],
    note: NoteOption = None,
) -> None:
    """Remove a period not counted in party age recorded by mistake; history keeps it.

    To correct one, remove it and record it again. Example: tanhung member gap-remove 3
    """
    from tanhung_cli import gaps

    result, removed = gaps.remove_gap(registry(ctx, write=True), gap, note)
    report_done(
        result,
        "gaps.removed",
        gap=removed.id,
        kind=values.label("gap_kind", removed.kind),
        start=shown_date(removed.from_on),
        end=shown_date(removed.to_on),
    )


@app.command("gaps")
def list_gaps(
    ctx: typer.Context,
    member: MemberArg,
    fmt: FormatOption = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """List a member's periods not counted in party age (thời gian không tính tuổi đảng)."""
    from tanhung_cli import gaps, members

    refuse_early(ctx, output, force)
    conn = registry(ctx)
    row = members.get_member(conn, member)
    found = [gaps.public(g) for g in gaps.gaps_of(conn, row["id"])]
    data = {"id": row["id"], "full_name": row["full_name"], "gaps": found}
    if fmt is Format.json and output is None:
        render.to_json(data)
        return
    if fmt is Format.csv and output is None:
        render.to_csv(found, list(COLUMNS))
        return
    if not found and output is None:
        typer.echo(t("gaps.none", id=row["id"], name=row["full_name"]))
        return
    cells = [
        [{**g, "kind": values.label("gap_kind", g["kind"])}[c] for c in COLUMNS] for g in found
    ]
    headers = [t("gaps.col." + c) for c in COLUMNS]
    title = t("gaps.list_title", id=row["id"], name=row["full_name"])
    if output is not None:
        table = listing(COLUMNS, headers, cells, ("id", "days"), ("from_on", "to_on"))
        write_list(ctx, output, force, title, table, data)
        return
    render.grid(
        [
            (
                str(c[0]),
                c[1],
                values.date(c[2]),
                values.date(c[3]),
                values.integer(c[4]),
                c[5] or "",
                c[6] or "",
            )
            for c in cells
        ],
        headers,
        title=title,
    )


@app.command("restore")
def restore(
    ctx: typer.Context,
    member: MemberArg,
    on: OnOption = None,
    decision: DecisionOption = None,
    note: NoteOption = None,
) -> None:
    """Restore the membership of a member expelled or removed (khôi phục đảng tịch).

    For an expulsion or removal found wrong: the member comes back with the admission,
    confirmation and status they had, and party age runs on continuously (the time out is
    not subtracted, HD 06-HD/TW). Not a re-admission: no waiting time, no consent, no new
    probation. The decision is required.
    Example: tanhung member restore 12 --on 15/03/2026 --decision "QĐ số 45-QĐ/HU"
    """
    from tanhung_cli import restoration

    result = restoration.restore(registry(ctx, write=True), member, event_day(on), decision, note)
    report_done(result, "gaps.restored", date=shown_date(result.on))
