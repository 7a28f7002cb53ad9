"""Where a member stood at a date: status, on the roll, exempt, party age, next badge."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from tanhung_cli import gaps, party_age, roll
from tanhung_cli import vietnamese as vn
from tanhung_cli.lifecycle import past_spells
from tanhung_cli.members import get_member


def member_standing(conn: sqlite3.Connection, ref: str | int, as_of: dt.date) -> dict[str, Any]:
    """Where a member stood at ``as_of``: status, on the roll, exempt, party age, next badge."""
    row = get_member(conn, ref)
    spells = past_spells(conn, row["id"])
    day = as_of.isoformat()
    status = roll.status(row, day, spells)
    recorded = gaps.gaps_of(conn, row["id"])  # periods not counted in party age
    spans = party_age.memberships(row, spells, gaps=gaps.spans(recorded))
    months = party_age.party_age_months(spans, as_of)
    # Dates known by year or month alone: read at their first and at their last day, the
    # party age is "about" (≈) when the two readings differ, and so is the next badge.
    late = party_age.memberships(row, spells, late=True, gaps=gaps.spans(recorded))
    rules = party_age.badge_rules(conn)
    next_badge = None
    for years in rules.years:
        reach = party_age.reaches_on(spans, years, vn.add_months(as_of, 12 * 100))
        if reach and reach > as_of and status in roll.COUNTED:
            presented = party_age.next_presentation(reach, rules)
            next_badge = {"years": years, "reaches_on": reach, "presented_on": presented}
            later = party_age.reaches_on(late, years, vn.add_months(as_of, 12 * 100))
            if later != reach:
                next_badge["approximate"] = True
            break
    exempt = False
    for event in conn.execute(
        "SELECT e.kind FROM events e WHERE e.member_id = ? AND e.kind IN ('exempted', 'unexempted')"
        f" AND e.on_date <= ? AND NOT {roll.EVENT_VOIDED} ORDER BY e.on_date, e.id",
        (row["id"], day),
    ):
        exempt = event["kind"] == "exempted"
    exempt = exempt or bool(row["exempt_since"] and row["exempt_since"] <= day)
    return {
        "id": row["id"],
        "full_name": row["full_name"],
        "as_of": day,
        "status": status,
        "on_roll": status in roll.COUNTED,
        "exempt": exempt and status in roll.COUNTED,
        "party_age": _party_age(months, party_age.party_age_months(late, as_of)),
        "next_badge": next_badge,
        "periods": [
            {
                k: p[k]
                for k in (
                    "joined_roll_on",
                    "left_on",
                    "left_reason",
                    "presence",
                    "admitted_on",
                    "official_on",
                )
            }
            for p in [*spells, row]
        ],
        "gaps": [gaps.public(g) for g in recorded],
    }


def _party_age(months: int | None, late: int | None) -> dict[str, Any] | None:
    """Years and months of party age, marked ``approximate`` when a date known by year or
    month alone leaves it uncertain (or leaves uncertain whether it had begun)."""
    if months is None and late is None:
        return None
    months = months if months is not None else late
    assert months is not None
    age: dict[str, Any] = {"years": months // 12, "months": months % 12}
    if late != months:
        age["approximate"] = True
    return age
