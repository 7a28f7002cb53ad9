"""`tanhung due`: confirmations and Party badges coming due (đến hạn)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from tanhung_cli import due as due_lists
from tanhung_cli import render
from tanhung_cli.cli.common import AsOfOption, Format, FormatOption, as_of_date, registry, warn
from tanhung_cli.cli.list_output import raw, refuse_early
from tanhung_cli.cli.outputs import ForceOption, emit, guard
from tanhung_cli.cli.report_options import OutputOpt
from tanhung_cli.i18n import t
from tanhung_cli.render import values
from tanhung_cli.render.sheet import Sheet, Table

SHOWN_IDS = 20  # ids named in the warning; the lists carry them all
CSV_COLUMNS = (
    "list",
    "id",
    "full_name",
    "branch",
    "admitted_on",
    "ceremony_on",
    "due_on",
    "confirm_by",
    "overdue_days",
    "new_member_class",
    "years",
    "reaches_on",
    "presented_on",
    "early",
    "approximate",
    "year",
    "months",
    "place",
    "since",
    "until",
    "died_on",
)


def _about(text: str, item: dict[str, Any]) -> str:
    """A day counted from a date known by year or month alone, marked "khoảng" (about)."""
    return t("dates.about", value=text) if item.get("approximate") else text


def due(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    within: Annotated[
        int,
        typer.Option(
            "--within",
            min=0,
            max=3660,
            help="Days ahead to look (default 120: the next badge date is always in).",
        ),
    ] = 120,
    early: Annotated[
        bool,
        typer.Option(
            "--early",
            help="Also list early badge awards (serious illness: up to 12 or 24 months early).",
        ),
    ] = False,
    missed: Annotated[
        bool,
        typer.Option("--missed", help="Also list badges owed at a presentation date already past."),
    ] = False,
    fmt: FormatOption = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """List what is due (đến hạn): confirmations of probationary members and Party badges.

    Per branch, in Vietnamese name order: probationary members whose 12 months end in the
    window or are overdue, and members reaching 30, 40, 45 … 90 years of party age by a badge
    presentation date (3/2, 19/5, 2/9, 7/11) in the window; then temporary transfers whose
    planned end falls in the window or has passed: members away due back, and members
    attending here whose period ends (Quy định 294-QĐ/TW, 6.3.2).
    Example: tanhung due --within 30
    """
    refuse_early(ctx, output, force)
    day = as_of_date(as_of)
    lists = due_lists.due(registry(ctx), day, within, early=early, missed=missed)
    missing = [p["id"] for p in lists["probation"] if not p["new_member_class"]]
    if missing:
        ids = ", ".join(str(i) for i in missing[:SHOWN_IDS]) + (
            ", …" if len(missing) > SHOWN_IDS else ""
        )
        warn(t("due.missing_class", count=len(missing), ids=ids))
    if fmt is Format.json and output is None:
        render.to_json(lists)
        return
    if fmt is Format.csv and output is None:
        rows: list[dict[str, Any]] = [{"list": "probation", **p} for p in lists["probation"]]
        rows += [{"list": "badge", **b} for b in lists["badges"]]
        rows += [{"list": "posthumous", **b} for b in lists["posthumous"]]
        rows += [{"list": "missed", **b} for b in lists["missed"]]
        rows += [{"list": "absence", **a, "months": _months(a)} for a in lists["absences"]]
        rows += [{"list": "return", **r} for r in lists["returns"]]
        rows += [{"list": "attendance", **r} for r in lists["attendance"]]
        render.to_csv(rows, CSV_COLUMNS)
        return
    start, end = values.date(lists["as_of"]), values.date(lists["until"])
    out: list[Part] = []
    yes, no = t("life.yes"), t("life.no")
    _listing(
        out,
        lists["probation"],
        [
            "due.col.due_on",
            "due.col.confirm_by",
            "due.col.overdue_days",
            "due.col.new_member_class",
        ],
        lambda p: (
            _about(values.date(p["due_on"]), p),
            values.date(p["confirm_by"]),
            p["overdue_days"] or "",
            yes if p["new_member_class"] else no,
        ),
        t("due.probation_title", start=start, end=end),
        ("left", "left", "right", "left"),
    )
    _listing(
        out,
        lists["badges"],
        ["due.col.years", "due.col.reaches_on", "due.col.presented_on"],
        lambda b: (
            b["years"],
            _about(values.date(b["reaches_on"]), b),
            values.date(b["presented_on"]) + (f" ({t('due.early')})" if b["early"] else ""),
        ),
        t("due.badges_title", start=start, end=end),
    )
    _badges_owed(out, lists)
    _transfers(out, lists, end)
    if lists["absences"]:
        _grid(
            out,
            [
                (i, a["branch"], a["id"], a["full_name"], a["year"], _months(a))
                for i, a in enumerate(lists["absences"], 1)
            ],
            [
                t("label.no"),
                t("label.branch"),
                t("column.id"),
                t("column.full_name"),
                t("due.col.year"),
                t("due.col.months"),
            ],
            title=t("due.absences_title"),
            caption=t("due.count", count=len(lists["absences"])),
            keys=[*WHO[:4], "year", "months"],
        )
    if output is None:
        for part in out:
            render.grid(
                part["rows"],
                part["headers"],
                title=part["title"],
                caption=part["caption"],
                justify=part.get("justify"),
            )
        return
    emit(_sheet(out, lists, start, end), Format.table, output, guard(ctx, force))


Part = dict[str, Any]  # one list: its rows, headers, title, caption, alignment, column keys
WHO = ["no", "branch", "id", "full_name", "admitted_on"]  # the first columns of each list


def _grid(out: list[Part], rows: Any, headers: list[str], **kw: Any) -> None:
    out.append({"rows": [tuple(r) for r in rows], "headers": headers, **kw})


def _sheet(out: list[Part], lists: dict[str, Any], start: str, end: str) -> Sheet:
    """The lists as one document or workbook (`--output`): a table each, its count beside
    its title; dates and counts kept as values (`raw`: Excel dates and numbers)."""
    tables = []
    for part in out:
        columns = list(part["keys"])
        justify = part.get("justify") or []
        tables.append(
            Table(
                columns,
                part["headers"],
                [dict(zip(columns, (raw(v) for v in row), strict=True)) for row in part["rows"]],
                f"{part['title']} ({part['caption']})",
                right=[c for c, j in zip(columns, justify, strict=False) if j == "right"],
                keep_whole=columns[3:4],  # the name, never broken
            )
        )
    return Sheet(t("document.due.title", start=start, end=end), lists, tables=tables)


def _transfers(out: list[Part], lists: dict[str, Any], end: str) -> None:
    """Temporary transfers ending by the window's end or overdue (QĐ 294-QĐ/TW 6.3.2)."""
    for name, title in (("returns", "due.returns_title"), ("attendance", "due.attendance_title")):
        if lists[name]:
            _listing(
                out,
                lists[name],
                ["due.col.place", "due.col.until", "due.col.overdue_days"],
                lambda r: (r["place"] or "", values.date(r["until"]), r["overdue_days"] or ""),
                t(title, end=end),
                ("left", "left", "right"),
            )


