"""`tanhung member …`: add, show, list, find, edit members (đảng viên)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

import typer

from tanhung_cli import member_lists, members, render, roll
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
from tanhung_cli.columns import MEMBER_COLUMNS
from tanhung_cli.i18n import get_lang, t
from tanhung_cli.problems import word
from tanhung_cli.vocab import vocabulary

app = typer.Typer(no_args_is_help=True, help="Party members (đảng viên).")

Text = str | None
# Options shared by `add` and `edit`, mapped to the member file's columns.
FIELD_OPTIONS: dict[str, str] = {
    "name": "full_name",
    "given_name": "given_name",
    "gender": "gender",
    "born": "birth_date",
    "ethnicity": "ethnicity",
    "religion": "religion",
    "branch": "branch",
    "admitted": "admitted_on",
    "official": "official_on",
    "card": "card_no",
    "cccd": "national_id",
    "file_no": "file_no",
    "home_town": "home_town",
    "education": "education",
    "theory": "theory_level",
    "profession": "profession",
    "phone": "phone",
    "age_exception": "age_exception",
    "note": "note",
}


def member_values(options: dict[str, Any], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The member file's values that a command's options give (names as in FIELD_OPTIONS)."""
    return {
        FIELD_OPTIONS[k]: v
        for k, v in options.items()
        if k in FIELD_OPTIONS and k not in skip and v is not None
    }


KeepCase = Annotated[
    bool,
    typer.Option("--keep-case", help="Keep a name typed in capitals throughout as typed."),
]


def note_capitalised(typed: str | None, stored: str) -> None:
    """Say so when a name typed in capitals (or small letters) was stored capitalised."""
    if typed is not None and vn.clean(typed) != stored:
        warn(t("member.name_capitalised", typed=vn.clean(typed)[:100], stored=stored))


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="Full name (họ và tên).")],
    gender: Annotated[str, typer.Option("--gender", help="Nam / Nữ (male / female).")],
    born: Annotated[str, typer.Option("--born", help="Birth date (ngày sinh), dd/mm/yyyy.")],
    ethnicity: Annotated[
        str, typer.Option("--ethnicity", help="Ethnic group (dân tộc): name or code.")
    ],
    branch: Annotated[str, typer.Option("--branch", help="Branch (chi bộ).")],
    admitted: Annotated[str, typer.Option("--admitted", help="Admission date (ngày vào Đảng).")],
    official: Annotated[
        Text, typer.Option("--official", help="Official date (ngày chính thức).")
    ] = None,
    card: Annotated[
        Text, typer.Option("--card", help="Party card number (số thẻ), 8 digits.")
    ] = None,
    cccd: Annotated[Text, typer.Option("--cccd", help="Citizen ID (số CCCD), 12 digits.")] = None,
    file_no: Annotated[
        Text, typer.Option("--file-no", help="Member file number (số lý lịch).")
    ] = None,
    given_name: Annotated[
        Text, typer.Option("--given-name", help="Given name (tên) when it has several words.")
    ] = None,
    religion: Annotated[Text, typer.Option("--religion", help="Religion (tôn giáo).")] = None,
    home_town: Annotated[Text, typer.Option("--home-town", help="Home town (quê quán).")] = None,
    education: Annotated[
        Text, typer.Option("--education", help="General education (học vấn).")
    ] = None,
    theory: Annotated[
        Text, typer.Option("--theory", help="Political theory level (lý luận chính trị).")
    ] = None,
    profession: Annotated[
        Text, typer.Option("--profession", help="Profession (nghề nghiệp).")
    ] = None,
    phone: Annotated[Text, typer.Option("--phone", help="Phone number (điện thoại).")] = None,
    note: Annotated[Text, typer.Option("--note", help="Note (ghi chú).")] = None,
    age_exception: Annotated[
        Text,
        typer.Option(
            "--age-exception", help="Why an admission outside age 18-60 is allowed (recorded)."
        ),
    ] = None,
    decision: Annotated[
        Text, typer.Option("--decision", help="Admission decision number (số quyết định).")
    ] = None,
    keep_case: KeepCase = False,
) -> None:
    """Admit or register a member (kết nạp / thêm đảng viên).

    Example: tanhung member add --name "Thạch Thị Sa Rươne" --given-name "Sa Rươne"
    --gender Nữ --born 12/03/1990 --ethnicity Khmer --branch "Te Te 1" --admitted 19/05/2016
    """
    conn = registry(ctx, write=True)
    outcome = members.add_member(
        conn, member_values(locals()), decision_no=decision, keep_case=keep_case
    )
    for problem in outcome.warnings:
        warn(word(problem))
    row = members.member_by_id(conn, outcome.member_id)
    note_capitalised(name, row["full_name"])
    typer.echo(t("member.added", id=row["id"], name=row["full_name"]))


def value_reader(conn: Any) -> Callable[[str | None, Any], str]:
    """How a stored value reads to the clerk: labels for codes, names for branches, dates."""
    branch_names = dict(conn.execute("SELECT id, name FROM branches").fetchall())
    lang = get_lang()

    def shown(column: str | None, value: Any) -> str:
        if value is None or value == "" or not column:
            return "" if value is None else str(value)
        text = str(value)
        if column == "branch_id" and text.isdigit():
            return str(branch_names.get(int(text), text))
        if column in members.VOCAB_OF:
            return vocabulary(members.VOCAB_OF[column]).label(text, lang)
        if column.endswith("_on") or column == "birth_date":
            return vn.format_date(from_iso(text), lang)
        return text

    return shown


