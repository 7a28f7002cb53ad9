"""The annual rating of members (xếp loại chất lượng đảng viên hằng năm).

A rating is a grade with, from the year Quy định 366-QĐ/TW applies (2025), its score out
of 100 (the bands and the members not rated: `rating_rules`). "Hoàn thành xuất sắc" is
capped at a share (20 % by default, setting ``excellent_cap_percent``) of those rated
"hoàn thành tốt", over the committee or per branch (setting ``rating_cap_unit``); members
rated "không hoàn thành" two years running are listed for the branch to act on. The
counts and lists themselves are in `reports_rating`.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from typing import Any, cast

from tanhung_cli import history, rating_rules, reports_rating
from tanhung_cli import vietnamese as vn
from tanhung_cli.branch_moves import branch_on  # the branch of the year rated (#15)
from tanhung_cli.errors import Conflict, Invalid, NotFound
from tanhung_cli.members import member_for_update
from tanhung_cli.problems import Label, Number, Problem, Term
from tanhung_cli.vocab import UnknownValue, vocabulary

LEVELS = rating_rules.LEVELS
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


cap_percent = rating_rules.cap_percent


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
    score: float | None = None
    warnings: list[Problem] = field(default_factory=list)


def refuse_not_rated(conn: sqlite3.Connection, member: sqlite3.Row, year: int) -> None:
    """Refuse to rate a member QĐ 366 leaves unrated this year, saying why."""
    reason = rating_rules.not_rated(conn, year, member["id"]).get(member["id"])
    who = {"id": member["id"], "name": member["full_name"], "year": year}
    if reason in ("new", "transferred_in"):
        raise Invalid(f"rating.not_rated_{reason}", **who, months=months_of(conn, reason))
    if reason:
        raise Invalid("rating.not_rated", **who, reason=Label(f"rating.reason.{reason}"))


def months_of(conn: sqlite3.Connection, reason: str) -> int:
    """The months a member admitted or transferred in waits before being rated (settings)."""
    r = rating_rules.rules(conn)
    return r.new_months if reason == "new" else r.transfer_months


def set_rating(
    conn: sqlite3.Connection,
    year: int,
    ref: str | int,
    level: str | None,
    today: dt.date | None = None,
    score: float | None = None,
) -> Rated:
    """Record (or change) a member's rating for ``year``: a grade, a score or both (QĐ 366
    art. 11: a grade above the score's band is refused); warn about the cap and repeat
    failures."""
    today = today or dt.date.today()
    check_year(year, today)
    typed = rating_level(level) if level is not None else None
    with member_for_update(conn, ref) as member:
        code = rating_rules.grade_of(rating_rules.rules(conn), year, typed, score)
        if not on_roll_in_year(conn, member, year):
            raise Invalid(
                "rating.not_on_roll", id=member["id"], name=member["full_name"], year=year
            )
        refuse_not_rated(conn, member, year)
        old = write_rating(conn, member, year, code, today, score)
    out = Rated(member["id"], member["full_name"], year, old, code, score)
    out.warnings = warnings_for(conn, year, [member["branch_id"]])
    return out


def write_rating(
    conn: sqlite3.Connection,
    member: sqlite3.Row,
    year: int,
    code: str,
    today: dt.date,
    score: float | None = None,
) -> str | None:
    """Store one rating with its audit row and history entry; return the previous level."""
    row = conn.execute(
        "SELECT level, score FROM ratings WHERE member_id = ? AND year = ?", (member["id"], year)
    ).fetchone()
    old = row["level"] if row else None
    if row and (row["level"], row["score"]) == (code, score):
        return cast(str | None, old)
    conn.execute(
        "INSERT INTO ratings (member_id, year, level, branch_id, score) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (member_id, year) DO UPDATE SET level = excluded.level,"
        " branch_id = excluded.branch_id, score = excluded.score",
        (member["id"], year, code, branch_on(conn, member, f"{year}-12-31"), score),
    )
    details: dict[str, Any] = {"year": year, "level": code}
    if score is not None:
        details["score"] = score
    change = history.record(conn, "rate", "member", member["id"], details)
    on = rated_on(year, today)
    change.event(member["id"], "rated", on, field="rating", old=old, new=code, note=str(year))
    return old


def rated_on(year: int, today: dt.date) -> str:
    """The date of a rating's history entry: the end of its year, or today within it."""
    return min(dt.date(year, 12, 31), today).isoformat()


