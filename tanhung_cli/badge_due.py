"""Badges owed beside the register (`badges`): levels already awarded leave `due`; the
posthumous cases (truy tặng) and the presentations missed are listed apart.

- A posthumous case: a member who died with the party age of a level, or at most 12 months
  before reaching it (HD 01-HD/TW point 18), not awarded; owed at the first presentation
  date after the death, so `due` lists it when that date is in its window.
- A missed presentation: a member on the roll who reached a level before the last
  presentation date (its date has passed) and holds neither it nor a higher badge; with
  how long ago it was owed. Posthumous cases whose date has passed are missed too.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from typing import Any

from tanhung_cli import badges, gaps, party_age, roll
from tanhung_cli import vietnamese as vn

_DAY = dt.timedelta(days=1)
_SELECT = "SELECT m.*, b.name AS branch FROM members m JOIN branches b ON b.id = m.branch_id"


def not_awarded(conn: sqlite3.Connection, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``items`` (with ``id`` and ``years``) less the levels the register holds."""
    held = badges.awarded(conn)
    return [i for i in items if i["years"] not in held.get(i["id"], {})]


def _owed(
    conn: sqlite3.Connection, rows: Iterable[sqlite3.Row], posthumous: bool, horizon: dt.date
) -> Iterable[tuple[sqlite3.Row, list[party_age.Membership], int, dt.date, dt.date]]:
    """(member, spans, level, reached on, owed at) for each level not awarded."""
    rules = party_age.badge_rules(conn)
    held = badges.awarded(conn)
    spells = roll.past_spells_by_member(conn)
    out_of_count = gaps.gaps_by_member(conn)
    for row in rows:
        recorded = gaps.spans(out_of_count.get(row["id"], ()))
        spans = party_age.memberships(row, spells.get(row["id"], ()), gaps=recorded)
        mine = held.get(row["id"], {})
        top = max(mine, default=0)
        death = badges.died_on(row)
        best = None
        for years in rules.years:
            reach = badges.reaches(spans, years, alive=posthumous)
            if reach is None:
                break
            if posthumous:
                assert death is not None
                if vn.add_months(reach, -badges.POSTHUMOUS_MONTHS) > death:
                    break
                best = (years, reach, party_age.next_presentation(death + _DAY, rules))
            elif reach <= horizon:
                best = (years, reach, party_age.next_presentation(reach, rules))
        # One badge is owed: the highest level reached, unless it or a higher one is held.
        if best and best[0] not in mine and best[0] > top:
            yield row, spans, *best


def _item(
    row: sqlite3.Row, spans: list[party_age.Membership], years: int, reach: dt.date, owed: dt.date
) -> dict[str, Any]:
    return {
        "id": row["id"],
        "full_name": row["full_name"],
        "branch": row["branch"],
        "admitted_on": spans[0].admitted_as if spans else row["admitted_on"],
        "years": years,
        "reaches_on": reach.isoformat(),
        "presented_on": owed.isoformat(),
        "died_on": row["left_on"] if row["left_reason"] == "died" else None,
        "_sort": (row["branch_id"], row["sort_key"], years),
    }


def _dead(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute(
        f"{_SELECT} WHERE m.left_reason = 'died' AND m.left_on IS NOT NULL"
        " AND m.official_on IS NOT NULL"
    ).fetchall()


def posthumous_due(
    conn: sqlite3.Connection, as_of: dt.date, until: dt.date
) -> list[dict[str, Any]]:
    """Posthumous awards owed at a presentation date from ``as_of`` to ``until``."""
    return [
        _item(*case)
        for case in _owed(conn, _dead(conn), posthumous=True, horizon=until)
        if as_of <= case[4] <= until
    ]


def missed(conn: sqlite3.Connection, as_of: dt.date) -> list[dict[str, Any]]:
    """Badges owed at a presentation date before ``as_of`` and not awarded, with the whole
    months since (members on the roll; posthumous cases of members who died)."""
    on_roll = conn.execute(f"{_SELECT} WHERE {roll.ON_ROLL}", {"as_of": as_of.isoformat()})
    out = []
    for case in [
        *_owed(conn, on_roll.fetchall(), posthumous=False, horizon=as_of),
        *_owed(conn, _dead(conn), posthumous=True, horizon=as_of),
    ]:
        if case[4] >= as_of:
            continue
        out.append({**_item(*case), "months": vn.months_between(case[4], as_of)})
    return out
