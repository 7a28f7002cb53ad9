"""A member's attributes over time (issue #15): the value of a field at a date.

The fields reports break the roll down by (theory level, the education scales, foreign
language, religion, profession) change in a member's life: a course finished, a degree earned. The
member row holds today's value; each dated change (`member edit --on D`) leaves one
history entry of kind ``changed`` (field, old, new, on_date), written by `history` like
every other (a theory course completed raises the level on its date the same way). The value at a date D is the ``old`` of the earliest live change of the
field dated after D, else the row's: so a change today leaves every past report as it was.

A correction (`member edit --correction`) fixes a value that was wrong: it rewrites the
row, i.e. the value since the latest dated change (every date when there is none), and is
recorded as ``corrected``. Values entered before dated changes existed (schema 15 and
earlier: `edited` entries) are corrections too: today's values are taken to hold since the
member joined (`check` says so, `assumption`).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from tanhung_cli import roll
from tanhung_cli.problems import Count, Labels, Problem, dated

# The fields whose value at a date comes from their dated history.
DATED_FIELDS = (
    "theory_level",
    "general_education",
    "professional_level",
    "foreign_language",
    "religion",
    "profession",
)
CHANGED = "changed"  # a change effective on its date (the past keeps the old value)
CORRECTED = "corrected"  # a value wrong all along, put right (as `member correct` writes)
# The entries that date a value: a change, and a theory course completed (`enrolments`
# raises the theory level on the completion date).
_KINDS = f"e.kind IN ('{CHANGED}', 'course_completed')"
# The last member id of a registry migrated to dated attributes (`migrations.attributes`).
ASSUMED_SETTING = "dated_values_assumed_through"

_LIVE = f"NOT {roll.EVENT_VOIDED}"


def _later(field: str) -> str:
    if field not in DATED_FIELDS:
        raise ValueError(f"not a dated field: {field}")
    return f"{_KINDS} AND e.field = '{field}' AND e.on_date > :as_of AND {_LIVE}"


def value_at(field: str, alias: str = "m") -> str:
    """SQL: the value of ``<alias>.<field>`` at ``:as_of`` (the old value of the first
    change after it, else the row's). Members with no dated change are answered by one
    uncorrelated ``IN (SELECT …)`` that SQLite evaluates once per query (as `roll` does
    for past spells), through the partial index ``idx_events_changed``."""
    later = _later(field)
    return (
        f"(CASE WHEN {alias}.id IN (SELECT e.member_id FROM events e WHERE {later})"
        f" THEN (SELECT e.old FROM events e WHERE e.member_id = {alias}.id AND {later}"
        f" ORDER BY e.on_date, e.id LIMIT 1) ELSE {alias}.{field} END)"
    )


def changed_after(field: str) -> str:
    """SQL: the members with a live dated change of ``field`` after ``:as_of`` (whose value
    then is not the row's: `value_at`)."""
    return f"SELECT e.member_id FROM events e WHERE {_later(field)}"


def changes(conn: sqlite3.Connection, member_id: int, field: str) -> list[sqlite3.Row]:
    """The member's live dated changes of ``field``, oldest first."""
    return conn.execute(
        f"SELECT e.id, e.on_date, e.old, e.new, e.decision_no FROM events e"
        f" WHERE e.member_id = ? AND {_KINDS} AND e.field = ? AND {_LIVE}"
        " ORDER BY e.on_date, e.id",
        (member_id, field),
    ).fetchall()


def periods(
    conn: sqlite3.Connection, member: sqlite3.Row, field: str
) -> list[tuple[str | None, Any]]:
    """The values the field held, oldest first: (the date it began, None for the first; value)."""
    out: list[tuple[str | None, Any]] = []
    start: str | None = None
    for change in changes(conn, member["id"], field):
        out.append((start, change["old"]))
        start = change["on_date"]
    out.append((start, member[field]))
    return out


def at(conn: sqlite3.Connection, member: sqlite3.Row, field: str, day: dt.date | str) -> Any:
    """The value of the member's ``field`` at ``day`` (as `value_at` reads it)."""
    iso = day if isinstance(day, str) else day.isoformat()
    value = member[field]
    for start, held in reversed(periods(conn, member, field)):
        value = held
        if start is None or start <= iso:
            break
    return value


def latest_change(conn: sqlite3.Connection, member_id: int, field: str) -> str | None:
    """The date of the member's latest live dated change of ``field``, if any."""
    found = changes(conn, member_id, field)
    return str(found[-1]["on_date"]) if found else None


def change_problems(
    conn: sqlite3.Connection, member: sqlite3.Row, fields: list[str], day: str, today: str
) -> list[Problem]:
    """Why a dated change of ``fields`` on ``day`` cannot be recorded: dated after today,
    before the member's birth or admission, or before a later change already recorded
    (a change is recorded in order; void the later one first, or record a correction)."""
    found: list[Problem] = []
    for field in fields:
        bound = [
            ("dated.after_today", today) if day > today else None,
            ("dated.before_birth", member["birth_date"]) if day < member["birth_date"] else None,
            ("dated.before_admission", member["admitted_on"])
            if day < (member["admitted_on"] or "")
            else None,
        ]
        last = latest_change(conn, member["id"], field)
        if last and day < last:
            bound.append(("dated.out_of_order", last))
        found += [
            Problem(key, {"date": dated(on), "on": dated(day)}, field)
            for key, on in filter(None, bound)
        ][:1]
    return found


def kind_of(field: str, correction: bool) -> str:
    """The history entry an edit of ``field`` leaves: a dated change, a correction, an edit."""
    if field not in DATED_FIELDS:
        return "edited"
    return CORRECTED if correction else CHANGED


def notes(conn: sqlite3.Connection) -> list[Problem]:
    """What `check` tells: the members of a registry older than dated attributes (the
    migration's setting) with no dated change, whose values are taken to hold since they
    joined. A registry begun since has none."""
    members = conn.execute(
        "SELECT count(*) FROM members WHERE voided_at IS NULL AND id <= (SELECT CAST(value"
        f" AS INTEGER) FROM settings WHERE key = '{ASSUMED_SETTING}') AND id NOT IN"
        f" (SELECT e.member_id FROM events e WHERE {_KINDS})"
    ).fetchone()[0]
    return [Problem("dated.assumed", {"count": Count(members)})] if members else []


def filled_today(member: sqlite3.Row, fields: list[str], on: dt.date | None) -> Problem | None:
    """A note when an empty attribute is given a value as a change of today (no --on): a
    value the member held before (a file completed late) is recorded with --correction."""
    empty = [f for f in fields if member[f] in (None, "")]
    if on is not None or not empty:
        return None
    return Problem("dated.filled_today", {"fields": Labels(f"column.{f}" for f in empty)})