def warnings_for(
    conn: sqlite3.Connection, year: int, branch_ids: list[int] | None = None
) -> list[Problem]:
    """The cap warnings of ``year`` (over the committee, or for some branches when the cap
    is counted per branch) and the repeat failures."""
    percent = cap_percent(conn)
    out: list[Problem] = []
    by_branch = rating_rules.rules(conn).cap_unit == "branch"
    counts = reports_rating.branch_counts(conn, year)
    units = counts if by_branch else [reports_rating.committee_total(counts)]
    for entry in units:
        if by_branch and branch_ids is not None and entry["branch_id"] not in branch_ids:
            continue
        if reports_rating.over_cap(entry, percent):
            params = {
                "branch": entry["branch"],
                "year": year,
                "excellent": entry["excellent"],
                "good": entry["good"],
                "percent": Number(percent),
            }
            key = "rating.over_cap" if by_branch else "rating.over_cap_committee"
            out.append(Problem(key, params))
    for member in reports_rating.failed_twice(conn, year):
        if branch_ids is None or _branch_of(conn, member["id"]) in branch_ids:
            out.append(Problem("rating.failed_twice", {**member, "year": year}))
    return out


def _branch_of(conn: sqlite3.Connection, member_id: int) -> int:
    return int(
        conn.execute("SELECT branch_id FROM members WHERE id = ?", (member_id,)).fetchone()[0]
    )


def exclude(
    conn: sqlite3.Connection,
    year: int,
    ref: str | int,
    reason: str,
    note: str | None = None,
    today: dt.date | None = None,
) -> sqlite3.Row:
    """Record that a member is not rated for ``year`` and why (suspended from activity, đình
    chỉ sinh hoạt, or another reason with a note); refused when already rated."""
    check_year(year, today or dt.date.today())
    with member_for_update(conn, ref) as member:
        if not on_roll_in_year(conn, member, year):
            raise Invalid(
                "rating.not_on_roll", id=member["id"], name=member["full_name"], year=year
            )
        rated = conn.execute(
            "SELECT level FROM ratings WHERE member_id = ? AND year = ?", (member["id"], year)
        ).fetchone()
        if rated:
            raise Conflict(
                "rating.already_rated",
                id=member["id"],
                name=member["full_name"],
                year=year,
                level=Term(("rating", rated["level"])),
            )
        conn.execute(
            "INSERT INTO rating_exclusions (member_id, year, reason, note, branch_id)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (member_id, year) DO UPDATE SET"
            " reason = excluded.reason, note = excluded.note",
            (member["id"], year, reason, note, branch_on(conn, member, f"{year}-12-31")),
        )
        details = {"year": year, "reason": reason, "note": note}
        history.record(conn, "exclude_rating", "member", member["id"], details)
    return member


def include(conn: sqlite3.Connection, year: int, ref: str | int) -> sqlite3.Row:
    """Withdraw a recorded reason not to rate a member for ``year`` (entered by mistake)."""
    with member_for_update(conn, ref) as member:
        gone = conn.execute(
            "DELETE FROM rating_exclusions WHERE member_id = ? AND year = ?", (member["id"], year)
        ).rowcount
        if not gone:
            raise NotFound(
                "rating.no_exclusion", id=member["id"], name=member["full_name"], year=year
            )
        history.record(conn, "include_rating", "member", member["id"], {"year": year})
    return member
