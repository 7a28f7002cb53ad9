"""Who is on the committee's roll, and in which status, at a given date.

The SQL fragments here are the one definition of the roll that lists and reports
share; they expect the members table aliased ``m`` and a parameter ``:as_of``.

A member's current period on the roll is on the ``members`` row; earlier periods
(before an official transfer out and back, or before a re-admission) are rows of
``past_spells``. Those are rare, so the fragments test them through one
uncorrelated ``IN (SELECT …)`` that SQLite evaluates once per query.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

# A member row or a past spell: both carry the columns of a period on the roll.
Period = Mapping[str, Any] | sqlite3.Row

_CURRENT = "(m.joined_roll_on <= :as_of AND (m.left_on IS NULL OR m.left_on > :as_of))"
_SPELL_AT = (
    "SELECT p.member_id FROM past_spells p WHERE p.joined_roll_on <= :as_of AND p.left_on > :as_of"
)
# Joined the roll (in any period) on or before the date.
# Not voided: a record entered by mistake and voided (issue #15, `voiding.py`) was never
# on the roll; it is in no count, list, report, export, due or check. The one predicate.
LIVE = "m.voided_at IS NULL"
STARTED = (
    "((m.joined_roll_on <= :as_of OR m.id IN"
    f" (SELECT p.member_id FROM past_spells p WHERE p.joined_roll_on <= :as_of)) AND {LIVE})"
)
# Attending here at the date, counted or not (temporary attendees included).
PRESENT = f"(({_CURRENT} OR m.id IN ({_SPELL_AT})) AND {LIVE})"
# On the roll and counted: joined, not yet left, not a temporary attendee.
# Exempted members (miễn sinh hoạt) stay on the roll and in the totals.
ON_ROLL = (
    f"((({_CURRENT} AND m.presence = 'regular') OR m.id IN ({_SPELL_AT} AND p.presence = 'regular'))"
    f" AND {LIVE})"
)
# The official date of the period the date falls in (a past spell's, for an earlier period).
_OFFICIAL_ON = (
    "(CASE WHEN m.joined_roll_on <= :as_of THEN m.official_on ELSE"
    " (SELECT p.official_on FROM past_spells p WHERE p.member_id = m.id"
    " AND p.joined_roll_on <= :as_of ORDER BY p.joined_roll_on DESC LIMIT 1) END)"
)
OFFICIAL = f"(COALESCE({_OFFICIAL_ON}, '9999-12-31') <= :as_of)"
PROBATIONARY = f"(NOT {OFFICIAL})"


# A history entry ``e`` voided since (entered on the wrong person: `void_events.void_event`).
EVENT_VOIDED = (
    "EXISTS (SELECT 1 FROM events v WHERE v.member_id = e.member_id AND v.kind = 'voided'"
    " AND v.field = 'event' AND v.old = CAST(e.id AS TEXT))"
)


def _last_event_is(kind: str, kinds: Iterable[str]) -> str:
    listed = ", ".join(f"'{k}'" for k in kinds)
    return (
        f"(COALESCE((SELECT e.kind FROM events e WHERE e.member_id = m.id AND e.kind IN ({listed})"
        f" AND e.on_date <= :as_of AND NOT {EVENT_VOIDED}"
        f" ORDER BY e.on_date DESC, e.id DESC LIMIT 1), '') = '{kind}')"
    )


# Exempt at the date (miễn sinh hoạt): the last exemption event by then began one (it may
# have ended since, which the member row alone no longer shows). Still on the roll.
EXEMPT = _last_event_is("exempted", ("exempted", "unexempted"))
# The events that begin or end a temporary transfer out of the member.
AWAY_KINDS = (
    "transferred_out_temporary",
    "returned",
    "transferred_in",
    "readmitted",
    "left",
    "transferred_out",
)
# Away on a temporary transfer at the date: still on the roll and counted here.
AWAY = _last_event_is("transferred_out_temporary", AWAY_KINDS)


# The statuses counted in the committee's totals, and those a list shows apart.
COUNTED = ("official", "probationary")
APART = ("temporary", "left", "not-yet")


def period_at(member: Period, as_of: dt.date | str, spells: Iterable[Period] = ()) -> Period | None:
    """The period (the member row or a past spell) that was the latest to start by ``as_of``."""
    day = as_of if isinstance(as_of, str) else as_of.isoformat()
    if member["joined_roll_on"] <= day:
        return member
    earlier = [s for s in spells if s["joined_roll_on"] <= day]
    return max(earlier, key=lambda s: s["joined_roll_on"]) if earlier else None


def status(member: Period, as_of: dt.date | str, spells: Iterable[Period] = ()) -> str:
    """One of: not-yet, left, temporary, official, probationary (voided: a record voided)."""
    day = as_of if isinstance(as_of, str) else as_of.isoformat()
    if "voided_at" in member.keys() and member["voided_at"]:  # noqa: SIM118 (sqlite3.Row)
        return "voided"
    period = period_at(member, day, spells)
    if period is None:
        return "not-yet"
    if period["left_on"] and period["left_on"] <= day:
        return "left"
    if period["presence"] == "temporary":
        return "temporary"
    if period["official_on"] and period["official_on"] <= day:
        return "official"
    return "probationary"


# A member's branch at a date (issue #15). ``members.branch_id`` is the branch today; the
# earlier ones are rows of ``branch_spells``, each until ``to_on`` (the day of the move that
# ended it). The branch on a day is that of the first spell still running then, else today's.
# Members who never moved have no spell: one uncorrelated ``IN (SELECT …)`` passes them by.
def branch_at(day: str, member_id: str = "m.id", current: str = "m.branch_id") -> str:
    """SQL: the branch of the member ``member_id`` on ``day`` (a column or a parameter)."""
    moved = "SELECT bs.member_id FROM branch_spells bs"
    if day.startswith(":"):  # one date for the whole query: only spells running then
        moved += f" WHERE bs.to_on > {day}"
    return (
        f"(CASE WHEN {member_id} IN ({moved}) THEN COALESCE((SELECT bs.branch_id"
        f" FROM branch_spells bs WHERE bs.member_id = {member_id} AND bs.to_on > {day}"
        f" ORDER BY bs.to_on LIMIT 1), {current}) ELSE {current} END)"
    )


# The branch of ``m`` at :as_of: every report and list at a date groups and filters by it.
BRANCH_AT = branch_at(":as_of")


def in_branch(day: str = ":as_of", alias: str = "m", branch: str = ":branch_id") -> str:
    """SQL: the member ``alias`` was in ``branch`` on ``day``. The first test lets SQLite
    read the members of the branch today through its index; moved members are added."""
    moved = "SELECT bs.member_id FROM branch_spells bs"
    at = branch_at(day, f"{alias}.id", f"{alias}.branch_id")
    return f"(({alias}.branch_id = {branch} OR {alias}.id IN ({moved})) AND {at} = {branch})"


# Admissions made by this committee, alias ``m`` (member_id, admitted_on, branch_id,
# readmitted): a period on the roll that began with its admission, counted here; an
# earlier period (before a re-admission) is an admission too, and ``readmitted`` (1) marks
# a re-admission (kết nạp lại), which statistics count apart from new admissions. Members
# who were admitted elsewhere and transferred in began their period later than their
# admission, and are left out. ``branch_id`` is the branch that admitted (its branch on
# the day of the admission: `branch_at`).
# Each part is read through its own index (idx_members_admitted, idx_members_readmitted).
ADMISSIONS = f"""(
    SELECT a.id AS member_id, a.admitted_on, {branch_at("a.admitted_on", "a.id", "a.branch_id")}
           AS branch_id, 0 AS readmitted FROM members a
     WHERE a.joined_roll_on = a.admitted_on AND a.presence = 'regular'
       AND a.readmitted_on IS NULL AND a.voided_at IS NULL
    UNION ALL
    SELECT a.id, a.readmitted_on, {branch_at("a.readmitted_on", "a.id", "a.branch_id")}, 1
      FROM members a
     WHERE a.joined_roll_on = a.readmitted_on AND a.presence = 'regular' AND a.voided_at IS NULL
    UNION ALL
    SELECT s.member_id, s.admitted_on, {branch_at("s.admitted_on", "s.member_id", "f.branch_id")},
           s.admitted_on > f.admitted_on
      FROM past_spells s JOIN members f ON f.id = s.member_id
     WHERE s.joined_roll_on = s.admitted_on AND s.presence = 'regular' AND f.voided_at IS NULL
) m"""


def past_spells_by_member(conn: sqlite3.Connection) -> dict[int, list[sqlite3.Row]]:
    """Every member's earlier periods on the roll, oldest first (few: returns, re-admissions)."""
    spells: dict[int, list[sqlite3.Row]] = {}
    for spell in conn.execute("SELECT * FROM past_spells ORDER BY joined_roll_on, id"):
        spells.setdefault(spell["member_id"], []).append(spell)
    return spells


