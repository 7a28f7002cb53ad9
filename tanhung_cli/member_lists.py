"""Members as lists and files show them: at a date, filtered, found by name, with history."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tanhung_cli import member_schema, org, roll
from tanhung_cli import vietnamese as vn
from tanhung_cli.columns import MEMBER_COLUMNS
from tanhung_cli.dated_values import DATED_FIELDS, value_at
from tanhung_cli.member_schema import VOCAB_OF

if TYPE_CHECKING:
    from tanhung_cli.members import Record
from tanhung_cli.readmission_rules import current_admission
from tanhung_cli.vocab import vocabulary


def public(
    row: Record,
    branch_names: Mapping[int, str],
    as_of: str,
    spells: Any = (),
    branch_id: int | None = None,
) -> dict[str, Any]:
    """A member as files and JSON show it: column names as keys, labels for codes.

    At a date inside an earlier period on the roll (before a re-admission or a
    return), that period's dates are shown; the branch is ``branch_id`` (the branch at
    the date), else the row's ``branch_at`` (`roll.BRANCH_AT`), else today's.
    """
    if branch_id is None:
        branch_id = row["branch_at"] if "branch_at" in row.keys() else row["branch_id"]  # noqa: SIM118
    period = roll.period_at(row, as_of, spells) or row
    out: dict[str, Any] = {}
    for column in MEMBER_COLUMNS:
        name = column.name
        if name == "transferred_in_on":
            joined = period["joined_roll_on"]
            out[name] = joined if joined > current_admission(period) else None
        elif name == "readmitted_on":  # not yet at a date before the re-admission
            out[name] = row[name] if period is row else None
        elif name == "temporary":
            out[name] = "x" if period["presence"] == "temporary" else None
        elif name in PERIOD_FIELDS:
            value = period[name]
            out[name] = (
                vocabulary(VOCAB_OF[name]).label(value) if name in VOCAB_OF and value else value
            )
        elif name == "id":
            out["id"] = row["id"]
        elif name == "branch":
            out["branch"] = branch_names.get(branch_id, "")
        elif name in DATED_FIELDS and f"at_{name}" in row.keys():  # noqa: SIM118
            held = row[f"at_{name}"]  # the value at the date (`dated_values`)
            out[name] = (
                vocabulary(VOCAB_OF[name]).label(held) if name in VOCAB_OF and held else held
            )
        elif name in VOCAB_OF:
            out[name] = vocabulary(VOCAB_OF[name]).label(row[name]) if row[name] else None
        else:
            out[name] = row[name]
    if out["left_on"] and out["left_on"] > as_of:
        # Not yet left at as_of: the departure is not shown (issue #14, point 12).
        out["left_on"] = out["left_reason"] = None
    out["status"] = roll.status(row, as_of, spells)
    return out


PERIOD_FIELDS = ("admitted_on", "official_on", "left_on", "left_reason")
# Members with whether they are exempt and away at :as_of.
_WITH_STANDING = (
    f"m.*, {roll.EXEMPT} AS is_exempt, {roll.AWAY} AS is_away, {roll.BRANCH_AT} AS branch_at"
    + "".join(f", {value_at(f)} AS at_{f}" for f in DATED_FIELDS)
    + " FROM members m"
)
WITH_STANDING = _WITH_STANDING


@dataclass
class Filters:
    branch_id: int | None = None
    status: str | None = None
    gender: str | None = None
    ethnicity: str | None = None
    include_left: bool = False
    born: tuple[str, str] | None = None  # the first and last birth date (ISO) to list
    birth_month: int | None = None


def born_between(first_year: int, last_year: int) -> tuple[str, str]:
    """The birth dates of members born in ``first_year`` to ``last_year``."""
    return f"{first_year:04d}-01-01", f"{last_year:04d}-12-31"


def aged_between(as_of: dt.date, youngest: int, oldest: int) -> tuple[str, str]:
    """The birth dates of members ``youngest`` to ``oldest`` years old (whole years) at
    ``as_of``; a 29 February birthday counts from 1 March in other years, as reports do."""
    latest = vn.add_months(as_of, -12 * youngest)
    earliest = vn.add_months(as_of, -12 * (oldest + 1)) + dt.timedelta(days=1)
    return earliest.isoformat(), latest.isoformat()


def list_members(
    conn: sqlite3.Connection, filters: Filters, as_of: dt.date
) -> list[dict[str, Any]]:
    """Members matching ``filters`` at ``as_of``, in Vietnamese name order."""
    return list(iter_members(conn, filters, as_of))


def iter_members(
    conn: sqlite3.Connection, filters: Filters, as_of: dt.date
) -> Iterator[dict[str, Any]]:
    """`list_members` one member at a time: a file of a national roll is written without
    holding it (issue #17)."""
    sql, params = members_sql(filters, as_of)
    yield from _published(conn, conn.execute(sql, params), as_of)


def members_sql(
    filters: Filters, as_of: dt.date, select: str | None = None
) -> tuple[str, dict[str, Any]]:
    """The SELECT of `iter_members` and its parameters; ``select`` (what to read ``FROM
    members m``, default every column and the standing) for `export_rows`."""
    where = [roll.STARTED]
    params: dict[str, Any] = {"as_of": as_of.isoformat()}
    if not filters.include_left and filters.status != "left":
        where.append(roll.PRESENT)
    if filters.branch_id is not None:  # the branch at the date (`roll.in_branch`)
        where.append(roll.in_branch())
        params["branch_id"] = filters.branch_id
    for column in ("gender", "ethnicity"):
        value = getattr(filters, column)
        if value is not None:
            where.append(f"m.{column} = :{column}")
            params[column] = value
    status_sql = {
        "official": f"{roll.ON_ROLL} AND {roll.OFFICIAL}",
        "probationary": f"{roll.ON_ROLL} AND {roll.PROBATIONARY}",
        "left": f"NOT {roll.PRESENT}",
        "temporary": "m.presence = 'temporary'",
        "exempt": f"{roll.ON_ROLL} AND {roll.EXEMPT}",
        "away": f"{roll.ON_ROLL} AND {roll.AWAY}",
    }
    if filters.status:
        where.append(status_sql[filters.status])
    if filters.born is not None:
        # A birth known by year or month alone ("1960", "1960-03") sorts before its days:
        # it matches when any of its days does (`|| '-99'` stands for its last day).
        where.append(
            "m.birth_date BETWEEN :born_year AND :born_to AND m.birth_date || '-99' >= :born_from"
        )
        params["born_from"], params["born_to"] = filters.born
        params["born_year"] = filters.born[0][:4]
    if filters.birth_month is not None:
        where.append("substr(m.birth_date, 6, 2) = :birth_month")
        params["birth_month"] = f"{filters.birth_month:02d}"
    what = select or _WITH_STANDING
    sql = f"SELECT {what} WHERE {' AND '.join(where)} ORDER BY m.sort_key, m.id"
    return sql, params


def standing(conn: sqlite3.Connection, member_id: int, as_of: dt.date) -> dict[str, bool]:
    """Whether the member is exempt (miễn sinh hoạt) and away on a temporary transfer at
    ``as_of``: both stay on the roll, and both are shown beside the status."""
    row = conn.execute(
        f"SELECT {roll.EXEMPT}, {roll.AWAY} FROM members m WHERE m.id = :id",
        {"id": member_id, "as_of": as_of.isoformat()},
    ).fetchone()
    return {"exempt": bool(row[0]), "away": bool(row[1])}


def birthdays(conn: sqlite3.Connection, month: int, as_of: dt.date) -> list[dict[str, Any]]:
    """Members on the roll at ``as_of`` born in ``month``, by day of the month, with the age
    each turns that year (``turns``) and the day (``birthday``)."""
    year = as_of.year
    rows = list_members(conn, Filters(birth_month=month), as_of)
    for r in rows:
        r["turns"] = year - int(r["birth_date"][:4])
        if vn.is_partial(r["birth_date"]):  # a month known, not the day: first in the month
            r["birthday"] = f"{year:04d}-{month:02d}"
            continue
        born = dt.date.fromisoformat(r["birth_date"])
        # 29 February falls on the 28th in other years.
        r["birthday"] = vn.add_months(born, 12 * (year - born.year)).isoformat()
    rows.sort(key=lambda r: r["birthday"])  # stable: name order within a day
    return rows


def _publish(
    conn: sqlite3.Connection, rows: list[sqlite3.Row], as_of: dt.date
) -> list[dict[str, Any]]:
    return list(_published(conn, rows, as_of))


def _published(
    conn: sqlite3.Connection, rows: Iterable[sqlite3.Row], as_of: dt.date
) -> Iterator[dict[str, Any]]:
    day = as_of.isoformat()
    names = org.names_at(conn, day)
    spells = roll.past_spells_by_member(conn)
    keys: list[str] | None = None
    for found in rows:
        if keys is None:
            keys = found.keys()
        # A dict reads a column by name at once; a Row compares names one by one.
        row = dict(zip(keys, found, strict=True))
        record = public(row, names, day, spells.get(row["id"], ()))
        if "is_exempt" in row:
            record["exempt"], record["away"] = bool(row["is_exempt"]), bool(row["is_away"])
            fit_standing(record)
        yield record


# The columns of a member's standing, and the flag that says whether it holds at a date.
STANDING_FLAG = {
    "exempt_since": "exempt",
    "away_since": "away",
    "away_to": "away",
    "away_until": "away",
    "away_purpose": "away",
    "away_extension": "away",
}


def fit_standing(record: dict[str, Any]) -> dict[str, Any]:
    """Blank the standing columns that do not hold at the record's date (an exemption
    that ended since, a member back from a temporary transfer)."""
    for column, flag in STANDING_FLAG.items():
        if not record.get(flag):
            record[column] = None
    return record


# The numbers a member is found by; a query of digits matches the start of any of them.
NUMBER_COLUMNS = member_schema.UNIQUE
# Fewer digits than this would match half the roll: then only a whole number or id matches.
MIN_PREFIX_DIGITS = 3


# A word the full-text index holds whole: letters and digits, as folded names are.
_WORD = re.compile("[a-z0-9]+")


def find_members(conn: sqlite3.Connection, query: str, today: dt.date) -> list[dict[str, Any]]:
    """Members whose name holds every word of ``query`` (folded), or whose card, CCCD or file
    number starts with it (``084175`` finds the CCCD 084175000123), or whose id it is."""
    words = vn.fold(query).split()
    if not words:
        return []
    digits = "".join(words)
    number = vn.parse_number(digits) if len(words) == 1 else None  # ASCII digits only
    if number is not None:
        # A range on each number's own unique index: LIKE would scan the table.
        upper = digits[:-1] + chr(ord(digits[-1]) + 1)
        if len(digits) >= MIN_PREFIX_DIGITS:
            match = " OR ".join(f"(m.{c} >= :q AND m.{c} < :upper)" for c in NUMBER_COLUMNS)
        else:
            match = " OR ".join(f"m.{c} = :q" for c in NUMBER_COLUMNS)
        rows = conn.execute(
            f"SELECT {_WITH_STANDING} WHERE {match} OR m.id = :id ORDER BY m.sort_key, m.id",
            {"q": digits, "upper": upper, "id": number, "as_of": today.isoformat()},
        ).fetchall()
        return _publish(conn, rows, today)
    where = " AND ".join(f"instr(' ' || m.name_key, ' ' || :w{i}) > 0" for i in range(len(words)))
    params = {f"w{i}": word for i, word in enumerate(words)}
    if all(_WORD.fullmatch(word) for word in words):
        # The full-text index finds the few candidates (a superset: it also splits at
        # hyphens); the test above keeps exactly the members found before (issue #17).
        match = " AND ".join(f'"{word}"*' for word in words)
        where = (
            f"m.id IN (SELECT rowid FROM member_names WHERE member_names MATCH :match) AND {where}"
        )
        params["match"] = match
    rows = conn.execute(
        f"SELECT {_WITH_STANDING} WHERE {where} ORDER BY m.sort_key, m.id",
        {**params, "as_of": today.isoformat()},
    ).fetchall()
    return _publish(conn, rows, today)


def history(conn: sqlite3.Connection, ref: str | int) -> tuple[sqlite3.Row, list[dict[str, Any]]]:
    """A member and every recorded event of their life, oldest first, with who recorded it."""
    from tanhung_cli.members import get_member  # the validator with it: not for a list

    row = get_member(conn, ref)
    events = conn.execute(
        f"""
        SELECT e.id, e.on_date, e.kind, e.field, e.old, e.new, e.decision_no, e.note,
               a.at AS recorded_at, a.clerk, a.command, {roll.EVENT_VOIDED} AS voided
        FROM events e LEFT JOIN audit a ON a.id = e.audit_id
        WHERE e.member_id = ? ORDER BY e.on_date, e.id
        """,
        (row["id"],),
    ).fetchall()
    return row, [dict(e) | {"voided": bool(e["voided"])} for e in events]
