"""Migration 16: a member's attributes over time (issue #15).

A dated change of theory level, education, foreign language or religion is a history
entry of kind ``changed`` (`dated_values`); the value at a date is read through this
partial index, so a registry with none costs nothing. A registry of schema 15 has no
such entry: today's values are taken to hold since each member joined, and every figure
it printed before prints the same. The members this assumption covers (those the
registry held, by id) are kept as the setting ``dated_values_assumed_through`` for
`check` to state it. Never edit once shipped.
"""

from __future__ import annotations

from sqlite_utils import Database


def m016_attributes(db: Database) -> None:
    db.execute(
        "CREATE INDEX idx_events_changed ON events (member_id, field, on_date)"
        " WHERE kind IN ('changed', 'course_completed')"
    )
    db.execute(
        "INSERT INTO settings (key, value) SELECT 'dated_values_assumed_through', max(id)"
        " FROM members HAVING count(*) > 0"
    )
