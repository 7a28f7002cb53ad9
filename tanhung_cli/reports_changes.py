"""Changes of the roll over a period (`report changes`): the six-monthly and yearly
statistics of the Party's membership (báo cáo tăng, giảm đảng viên).

Between the first day D1 and the last day D2, both included:

- the roll at the start (đầu kỳ) is the roll at the end of the day before D1, so that an
  admission or a leaving dated D1 is a change of the period;
- increases (tăng) and decreases (giảm) are the counted periods on the roll
  (`roll.PERIODS`: the member row and each past spell) that began, or ended, from D1 to D2,
  each labelled by how it began (new admission, re-admission, transfer in, restored) or
  ended (died, expelled, removed, resigned, transferred out);
- the roll at the end (cuối kỳ) is the roll at D2, as `report summary --as-of D2` gives it.

Start and end are counted by `roll.ON_ROLL` and the changes from the same periods, so
start + increases − decreases = end holds by construction for the committee. A branch is
the member's branch on each day (`roll.branch_at`, issue #15): a period begins in its first
day's branch and ends in its last day's; a move between branches inside the period (a
move, a merge, a split) is ``moved_out`` of the old branch and ``moved_in`` to the new one,
so each branch's row reconciles as start + increases − decreases + moved in − moved out =
end, and the committee's moves cancel out. A temporary attendee is never counted; a member
away on a temporary transfer still is.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from tanhung_cli import org, roll
from tanhung_cli.branches import sort_key as branch_sort_key

# How a period begins (``roll.PERIODS.gained``) and the key the report gives it.
GAINS = {
    "admitted": "admitted",
    "readmitted": "readmitted",
    "transferred": "transferred_in",
    "restored": "restored",
}
# How a period ends (``left_reason``) and the key the report gives it.
LOSSES = {
    "died": "died",
    "expelled": "expelled",
    "removed": "removed",
    "resigned": "resigned",
    "transferred": "transferred_out",
}


def _empty() -> dict[str, Any]:
    return {
        "start": 0,
        "increases": dict.fromkeys([*GAINS.values(), "total"], 0),
        "decreases": dict.fromkeys([*LOSSES.values(), "total"], 0),
        "moved_in": 0,
        "moved_out": 0,
        "end": 0,
    }


def _roll(conn: sqlite3.Connection, day: dt.date, where: str, params: dict[str, Any]) -> Any:
    return conn.execute(
        f"SELECT {roll.BRANCH_AT}, count(*) FROM members m WHERE {roll.ON_ROLL}{where} GROUP BY 1",
        {**params, "as_of": day.isoformat()},
    ).fetchall()


_COUNTED = set(roll.COUNTED)


def moves(conn: sqlite3.Connection, start: str, stop: str) -> list[tuple[int, int]]:
    """(old branch, new branch) of every move between branches from ``start`` to ``stop``
    of a member on the roll, counted, the day before and the day of it."""
    rows = conn.execute(
        "SELECT x.branch_id AS old, x.to_on,"
        f" {roll.branch_at('x.to_on', 'x.member_id', 'm.branch_id')} AS new, m.*"
        " FROM branch_spells x JOIN members m ON m.id = x.member_id"
        f" WHERE x.to_on BETWEEN :start AND :stop AND {roll.LIVE}",
        {"start": start, "stop": stop},
    ).fetchall()
    if not rows:
        return []
    spells = roll.past_spells_by_member(conn)
    out = []
    for r in rows:
        before = (dt.date.fromisoformat(r["to_on"]) - dt.timedelta(days=1)).isoformat()
        own = spells.get(r["id"], ())
        on_roll = {roll.status(r, d, own) for d in (before, r["to_on"])} <= _COUNTED
        if on_roll and r["old"] != r["new"]:
            out.append((int(r["old"]), int(r["new"])))
    return out


def changes(
    conn: sqlite3.Connection, start: dt.date, stop: dt.date, branch_id: int | None = None
) -> dict[str, Any]:
    """The roll at the start and the end of ``start``..``stop`` and every change between,
    for the committee (or one branch) and branch by branch."""
    params = {"start": start.isoformat(), "stop": stop.isoformat(), "branch_id": branch_id}
    where = f" AND {roll.in_branch()}" if branch_id is not None else ""
    by: dict[int, dict[str, Any]] = {}

    def of(bid: int) -> dict[str, Any]:
        return by.setdefault(bid, _empty())

    for bid, n in _roll(conn, start - dt.timedelta(days=1), where, params):
        of(bid)["start"] = n
    for bid, n in _roll(conn, stop, where, params):
        of(bid)["end"] = n
    for bid, gained, n in conn.execute(
        f"SELECT p.branch_in, p.gained, count(*) FROM {roll.PERIODS}"
        " WHERE p.joined_roll_on BETWEEN :start AND :stop"
        f"{' AND p.branch_in = :branch_id' if branch_id is not None else ''} GROUP BY 1, 2",
        params,
    ):
        of(bid)["increases"][GAINS[gained]] += n
    for old, new in moves(conn, start.isoformat(), stop.isoformat()):
        if branch_id in (None, old):
            of(old)["moved_out"] += 1
        if branch_id in (None, new):
            of(new)["moved_in"] += 1
    for bid, reason, n in conn.execute(
        f"SELECT p.branch_out, p.left_reason, count(*) FROM {roll.PERIODS}"
        " WHERE p.left_on BETWEEN :start AND :stop"
        f"{' AND p.branch_out = :branch_id' if branch_id is not None else ''} GROUP BY 1, 2",
        params,
    ):
        lost = of(bid)["decreases"]
        # A reason outside the vocabulary (none is written today) still decreases the roll.
        key = LOSSES.get(reason, "other")
        lost[key] = lost.get(key, 0) + n
    for c in by.values():
        c["increases"]["total"] = sum(v for k, v in c["increases"].items() if k != "total")
        c["decreases"]["total"] = sum(v for k, v in c["decreases"].items() if k != "total")
    # The branches open at some time in the period, under their names at its end.
    rows = org.branches_at(conn, start.isoformat(), stop.isoformat(), branch_id)
    missing = set(by) - {b["id"] for b in rows}
    if missing:  # a figure in a branch not open then: shown, never lost
        names = org.names_at(conn, stop.isoformat())
        kinds = dict(conn.execute("SELECT id, kind FROM branches").fetchall())
        rows += [{"id": i, "name": names[i], "kind": kinds[i]} for i in missing if i in names]
        rows.sort(key=lambda b: branch_sort_key(b["kind"], b["name"]))
    by_branch = [
        {"branch": b["name"], "kind": b["kind"], **by.get(b["id"], _empty())} for b in rows
    ]
    total = _empty()
    for c in by.values():
        for key in ("start", "end", "moved_in", "moved_out"):
            total[key] += c[key]
        for part in ("increases", "decreases"):
            for k, v in c[part].items():
                total[part][k] = total[part].get(k, 0) + v
    return {
        "from": start.isoformat(),
        "to": stop.isoformat(),
        **total,
        "reconciles": all(_balanced(c) for c in [total, *by.values()]),
        "by_branch": by_branch,
    }


def _balanced(c: dict[str, Any]) -> bool:
    moved = c["moved_in"] - c["moved_out"]
    return bool(c["start"] + c["increases"]["total"] - c["decreases"]["total"] + moved == c["end"])
