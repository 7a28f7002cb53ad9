"""`tanhung member show|history|birthdays`: one member's record and recorded life, and the
month's birthdays."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from tanhung_cli import member_lists, render
from tanhung_cli.cli.common import (
    AsOfOption,
    Format,
    FormatOption,
    as_of_date,
    registry,
    standing_label,
)
from tanhung_cli.cli.list_output import listing, refuse_early, write_list
from tanhung_cli.cli.member import value_reader
from tanhung_cli.cli.outputs import ForceOption, emit, ending, guard
from tanhung_cli.cli.report_options import OutputOpt
from tanhung_cli.columns import MEMBER_DATES
from tanhung_cli.i18n import t
from tanhung_cli.render import values

# Joined to the `member` group in cli/__init__.COMMANDS.
app = typer.Typer()


@app.command("show")
def show(
    ctx: typer.Context,
    member: Annotated[str, typer.Argument(help="Member id or party card number.")],
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.table,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the member's sheet (phiếu đảng viên) to print: .pdf or .html.",
        ),
    ] = None,
    force: ForceOption = False,
) -> None:
    """Show one member's record (lý lịch đảng viên).

    Example: tanhung member show 12 --output phieu-12.pdf
    """
    from tanhung_cli import lifecycle, members

    conn = registry(ctx)
    row = members.get_member(conn, member)
    day = as_of_date(as_of)
    from tanhung_cli import branch_moves, org

    names = org.names_at(conn, day.isoformat())  # the branch of the day, its name then
    spells = lifecycle.past_spells(conn, row["id"])  # earlier periods decide a past status
    branch = branch_moves.branch_on(conn, row, day.isoformat())
    record = member_lists.public(row, names, day.isoformat(), spells, branch)
    record = member_lists.fit_standing(record | member_lists.standing(conn, row["id"], day))
    from tanhung_cli import badges

    held = badges.held(conn, [row["id"]], day).get(row["id"], [])
    if held:  # the badge register (issue #15): level, date, number
        keys = ("years", "presented_on", "badge_no", "decision", "kind")
        record["badges"] = [{k: b[k] for k in keys} for b in held]
    if row["voided_at"]:  # a record voided as a mistake (issue #15): shown, marked
        record |= {"voided_at": row["voided_at"], "void_reason": row["void_reason"]}
    over_time = _dated(conn, row, day.isoformat(), record)
    if output is not None:
        ending(output, (".pdf", ".html", ".htm"), "--output")
    elif fmt is Format.json:
        render.to_json(record)
        return
    record.pop("dated", None)  # the periods of the attributes: JSON lists them
    if output is None and fmt is Format.csv:
        render.to_csv([record], list(record))
        return
    lines: list[tuple[str, Any]] = []
    shown_keys: list[str] = []
    for key, value in record.items():
        if key == "away_until" and value is None and record.get("away"):
            value = t("transfers.return_not_recorded")  # an old record: never a guess
        elif key in ("exempt", "away", "voided_at", "void_reason") or (
            key in member_lists.STANDING_FLAG and value is None
        ):
            continue  # told beside the status; a standing that does not hold
        if key == "badges":
            from tanhung_cli.cli.badge import held_text

            value = held_text(held, dated=True)
        elif key == "status":
            value = standing_label(record)
        elif key == "temporary":
            value = t("label.yes") if value else None
        elif key == "ceremony_on" and value is None:
            value = t("admission.ceremony_not_recorded")  # never a guessed date
        elif key in MEMBER_DATES:
            value = values.date(value)
        elif key in over_time:
            value = over_time[key]
        lines.append((t("column." + key), "" if value is None else value))
        shown_keys.append(key)
    if output is not None:  # the member's sheet, a document to print and file
        from tanhung_cli.member_sheet import sheet_data
        from tanhung_cli.render.member_sheet import member_document

        keyed = [(k, label, v) for k, (label, v) in zip(shown_keys, lines, strict=True)]
        sheet = member_document(
            keyed,
            sheet_data(conn, row["id"], day),
            held,
            value_reader(conn),
            _gap_lines(conn, row["id"]),
        )
        emit(sheet, Format.table, output, guard(ctx, force))
        return
    lines += _gap_lines(conn, row["id"])
    render.table(lines, [t("label.field"), t("label.value")], title=record["full_name"])
    if row["voided_at"]:
        voided_on = values.date(row["voided_at"][:10])
        typer.echo(t("void.shown", date=voided_on, reason=row["void_reason"]))


def _dated(conn: Any, row: Any, day: str, record: dict[str, Any]) -> dict[str, str]:
    """The attributes with dated changes (issue #15): their value at ``day`` in ``record``
    (and its ``dated`` list), and the text the table shows for each, latest first:
    "Trung cấp từ 15/03/2023; trước đó Sơ cấp"."""
    from tanhung_cli import dated_values

    shown = value_reader(conn)
    texts: dict[str, str] = {}
    for field in dated_values.DATED_FIELDS:
        spans = dated_values.periods(conn, row, field)
        if len(spans) < 2:
            continue
        held = dated_values.at(conn, row, field, day)
        record[field] = shown(field, held) or None
        record.setdefault("dated", {})[field] = [
            {"from": start, "value": shown(field, value) or None} for start, value in spans
        ]
        parts = [
            t("dated.since", value=shown(field, value) or "—", date=values.date(start))
            if start
            else t("dated.before", value=shown(field, value) or "—")
            for start, value in reversed(spans)
        ]
        texts[field] = "; ".join(parts)
    return texts


def _gap_lines(conn: Any, member_id: int) -> list[tuple[str, str]]:
    """The member's periods not counted in party age, one line when there are any."""
    from tanhung_cli import gaps

    found = gaps.gaps_of(conn, member_id)
    if not found:
        return []
    shown = "; ".join(
        t(
            "gaps.line",
            start=values.date(g.from_on),
            end=values.date(g.to_on),
            kind=values.label("gap_kind", g.kind),
            days=values.integer(g.days),
        )
        for g in found
    )
    return [(t("column.gaps"), shown)]


@app.command("history")
def history(
    ctx: typer.Context,
    member: Annotated[str, typer.Argument(help="Member id or party card number.")],
    fmt: FormatOption = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """Show every recorded event and change of a member (lịch sử)."""
    refuse_early(ctx, output, force)
    row, events = member_lists.history(registry(ctx), member)
    data = {"id": row["id"], "full_name": row["full_name"], "events": events}
    if fmt is Format.json and output is None:
        render.to_json(data)
        return
    columns = [
        "on_date",
        "kind",
        "field",
        "old",
        "new",
        "decision_no",
        "note",
        "clerk",
        "recorded_at",
    ]
    if fmt is Format.csv and output is None:
        render.to_csv(events, columns)
        return
    shown = value_reader(registry(ctx))
    cells = [
        (
            e["id"],
            e["on_date"],
            t("event." + e["kind"]) + (f" ({t('void.label.voided')})" if e["voided"] else ""),
            t("column." + e["field"]) if e["field"] else "",
            shown(e["field"], e["old"]),
            shown(e["field"], e["new"]),
            e["decision_no"],
            e["note"],
            e["clerk"],
        )
        for e in events
    ]
    headers = [t("void.label.event_no"), *(t("label." + c) for c in columns[:-1])]
    title = t("member.history_title", id=row["id"], name=row["full_name"])
    if output is not None:
        names = ["id", *columns[:-1]]
        write_list(ctx, output, force, title, listing(names, headers, cells, ("id",)), data)
        return
    grid = [(c[0], values.date(c[1]), *c[2:]) for c in cells]
    render.grid(grid, headers, title=title)


@app.command("birthdays")
def birthdays(
    ctx: typer.Context,
    month: Annotated[
        int | None,
        typer.Option("--month", "-m", min=1, max=12, help="1-12; default: the month of --as-of."),
    ] = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """List the members whose birthday falls in a month, by day (sinh nhật đảng viên).

    Example: tanhung member birthdays --month 12
    """
    refuse_early(ctx, output, force)
    day = as_of_date(as_of)
    month = month or day.month
    rows = member_lists.birthdays(registry(ctx), month, day)
    columns = ["birthday", "id", "full_name", "turns", "branch"]
    if output is None and fmt is Format.json:
        render.to_json(rows)
        return
    if output is None and fmt is Format.csv:
        render.to_csv(rows, columns)
        return
    cells = [[r[c] for c in columns] for r in rows]
    headers = [
        t("label.birthday"),
        t("column.id"),
        t("column.full_name"),
        t("label.turns"),
        t("column.branch"),
    ]
    title = t("member.birthdays_title", month=month, year=day.year)
    caption = t("member.count", count=len(rows))
    if output is not None:
        table = listing(columns, headers, cells, ("id", "turns"), ("birthday",))
        write_list(ctx, output, force, title, table, rows, caption)
        return
    shown = [(values.date(c[0]), *c[1:]) for c in cells]
    render.grid(
        shown,
        headers,
        title=title,
        caption=caption,
        justify=["left", "right", "left", "right", "left"],
    )
