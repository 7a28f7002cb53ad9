"""Admission's four dates and what they must say (Quy định 294-QĐ/TW; Hướng dẫn
06-HD/TW; Hướng dẫn 12-HD/BTCTW, forms KNĐ): the branch meeting that considers the
candidate (chi bộ xét), the committee's meeting (đảng ủy xét, optional), the decision
(quyết định kết nạp: ``admitted_on``, party age counts from it) and the ceremony (lễ
kết nạp: probation counts from it), held within 30 working days of the decision.

A ceremony later than that is a warning, not a refusal: the date is a fact. An old
record without a ceremony is counted from the decision and shown as not recorded.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from tanhung_cli import working_days
from tanhung_cli.problems import Count, Problem, dated

if TYPE_CHECKING:
    from tanhung_cli.cells import DateCell

# Each pair must come in this order; the later column is the one a problem names.
ORDER = (
    ("branch_met_on", "committee_met_on", "admission.committee_before_branch"),
    ("branch_met_on", "admitted_on", "admission.decision_before_branch"),
    ("committee_met_on", "admitted_on", "admission.decision_before_committee"),
    ("admitted_on", "ceremony_on", "admission.ceremony_before_decision"),
)


def order_problems(days: Mapping[str, DateCell | None]) -> list[Problem]:
    """The admission dates out of order (a date known by year or month alone is read as
    any of its days: refused only when none fits)."""
    if not (days.get("branch_met_on") or days.get("committee_met_on") or days.get("ceremony_on")):
        return []  # the usual row of an old roll: only the decision, nothing to order
    found = []
    for earlier, later, key in ORDER:
        first, then = days.get(earlier), days.get(later)
        if first and then and then.last.iso < first.first.iso:
            found.append(Problem(key, {"date": dated(first.iso)}, later))
    return found


def ceremony_late(member: Mapping[str, Any]) -> Problem | None:
    """A warning when the ceremony came after the 30th working day from the decision."""
    decided, held = member.get("admitted_on"), member.get("ceremony_on")
    if not decided or not held or len(decided) < 10 or len(held) < 10:
        return None  # not recorded, or known by year or month alone
    deadline = working_days.add(dt.date.fromisoformat(decided), working_days.CEREMONY_WITHIN)
    if dt.date.fromisoformat(held) <= deadline.day:
        return None
    key = "admission.ceremony_late_assumed" if deadline.assumed else "admission.ceremony_late"
    return Problem(
        key, {"deadline": deadline.day, "days": working_days.CEREMONY_WITHIN}, "ceremony_on"
    )


def notes(conn: sqlite3.Connection) -> list[Problem]:
    """What `check` tells beside its findings (facts of the records, not faults): how many
    members have no ceremony recorded (probation then counts from the decision), and each
    ceremony held after the 30 working days (an imported one too)."""
    missing = conn.execute(
        "SELECT count(*) FROM members WHERE ceremony_on IS NULL AND voided_at IS NULL"
    ).fetchone()[0]
    found = []
    if missing:
        found.append(Problem("admission.check_ceremonies_not_recorded", {"count": Count(missing)}))
    rows = conn.execute(
        "SELECT id, full_name, admitted_on, ceremony_on FROM members"
        " WHERE ceremony_on > admitted_on AND voided_at IS NULL ORDER BY id"
    ).fetchall()
    for row in rows:
        late = ceremony_late({"admitted_on": row[2], "ceremony_on": row[3]})
        if late:
            found.append(replace(late, column=None, member=row[0], member_name=row[1]))
    return found
