"""`tanhung rating …`: the annual rating of members (xếp loại chất lượng đảng viên).

From 2025 a rating is scored out of 100 as Quy định 366-QĐ/TW asks; members it leaves
unrated are listed with why (`rating list`, `rating summary`); `rating exclude` records
a reason the registry cannot know (suspended from activity: đình chỉ sinh hoạt).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from tanhung_cli import ratings, render, reports_rating
from tanhung_cli.branches import get_branch
from tanhung_cli.cli.common import Format, FormatOption, registry, warn
from tanhung_cli.cli.list_output import listing, refuse_early, write_list
from tanhung_cli.cli.outputs import ForceOption, Headers, HeadersOption, emit, guard
from tanhung_cli.cli.report_options import FormatOpt, OutputOpt
from tanhung_cli.errors import Invalid
from tanhung_cli.i18n import t
from tanhung_cli.problems import Problem, word
from tanhung_cli.rating_rules import parse_score
from tanhung_cli.render import values

app = typer.Typer(no_args_is_help=True, help="Annual ratings (xếp loại chất lượng).")

YearArg = Annotated[int, typer.Argument(min=1, max=9999, help="The year rated, e.g. 2024.")]
MemberArg = Annotated[str, typer.Argument(help="Member id or party card number.")]
# The columns of `rating list --format csv`, which `import ratings` reads back.
LIST_COLUMNS = {
    "year": "Năm",
    "id": "Mã",
    "full_name": "Họ và tên",
    "branch": "Chi bộ",
    "rating": "Xếp loại",
    "score": "Điểm",
    "not_rated": "Không xếp loại",
}


class Reason(StrEnum):
    suspended = "suspended"
    other = "other"


def _warn_all(warnings: list[Problem]) -> None:
    for problem in warnings:
        warn(word(problem))


@app.command("set")
def set_(
    ctx: typer.Context,
    year: YearArg,
    member: MemberArg,
    level: Annotated[
        str | None,
        typer.Argument(
            help="excellent|good|done|failed, or HTXSNV, HTTNV, HTNV, KHTNV, or the Vietnamese"
            " name; from 2025 it may be left out: the score gives it."
        ),
    ] = None,
    score: Annotated[
        str | None,
        typer.Option(
            "--score", "-s", help="The score out of 100 (QĐ 366-QĐ/TW), e.g. 92,5; from 2025."
        ),
    ] = None,
) -> None:
    """Record a member's rating for a year (xếp loại chất lượng đảng viên).

    From 2025 (Quy định 366-QĐ/TW) a rating needs its score: 90 and over is "hoàn thành
    xuất sắc", 70 "tốt", 50 "hoàn thành", under 50 "không hoàn thành".
    Example: tanhung rating set 2025 12 --score 92,5
    """
    try:
        code = ratings.rating_level(level) if level is not None else None
    except Invalid as exc:
        raise typer.BadParameter(exc.message(), param_hint="LEVEL") from None
    try:
        points = parse_score(score)
    except Invalid as exc:
        raise typer.BadParameter(exc.message(), param_hint="--score") from None
    result = ratings.set_rating(registry(ctx, write=True), year, member, code, score=points)
    _warn_all(result.warnings)
    label = values.label("rating", result.new)
    if points is not None:
        label = t("rating.with_score", level=label, score=values.score(points))
    typer.echo(t("rating.set", id=result.member_id, name=result.name, year=year, level=label))


@app.command("exclude")
def exclude(
    ctx: typer.Context,
    year: YearArg,
    member: MemberArg,
    reason: Annotated[
        Reason, typer.Option("--reason", "-r", help="suspended (đình chỉ sinh hoạt) or other.")
    ] = Reason.suspended,
    note: Annotated[str | None, typer.Option("--note", help="The decision or the why.")] = None,
    undo: Annotated[
        bool, typer.Option("--undo", help="Withdraw a reason entered by mistake.")
    ] = False,
) -> None:
    """Record that a member is not rated for a year, and why (không xếp loại).

    Exempted members, and members admitted or transferred in fewer than 6 months before
    31/12, are left unrated by themselves from 2025; this records the other cases.
    Example: tanhung rating exclude 2025 12 --reason suspended --note "QĐ 5-QĐ/ĐU"
    """
    conn = registry(ctx, write=True)
    if undo:
        row = ratings.include(conn, year, member)
        typer.echo(t("rating.included", id=row["id"], name=row["full_name"], year=year))
        return
    if reason is Reason.other and not (note or "").strip():
        raise typer.BadParameter(t("rating.note_required"), param_hint="--note")
    row = ratings.exclude(conn, year, member, reason.value, note)
    label = t(f"rating.reason.{reason.value}")
    typer.echo(t("rating.excluded", id=row["id"], name=row["full_name"], year=year, reason=label))


def _list_rows(rows: list[dict[str, Any]], unrated: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rated = [{**r, "rating": r["level"], "not_rated": None} for r in rows]
    return rated + [{**r, "rating": None, "score": None, "not_rated": r["reason"]} for r in unrated]


@app.command("list")
def list_(
    ctx: typer.Context,
    year: YearArg,
    branch: Annotated[str | None, typer.Option("--branch", "-b", help="Only this branch.")] = None,
    fmt: FormatOption = Format.table,
    headers: HeadersOption = Headers.en,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """List the ratings of a year in Vietnamese name order, then those not rated and why
    (danh sách xếp loại). Its CSV is what `import ratings` reads back.

    Example: tanhung rating list 2024 -o xep-loai-2024.xlsx
    """
    refuse_early(ctx, output, force)
    conn = registry(ctx)
    branch_id = get_branch(conn, branch)["id"] if branch else None
    rows = reports_rating.list_ratings(conn, year, branch_id)
    unrated = reports_rating.not_rated_members(conn, year, branch_id)
    if fmt is Format.json and output is None:
        render.to_json(rows + [{**r, "level": None, "score": None} for r in unrated])
        return
    if fmt is Format.csv and output is None:
        shown = _list_rows(rows, unrated)
        if headers is Headers.vi:
            shown = [{LIST_COLUMNS[k]: r.get(k) for k in LIST_COLUMNS} for r in shown]
        render.to_csv(shown, list(LIST_COLUMNS.values() if headers is Headers.vi else LIST_COLUMNS))
        return
    scored = any(r["score"] is not None for r in rows)
    cells = [
        (i, r["id"], r["full_name"], r["branch"], r["score"], values.label("rating", r["level"]))
        for i, r in enumerate(rows, 1)
    ]
    cells += [
        (
            i,
            r["id"],
            r["full_name"],
            r["branch"],
            None,
            t("rating.not_rated_as", reason=t(f"rating.reason.{r['reason']}", months=r["months"])),
        )
        for i, r in enumerate(unrated, len(rows) + 1)
    ]
    head = [
        t("label.no"),
        t("column.id"),
        t("column.full_name"),
        t("column.branch"),
        t("rating.col.score"),
        t("rating.col.level"),
    ]
    keep = [0, 1, 2, 3, *((4,) if scored else ()), 5]  # the score only when there is one
    title = t("rating.list_title", year=year)
    caption = t("rating.count", count=len(rows)) + (
        t("rating.count_not_rated", count=len(unrated)) if unrated else ""
    )
    if output is not None:
        names = ("no", "id", "full_name", "branch", "score", "rating")
        table = listing(
            [names[k] for k in keep],
            [head[k] for k in keep],
            [[c[k] for k in keep] for c in cells],
            ("no", "id", "score"),
        )
        data = rows + [{**r, "level": None, "score": None} for r in unrated]
        write_list(ctx, output, force, title, table, data, caption)
        return
    grid = [tuple(_shown(c[k], k) for k in keep) for c in cells]
    render.grid(grid, [head[k] for k in keep], title=title, caption=caption)


def _shown(value: Any, column: int) -> Any:
    """A cell of the list on the terminal: the score (column 4) out of 100, none blank."""
    if value is None:
        return ""
    return values.score(float(value)) if column == 4 else value


@app.command("summary")
def summary(
    ctx: typer.Context,
    year: YearArg,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """Count ratings per grade with percentages, by branch and over the committee; check the
    20 % cap; list those not rated, "xuất sắc" five years running and "không hoàn thành"
    two years running (tổng hợp xếp loại, QĐ 366-QĐ/TW).

    Example: tanhung rating summary 2025 --output xep-loai-2025.html
    """
    from tanhung_cli.cli.rating_sheet import rating_sheet

    data = reports_rating.summary(registry(ctx), year)
    emit(rating_sheet(data, fmt), fmt, output, guard(ctx, force))
