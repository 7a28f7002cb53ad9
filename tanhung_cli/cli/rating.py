"""`tanhung rating …`: the annual rating of members (xếp loại chất lượng đảng viên)."""

from __future__ import annotations

from typing import Annotated

import typer

from tanhung_cli import ratings, render
from tanhung_cli.branches import get_branch
from tanhung_cli.cli.common import Format, FormatOption, registry, warn
from tanhung_cli.errors import Invalid
from tanhung_cli.i18n import t
from tanhung_cli.problems import Problem, word
from tanhung_cli.render import values

app = typer.Typer(no_args_is_help=True, help="Annual ratings (xếp loại chất lượng).")

YearArg = Annotated[int, typer.Argument(min=1, max=9999, help="The year rated, e.g. 2024.")]


def _warn_all(warnings: list[Problem]) -> None:
    for problem in warnings:
        warn(word(problem))


@app.command("set")
def set_(
    ctx: typer.Context,
    year: YearArg,
    member: Annotated[str, typer.Argument(help="Member id or party card number.")],
    level: Annotated[
        str,
        typer.Argument(
            help="excellent|good|done|failed, or HTXSNV, HTTNV, HTNV, KHTNV, or the Vietnamese name."
        ),
    ],
) -> None:
    """Record a member's rating for a year (xếp loại chất lượng đảng viên).

    Example: tanhung rating set 2024 12 "hoàn thành tốt"
    """
    try:
        code = ratings.rating_level(level)
    except Invalid as exc:
        raise typer.BadParameter(exc.message(), param_hint="LEVEL") from None
    result = ratings.set_rating(registry(ctx, write=True), year, member, code)
    _warn_all(result.warnings)
    label = values.label("rating", code)
    typer.echo(t("rating.set", id=result.member_id, name=result.name, year=year, level=label))


@app.command("list")
def list_(
    ctx: typer.Context,
    year: YearArg,
    branch: Annotated[str | None, typer.Option("--branch", "-b", help="Only this branch.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List the ratings of a year in Vietnamese name order (danh sách xếp loại)."""
    conn = registry(ctx)
    rows = ratings.list_ratings(conn, year, get_branch(conn, branch)["id"] if branch else None)
    if fmt is Format.json:
        render.to_json(rows)
        return
    if fmt is Format.csv:
        render.to_csv(rows, ["year", "id", "full_name", "branch", "level"])
        return
    render.grid(
        [
            (i, r["id"], r["full_name"], r["branch"], values.label("rating", r["level"]))
            for i, r in enumerate(rows, 1)
        ],
        [
            t("label.no"),
            t("column.id"),
            t("column.full_name"),
            t("column.branch"),
            t("rating.col.level"),
        ],
        title=t("rating.list_title", year=year),
        caption=t("rating.count", count=len(rows)),
    )


@app.command("summary")
def summary(ctx: typer.Context, year: YearArg, fmt: FormatOption = Format.table) -> None:
    """Count ratings per branch, check the 20 % cap, list two-year failures (tổng hợp xếp loại)."""
    data = ratings.summary(registry(ctx), year)
    if fmt is Format.json:
        render.to_json(data)
        return
    if fmt is Format.csv:
        columns = ["branch", "rated", *ratings.LEVELS, "over_cap"]
        render.to_csv(data["branches"], columns)
        return
    yes = t("life.yes")
    render.table(
        [
            (
                b["branch"],
                b["rated"],
                *(b[level] for level in ratings.LEVELS),
                yes if b["over_cap"] else "",
            )
            for b in data["branches"]
        ],
        [
            t("label.branch"),
            t("rating.col.rated"),
            *(values.label("rating", c) for c in ratings.LEVELS),
            t("rating.col.over_cap"),
        ],
        title=t("rating.summary_title", year=year),
    )
    render.table(
        [(m["id"], m["full_name"], m["branch"]) for m in data["failed_twice"]],
        [t("column.id"), t("column.full_name"), t("column.branch")],
        title=t("rating.failed_twice_title", prev=year - 1, year=year),
    )
