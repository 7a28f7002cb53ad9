"""Migration 8: admission's four dates (issue #14). Never edit it once shipped: add a
new one (`migrations/__init__.py` lists them in order).

A member's ``admitted_on`` stays the admission decision (party age counts from it); the
branch meeting, the committee meeting and the ceremony are new and empty on the
members a registry already holds: their ceremony is then "not recorded" (probation is
counted from the decision, and `check` counts them), never a guessed date.
"""

from __future__ import annotations

from sqlite_utils import Database

ADMISSION_COLUMNS = ("branch_met_on", "committee_met_on", "ceremony_on")


def m008_admission(db: Database) -> None:
    members = db.table("members")
    for column in ADMISSION_COLUMNS:
        members.add_column(column, str)
