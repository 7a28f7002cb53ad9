"""The annual rating of members (xếp loại chất lượng đảng viên hằng năm).

"Hoàn thành xuất sắc" is capped at a share (20 % by default, setting
``excellent_cap_percent``) of those rated "hoàn thành tốt" in a branch; members
rated "không hoàn thành" two years running are listed for the branch to act on.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from typing import Any, cast

from tanhung_cli import history
from tanhung_cli import vietnamese as vn
from tanhung_cli.errors import Invalid
from tanhung_cli.members import member_for_update
from tanhung_cli.problems import Number, Problem
from tanhung_cli.vocab import UnknownValue, vocabulary

LEVELS = ("excellent", "good", "done", "failed")
DEFAULT_CAP_PERCENT = 20.0
FIRST_YEAR = 1930


def rating_level(value: str) -> str:
    """The rating code of ``value``: a code, the Vietnamese name or an abbreviation (HTXSNV…)."""
    try:
        return vocabulary("rating").resolve(value).code
    except UnknownValue:
        raise Invalid("rating.bad_level", value=vn.clean(value)[:60]) from None


def check_year(year: int, today: dt.date) -> None:
    if not FIRST_YEAR <= year <= today.year:
        raise Invalid("rating.bad_year", year=year, last=today.year)


def cap_percent(conn: sqlite3.Connection) -> float:
    row = conn.execute("SELECT value FROM settings WHERE key = 'excellent_cap_percent'").fetchone()
    try:
        return float(row[0]) if row else DEFAULT_CAP_PERCENT
    except ValueError:
        return DEFAULT_CAP_PERCENT


def on_roll_in_year(conn: sqlite3.Connection, member: sqlite3.Row, year: int) -> bool:
    """Whether the member was on this committee's roll (counted) at some day of ``year``."""
    first, last = f"{year}-01-01", f"{year}-12-31"
    spells = conn.execute(
        "SELECT joined_roll_on, left_on, presence FROM past_spells WHERE member_id = ?",
        (member["id"],),
    ).fetchall()
    return any(
        p["presence"] == "regular"
        and p["joined_roll_on"] <= last
        and (not p["left_on"] or p["left_on"] > first)
        for p in [member, *spells]
    )


@dataclass
class Rated:
    member_id: int
    name: str
    year: int
    old: str | None
    new: str
    warnings: list[Problem] = field(default_factory=list)


def set_rating(
    conn: sqlite3.Connection, year: int, ref: str | int, level: str, today: dt.date | None = None
) -> Rated:
    """Record (or change) a member's rating for ``year``; warn about the cap and repeat failures."""
    today = today or dt.date.today()
    check_year(year, today)
    code = rating_level(level)
    with member_for_update(conn, ref) as member:
        if not on_roll_in_year(conn, member, year):
            raise Invalid(
                "rating.not_on_roll", id=member["id"], name=member["full_name"], year=year
            )
        old = write_rating(conn, member, year, code, today)
    out = Rated(member["id"], member["full_name"], year, old, code)
    out.warnings = warnings_for(conn, year, [member["branch_id"]])
    return out


def write_rating(
    conn: sqlite3.Connection, member: sqlite3.Row, year: int, code: str, today: dt.date
) -> str | None:
    """Store one rating with its audit row and history entry; return the previous level."""
    row = conn.execute(
        "SELECT level FROM ratings WHERE member_id = ? AND year = ?", (member["id"], year)
    ).fetchone()
    old = row["level"] if row else None
    if old == code:
        return cast(str | None, old)
    conn.execute(
        "INSERT INTO ratings (member_id, year, level, branch_id) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (member_id, year) DO UPDATE SET level = excluded.level,"
        " branch_id = excluded.branch_id",
        (member["id"], year, code, member["branch_id"]),
    )
    change = history.record(conn, "rate", "member", member["id"], {"year": year, "level": code})
    on = rated_on(year, today)
    change.event(member["id"], "rated", on, field="rating", old=old, new=code, note=str(year))
    return old


