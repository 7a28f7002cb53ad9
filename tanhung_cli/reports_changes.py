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
start + increases − decreases = end holds by construction, for the committee and for each
branch. A branch is the member's branch today (dated branches do not exist yet). A
temporary attendee is never counted; a member away on a temporary transfer still is.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from tanhung_cli import roll
from tanhung_cli.branches import sort_key as branch_sort_key

# How a period begins (``roll.PERIODS.gained``) and the key the report gives it.
GAINS = {"admitted": "admitted", "readmitted": "readmitted", "transferred": "transferred_in",
         "restored": "restored"}  # fmt: skip
# How a period ends (``left_reason``) and the key the report gives it.
LOSSES = {"died": "died", "expelled": "expelled", "removed": "removed", "resigned": "resigned",
          "transferred": "transferred_out"}  # fmt: skip


def _empty() -> dict[str, Any]:
    return {
        "start": 0,
        "increases": dict.fromkeys([*GAINS.values(), "total"], 0),
        "decreases": dict.fromkeys([*LOSSES.values(), "total"], 0),
        "end": 0,
    }


def _roll(conn: sqlite3.Connection, day: dt.date, where: str, params: dict[str, Any]) -> Any:
    return conn.execute(
        f"SELECT m.branch_id, count(*) FROM members m WHERE {roll.ON_ROLL}{where} GROUP BY 1",
        {**params, "as_of": day.isoformat()},
    ).fetchall()


def changes(
    conn: sqlite3.Connection, start: dt.date, stop: dt.date, branch_id: int | None = None
) -> dict[str, Any]:
    """The roll at the start and the end of ``start``..``stop`` and every change between,
    for the committee (or one branch) and branch by branch."""
    params = {"start": start.isoformat(), "stop": stop.isoformat(), "branch_id": branch_id}
    where = " AND m.branch_id = :branch_id" if branch_id is not None else ""
    by: dict[int, dict[str, Any]] = {}

    def of(bid: int) -> dict[str, Any]:
        return by.setdefault(bid, _empty())

    for bid, n in _roll(conn, start - dt.timedelta(days=1), where, params):
        of(bid)["start"] = n
    for bid, n in _roll(conn, stop, where, params):
        of(bid)["end"] = n
    pwhere = where.replace("m.", "p.")
    for bid, gained, n in conn.execute(
        f"SELECT p.branch_id, p.gained, count(*) FROM {roll.PERIODS}"
        f" WHERE p.joined_roll_on BETWEEN :start AND :stop{pwhere} GROUP BY 1, 2",
        params,
    ):
        of(bid)["increases"][GAINS[gained]] += n
    for bid, reason, n in conn.execute(
        f"SELECT p.branch_id, p.left_reason, count(*) FROM {roll.PERIODS}"
        f" WHERE p.left_on BETWEEN :start AND :stop{pwhere} GROUP BY 1, 2",
        params,
    ):
        lost = of(bid)["decreases"]
        # A reason outside the vocabulary (none is written today) still decreases the roll.
        key = LOSSES.get(reason, "other")
        lost[key] = lost.get(key, 0) + n
    for c in by.values():
        c["increases"]["total"] = sum(v for k, v in c["increases"].items() if k != "total")
        c["decreases"]["total"] = sum(v for k, v in c["decreases"].items() if k != "total")
    rows = conn.execute(
        "SELECT b.id, b.name, b.kind FROM branches b"
        + (" WHERE b.id = :branch_id" if branch_id is not None else ""),
        params,
    ).fetchall()
    rows.sort(key=lambda b: branch_sort_key(b["kind"], b["name"]))
    by_branch = [
        {"branch": b["name"], "kind": b["kind"], **by.get(b["id"], _empty())} for b in rows
    ]
    total = _empty()
    for c in by.values():
        total["start"] += c["start"]
        total["end"] += c["end"]
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
    return bool(c["start"] + c["increases"]["total"] - c["decreases"]["total"] == c["end"])
