"""The year's rating as a report (Quy định 366-QĐ/TW): counts and percentages per grade,
by branch and over the committee, the 20 % cap, the members not rated with why, and the
lists a committee acts on (xuất sắc five years running, không hoàn thành two years running).

A rating counts in the branch it was given in (``ratings.branch_id``); a member not rated
counts in the branch of the exclusion, else the member's present branch.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from tanhung_cli import org, rating_rules, roll
from tanhung_cli import vietnamese as vn
from tanhung_cli.rating_rules import LEVELS

EXCELLENT_RUN = 5  # years running "xuất sắc" (listed for commendation)
FAILED_RUN = 2  # years running "không hoàn thành" (Điều lệ Đảng art. 8: xóa tên)


def _empty(branch_id: int | None, name: str) -> dict[str, Any]:
    return {"branch_id": branch_id, "branch": name, **dict.fromkeys(LEVELS, 0), "rated": 0}


def branch_counts(conn: sqlite3.Connection, year: int) -> list[dict[str, Any]]:
    """Per branch: how many members were rated at each level in ``year``."""
    rows = conn.execute(
        f"SELECT b.id, {org.name_at(':end')} AS name, r.level, count(*) AS n FROM ratings r"
        " JOIN branches b ON b.id = r.branch_id WHERE r.year = :year GROUP BY b.id, r.level",
        {"year": year, "end": f"{year}-12-31"},  # the branch's name at the year's end (#15)
    ).fetchall()
    out: dict[int, dict[str, Any]] = {}
    for r in rows:
        out.setdefault(r["id"], _empty(r["id"], r["name"]))[r["level"]] = r["n"]
    for entry in out.values():
        entry["rated"] = sum(entry[level] for level in LEVELS)
    return sorted(out.values(), key=lambda e: vn.text_sort_key(e["branch"]))


def committee_total(counts: list[dict[str, Any]], name: str = "") -> dict[str, Any]:
    """The branches' counts added up: the committee's row."""
    total = _empty(None, name)
    for entry in counts:
        for key in (*LEVELS, "rated"):
            total[key] += entry[key]
    return total


def over_cap(entry: dict[str, Any], percent: float) -> bool:
    """More "xuất sắc" than the cap allows: 20 % of "tốt" exactly is within it."""
    return bool(entry["excellent"] * 100 > entry["good"] * percent)


def _with_percent(entry: dict[str, Any], percent: float, not_rated: int) -> dict[str, Any]:
    rated = entry["rated"]
    shares = {
        f"percent_{lv}": (round(entry[lv] * 100 / rated, 1) if rated else None) for lv in LEVELS
    }
    return {**entry, **shares, "not_rated": not_rated, "over_cap": over_cap(entry, percent)}


def runs(conn: sqlite3.Connection, year: int, level: str, years: int) -> list[dict[str, Any]]:
    """Members rated ``level`` in each of the ``years`` years ending with ``year``."""
    rows = conn.execute(
        "SELECT m.id, m.full_name, b.name AS branch FROM ratings r"
        " JOIN members m ON m.id = r.member_id JOIN branches b ON b.id = m.branch_id"
        " WHERE r.year BETWEEN :first AND :year AND r.level = :level"
        " GROUP BY m.id HAVING count(*) = :years ORDER BY m.sort_key, m.id",
        {"first": year - years + 1, "year": year, "level": level, "years": years},
    ).fetchall()
    return [dict(r) for r in rows]


def failed_twice(conn: sqlite3.Connection, year: int) -> list[dict[str, Any]]:
    """Members rated "không hoàn thành" in ``year`` and the year before, in name order."""
    return runs(conn, year, "failed", FAILED_RUN)


def not_rated_members(
    conn: sqlite3.Connection, year: int, branch_id: int | None = None
) -> list[dict[str, Any]]:
    """The members not rated in ``year``, with the reason and the recorded note."""
    reasons = rating_rules.not_rated(conn, year)
    if not reasons:
        return []
    # Under the branch the exclusion names, else the member's at the year's end (#15).
    branch = f"COALESCE(x.branch_id, {roll.branch_at(':end')})"
    rows = conn.execute(
        f"SELECT m.id, m.full_name, {branch} AS branch_id,"
        f" {org.name_at(':end')} AS branch, x.note FROM members m"
        " LEFT JOIN rating_exclusions x ON x.member_id = m.id AND x.year = :year"
        f" JOIN branches b ON b.id = {branch}"
        " WHERE m.id IN (SELECT value FROM json_each(:ids))"
        " AND m.id NOT IN (SELECT member_id FROM ratings WHERE year = :year)"
        " ORDER BY m.sort_key, m.id",
        {"year": year, "end": f"{year}-12-31", "ids": f"[{','.join(map(str, reasons))}]"},
    ).fetchall()
    rules = rating_rules.rules(conn)
    months = {"new": rules.new_months, "transferred_in": rules.transfer_months}
    return [
        {
            "year": year,
            **dict(r),
            "reason": reasons[r["id"]],
            "months": months.get(reasons[r["id"]]),
        }
        for r in rows
        if branch_id is None or r["branch_id"] == branch_id
    ]


def list_ratings(
    conn: sqlite3.Connection, year: int, branch_id: int | None = None
) -> list[dict[str, Any]]:
    """The ratings of ``year`` in Vietnamese name order."""
    rows = conn.execute(
        f"SELECT m.id, m.full_name, {org.name_at(':end')} AS branch, r.level, r.score"
        " FROM ratings r JOIN members m ON m.id = r.member_id JOIN branches b ON b.id = r.branch_id"
        " WHERE r.year = :year AND (:branch IS NULL OR r.branch_id = :branch)"
        " ORDER BY m.sort_key, m.id",
        {"year": year, "branch": branch_id, "end": f"{year}-12-31"},
    ).fetchall()
    return [{"year": year, **dict(r)} for r in rows]


def summary(conn: sqlite3.Connection, year: int) -> dict[str, Any]:
    """Counts and percentages per grade by branch and over the committee, the cap checked
    over the unit the settings name, the members not rated and the two lists."""
    percent = rating_rules.cap_percent(conn)
    unit = rating_rules.rules(conn).cap_unit
    counts = branch_counts(conn, year)
    unrated = not_rated_members(conn, year)
    per_branch: dict[int, int] = {}
    for member in unrated:
        per_branch[member["branch_id"]] = per_branch.get(member["branch_id"], 0) + 1
    known = {e["branch_id"] for e in counts}
    for member in unrated:  # a branch with nobody rated still shows its members not rated
        if member["branch_id"] not in known:
            known.add(member["branch_id"])
            counts.append(_empty(member["branch_id"], member["branch"]))
    counts.sort(key=lambda e: vn.text_sort_key(e["branch"]))
    branches = [_with_percent(e, percent, per_branch.get(e["branch_id"], 0)) for e in counts]
    total = _with_percent(committee_total(counts), percent, len(unrated))
    return {
        "year": year,
        "cap_percent": percent,
        "cap_unit": unit,
        "over_cap": total["over_cap"]
        if unit == "committee"
        else any(b["over_cap"] for b in branches),
        "branches": branches,
        "total": total,
        "not_rated": unrated,
        "excellent_five_years": runs(conn, year, "excellent", EXCELLENT_RUN),
        "failed_twice": failed_twice(conn, year),
    }
