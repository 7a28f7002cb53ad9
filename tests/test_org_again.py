"""A dated change of the organisation given again is recognised, not written twice (bug of
session 8: `branch level-above` run twice added a second row; `branch rename` to the same
name ended in a traceback). A different change from a date that has one is refused, saying
how to correct it (`--correction` for the level above, as `member edit --correction`).

On the sample, which records Tỉnh ủy Vĩnh Long from 01/07/2025 (Nghị quyết 202/2025/QH15).
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tanhung_cli.i18n import t
from tests.conftest import Run

TABLES = (
    "audit",
    "events",
    "levels_above",
    "branch_names",
    "branches",
    "branch_spells",
    "unit_kinds",
)


@pytest.fixture
def db_path(sample_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "r.db"
    shutil.copy(sample_db, path)
    return path


def rows(db_path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(db_path)) as conn:
        return {n: conn.execute(f"SELECT count(*) FROM {n}").fetchone()[0] for n in TABLES}


def levels(db_path: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(db_path)) as conn:
        return conn.execute("SELECT from_on, name FROM levels_above ORDER BY from_on").fetchall()


def twice(run: Run, db_path: Path, *args: str) -> str:
    """Run ``args`` twice: the first writes, the second writes nothing and says so."""
    first = run(*args, lang="en")
    assert first.exit_code == 0, first.output
    before = rows(db_path)
    again = run(*args, lang="en")
    assert again.exit_code == 0, again.output
    assert rows(db_path) == before
    assert "nothing written" in again.stdout, again.stdout
    return again.stdout


def test_the_same_level_above_from_the_same_date_is_not_written_again(
    run: Run, db_path: Path
) -> None:
    before = rows(db_path)
    result = run("branch", "level-above", "Tỉnh ủy Vĩnh Long", "--from", "01/07/2025")
    assert result.exit_code == 0
    assert rows(db_path) == before
    assert result.stdout.strip() == t(
        "bugs.org.level_already", name="Tỉnh ủy Vĩnh Long", date="01/07/2025"
    )
    assert levels(db_path) == [
        ("1992-01-01", "Huyện ủy Tiểu Cần"),
        ("2025-07-01", "Tỉnh ủy Vĩnh Long"),
    ]


def test_the_level_already_in_force_from_an_earlier_date_writes_nothing(
    run: Run, db_path: Path
) -> None:
    before = rows(db_path)
    result = run("branch", "level-above", "Huyện ủy Tiểu Cần", "--from", "01/01/2010")
    assert result.exit_code == 0 and rows(db_path) == before
    assert "01/01/1992" in result.stdout


def test_another_level_from_the_same_date_is_refused_or_corrected(run: Run, db_path: Path) -> None:
    before = rows(db_path)
    result = run("branch", "level-above", "Tỉnh ủy Trà Vinh", "--from", "01/07/2025")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "--correction" in result.stderr and "Tỉnh ủy Vĩnh Long" in result.stderr
    assert rows(db_path) == before
    fixed = run("branch", "level-above", "Tỉnh ủy Trà Vinh", "--from", "01/07/2025", "--correction")
    assert fixed.exit_code == 0, fixed.output
    assert "Tỉnh ủy Vĩnh Long → Tỉnh ủy Trà Vinh" in fixed.stdout
    assert levels(db_path)[-1] == ("2025-07-01", "Tỉnh ủy Trà Vinh")
    after = rows(db_path)
    assert after["levels_above"] == before["levels_above"]
    assert after["audit"] == before["audit"] + 1
    nothing = run("branch", "level-above", "X", "--from", "02/07/2025", "--correction")
    assert nothing.exit_code == 1 and "--correction" in nothing.stderr


def test_open_rename_close_given_again_write_nothing(run: Run, db_path: Path) -> None:
    twice(run, db_path, "branch", "open", "Ấp Mới", "--on", "01/07/2025")
    twice(run, db_path, "branch", "rename", "Ấp Mới", "--to", "Ấp Mới Hai", "--on", "01/08/2025")
    again = run("branch", "rename", "Ấp Mới Hai", "--to", "Ấp Mới Hai", "--on", "01/08/2025")
    assert again.exit_code == 0 and "Traceback" not in again.output
    twice(run, db_path, "branch", "close", "Ấp Mới Hai", "--on", "01/10/2025")


def test_a_rename_to_the_name_it_has_writes_nothing_and_never_fails(
    run: Run, db_path: Path
) -> None:
    before = rows(db_path)
    result = run("branch", "rename", "Ấp Chợ", "--to", "Ấp Chợ", "--on", "01/08/2025")
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    assert rows(db_path) == before


def test_another_name_on_the_day_of_a_rename_says_how_to_correct_it(
    run: Run, db_path: Path
) -> None:
    assert (
        run("branch", "rename", "Ấp Chợ", "--to", "Ấp Chợ Mới", "--on", "01/08/2025").exit_code == 0
    )
    result = run("branch", "rename", "Ấp Chợ Mới", "--to", "Ấp Chợ Lớn", "--on", "01/08/2025")
    assert result.exit_code == 1
    assert "branch edit" in result.stderr


def test_merge_split_and_kind_add_given_again_write_nothing(run: Run, db_path: Path) -> None:
    out = twice(
        run,
        db_path,
        "branch",
        "merge",
        "Ấp Nhứt",
        "Ấp Nhì",
        "--into",
        "Ấp Nhứt Nhì",
        "--on",
        "01/07/2025",
    )
    assert "Ấp Nhứt, Ấp Nhì" in out
    twice(
        run,
        db_path,
        "branch",
        "split",
        "Ấp Chợ",
        "--into",
        "Ấp Chợ B",
        "--members",
        "1,2",
        "--on",
        "01/07/2025",
    )
    twice(
        run,
        db_path,
        "branch",
        "kind-add",
        "subcommittee",
        "--vi",
        "Đảng bộ bộ phận",
        "--en",
        "Sub-committee",
    )