def last_left(conn: sqlite3.Connection, member_id: int) -> str | None:
    """When the member's latest earlier period on the roll ended, if they had one."""
    row = conn.execute("SELECT max(left_on) FROM past_spells WHERE member_id = ?", (member_id,))
    left: str | None = row.fetchone()[0]
    return left


def _restored_on(member: str, day: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM events e WHERE e.member_id = {member} AND e.kind = 'restored'"
        f" AND e.on_date = {day} AND NOT {EVENT_VOIDED})"
    )


# Every counted period on the roll, alias ``p`` (member_id, branch_in, branch_out,
# joined_roll_on, left_on, left_reason, gained): the member row's and each past spell's, of
# members not voided, temporary attendees left out, exactly the periods ON_ROLL reads.
# ``gained`` names how the period began: 'admitted' (kết nạp mới), 'readmitted' (kết nạp
# lại), 'restored' (khôi phục đảng tịch: a 'restored' event that day) or 'transferred'
# (chuyển đến: began after its admission). ``branch_in`` is the branch on the period's first
# day, ``branch_out`` the branch on its last (`report changes`).
_LAST_DAY = "date({}, '-1 day')"
PERIODS = f"""(
    SELECT m.id AS member_id, {branch_at("m.joined_roll_on")} AS branch_in,
           {branch_at(_LAST_DAY.format("m.left_on"))} AS branch_out,
           m.joined_roll_on, m.left_on, m.left_reason,
           CASE WHEN {_restored_on("m.id", "m.joined_roll_on")} THEN 'restored'
                WHEN m.readmitted_on = m.joined_roll_on THEN 'readmitted'
                WHEN m.readmitted_on IS NULL AND m.admitted_on = m.joined_roll_on THEN 'admitted'
                ELSE 'transferred' END AS gained
      FROM members m WHERE m.presence = 'regular' AND {LIVE}
    UNION ALL
    SELECT s.member_id, {branch_at("s.joined_roll_on")},
           {branch_at(_LAST_DAY.format("s.left_on"))}, s.joined_roll_on, s.left_on, s.left_reason,
           CASE WHEN {_restored_on("s.member_id", "s.joined_roll_on")} THEN 'restored'
                WHEN s.admitted_on = s.joined_roll_on AND s.admitted_on > m.admitted_on
                THEN 'readmitted'
                WHEN s.admitted_on = s.joined_roll_on THEN 'admitted'
                ELSE 'transferred' END
      FROM past_spells s JOIN members m ON m.id = s.member_id
     WHERE s.presence = 'regular' AND {LIVE}
) p"""
