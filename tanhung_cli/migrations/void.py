"""Migration 10 (on its own branch): records entered by mistake, voided (issue #15).

A voided member keeps their row (their history and the audit point at it) with when and
why it was voided; the roll's SQL (`roll.LIVE`) leaves them out of every count and list.
The roll's covering index carries the column, so counting stays on the index.
Never edit once shipped.
"""

from __future__ import annotations

from sqlite_utils import Database


def m013_void(db: Database) -> None:
    members = db.table("members")
    members.add_column("voided_at", str)  # when the record was voided (a timestamp)
    members.add_column("void_reason", str)  # the clerk's reason, required
    db.execute("DROP INDEX IF EXISTS idx_members_roll")
    db.execute(
        "CREATE INDEX idx_members_roll ON members (ethnicity, gender,"
        " joined_roll_on, left_on, presence, official_on, branch_id, voided_at)"
    )
    # The few voided records, read at once where a query must leave them out by id.
    db.execute("CREATE INDEX idx_members_voided ON members (id) WHERE voided_at IS NOT NULL")
