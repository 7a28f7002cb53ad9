"""`tanhung member …`: add, show, list, find, edit members (đảng viên)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from tanhung_cli import member_lists, member_schema, render, roll
from tanhung_cli import vietnamese as vn
from tanhung_cli.cli.common import (
    AgeFilter,
    AllFilter,
    AsOfOption,
    BornFilter,
    BranchFilter,
    EthnicityFilter,
    Format,
    FormatOption,
    GenderFilter,
    StatusFilter,
    as_of_date,
    date_option,
    fail,
    member_filters,
    registry,
    standing_label,
    today,
    warn,
)
from tanhung_cli.cli.ethnic_option import EthnicCodes, EthnicTable, typed
from tanhung_cli.cli.member_fields import member_options
from tanhung_cli.cli.member_sheet import ListForce, ListOutput, write_list
from tanhung_cli.columns import MEMBER_COLUMNS
from tanhung_cli.i18n import t
from tanhung_cli.problems import word
from tanhung_cli.render import values

app = typer.Typer(no_args_is_help=True, help="Party members (đảng viên).")

Text = str | None
MemberFields = dict[str, Any]  # given by `member_options`


KeepCase = Annotated[
    bool,
    typer.Option("--keep-case", help="Keep a name typed in capitals throughout as typed."),
]


def note_capitalised(typed: str | None, stored: str) -> None:
    """Say so when a name typed in capitals (or small letters) was stored capitalised."""
    if typed is not None and vn.clean(typed) != stored:
        warn(t("member.name_capitalised", typed=vn.clean(typed)[:100], stored=stored))


@app.command("add")
@member_options("add", required=True)
def add(
    ctx: typer.Context,
    fields: MemberFields,
    decision: Annotated[
        Text, typer.Option("--decision", help="Admission decision number (số quyết định).")
    ] = None,
    keep_case: KeepCase = False,
    ethnic_codes: EthnicCodes = EthnicTable.t2008,
) -> None:
    """Admit or register a member (kết nạp / thêm đảng viên).

    Example: tanhung member add --name "Thạch Thị Sa Rươne" --given-name "Sa Rươne"
    --gender Nữ --born 12/03/1990 --ethnicity Khmer --branch "Te Te 1" --admitted 19/05/2016
    """
    from tanhung_cli import members  # the validator: only for a command that writes

    conn = registry(ctx, write=True)
    note = typed(fields, ethnic_codes)
    outcome = members.add_member(conn, fields, decision_no=decision, keep_case=keep_case)
    if note:
        warn(note)
    for problem in outcome.warnings:
        warn(word(problem))
    row = members.member_by_id(conn, outcome.member_id)
    note_capitalised(fields["full_name"], row["full_name"])
    typer.echo(t("member.added", id=row["id"], name=row["full_name"]))


def value_reader(conn: Any) -> Callable[[str | None, Any], str]:
    """How a stored value reads to the clerk: labels for codes, names for branches, dates."""
    branch_names = dict(conn.execute("SELECT id, name FROM branches").fetchall())

    def shown(column: str | None, value: Any) -> str:
        if value is None or value == "" or not column:
            return "" if value is None else str(value)
        text = str(value)
        if column == "branch_id" and text.isdigit():
            return str(branch_names.get(int(text), text))
        if column in member_schema.VOCAB_OF:
            return values.label(member_schema.VOCAB_OF[column], text)
        if column == "gap_kind":  # a period not counted in party age (`gaps`)
            return values.label("gap_kind", text)
        if column.endswith("_on") or column == "birth_date":
            return values.date(text)
        return text

    return shown


@app.command("edit")
@member_options("edit")
def edit(
    ctx: typer.Context,
    member: Annotated[str, typer.Argument(help="Member id or party card number.")],
    fields: MemberFields,
    on: Annotated[
        Text,
        typer.Option("--on", help="Date the change takes effect (ngày thay đổi); default today."),
    ] = None,
    decision: Annotated[Text, typer.Option("--decision", help="Decision number.")] = None,
    remark: Annotated[Text, typer.Option("--remark", help="Why, for the history entry.")] = None,
    correction: Annotated[
        bool,
        typer.Option(
            "--correction",
            help="The value was wrong all along (đính chính): reports at earlier dates change too.",
        ),
    ] = False,
    keep_case: KeepCase = False,
    ethnic_codes: EthnicCodes = EthnicTable.t2008,
) -> None:
    """Correct or update a member's details (sửa thông tin); each change is kept in the history.

    An empty value clears an optional field: tanhung member edit 12 --phone ""

    A new theory level, education, language, religion or profession counts from --on (today).

    Example: tanhung member edit 12 --theory "Trung cấp" --on 15/03/2023 --decision 45-QĐ/HU

    A value typed wrongly: --correction puts it right at every date since its latest change.
    """
    changes = fields
    if not changes:
        fail(t("member.edit_nothing"))
    from tanhung_cli import members

    conn = registry(ctx, write=True)
    note = typed(changes, ethnic_codes)
    outcome = members.edit_member(
        conn,
        member,
        changes,
        on=date_option(on, "--on"),
        decision_no=decision,
        note=remark,
        keep_case=keep_case,
        correction=correction,
    )
    if changes.get("full_name"):
        note_capitalised(
            changes["full_name"], members.member_by_id(conn, outcome.member_id)["full_name"]
        )
    for problem in outcome.warnings:
        warn(word(problem))
    if note:
        warn(note)
    if not outcome.changes:
        typer.echo(t("member.unchanged", id=outcome.member_id))
        return
    shown = value_reader(conn)
    for column, (old, new) in outcome.changes.items():
        typer.echo(
            f"{t('column.' + column)}: {shown(column, old) or '—'} → {shown(column, new) or '—'}"
        )
    typer.echo(t("member.edited", id=outcome.member_id, count=len(outcome.changes)))


# The fields `member list` shows (`member_schema`), then the member's status at the date.
LIST_COLUMNS = (*member_schema.LISTED, "status")


def _print_members(rows: list[dict[str, Any]], fmt: Format, title: str) -> None:
    if fmt is Format.json:
        render.to_json(rows)
        return
    if fmt is Format.csv:
        render.to_csv(rows, [c.name for c in MEMBER_COLUMNS] + ["status"])
        return
    # Who a list holds beside the members counted goes apart, under its own heading: one
    # definition of the roll (roll.ON_ROLL) in every count the clerk reads.
    counted = [r for r in rows if r["status"] in roll.COUNTED]
    _print_grid(counted, title, t("member.count", count=len(counted)))
    for status in roll.APART:
        group = [r for r in rows if r["status"] == status]
        if group:
            typer.echo()
            _print_grid(group, t(f"member.apart.{status}"), t("member.people", count=len(group)))


def _print_grid(rows: list[dict[str, Any]], title: str, caption: str) -> None:
    table_rows = [
        (
            i,
            r["id"],
            r["full_name"],
            r["gender"],
            values.date(r["birth_date"]),
            r["ethnicity"],
            r["branch"],
            values.admission(r["admitted_on"], r.get("readmitted_on")),
            values.date(r["official_on"]),
            standing_label(r),
        )
        for i, r in enumerate(rows, 1)
    ]
    headers = [t("label.no"), *(t("column." + c) for c in LIST_COLUMNS)]
    justify = ["right", "right"] + ["left"] * (len(headers) - 2)
    render.grid(table_rows, headers, title=title, caption=caption, justify=justify)


@app.command("list")
def list_(
    ctx: typer.Context,
    branch: BranchFilter = None,
    status: StatusFilter = None,
    gender: GenderFilter = None,
    ethnicity: EthnicityFilter = None,
    all_: AllFilter = False,
    born: BornFilter = None,
    age: AgeFilter = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.table,
    output: ListOutput = None,
    force: ListForce = False,
) -> None:
    """List members in Vietnamese name order (danh sách đảng viên).

    Example: tanhung member list --branch "Ấp Chợ" --status dự-bị
    By age at a date: tanhung member list --age 30-40 --as-of 30/06/2020
    To Excel: tanhung member list --branch "Ấp Chợ" -o ap-cho.xlsx
    """
    conn = registry(ctx)
    day = as_of_date(as_of)
    filters = member_filters(
        conn, branch, status, gender, ethnicity, all_, born=born, age=age, as_of=day
    )
    rows = member_lists.list_members(conn, filters, day)
    title = t("member.list_title", date=values.date(day))
    if output is not None:
        write_list(ctx, rows, title, output, force)
        return
    _print_members(rows, fmt, title)


@app.command("find")
def find(
    ctx: typer.Context,
    query: Annotated[
        str, typer.Argument(help="Part of a name (any accents, any case) or a card/CCCD number.")
    ],
    fmt: FormatOption = Format.table,
) -> None:
    """Find members by name or number, ignoring accents and case (tìm đảng viên).

    Example: tanhung member find "nguyen diem"
    """
    rows = member_lists.find_members(registry(ctx), query, today())
    if not rows:
        if fmt is not Format.table:  # still one document on stdout for a script to read
            _print_members(rows, fmt, "")
        fail(t("member.none_found", query=vn.clean(query)[:60]))
    _print_members(rows, fmt, t("member.find_title", query=vn.clean(query)[:60]))