def _badges_owed(out: list[Part], lists: dict[str, Any]) -> None:
    """Posthumous awards owed in the window, then presentations missed (`badge_due`)."""
    if lists["posthumous"]:
        _listing(
            out,
            lists["posthumous"],
            ["due.col.years", "badge.col.died", "badge.col.reaches", "due.col.presented_on"],
            lambda b: (
                b["years"],
                values.date(b["died_on"]),
                values.date(b["reaches_on"]),
                values.date(b["presented_on"]),
            ),
            t("badge.posthumous_title"),
            ("right", "left", "left", "left"),
        )
    if lists["missed"]:
        _listing(
            out,
            lists["missed"],
            ["due.col.years", "badge.col.reaches", "due.col.presented_on", "badge.col.late"],
            lambda b: (
                b["years"],
                values.date(b["reaches_on"]),
                values.date(b["presented_on"]),
                t("badge.months_ago", months=b["months"]),
            ),
            t("badge.missed_title"),
            ("right", "left", "left", "right"),
        )


def _months(absence: dict[str, Any]) -> str:
    return ", ".join(values.date(f"{absence['year']}-{m:02d}") for m in absence["months"])


def _listing(
    out: list[Part],
    people: list[dict[str, Any]],
    header_keys: list[str],
    details: Callable[[dict[str, Any]], tuple[Any, ...]],
    title: str,
    align: tuple[str, ...] = ("left", "right", "left"),
) -> None:
    """One of the due lists: who (branch, id, name, admitted), then what is due."""
    _grid(
        out,
        [
            (
                i,
                p["branch"],
                p["id"],
                p["full_name"],
                values.admission(p["admitted_on"], p.get("readmitted_on")),
                *details(p),
            )
            for i, p in enumerate(people, 1)
        ],
        [
            t("label.no"),
            t("label.branch"),
            t("column.id"),
            t("column.full_name"),
            t("column.admitted_on"),
            *(t(k) for k in header_keys),
        ],
        title=title,
        caption=t("due.count", count=len(people)),
        justify=["right", "left", "right", "left", "left", *align],
        keys=[*WHO, *(k.rsplit(".", 1)[-1] for k in header_keys)],
    )
