"""Migration 10: transfers with their deadlines (issue #14, point 8). Never edit it once
shipped: add a new one (`migrations/__init__.py` lists them in order).

New member columns, empty on the members a registry already holds (nothing is guessed):
the purpose and extension of a temporary transfer out (its planned end was already
``away_until``), where a member transferred in came from, the planned end of a temporary
attendance here, and the date of an official transfer letter and of its presentation.
An open temporary transfer out without a planned end is shown "not recorded" and counted
by `check`.

Four partial indexes hold only the few members concerned (away, attending here until a
date, a letter presented or not yet), so that `due` and `check` find them without reading the roll.
"""

from __future__ import annotations

from sqlite_utils import Database

TRANSFER_COLUMNS = (
    "away_purpose",
    "away_extension",
    "came_from",
    "temporary_until",
    "letter_on",
    "letter_presented_on",
)


def m010_transfer_dates(db: Database) -> None:
    members = db.table("members")
    for column in TRANSFER_COLUMNS:
        members.add_column(column, str)
    db.execute("CREATE INDEX idx_members_away ON members (away_until) WHERE away_since IS NOT NULL")
    db.execute(
        "CREATE INDEX idx_members_temporary_until ON members (temporary_until)"
        " WHERE temporary_until IS NOT NULL"
    )
    db.execute(
        "CREATE INDEX idx_members_letters ON members (letter_on)"
        " WHERE letter_presented_on IS NOT NULL"
    )
    db.execute(
        "CREATE INDEX idx_members_letters_open ON members (letter_on)"
        " WHERE letter_presented_on IS NULL AND letter_on IS NOT NULL"
    )
