"""The year's rating summary as a sheet (`rating summary`): every format through `render`."""

from __future__ import annotations

from typing import Any

from tanhung_cli.i18n import t
from tanhung_cli.rating_rules import LEVELS
from tanhung_cli.render import Format, values
from tanhung_cli.render.sheet import Sheet, Table

MEMBER_COLUMNS = ("no", "id", "full_name", "branch")


def _grades(data: dict[str, Any], fmt: Format) -> list[Table]:
    """Per branch and over the committee: rated, each grade, not rated, and whether over the
    cap (for the unit it is counted over); then the committee's grades with their shares."""
    unit = data["cap_unit"]
    yes = t("life.yes")
    rows = [
        {**b, "over_cap": yes if unit == "branch" and b["over_cap"] else ""}
        for b in data["branches"]
    ]
    over = unit == "committee" and data["total"]["over_cap"]
    rows.append({**data["total"], "branch": t("rating.committee"), "over_cap": yes if over else ""})
    tail = ["not_rated", "over_cap"]
    if fmt in (Format.csv, Format.json):  # raw counts and shares, a column each
        columns = ["branch", "rated"]
        columns += [c for level in LEVELS for c in (level, f"percent_{level}")] + tail
        return [Table(columns, columns, rows, key="grades")]
    columns = ["branch", "rated", *LEVELS, *tail]
    headers = [t("label.branch"), t("rating.col.rated_short")]
    headers += [t(f"rating.short.{level}") for level in LEVELS]
    headers += [t("rating.col.not_rated_short"), t("rating.col.over_cap")]
    numbers = columns[1:-1]
    by_branch = Table(columns, headers, rows, right=numbers, key="grades")
    total = data["total"]
    shares = [
        {
            "grade": values.label("rating", level),
            "count": total[level],
            "percent": total[f"percent_{level}"],
        }
        for level in LEVELS
    ]
    shares.append({"grade": t("rating.col.rated"), "count": total["rated"], "percent": None})
    shares.append(
        {"grade": t("rating.col.not_rated"), "count": total["not_rated"], "percent": None}
    )
    committee = Table(
        ["grade", "count", "percent"],
        [t("rating.col.grade"), t("rating.col.count"), t("rating.col.percent")],
        shares,
        title=t("rating.committee_title"),
        right=("count", "percent"),
        key="committee",
    )
    return [by_branch, committee]


def _members(
    key: str, title: str, rows: list[dict[str, Any]], fmt: Format, extra: tuple[str, ...] = ()
) -> Table:
    columns = [*MEMBER_COLUMNS, *extra]
    headers = [t("label.no"), t("column.id"), t("column.full_name"), t("column.branch")]
    headers += [t(f"rating.col.{c}") for c in extra]
    shown = [{"no": i, **r} for i, r in enumerate(rows, 1)]
    if not shown and fmt is not Format.csv:  # the list says "none" rather than vanish
        shown = [{"no": "", "id": "", "full_name": t("rating.none"), "branch": ""}]
        shown[0].update(dict.fromkeys(extra, ""))
    return Table(columns, headers, shown, title=title, right=("no", "id"), key=key)


def rating_sheet(data: dict[str, Any], fmt: Format) -> Sheet:
    year, total = data["year"], data["total"]
    where = t(f"rating.cap_unit.{data['cap_unit']}")
    share = values.percent(total["excellent"] * 100 / total["good"]) if total["good"] else "—"
    lines = [
        t(
            "rating.cap_line",
            excellent=total["excellent"],
            good=total["good"],
            share=share,
            percent=values.short_decimal(data["cap_percent"]),
            where=where,
        )
        + " "
        + t("rating.cap_over" if data["over_cap"] else "rating.cap_within")
    ]
    unrated = [
        {
            **r,
            "reason": t(f"rating.reason.{r['reason']}", months=r["months"]),
            "note": r["note"] or "",
        }
        for r in data["not_rated"]
    ]
    if fmt in (Format.csv, Format.json):
        unrated = data["not_rated"]
    tables = [
        *_grades(data, fmt),
        _members(
            "not_rated",
            t("rating.not_rated_title", year=year),
            unrated,
            fmt,
            ("reason", "note"),
        ),
        _members(
            "excellent_five_years",
            t("rating.excellent_run_title", first=year - 4, year=year),
            data["excellent_five_years"],
            fmt,
        ),
        _members(
            "failed_twice",
            t("rating.failed_twice_title", prev=year - 1, year=year),
            data["failed_twice"],
            fmt,
        ),
    ]
    return Sheet(t("rating.summary_title", year=year), data, lines, tables)
