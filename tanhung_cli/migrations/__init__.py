"""Schema changes, in order. A migration is never edited once shipped: add a new one.

Keep ``storage.SCHEMA_VERSION`` equal to the number of migrations here (a test checks).
The steps live in modules by subject; ``STEPS`` lists them in the order they run, and a
step's name (its function's) is what a registry records as applied: never rename one.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database, Migrations

from tanhung_cli.migrations import (
    activity,
    admission,
    attributes,
    badges,
    branch_history,
    education,
    gaps,
    leaving,
    merge,
    national,
    rating,
    report_indexes,
    roll,
    rules_stamp,
    transfer_dates,
    void,
)

STEPS = (
    roll.m001_registry,
    roll.m002_report_indexes,
    roll.m003_name_order,
    roll.m004_branch_targets,
    roll.m005_away,
    activity.m006_meetings,
    activity.m007_support,
    admission.m008_admission,
    leaving.m009_leaving,
    transfer_dates.m010_transfer_dates,
    gaps.m011_gaps,
    education.m012_education,
    void.m013_void,
    rating.m014_rating,
    badges.m015_badges,
    attributes.m016_attributes,
    merge.m017_merge_origins,
    branch_history.m018_branch_history,
    national.m019_national,
    rules_stamp.m020_rules_stamp,
    report_indexes.m021_report_indexes,
)
migrations = Migrations("tanhung")
for step in STEPS:
    migrations()(step)


def count() -> int:
    return len(migrations._migrations)


def apply(conn: sqlite3.Connection, path: Path, lock: sqlite3.Connection) -> None:
    """Apply the pending migrations through ``lock``, which holds the write lock
    (`db.upgrade`), backing up an existing registry first through ``conn``."""
    version = lock.execute("PRAGMA user_version").fetchone()[0]
    if version < count():
        if version > 0:
            from tanhung_cli import backup  # a verified, owner-only copy

            target = backup.reserve(path, f"before-schema-{version + 1}")
            backup.copy_verified(conn, target, reserved=True)
        migrations.apply(Database(lock))
        lock.execute(f"PRAGMA user_version = {count()}")
