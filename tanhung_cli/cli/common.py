"""What every command group shares: the open registry, options, dates, errors."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from tanhung_cli import db, registry_file, waiting
from tanhung_cli import vietnamese as vn
from tanhung_cli.db import default_db_path
from tanhung_cli.i18n import t
from tanhung_cli.render.formats import Format as Format  # what the lists compare against
from tanhung_cli.render.formats import Listing
from tanhung_cli.render.terminal import say

FormatOption = Annotated[
    Listing, typer.Option("--format", "-f", help="Output: table, json or csv.")
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="The date to answer for (dd/mm/yyyy or yyyy-mm-dd); default today."
    ),
]


@dataclass
class State:
    db_path: Path | None = None
    conn: sqlite3.Connection | None = field(default=None, repr=False)


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


def registry(
    ctx: typer.Context, *, write: bool = False, readonly: bool = False
) -> sqlite3.Connection:
    """The registry named by --db / TANHUNG_DB, opened once per command.

    Only a command that writes (``write``) creates a registry where there is none, and
    says so; one that reads refuses a missing file with its full path, so that a mistyped
    --db is told rather than answered with an empty roll. A writing command also removes
    the registry's stale unfinished copies. ``readonly``: nothing can change the file.
    """
    st = state(ctx)
    if st.conn is None:
        waiting.wait_notice = waiting_notice()
        path = st.db_path or default_db_path()
        created = write and registry_file.create_registry_if_missing(path)
        st.conn = db.open_db(path, create=False, readonly=readonly)
        ctx.find_root().call_on_close(st.conn.close)
        if created:
            warn(t("db.created", path=str(path.absolute())))
        if write:
            _clean_leftovers(path)
    return st.conn


def waiting_notice() -> Callable[[], None]:
    """Tell the clerk once, at once, that another clerk's write is being waited for."""
    told: list[bool] = []

    def notice() -> None:
        if not told:
            warn(t("safety.waiting", seconds=-(-db.BUSY_TIMEOUT_MS // 1000)))  # rounded up
            told.append(True)

    return notice


def _clean_leftovers(path: Path) -> None:
    from tanhung_cli import leftovers

    removed = leftovers.clean(path)
    if removed:
        names = ", ".join(p.name for p in removed)
        warn(t("db.leftovers_removed", count=len(removed), names=names, folder=str(path.parent)))


def today() -> dt.date:
    return dt.date.today()


def date_option(value: str | None, name: str, *, allow_future: bool = False) -> dt.date | None:
    """Parse a date typed on the command line; a malformed one is a usage error (exit 2)."""
    if value is None:
        return None
    try:
        day = vn.parse_date(value, allow_future=allow_future)
    except vn.DateError as exc:
        raise typer.BadParameter(
            t(f"rule.date_{exc.reason}", value=vn.clean(value)[:40]), param_hint=name
        ) from None
    if day > LATEST:
        # Windows ahead of a date (badges, probation) must stay inside the calendar.
        raise typer.BadParameter(
            t("rule.date_too_far", value=vn.clean(value)[:40]), param_hint=name
        )
    return day


# The latest date a command answers for: far enough for any plan, and a century of
# look-ahead (party-age badges) still fits in Python's calendar.
LATEST = dt.date(2199, 12, 31)
# The largest number of a record (SQLite's INTEGER): a whole-number argument is bounded by
# it, so a longer one is refused by Typer instead of overflowing in SQLite.
RECORD_MAX = 2**63 - 1


def as_of_date(value: str | None) -> dt.date:
    return date_option(value, "--as-of", allow_future=True) or today()


def fail(message: str) -> NoReturn:
    """Refuse: one clear line on stderr, exit 1."""
    say(message, err=True)
    raise typer.Exit(1)


def warn(message: str) -> None:
    say(message, err=True)


# The filters `member list` and `export members` share.
BranchFilter = Annotated[str | None, typer.Option("--branch", "-b", help="Only this branch.")]
StatusFilter = Annotated[
    str | None,
    typer.Option(
        "--status",
        "-s",
        help="official, probationary (dự bị), left, temporary, exempt (miễn), away (đi vắng).",
    ),
]
GenderFilter = Annotated[str | None, typer.Option("--gender", help="Nam / Nữ.")]
EthnicityFilter = Annotated[str | None, typer.Option("--ethnicity", help="Ethnic group.")]
AllFilter = Annotated[bool, typer.Option("--all", help="Include members who left the roll.")]


def vocab_option(name: str, value: str | None, option: str) -> str | None:
    """The code of a vocabulary value typed as an option; unknown is a usage error."""
    from tanhung_cli.vocab import UnknownValue, vocabulary

    if value is None:
        return None
    try:
        return vocabulary(name).resolve(value).code
    except UnknownValue as exc:
        hint = ", ".join(exc.suggestions)
        raise typer.BadParameter(
            t("rule.unknown_value_hint", value=vn.clean(value)[:40], hint=hint), param_hint=option
        ) from None


BornFilter = Annotated[
    str | None, typer.Option("--born", help="Born in a year or years: 1975, 1970-1975.")
]
AgeFilter = Annotated[
    str | None, typer.Option("--age", help="Aged (whole years, at --as-of): 30, 30-40, 60+.")
]


def number_range(value: str, name: str, lowest: int, highest: int) -> tuple[int, int]:
    """``"30"``, ``"30-40"`` or ``"60+"`` as (first, last), inside [lowest, highest]."""
    text = vn.clean(value).translate(str.maketrans("–—", "--")).replace(" ", "")
    first, dash, last = text.partition("-")
    if text.endswith("+"):
        first, last = text[:-1], str(highest)
    elif not dash:
        last = first
    if not (first.isascii() and first.isdigit() and last.isascii() and last.isdigit()):
        raise typer.BadParameter(t("member.bad_range", value=vn.clean(value)[:40]), param_hint=name)
    low, high = int(first[:6]), int(last[:6])
    if not lowest <= low <= high <= highest:
        raise typer.BadParameter(
            t("member.range_outside", value=vn.clean(value)[:40], lowest=lowest, highest=highest),
            param_hint=name,
        )
    return low, high


def member_filters(
    conn: sqlite3.Connection,
    branch: str | None,
    status: str | None,
    gender: str | None,
    ethnicity: str | None,
    include_left: bool,
    *,
    born: str | None = None,
    age: str | None = None,
    as_of: dt.date | None = None,
) -> Any:
    """The `member_lists.Filters` the filter options ask for."""
    from tanhung_cli import member_lists
    from tanhung_cli.branches import get_branch

    if born is not None and age is not None:
        raise typer.BadParameter(t("member.born_or_age"), param_hint="--age")
    births = None
    if born is not None:
        births = member_lists.born_between(*number_range(born, "--born", 1800, LATEST.year))
    elif age is not None:
        youngest, oldest = number_range(age, "--age", 0, 150)
        births = member_lists.aged_between(as_of or today(), youngest, oldest)
    return member_lists.Filters(
        branch_id=get_branch(conn, branch)["id"] if branch else None,
        status=vocab_option("status", status.replace("-", " ") if status else None, "--status"),
        gender=vocab_option("gender", gender, "--gender"),
        ethnicity=vocab_option("ethnicity", ethnicity, "--ethnicity"),
        include_left=include_left,
        born=births,
    )


def standing_label(record: dict[str, Any]) -> str:
    """A member's status with what a clerk must see beside it: exempt (miễn sinh hoạt) or
    away on a temporary transfer, both still on the roll ("Chính thức · miễn sinh hoạt")."""
    marks = [t("status.mark." + k) for k in ("exempt", "away") if record.get(k)]
    return " · ".join([status_label(record["status"]), *marks])


def status_label(code: str) -> str:
    """A member's status as the clerk reads it, in the current language."""
    from tanhung_cli.render import values
    from tanhung_cli.vocab import vocabulary

    known = code in vocabulary("status").codes()
    return values.label("status", code) if known else t("status." + code)
