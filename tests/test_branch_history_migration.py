"""A registry of the release before branch history (schema 15) opens, migrates after its
automatic backup, prints every figure it printed before, and `check` states the migration's
assumption: each member's present branch is theirs since they joined the roll (issue #15)."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from conftest import Run
from reports_at import reports_at

from tanhung_cli import storage
from tanhung_cli.i18n import t

BEFORE = storage.SCHEMA_VERSION - 1  # the release before this migration
DATES = (("30/06/2016", "01/07/2015"), ("30/06/2020", "01/07/2015"), ("31/12/2024", "01/01/2024"))


def as_release_before(path: Path) -> None:
    """The registry as the release before writes it: no branch history."""
    with closing(sqlite3.connect(path)) as c, c:
        tables = ("branch_spells", "branch_names", "levels_above", "branch_history_assumed")
        for table in (*tables, "unit_kinds"):
            c.execute(f"DROP TABLE {table}")
        for column in ("opened_on", "opened_decision", "closed_on", "closed_decision"):
            c.execute(f"ALTER TABLE branches DROP COLUMN {column}")
        c.execute("DELETE FROM _sqlite_migrations WHERE name = 'm018_branch_history'")
        c.execute(f"PRAGMA user_version = {BEFORE}")


def _all(run: Run) -> dict[str, object]:
    return {day: reports_at(run, day, first, branches=("Ấp Chợ",)) for day, first in DATES}


def test_the_release_before_migrates_with_its_backup_and_keeps_every_figure(
    sample_db: Path, db_path: Path, run: Run
) -> None:
    shutil.copy(sample_db, db_path)
    # The release before knew no moves: the sample's one move (2022) is undone first, so
    # both releases hold the same facts.
    with closing(sqlite3.connect(db_path)) as c:
        moves = c.execute("SELECT member_id, id FROM events WHERE kind = 'moved'").fetchall()
    for member_id, event_id in moves:
        undone = run("member", "void-event", str(member_id), str(event_id), "--reason", "test")
        assert undone.exit_code == 0, undone.output
    before = _all(run)
    assert before["31/12/2024"]["summary Ấp Chợ"]["members"]["total"] == 41
    as_release_before(db_path)
    assert run("branch", "list").exit_code == 0  # opening migrates
    checked = run("check")
    assert len(list(db_path.parent.glob(f"registry.before-schema-{BEFORE + 1}.*.db"))) == 1
    with closing(sqlite3.connect(db_path)) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == storage.SCHEMA_VERSION
        members = c.execute("SELECT count(*) FROM members WHERE voided_at IS NULL").fetchone()[0]
        migrated = c.execute("SELECT migrated_on FROM branch_history_assumed").fetchone()[0]
    assert members > 301  # the sample's members, those who left included
    day, month, year = migrated[8:], migrated[5:7], migrated[:4]
    stated = t(
        "moves.assumed", count=f"{members:,}".replace(",", "."), date=f"{day}/{month}/{year}"
    )
    assert stated in " ".join(checked.output.split()), checked.output
    assert _all(run) == before
    # The past stays put: a member of Ấp Chợ moved today leaves 2024 as it was.
    listed = run("member", "list", "--branch", "Ấp Chợ", "--format", "json")
    first = listed.stdout.split('"id": ')[1].split(",")[0]
    assert run("member", "move", first, "--to", "Ấp Nhì").exit_code == 0
    assert _all(run) == before
