"""Migration 21: the roll's covering index in the order the reports group by (issue #17).

``idx_members_roll`` holds the same columns as before, with ``branch_id`` third, so that
`report branches` groups the roll by ethnic group, sex and branch in the index's order,
without sorting five million rows (the summary still groups by its first two columns).
Same size as before.

``idx_members_composition``: the dimensions of `report composition` (ethnic group, sex,
religion, theory level, professional level, general education, foreign language), what
"on the roll" reads, and the birth date: the composition is one read of it in its order,
where it was seven sorts of the table (57 MiB a million members on the bench's data).

``idx_members_died``: the members who died (a few percent of a roll's history), whom `due`
reads for posthumous badges (`badge_due`) without reading the whole table. Never edit once
shipped.
"""

from __future__ import annotations

from sqlite_utils import Database


def m021_report_indexes(db: Database) -> None:
    db.execute("DROP INDEX IF EXISTS idx_members_roll")
    db.execute(
        "CREATE INDEX idx_members_roll ON members (ethnicity, gender, branch_id,"
        " joined_roll_on, left_on, presence, official_on, voided_at)"
    )
    db.execute(
        "CREATE INDEX idx_members_composition ON members (ethnicity, gender, religion,"
        " theory_level, professional_level, general_education, foreign_language,"
        " joined_roll_on, left_on, presence, voided_at, birth_date)"
    )
    db.execute("CREATE INDEX idx_members_died ON members (left_on) WHERE left_reason = 'died'")
