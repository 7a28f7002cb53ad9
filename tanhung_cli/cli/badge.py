"""`tanhung badge award|void|list`: the register of Party badges (sổ Huy hiệu Đảng).

Who is owed a badge is `tanhung due`; this records what was presented. The CSV of
`badge list` is what `import badges` reads back.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tanhung_cli import badges, render
from tanhung_cli.branches import get_branch
from tanhung_cli.cli.common import Format, FormatOption, date_option, registry, today, warn
from tanhung_cli.cli.list_output import listing, refuse_early, write_list
from tanhung_cli.cli.outputs import ForceOption, Headers, HeadersOption
from tanhung_cli.cli.report_options import OutputOpt
from tanhung_cli.i18n import t
from tanhung_cli.problems import word
from tanhung_cli.render import values

app = typer.Typer(no_args_is_help=True, help="Party badges (Huy hiệu Đảng).")

MemberArg = Annotated[str, typer.Argument(help="Member id or party card number.")]
YearsOption = Annotated[
    int, typer.Option("--years", min=1, max=200, help="The badge level: 30, 40, 45 … 90.")
]
# The columns of `badge list --format csv` (and `export badges`), which `import badges` reads.
LIST_COLUMNS = {
    "id": "Mã",
    "national_id": "Số CCCD",
    "full_name": "Họ và tên",
    "branch": "Chi bộ",
    "years": "Huy hiệu",
    "presented_on": "Ngày trao",
    "badge_no": "Số huy hiệu",
    "decision": "Quyết định",
    "kind": "Loại",
    "note": "Ghi chú",
}


@app.command("award")
def award(
    ctx: typer.Context,
    member: MemberArg,
    years: YearsOption,
    on: Annotated[
        str | None, typer.Option("--on", help="Presentation date; default today.")
    ] = None,
    number: Annotated[str | None, typer.Option("--number", help="Badge number.")] = None,
    decision: Annotated[str | None, typer.Option("--decision", help="Decision number.")] = None,
    early: Annotated[
        str | None, typer.Option("--early", help="Early award: its reason (serious illness).")
    ] = None,
    posthumous: Annotated[
        bool, typer.Option("--posthumous", help="Posthumous award (truy tặng).")
    ] = False,
) -> None:
    """Record a Party badge presented to a member (ghi sổ tặng Huy hiệu Đảng).

    Refused when the member has not reached the level by the date (unless --early with
    its reason, within 12 months, 24 from the 70-year badge), for a level already
    awarded or a badge number already used; posthumous awards (--posthumous) for a
    member who died at most 12 months before reaching the level (HD 01-HD/TW point 18).
    Example: tanhung badge award 12 --years 30 --on 03/02/2025 --number 123456
    """
    day = date_option(on, "--on") or today()
    if early is not None and posthumous:
        raise typer.BadParameter(t("badge.both_kinds"), param_hint="--early")
    kind = "early" if early is not None else "posthumous" if posthumous else "regular"
    item = badges.Award(0, "", years, day, _text(number), _text(decision), kind, _text(early))
    result = badges.award(registry(ctx, write=True), member, item)
    for problem in result.warnings:
        warn(word(problem))
    label = t(f"badge.kind.{kind}")
    typer.echo(
        t(
            "badge.awarded",
            years=years,
            kind=label,
            name=result.name,
            id=result.member_id,
            on=values.date(day),
        )
    )


def _text(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


@app.command("void")
def void(
    ctx: typer.Context,
    member: MemberArg,
    years: YearsOption,
    reason: Annotated[str, typer.Option("--reason", help="Why it was a mistake.")] = "",
) -> None:
    """Void a badge record entered by mistake (hủy bản ghi nhầm); it stays in the audit trail.

    Example: tanhung badge void 12 --years 30 --reason "nhầm người"
    """
    if not reason.strip():
        raise typer.BadParameter(t("badge.void_reason_required"), param_hint="--reason")
    row = badges.void(registry(ctx, write=True), member, years, reason)
    typer.echo(t("badge.voided", years=years, name=row["full_name"], id=row["id"]))


@app.command("list")
def list_(
    ctx: typer.Context,
    year: Annotated[
        int | None, typer.Option("--year", min=1, max=9999, help="Only this year.")
    ] = None,
    branch: Annotated[str | None, typer.Option("--branch", "-b", help="Only this branch.")] = None,
    fmt: FormatOption = Format.table,
    headers: HeadersOption = Headers.en,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """List the badges presented, by date (sổ Huy hiệu Đảng). Its CSV is what
    `import badges` reads back.

    Example: tanhung badge list --year 2025 -o huy-hieu.xlsx
    """
    refuse_early(ctx, output, force)
    conn = registry(ctx)
    branch_id = get_branch(conn, branch)["id"] if branch else None
    rows = badges.register(conn, year, branch_id)
    if output is None:
        show(rows, fmt, headers, year)
        return
    cells = [
        (
            i,
            r["member_id"],
            r["full_name"],
            r["branch"],
            r["years"],
            r["presented_on"],
            r["badge_no"],
            r["decision"],
            t(f"badge.kind.{r['kind']}"),
        )
        for i, r in enumerate(rows, 1)
    ]
    table = listing(
        (
            "no",
            "id",
            "full_name",
            "branch",
            "years",
            "presented_on",
            "badge_no",
            "decision",
            "kind",
        ),
        _headers(),
        cells,
        ("no", "id", "years"),
        ("presented_on",),
    )
    title = t("badge.list_title_year", year=year) if year else t("badge.list_title")
    write_list(ctx, output, force, title, table, rows, t("badge.count", count=len(rows)))


def _headers() -> list[str]:
    return [
        t("label.no"),
        t("column.id"),
        t("column.full_name"),
        t("column.branch"),
        t("badge.col.years"),
        t("badge.col.on"),
        t("badge.col.number"),
        t("badge.col.decision"),
        t("badge.col.kind"),
    ]


def show(rows: list[dict[str, Any]], fmt: Format, headers: Headers, year: int | None) -> None:
    if fmt is Format.json:
        render.to_json(rows)
        return
    if fmt is Format.csv:
        shown = rows
        if headers is Headers.vi:
            shown = [{LIST_COLUMNS[k]: r.get(k) for k in LIST_COLUMNS} for r in rows]
        render.to_csv(shown, list(LIST_COLUMNS.values() if headers is Headers.vi else LIST_COLUMNS))
        return
    grid = [
        (
            i,
            r["member_id"],
            r["full_name"],
            r["branch"],
            r["years"],
            values.date(r["presented_on"]),
            r["badge_no"] or "",
            r["decision"] or "",
            t(f"badge.kind.{r['kind']}"),
        )
        for i, r in enumerate(rows, 1)
    ]
    render.grid(
        grid,
        _headers(),
        title=t("badge.list_title_year", year=year) if year else t("badge.list_title"),
        caption=t("badge.count", count=len(rows)),
    )


def held_text(rows: list[Any], *, dated: bool = False) -> str:
    """A member's badges in one cell: "30 năm, số 123; 40 năm" (with dates when ``dated``)."""
    out = []
    for r in rows:
        if dated:
            key = "badge.held" if r["badge_no"] else "badge.held_no_number"
            on = values.date(r["presented_on"])
            out.append(t(key, years=r["years"], number=r["badge_no"], on=on))
        else:
            key = "badge.short" if r["badge_no"] else "badge.short_no_number"
            out.append(t(key, years=r["years"], number=r["badge_no"]))
    return "; ".join(out)
