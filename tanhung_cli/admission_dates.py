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
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tanhung_cli import working_days
from tanhung_cli.problems import Problem, dated

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