def rated_on(year: int, today: dt.date) -> str:
    """The date of a rating's history entry: the end of its year, or today within it."""
    return min(dt.date(year, 12, 31), today).isoformat()


def branch_counts(conn: sqlite3.Connection, year: int) -> list[dict[str, Any]]:
    """Per branch: how many members were rated at each level in ``year``."""
    rows = conn.execute(
        "SELECT b.id, b.name, r.level, count(*) AS n FROM ratings r"
        " JOIN branches b ON b.id = r.branch_id WHERE r.year = ? GROUP BY b.id, r.level",
        (year,),
    ).fetchall()
    out: dict[int, dict[str, Any]] = {}
    for r in rows:
        entry = out.setdefault(r["id"], {"branch": r["name"], **dict.fromkeys(LEVELS, 0)})
        entry[r["level"]] = r["n"]
    for entry in out.values():
        entry["rated"] = sum(entry[level] for level in LEVELS)
    ordered = sorted(out.items(), key=lambda kv: vn.text_sort_key(kv[1]["branch"]))
    return [{"branch_id": k, **v} for k, v in ordered]


def over_cap(entry: dict[str, Any], percent: float) -> bool:
    return bool(entry["excellent"] > entry["good"] * percent / 100)


def failed_twice(conn: sqlite3.Connection, year: int) -> list[dict[str, Any]]:
    """Members rated "không hoàn thành" in ``year`` and the year before, in name order."""
    rows = conn.execute(
        "SELECT m.id, m.full_name, b.name AS branch FROM ratings r"
        " JOIN ratings p ON p.member_id = r.member_id AND p.year = r.year - 1"
        " JOIN members m ON m.id = r.member_id JOIN branches b ON b.id = m.branch_id"
        " WHERE r.year = ? AND r.level = 'failed' AND p.level = 'failed'"
        " ORDER BY m.sort_key, m.id",
        (year,),
    ).fetchall()
    return [dict(r) for r in rows]


def warnings_for(
    conn: sqlite3.Connection, year: int, branch_ids: list[int] | None = None
) -> list[Problem]:
    """The cap warnings of ``year`` (for some branches) and the repeat failures."""
    percent = cap_percent(conn)
    out: list[Problem] = []
    for entry in branch_counts(conn, year):
        if branch_ids is not None and entry["branch_id"] not in branch_ids:
            continue
        if over_cap(entry, percent):
            params = {
                "branch": entry["branch"],
                "year": year,
                "excellent": entry["excellent"],
                "good": entry["good"],
                "percent": Number(percent),
            }
            out.append(Problem("rating.over_cap", params))
    for member in failed_twice(conn, year):
        if branch_ids is None or _branch_of(conn, member["id"]) in branch_ids:
            out.append(Problem("rating.failed_twice", {**member, "year": year}))
    return out


def _branch_of(conn: sqlite3.Connection, member_id: int) -> int:
    return int(
        conn.execute("SELECT branch_id FROM members WHERE id = ?", (member_id,)).fetchone()[0]
    )


def list_ratings(
    conn: sqlite3.Connection, year: int, branch_id: int | None = None
) -> list[dict[str, Any]]:
    """The ratings of ``year`` in Vietnamese name order."""
    rows = conn.execute(
        "SELECT m.id, m.full_name, b.name AS branch, r.level FROM ratings r"
        " JOIN members m ON m.id = r.member_id JOIN branches b ON b.id = r.branch_id"
        " WHERE r.year = :year AND (:branch IS NULL OR r.branch_id = :branch)"
        " ORDER BY m.sort_key, m.id",
        {"year": year, "branch": branch_id},
    ).fetchall()
    return [dict(r) | {"year": year} for r in rows]


def summary(conn: sqlite3.Connection, year: int) -> dict[str, Any]:
    """Counts per branch with the cap check, and the members failing two years running."""
    percent = cap_percent(conn)
    branches = [e | {"over_cap": over_cap(e, percent)} for e in branch_counts(conn, year)]
    return {
        "year": year,
        "cap_percent": percent,
        "branches": branches,
        "failed_twice": failed_twice(conn, year),
    }
