"""Party-building activity as plain data: meetings, attendances (lượt) and people.

A period is a first and a last day, both counted (``--from``/``--to``, a term, or
``--since`` a date up to today). Attendances count members marked present; members
absent with or without a reason count in the attendance rate, guests apart.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import Any

from tanhung_cli import org, roll, terms
from tanhung_cli.branches import sort_key as branch_sort_key
from tanhung_cli.meetings import BRIEFING
from tanhung_cli.reports import Scope, percent
from tanhung_cli.vocab import vocabulary

FIRST_DAY = "0000-01-01"
# Meetings in the period, alias g (parameters :start, :stop, :branch_id).
IN_PERIOD = "g.on_date BETWEEN :start AND :stop"
BY_HOLDER = " AND g.branch_id IS :branch_id"
# The Charter's ground for removal: absent without reason from branch meetings this many
# months of one year (Điều lệ Đảng, Điều 8.3; Quy định 294-QĐ/TW, 8.1).
ABSENT_MONTHS = 3


@dataclass(frozen=True)
class Period:
    start: str  # ISO, or FIRST_DAY for "from the beginning"
    stop: str  # ISO
    branch_id: int | None = None  # only this branch's meetings
    committee: bool = False  # only the committee's meetings

    def params(self) -> dict[str, Any]:
        return {"start": self.start, "stop": self.stop, "branch_id": self.branch_id}

    @property
    def holder(self) -> str:
        if self.committee:
            return " AND g.branch_id IS NULL"
        return BY_HOLDER if self.branch_id is not None else ""

    def as_json(self) -> dict[str, str | None]:
        return {"from": None if self.start == FIRST_DAY else self.start, "to": self.stop}


def period(
    conn: sqlite3.Connection,
    *,
    start: dt.date | None = None,
    stop: dt.date | None = None,
    term: str | None = None,
    since: dt.date | None = None,
    today: dt.date | None = None,
) -> Period:
    """The period of a report: a term, since a date, from/to, else the term running today
    (else every meeting up to today)."""
    today = today or dt.date.today()
    if term:
        found = terms.get_term(conn, term)
        return Period(found.start.isoformat(), found.end.isoformat())
    if since:
        return Period(since.isoformat(), max(since, today).isoformat())
    if start or stop:
        return Period(start.isoformat() if start else FIRST_DAY, (stop or today).isoformat())
    running = terms.term_at(conn, today)
    if running is not None:
        return Period(running.start.isoformat(), today.isoformat())
    return Period(FIRST_DAY, today.isoformat())


def _distinct(conn: sqlite3.Connection, p: Period, group: str) -> dict[Any, int]:
    sql = (
        f"SELECT {group}, count(DISTINCT a.member_id) FROM meetings g"
        " JOIN attendance a ON a.meeting_id = g.id"
        f" WHERE {IN_PERIOD}{p.holder} AND a.status = 'present' GROUP BY 1"
    )
    return dict(conn.execute(sql, p.params()).fetchall())


def activity(conn: sqlite3.Connection, p: Period) -> dict[str, Any]:
    """Meetings, attendances and distinct members by kind and by who held them; rates."""
    params = p.params()
    held = conn.execute(
        "SELECT g.kind, g.branch_id, count(*), sum(g.guests) FROM meetings g"
        f" WHERE {IN_PERIOD}{p.holder} GROUP BY 1, 2",
        params,
    ).fetchall()
    marks = conn.execute(
        "SELECT g.kind, g.branch_id, a.status, count(*) FROM meetings g"
        f" JOIN attendance a ON a.meeting_id = g.id WHERE {IN_PERIOD}{p.holder} GROUP BY 1, 2, 3",
        params,
    ).fetchall()
    kinds: dict[str, dict[str, Any]] = {}
    holders: dict[int | None, dict[str, Any]] = {}
    total = _blank()
    for kind, branch_id, n, guests in held:
        for row in (
            kinds.setdefault(kind, _blank()),
            holders.setdefault(branch_id, _blank()),
            total,
        ):
            row["meetings"] += n
            row["guests"] += guests or 0
    for kind, branch_id, status, n in marks:
        for row in (kinds[kind], holders[branch_id], total):
            row[status] += n
    people_kind = _distinct(conn, p, "g.kind")
    people_holder = _distinct(conn, p, "g.branch_id")
    everyone = _distinct(conn, p, "1").get(1, 0)
    names = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT id, name, kind FROM branches")}
    order = vocabulary("meeting_kind").codes()
    by_kind = [
        {"kind": k, **_figures(kinds[k], people_kind.get(k, 0))}
        for k in [*order, *sorted(set(kinds) - set(order))]
        if k in kinds
    ]
    ordered = sorted(
        holders,
        key=lambda b: (b is not None, branch_sort_key(names[b][1], names[b][0]) if b else ""),
    )
    by_branch = [
        {
            "branch_id": b,
            "branch": names[b][0] if b is not None else None,
            **_figures(holders[b], people_holder.get(b, 0)),
        }
        for b in ordered
    ]
    return {
        "period": p.as_json(),
        "by_kind": by_kind,
        "by_branch": by_branch,
        "total": _figures(total, everyone),
    }


def _blank() -> dict[str, int]:
    return {"meetings": 0, "guests": 0, "present": 0, "excused": 0, "absent": 0}


def _figures(row: dict[str, int], people: int) -> dict[str, Any]:
    marked = row["present"] + row["excused"] + row["absent"]
    return {
        "meetings": row["meetings"],
        "attendances": row["present"],
        "members": people,
        "excused": row["excused"],
        "absent": row["absent"],
        "guests": row["guests"],
        "percent_present": percent(row["present"], marked),
    }


def member_rates(conn: sqlite3.Connection, p: Period) -> list[dict[str, Any]]:
    """Each member marked in the period: meetings marked, present, absent; the rate."""
    rows = conn.execute(
        "SELECT a.member_id, count(*), sum(a.status = 'present'), sum(a.status = 'excused'),"
        " sum(a.status = 'absent') FROM meetings g JOIN attendance a ON a.meeting_id = g.id"
        f" WHERE {IN_PERIOD}{p.holder} GROUP BY 1",
        p.params(),
    ).fetchall()
    counts = {r[0]: r[1:] for r in rows}
    people = conn.execute(  # under their branch at the period's end, its name then (#15)
        f"SELECT m.id, m.full_name, m.sort_key, {org.name_at(':stop')} AS branch, b.kind"
        f" FROM members m JOIN branches b ON b.id = {roll.branch_at(':stop')}"
        " WHERE m.id IN (SELECT value FROM json_each(:ids))",
        {"ids": f"[{','.join(map(str, counts))}]", "stop": p.stop},
    ).fetchall()
    people.sort(key=lambda r: (branch_sort_key(r["kind"], r["branch"]), r["sort_key"], r["id"]))
    out = []
    for r in people:
        marked, present, excused, absent = counts[r["id"]]
        out.append(
            {
                "id": r["id"],
                "full_name": r["full_name"],
                "branch": r["branch"],
                "meetings": marked,
                "present": present,
                "excused": excused,
                "absent": absent,
                "percent_present": percent(present, marked),
            }
        )
    return out


def absentees(
    conn: sqlite3.Connection, as_of: dt.date, years: tuple[int, int] | None = None
) -> list[dict[str, Any]]:
    """Members on the roll at ``as_of`` absent without reason from branch meetings in
    ABSENT_MONTHS months or more of one year (of ``years``, first and last; default every
    year up to ``as_of``): the Charter's ground for removing the name (xóa tên)."""
    first, last = years or (0, as_of.year)
    rows = conn.execute(
        "SELECT a.member_id, substr(g.on_date, 1, 4) AS year,"
        " group_concat(DISTINCT substr(g.on_date, 6, 2)) AS months"
        " FROM attendance a JOIN meetings g ON g.id = a.meeting_id"
        " WHERE a.status = 'absent' AND g.branch_id IS NOT NULL AND g.on_date <= :as_of"
        " AND CAST(substr(g.on_date, 1, 4) AS INTEGER) BETWEEN :first AND :last"
        " GROUP BY 1, 2 HAVING count(DISTINCT substr(g.on_date, 1, 7)) >= :months",
        {"as_of": as_of.isoformat(), "first": first, "last": last, "months": ABSENT_MONTHS},
    ).fetchall()
    if not rows:
        return []
    found = {(r[0], r[1]): sorted(r[2].split(",")) for r in rows}
    members = {
        r["id"]: r
        for r in conn.execute(
            f"SELECT m.id, m.full_name, m.sort_key, b.id AS branch_id, {org.name_at()} AS branch"
            f" FROM members m JOIN branches b ON b.id = {roll.BRANCH_AT}"
            f" WHERE m.id IN (SELECT value FROM json_each(:ids)) AND {roll.ON_ROLL}",
            {"ids": f"[{','.join(str(k[0]) for k in found)}]", "as_of": as_of.isoformat()},
        )
    }
    out = [
        {
            "id": member_id,
            "full_name": members[member_id]["full_name"],
            "branch": members[member_id]["branch"],
            "year": int(year),
            "months": [int(m) for m in months],
            "_sort": (members[member_id]["branch_id"], members[member_id]["sort_key"], member_id),
        }
        for (member_id, year), months in found.items()
        if member_id in members
    ]
    return sorted(out, key=lambda r: (r["_sort"], r["year"]))


def summary(conn: sqlite3.Connection, sc: Scope) -> dict[str, Any]:
    """The article's figures: branch-secretary briefings in the term and their attendances;
    ``since`` is the first day of the year of the first one ("since 2017")."""
    if sc.window is None:
        return {"since": None, "conferences": None, "attendances": None}
    start, stop = sc.window
    row = conn.execute(
        "SELECT count(*), min(g.on_date), (SELECT count(*) FROM attendance a JOIN meetings h"
        " ON h.id = a.meeting_id WHERE h.kind = :kind AND h.branch_id IS NULL"
        " AND h.on_date BETWEEN :start AND :stop AND a.status = 'present')"
        " FROM meetings g WHERE g.kind = :kind AND g.branch_id IS NULL"
        " AND g.on_date BETWEEN :start AND :stop",
        {"kind": BRIEFING, "start": start, "stop": stop},
    ).fetchone()
    since = f"{row[1][:4]}-01-01" if row[1] else None
    return {"since": since, "conferences": row[0], "attendances": row[2]}
