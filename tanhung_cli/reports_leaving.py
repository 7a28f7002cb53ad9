"""Leavings of the Party in a term, by reason and, for removals, by sub-reason.

Statistics count each reason in its own column (HD 11-HD/BTCTW 2021: từ trần, xóa tên,
khai trừ, xin ra khỏi Đảng), and a removal by why (not confirmed, abandoned activity,
unpaid dues, two years without completing duties, other). A transfer out is not a
leaving of the Party and is not counted here. A period closed before a re-admission
(``past_spells``) knows its reason but not a removal's sub-reason: "not recorded".
"""

from __future__ import annotations

import sqlite3
from typing import Any

from tanhung_cli import roll
from tanhung_cli.party_age import LEAVES_PARTY
from tanhung_cli.reports import Scope
from tanhung_cli.vocab import vocabulary

# A leaving counts in the branch of the member's last day on the roll (issue #15).
_LAST_DAY = "date({}, '-1 day')"


def _past_branch(sc: Scope) -> str:
    """An earlier period's leaving (``s``) in the scope's branch, if it has one."""
    if sc.branch_id is None:
        return ""
    today = "(SELECT f.branch_id FROM members f WHERE f.id = s.member_id)"
    return (
        f" AND {roll.branch_at(_LAST_DAY.format('s.left_on'), 's.member_id', today)} = :branch_id"
    )


def leavings(conn: sqlite3.Connection, sc: Scope) -> dict[str, Any]:
    """How many left the Party in the term, by reason, removals by sub-reason."""
    if sc.term is None or sc.window is None:
        return {"term": None, "total": None, "by_reason": []}
    reasons = ", ".join(f"'{code}'" for code in LEAVES_PARTY)
    rows = conn.execute(
        "SELECT left_reason, removal_reason, count(*) FROM ("
        " SELECT m.left_reason, m.removal_reason FROM members m"
        f" WHERE m.left_on BETWEEN :start AND :stop AND m.left_reason IN ({reasons})"
        " AND m.voided_at IS NULL"
        f"{sc.where_branch('m', _LAST_DAY.format('m.left_on'))}"
        " UNION ALL SELECT s.left_reason, NULL FROM past_spells s"
        f" WHERE s.left_on BETWEEN :start AND :stop AND s.left_reason IN ({reasons})"
        " AND s.member_id NOT IN (SELECT id FROM members WHERE voided_at IS NOT NULL)"
        f"{_past_branch(sc)}) GROUP BY 1, 2",
        sc.params(),
    ).fetchall()
    counts: dict[str, dict[str | None, int]] = {code: {} for code in LEAVES_PARTY}
    for reason, removal, n in rows:
        counts[reason][removal] = n
    sub = vocabulary("removal_reason")
    by_reason = []
    for code in LEAVES_PARTY:
        found = counts[code]
        entry: dict[str, Any] = {"reason": code, "count": sum(found.values())}
        if code == "removed":
            entry["by_removal"] = [
                {"removal": c, "count": found.get(c, 0)} for c in [*sub.codes(), None]
            ]
        by_reason.append(entry)
    return {
        "term": sc.term.as_json(),
        "total": sum(e["count"] for e in by_reason),
        "by_reason": by_reason,
        "restored": restored(conn, sc),
    }


def restored(conn: sqlite3.Connection, sc: Scope) -> int:
    """Memberships restored in the term (khôi phục đảng tịch, `restoration`): counted apart;
    the expulsion or removal they undo stays counted in its own term."""
    row = conn.execute(
        "SELECT count(*) FROM events e JOIN members m ON m.id = e.member_id"
        f" WHERE e.kind = 'restored' AND e.on_date BETWEEN :start AND :stop"
        f"{sc.where_branch('m', 'e.on_date')}",
        sc.params(),
    ).fetchone()
    return int(row[0])
