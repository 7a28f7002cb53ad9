"""Transfers coming due and overdue (QĐ 294-QĐ/TW point 6.3), for `due` and `check`.

- returns: members away on a temporary transfer out (still counted here) whose planned
  return falls by the end of the window, or has passed (overdue);
- attendance: members attending here temporarily whose planned end falls by then;
- letters: official transfer letters presented after their 30 working days.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from tanhung_cli import roll, transfer_rules
from tanhung_cli.branches import sort_key as branch_sort_key
from tanhung_cli.problems import Count, Problem, dated

_SELECT = "SELECT m.*, b.name AS branch, b.kind AS branch_kind FROM members m"
_SELECT += " JOIN branches b ON b.id = m.branch_id"
_PRESENT_NOW = "m.joined_roll_on <= :as_of AND (m.left_on IS NULL OR m.left_on > :as_of)"


def _item(row: sqlite3.Row, as_of: dt.date, place: str | None, until: str) -> dict[str, Any]:
    return {
        "id": row["id"],
        "full_name": row["full_name"],
        "branch": row["branch"],
        "admitted_on": row["admitted_on"],
        "readmitted_on": row["readmitted_on"],
        "place": place,
        "since": row["away_since"] or row["joined_roll_on"],
        "until": until,
        "overdue_days": max(0, (as_of - dt.date.fromisoformat(until)).days),
        "_sort": (branch_sort_key(row["branch_kind"], row["branch"]), row["sort_key"], row["id"]),
    }


def _sorted(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    items.sort(key=lambda item: item["_sort"])
    for item in items:
        del item["_sort"]
    return items


def returns_due(conn: sqlite3.Connection, as_of: dt.date, until: dt.date) -> list[dict[str, Any]]:
    """Members away on a temporary transfer at ``as_of``, due back by ``until``."""
    rows = conn.execute(
        # The few members away, read through their partial index (idx_members_away) first.
        f"{_SELECT} WHERE m.id IN (SELECT id FROM members WHERE away_since IS NOT NULL"
        f" AND away_until <= :until) AND {roll.ON_ROLL} AND {roll.AWAY}",
        {"as_of": as_of.isoformat(), "until": until.isoformat()},
    ).fetchall()
    items = [_item(r, as_of, r["away_to"], r["away_until"]) for r in rows]
    for item, row in zip(items, rows, strict=True):
        item["purpose"] = row["away_purpose"]
    return _sorted(items)


def attendance_due(
    conn: sqlite3.Connection, as_of: dt.date, until: dt.date
) -> list[dict[str, Any]]:
    """Members attending here temporarily at ``as_of`` whose planned end is by ``until``."""
    rows = conn.execute(
        f"{_SELECT} WHERE m.id IN (SELECT id FROM members WHERE temporary_until <= :until"
        f" AND presence = 'temporary') AND {_PRESENT_NOW} AND {roll.LIVE}",
        {"as_of": as_of.isoformat(), "until": until.isoformat()},
    ).fetchall()
    return _sorted([_item(r, as_of, r["came_from"], r["temporary_until"]) for r in rows])


def _about(row: dict[str, Any], key: str, **params: Any) -> Problem:
    return Problem(key, params, member=row["id"], member_name=row["full_name"])


def findings(conn: sqlite3.Connection, as_of: dt.date) -> list[Problem]:
    """Overdue returns, ended temporary attendance, letters presented late."""
    yesterday = as_of - dt.timedelta(days=1)  # due on the day itself: overdue the day after
    found = [
        _about(
            r,
            "check.return_overdue",
            place=r["place"],
            since=dated(r["since"]),
            until=dated(r["until"]),
        )
        for r in returns_due(conn, as_of, yesterday)
    ] + [
        _about(r, "check.attendance_expired", place=r["place"] or "—", until=dated(r["until"]))
        for r in attendance_due(conn, as_of, yesterday)
    ]
    rules = transfer_rules.limits(conn)
    letters = conn.execute(
        "SELECT id, full_name, letter_on, letter_presented_on FROM members"
        " WHERE letter_presented_on IS NOT NULL AND letter_on IS NOT NULL"  # idx_members_letters
        " AND voided_at IS NULL"
    ).fetchall()
    for row in sorted(letters, key=lambda r: r[0]):
        late = transfer_rules.late_presentation(row[2], row[3], rules)
        if late is not None:
            found.append(
                _about(
                    dict(row),
                    "check.letter_late",
                    letter=dated(row[2]),
                    presented=dated(row[3]),
                    days=rules.letter_within_days,
                    deadline=late.day,
                )
            )
    return found + _letters_out(conn, as_of, rules)


def _letters_out(
    conn: sqlite3.Connection, as_of: dt.date, rules: transfer_rules.TransferLimits
) -> list[Problem]:
    """Members transferred out officially whose letter is not recorded as presented where
    they went, its 30 working days past (QĐ 294-QĐ/TW 6.3.1; a setting may turn it off)."""
    if not rules.follow_letters_out:
        return []
    rows = conn.execute(
        "SELECT id, full_name, letter_on FROM members WHERE letter_presented_on IS NULL"
        " AND letter_on IS NOT NULL AND left_reason = 'transferred'"  # idx_members_letters_open
        " AND voided_at IS NULL"
    ).fetchall()
    found = []
    for row in sorted(rows, key=lambda r: r[0]):
        try:
            deadline = transfer_rules.present_by(dt.date.fromisoformat(row[2]), rules)
        except ValueError:
            continue  # a date known by year or month alone: nothing to count from
        if deadline.day < as_of:
            found.append(
                _about(
                    dict(row),
                    "check.letter_not_presented",
                    letter=dated(row[2]),
                    days=rules.letter_within_days,
                    deadline=deadline.day,
                )
            )
    return found


def notes(conn: sqlite3.Connection, as_of: dt.date) -> list[Problem]:
    """Members away on a temporary transfer with no planned return (old records)."""
    missing = conn.execute(
        f"SELECT count(*) FROM members m WHERE m.id IN (SELECT id FROM members"
        f" WHERE away_since IS NOT NULL AND away_until IS NULL) AND {roll.ON_ROLL} AND {roll.AWAY}",
        {"as_of": as_of.isoformat()},
    ).fetchone()[0]
    return [Problem("check.returns_not_recorded", {"count": Count(missing)})] if missing else []
