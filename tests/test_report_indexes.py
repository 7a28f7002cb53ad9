"""The reports' indexes (issue #17, a national roll on one file): a registry of the release
before them opens, migrates after its automatic backup and prints every figure it printed,
at every date, and `report branches` groups the roll without sorting it."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from conftest import Run
from reports_at import reports_at

from tanhung_cli import reports, roll, storage

BEFORE = storage.SCHEMA_VERSION - 1  # the release before this migration
# 2020: before the sample's one move (2022), so `report branches` counts a member in an
# earlier branch; 2024 after it.
DATES = (("30/06/2016", "01/07/2015"), ("30/06/2020", "01/07/2015"), ("31/12/2024", "01/01/2024"))


def as_release_before(path: Path) -> None:
    """The registry as the release before writes it: the roll's index in its old order,
    no index of the composition's dimensions nor of the members who died."""
    with closing(sqlite3.connect(path)) as c, c:
        c.execute("DROP INDEX idx_members_roll")
        c.execute("DROP INDEX idx_members_died")
        c.execute("DROP INDEX idx_members_composition")
        c.execute(
            "CREATE INDEX idx_members_roll ON members (ethnicity, gender,"
            " joined_roll_on, left_on, presence, official_on, branch_id, voided_at)"
        )
        c.execute("DELETE FROM _sqlite_migrations WHERE name = 'm021_report_indexes'")
        c.execute(f"PRAGMA user_version = {BEFORE}")


def _all(run: Run) -> dict[str, object]:
    out = {day: reports_at(run, day, first, branches=("Ấp Chợ",)) for day, first in DATES}
    for day, _ in DATES:
        due = run("due", "--as-of", day, "--within", "365", "--format", "json")
        assert due.exit_code == 0, due.output
        out[f"due {day}"] = due.stdout
    return out


def test_the_release_before_migrates_with_its_backup_and_keeps_every_figure(
    sample_db: Path, db_path: Path, run: Run
) -> None:
    shutil.copy(sample_db, db_path)
    before = _all(run)
    as_release_before(db_path)
    assert run("branch", "list").exit_code == 0  # opening migrates
    assert len(list(db_path.parent.glob(f"registry.before-schema-{BEFORE + 1}.*.db"))) == 1
    with closing(sqlite3.connect(db_path)) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == storage.SCHEMA_VERSION
        columns = [r[2] for r in c.execute("PRAGMA index_info(idx_members_roll)")]
    assert columns[:3] == ["ethnicity", "gender", "branch_id"]
    assert _all(run) == before


def test_branches_are_counted_in_the_order_of_the_roll_index(sample_db: Path) -> None:
    """No temporary B-tree: the roll is grouped as idx_members_roll holds it."""
    with closing(sqlite3.connect(sample_db)) as c:
        c.row_factory = sqlite3.Row
        sc = reports.scope(c, term="2015-2020")
        plan = " | ".join(
            row[3]
            for row in c.execute(
                f"EXPLAIN QUERY PLAN SELECT m.branch_id, m.ethnicity, m.gender, count(*),"
                f" sum({roll.OFFICIAL}) FROM members m WHERE {roll.ON_ROLL}"
                " GROUP BY m.ethnicity, m.gender, m.branch_id",
                sc.params(),
            )
        )
    assert "COVERING INDEX idx_members_roll" in plan and "TEMP B-TREE FOR GROUP BY" not in plan


def test_the_composition_is_one_read_of_its_index(sample_db: Path) -> None:
    """Every dimension from one read of idx_members_composition, in its order: no sort."""
    from tanhung_cli import composition

    statements: list[str] = []
    with closing(sqlite3.connect(sample_db)) as c:
        c.row_factory = sqlite3.Row
        sc = reports.scope(c, term="2015-2020")
        c.set_trace_callback(statements.append)
        composition.composition(c, sc)
        c.set_trace_callback(None)
        grouped = next(s for s in statements if "GROUP BY" in s)
        plan = " | ".join(r[3] for r in c.execute(f"EXPLAIN QUERY PLAN {grouped}"))
    assert "COVERING INDEX idx_members_composition" in plan, plan
    assert "TEMP B-TREE" not in plan, plan
