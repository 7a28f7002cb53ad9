"""Migration 20: each member row says which release's rules it passed (issue #17).

``members.rules_version`` holds `rules.RULES_VERSION` of the validator a row passed, set
by the writers that validate (`member add` / `edit`, the importer) and by `check` on the
rows it re-validated. `check` then re-validates in Python only the rows whose stamp is
not the current version. The triggers make the stamp honest whoever writes the file:

- a row changed without setting the stamp anew (the sqlite3 tool, an older release, a
  writer that does not validate) loses it: it is re-validated at the next check;
- a change of a setting the rules read (ages, probation, partial dates) drops every
  stamp: the stored rows were judged by the old limits.

A row inserted without a stamp has none (NULL). A registry migrated here starts
unstamped: its first check validates every member once. Never edit once shipped.
"""

from __future__ import annotations

from sqlite_utils import Database

COLUMN = "rules_version"
# The settings `rules.Limits` reads (`settings.DEFAULTS`), as they were at this schema.
LIMIT_KEYS = (
    "min_age_months",
    "max_age_months",
    "probation_months",
    "partial_dates_before",
    "age_by_calendar_month",
)
_KEYS = ", ".join(f"'{key}'" for key in LIMIT_KEYS)
_FORGET = f"UPDATE members SET {COLUMN} = NULL WHERE {COLUMN} IS NOT NULL;"

_TRIGGERS = (
    # Fires on a stamped row whose stamp the UPDATE left as it was; the UPDATE inside sets
    # only the stamp, to NULL, so it does not fire again.
    f"""CREATE TRIGGER members_{COLUMN}_stale AFTER UPDATE ON members
        WHEN old.{COLUMN} IS NOT NULL AND new.{COLUMN} IS old.{COLUMN} BEGIN
        UPDATE members SET {COLUMN} = NULL WHERE id = new.id;
    END""",
    f"""CREATE TRIGGER settings_{COLUMN}_insert AFTER INSERT ON settings
        WHEN new.key IN ({_KEYS}) BEGIN {_FORGET} END""",
    f"""CREATE TRIGGER settings_{COLUMN}_update AFTER UPDATE ON settings
        WHEN new.key IN ({_KEYS}) OR old.key IN ({_KEYS}) BEGIN {_FORGET} END""",
    f"""CREATE TRIGGER settings_{COLUMN}_delete AFTER DELETE ON settings
        WHEN old.key IN ({_KEYS}) BEGIN {_FORGET} END""",
)


def m020_rules_stamp(db: Database) -> None:
    # An integer of one byte a row (SQLite stores 1..127 in one byte, NULL in none).
    db.execute(f"ALTER TABLE members ADD COLUMN {COLUMN} INTEGER")
    for sql in _TRIGGERS:
        db.execute(sql)
