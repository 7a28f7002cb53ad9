"""`tanhung report composition|roster`: the roll's make-up and the roster (danh sách)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tanhung_cli import composition, render
from tanhung_cli.cli import report_many as many
from tanhung_cli.cli.common import registry, warn
from tanhung_cli.cli.outputs import ForceOption, emit, guard
from tanhung_cli.cli.report_options import (
    AsOf,
    BranchOpt,
    FormatOpt,
    OutputOpt,
    date_of,
    scope_of,
)
from tanhung_cli.i18n import get_lang, t
from tanhung_cli.render import Format, values
from tanhung_cli.render.charts import pyramid
from tanhung_cli.render.sheet import Sheet, Table
from tanhung_cli.render.values import cell

app = typer.Typer(no_args_is_help=True)


@app.command("composition")
def composition_(
    ctx: typer.Context,
    as_of: AsOf = None,
    branch: BranchOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
    dbs: many.ManyDb = None,
    folder: many.Folder = None,
    skip: many.SkipUnreadable = False,
) -> None:
    """Break the roll down by ethnicity, religion, age, education and theory (cơ cấu đảng viên).

    Example: tanhung report composition --branch "Te Te 1"
    """
    if many.wanted(dbs, folder, branch):
        many.composition(ctx, dbs, folder, skip, as_of, fmt, output, force)
        return
    sc = scope_of(ctx, as_of, None, branch)
    data = composition.composition(registry(ctx), sc, get_lang())
    emit(composition_sheet(data, date_of(sc)), fmt, output, guard(ctx, force))


COMPOSITION_KEYS = (
    "ethnicity",
    "religion",
    "age",
    "general_education",
    "professional_level",
    "theory_level",
    "foreign_language",
)


def composition_sheet(data: dict[str, Any], date: str) -> Sheet:
    """The composition as a sheet: one table a dimension, and the age pyramid."""
    if data.get("age_uncertain"):
        warn(t("dates.age_bands_uncertain", count=data["age_uncertain"]))
    head = [
        t("report.label.group"),
        t("report.label.men"),
        t("report.label.women"),
        t("report.label.total"),
    ]
    tables = []
    for key in COMPOSITION_KEYS:
        rows = [{**r, "group": r["group"] or t("report.label.not_stated")} for r in data[key]]
        tables.append(
            Table(
                ["group", "men", "women", "total"],
                head,
                rows,
                t(f"report.composition.{key}"),
                ("men", "women", "total"),
                key,
            )
        )
    chart = pyramid(
        t("report.composition.pyramid"), [(r["group"], r["men"], r["women"]) for r in data["age"]]
    )
    return Sheet(t("report.composition.title", date=date), data, tables=tables, charts=[chart])


ROSTER_COLUMNS = (
    "no",
    "full_name",
    "gender",
    "birth_date",
    "ethnicity",
    "religion",
    "home_town",
    "education",
    "admitted_on",
    "official_on",
    "card_no",
    "transfers",
    "leaving",
    "remarks",
)


SCREEN_COLUMNS = (
    "no",
    "full_name",
    "gender",
    "birth_date",
    "ethnicity",
    "admitted_on",
    "official_on",
    "card_no",
    "remarks",
)


@app.command("roster")
def roster(
    ctx: typer.Context,
    branch: BranchOpt = None,
    as_of: AsOf = None,
    all_: Annotated[bool, typer.Option("--all", help="Include members who left the roll.")] = False,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """Print a branch's member list in the form of the official list (danh sách đảng viên).

    The terminal shows the main columns; --output FILE (.md, .csv) writes every column;
    .html or .pdf writes the roster book in the columns of Mẫu 7-HSĐV, ready to print.

    Example: tanhung report roster --branch "Ấp Chợ" --output ap-cho.html
    """
    sc = scope_of(ctx, as_of, None, branch)
    conn = registry(ctx)
    book = output is not None and output.suffix.lower() in (".html", ".htm", ".pdf")
    rows = composition.roster(conn, sc, include_left=all_, book=book)
    rows, badge_columns = _with_badges(conn, rows, sc)
    shown = []
    for r in rows:
        moved = (
            t("report.roster.transferred_in", date=cell(r["transferred_in_on"]))
            if r["transferred_in_on"]
            else ""
        )
        left = f"{cell(r['left_on'])} {r['left_reason'] or ''}".strip() if r["left_on"] else ""
        exempt = (
            t("report.roster.exempt", date=cell(r["exempt_since"])) if r["exempt_since"] else ""
        )
        away = (
            t("report.roster.away", place=r["away_to"], date=cell(r["away_since"]))
            if r["away_since"]
            else ""
        )
        scales = (r["general_education"], r["professional_level"], r["theory_level"])
        education = " / ".join(x for x in scales if x)
        transfers = "; ".join(x for x in (moved, away) if x)
        remarks = "; ".join(x for x in (moved, away, left, exempt) if x)
        # The form's note column holds what has no column of its own; the screen's, all.
        shown.append(
            {
                **r,
                "education": education,
                "transfers": transfers,
                "leaving": left,
                "admitted_on": values.admission(r["admitted_on"], r["readmitted_on"])
                if r["readmitted_on"]
                else r["admitted_on"],
                "remarks": remarks if output is None else exempt,
            }
        )
    # On the terminal, the columns that fit a screen; the full form goes to a file to print.
    columns = (ROSTER_COLUMNS if output else SCREEN_COLUMNS)[:-1] + badge_columns + ("remarks",)
    headers = [t(f"report.label.{c}") for c in columns]
    dates = ("birth_date", "admitted_on", "official_on", "card_no")
    table = Table(columns, headers, shown, right=("no",), keep_whole=dates)
    if fmt is Format.csv or (output and output.suffix.lower() == ".csv"):
        table = Table(list(rows[0]) if rows else ["no"], [], rows)
    who = sc.branch or t("report.roster.all_branches")
    if fmt is Format.table and output is None:
        # A long list: the registry's one-pass grid, which fits the names to the terminal.
        render.grid(
            [[cell(r.get(c), c) for c in columns] for r in shown],
            headers,
            title=t("report.roster.title", branch=who, date=date_of(sc)),
            caption=t("report.roster.count", count=len(rows)),
            justify=["right" if c == "no" else "left" for c in columns],
        )
        return
    if book:
        from tanhung_cli.render.roster_book import roster_book

        # The document is the roster book, in the columns of Mẫu 7-HSĐV.
        caption = t("report.roster.count", count=len(rows))
        emit(
            roster_book(rows, t("document.roster.title"), who, date_of(sc), caption),
            fmt,
            output,
            guard(ctx, force),
        )
        return
    sheet = Sheet(
        t("report.roster.title", branch=who, date=date_of(sc)),
        rows,
        tables=[table],
        caption=t("report.roster.count", count=len(rows)),
    )
    emit(sheet, fmt, output, guard(ctx, force))


def _with_badges(
    conn: Any, rows: list[dict[str, Any]], sc: Any
) -> tuple[list[dict[str, Any]], tuple[str, ...]]:
    """The roster's rows with their badges presented by its date (the register, issue #15),
    and the badge column, shown only when someone listed holds a badge."""
    from tanhung_cli import badges
    from tanhung_cli.cli.badge import held_text

    found = badges.held(conn, [r["id"] for r in rows], sc.as_of)
    if not found:
        return rows, ()
    return [{**r, "badges": held_text(found.get(r["id"], []))} for r in rows], ("badges",)