@app.command("edit")
def edit(
    ctx: typer.Context,
    member: Annotated[str, typer.Argument(help="Member id or party card number.")],
    name: Annotated[Text, typer.Option("--name", help="Full name.")] = None,
    gender: Annotated[Text, typer.Option("--gender", help="Nam / Nữ.")] = None,
    born: Annotated[Text, typer.Option("--born", help="Birth date.")] = None,
    ethnicity: Annotated[Text, typer.Option("--ethnicity", help="Ethnic group.")] = None,
    branch: Annotated[Text, typer.Option("--branch", help="Branch (chi bộ).")] = None,
    admitted: Annotated[Text, typer.Option("--admitted", help="Admission date.")] = None,
    official: Annotated[Text, typer.Option("--official", help="Official date.")] = None,
    card: Annotated[Text, typer.Option("--card", help="Party card number.")] = None,
    cccd: Annotated[Text, typer.Option("--cccd", help="Citizen ID.")] = None,
    file_no: Annotated[Text, typer.Option("--file-no", help="Member file number.")] = None,
    given_name: Annotated[Text, typer.Option("--given-name", help="Given name.")] = None,
    religion: Annotated[Text, typer.Option("--religion", help="Religion.")] = None,
    home_town: Annotated[Text, typer.Option("--home-town", help="Home town.")] = None,
    education: Annotated[Text, typer.Option("--education", help="General education.")] = None,
    theory: Annotated[Text, typer.Option("--theory", help="Political theory level.")] = None,
    profession: Annotated[Text, typer.Option("--profession", help="Profession.")] = None,
    phone: Annotated[Text, typer.Option("--phone", help="Phone number.")] = None,
    note: Annotated[Text, typer.Option("--note", help="Note.")] = None,
    age_exception: Annotated[
        Text, typer.Option("--age-exception", help="Age exception reason.")
    ] = None,
    on: Annotated[Text, typer.Option("--on", help="Date of the change; default today.")] = None,
    decision: Annotated[Text, typer.Option("--decision", help="Decision number.")] = None,
    remark: Annotated[Text, typer.Option("--remark", help="Why, for the history entry.")] = None,
    keep_case: KeepCase = False,
) -> None:
    """Correct or update a member's details (sửa thông tin); each change is kept in the history.

    An empty value clears an optional field: tanhung member edit 12 --phone ""
    """
    changes = member_values(locals())
    if not changes:
        fail(t("member.edit_nothing"))
    conn = registry(ctx, write=True)
    outcome = members.edit_member(
        conn,
        member,
        changes,
        on=date_option(on, "--on"),
        decision_no=decision,
        note=remark,
        keep_case=keep_case,
    )
    if changes.get("full_name"):
        note_capitalised(
            changes["full_name"], members.member_by_id(conn, outcome.member_id)["full_name"]
        )
    if not outcome.changes:
        typer.echo(t("member.unchanged", id=outcome.member_id))
        return
    shown = value_reader(conn)
    for column, (old, new) in outcome.changes.items():
        typer.echo(
            f"{t('column.' + column)}: {shown(column, old) or '—'} → {shown(column, new) or '—'}"
        )
    typer.echo(t("member.edited", id=outcome.member_id, count=len(outcome.changes)))


LIST_COLUMNS = ("id", "full_name", "gender", "birth_date", "ethnicity", "branch",
                "admitted_on", "official_on", "status")  # fmt: skip


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
    lang = get_lang()
    table_rows = [
        (
            i,
            r["id"],
            r["full_name"],
            r["gender"],
            vn.format_date(from_iso(r["birth_date"]), lang),
            r["ethnicity"],
            r["branch"],
            vn.format_date(from_iso(r["admitted_on"]), lang),
            vn.format_date(from_iso(r["official_on"]), lang),
            standing_label(r),
        )
        for i, r in enumerate(rows, 1)
    ]
    headers = [t("label.no"), *(t("column." + c) for c in LIST_COLUMNS)]
    justify = ["right", "right"] + ["left"] * (len(headers) - 2)
    render.grid(table_rows, headers, title=title, caption=caption, justify=justify)


def from_iso(iso: str | None) -> dt.date | None:
    return dt.date.fromisoformat(iso) if iso else None


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
) -> None:
    """List members in Vietnamese name order (danh sách đảng viên).

    Example: tanhung member list --branch "Ấp Chợ" --status dự-bị
    By age at a date: tanhung member list --age 30-40 --as-of 30/06/2020
    """
    conn = registry(ctx)
    day = as_of_date(as_of)
    filters = member_filters(
        conn, branch, status, gender, ethnicity, all_, born=born, age=age, as_of=day
    )
    rows = member_lists.list_members(conn, filters, day)
    _print_members(rows, fmt, t("member.list_title", date=vn.format_date(day, get_lang())))


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
