"""Who may be admitted again, and when: QĐ 294-QĐ/TW of 26/5/2025, point 3.5, applied
through HD 06-HD/TW of 9/6/2025.

- 3.5.1: at least 36 months after leaving the Party (60 months after a minor criminal
  conviction is expunged), with the written consent of the provincial standing committee
  (Ban Thường vụ Tỉnh ủy); re-admitted once only; a new probation follows.
- 3.5.2: never for those who left by abandoning party activity (tự bỏ sinh hoạt đảng) or
  by resigning (save special family hardship), who caused serious disunity, or who were
  convicted of corruption or a serious crime. The registry records the first two (the
  leaving reason and the removal's sub-reason); the others are the clerk's to know.

A refusal is lifted only by a recorded exception naming the approving decision
(``--exception "QĐ số …"``), kept in the member's history.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping

from tanhung_cli import vietnamese as vn
from tanhung_cli.cells import DateCell, before_months_after
from tanhung_cli.problems import Problem, dated
from tanhung_cli.roll import Period

WAIT_MONTHS = 36  # QĐ 294-QĐ/TW point 3.5.1
WAIT_AFTER_EXPUNGED_MONTHS = 60  # … after a minor criminal conviction is expunged


def current_admission(period: Period) -> str:
    """The admission that began ``period``'s membership: the re-admission, if any, else the
    first admission, which stays the member's "Ngày vào Đảng" (``admitted_on``). Probation
    and the membership's party age run from it (QĐ 294-QĐ/TW point 3.5.1: a new probation)."""
    try:  # a row or record without the column has had no re-admission
        readmitted = period["readmitted_on"]
    except (IndexError, KeyError):
        readmitted = None
    return str(readmitted or period["admitted_on"])


def record_problems(days: Mapping[str, DateCell | None], probation_months: int) -> list[Problem]:
    """The validator's hook: a re-admission after the first admission, and an official date
    at the end of the new probation at the earliest (QĐ 294-QĐ/TW point 3.5.1)."""
    again, first, official = (
        days.get("readmitted_on"),
        days.get("admitted_on"),
        days.get("official_on"),
    )
    if not again:
        return []
    if first and again.last.iso <= first.first.iso:
        return [Problem("readmit.before_first", {}, "readmitted_on")]
    if official and before_months_after(official.last, again.first, probation_months):
        earliest_day = vn.add_months(again.date, probation_months)
        return [Problem("rule.official_too_early", {"earliest": earliest_day}, "official_on")]
    return []


def earliest(left_on: str, expunged: dt.date | None = None) -> dt.date:
    """The first day a member who left on ``left_on`` may be admitted again: 36 months on
    (a leaving date known by year or month alone: from its last day), or 60 months after
    the expunging of a minor conviction when that comes later."""
    day = vn.add_months(vn.date_bounds(left_on)[1], WAIT_MONTHS)
    if expunged is not None:
        day = max(day, vn.add_months(expunged, WAIT_AFTER_EXPUNGED_MONTHS))
    return day


def refusals(
    conn: sqlite3.Connection,
    row: Period,
    on: dt.date,
    consent: str | None,
    expunged: dt.date | None = None,
) -> list[Problem]:
    """Every rule of QĐ 294-QĐ/TW point 3.5 that re-admitting ``row`` on ``on`` breaks."""
    found = []
    before = conn.execute(
        "SELECT min(on_date) FROM events WHERE member_id = ? AND kind = 'readmitted'",
        (row["id"],),
    ).fetchone()[0]
    if before:
        found.append(Problem("readmit.once_only", {"date": dated(before)}))
    if row["left_reason"] == "removed" and row["removal_reason"] == "abandoned":
        found.append(Problem("readmit.abandoned", {}))
    if row["left_reason"] == "resigned":
        found.append(Problem("readmit.resigned", {}))
    first = earliest(row["left_on"], expunged)
    if on < first:
        late = expunged is not None and first != earliest(row["left_on"])
        key = "readmit.too_soon_expunged" if late else "readmit.too_soon"
        found.append(Problem(key, {"earliest": first}))
    if not consent:
        found.append(Problem("readmit.needs_consent", {}))
    return found
