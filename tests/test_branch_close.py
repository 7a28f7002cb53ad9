"""Closing a branch on a date looks at its members ON that date (bug of session 8: the
members of the branch TODAY were counted, so a member admitted or moved into it later
refused the closing as "still has 1 members", and a member who was in it then but moved
out later let it close).

A close at D is refused, naming them, while members were in the branch on D; a member
recorded in it only after D is a contradiction, named with the day they came. On the
sample, with a new branch opened on 01/01/2020.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tanhung_cli.i18n import t
from tests.conftest import Run

NEW = "Ấp Mới"
D = "01/01/2022"


@pytest.fixture
def db_path(sample_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "r.db"
    shutil.copy(sample_db, path)
    return path


@pytest.fixture
def opened(run: Run) -> None:
    assert run("branch", "open", NEW, "--on", "01/01/2020").exit_code == 0


def members_of(db_path: Path, branch: int, n: int) -> list[tuple[int, str]]:
    """``n`` members of the sample's branch on the roll today since before 2019."""
    with closing(sqlite3.connect(db_path)) as conn:
        return conn.execute(
            "SELECT id, full_name FROM members WHERE branch_id = ? AND left_on IS NULL"
            " AND joined_roll_on < '2019-01-01' ORDER BY id LIMIT ?",
            (branch, n),
        ).fetchall()


def closed_on(db_path: Path) -> str | None:
    with closing(sqlite3.connect(db_path)) as conn:
        return conn.execute("SELECT closed_on FROM branches WHERE name = ?", (NEW,)).fetchone()[0]


def admit(run: Run, name: str, branch: str, on: str) -> None:
    result = run(
        "member",
        "add",
        "--name",
        name,
        "--gender",
        "Nam",
        "--born",
        "01/01/1990",
        "--ethnicity",
        "Kinh",
        "--branch",
        branch,
        "--admitted",
        on,
    )
    assert result.exit_code == 0, result.output


@pytest.mark.usefixtures("opened")
def test_a_member_admitted_into_the_branch_later_is_named_as_a_contradiction(
    run: Run, db_path: Path
) -> None:
    admit(run, "Trần Văn Ba", NEW, "01/03/2024")
    result = run("branch", "close", NEW, "--on", D, lang="en")
    assert result.exit_code == 1 and closed_on(db_path) is None
    message = " ".join(result.stderr.split())
    assert "Trần Văn Ba (from 2024-03-01)" in message or "Trần Văn Ba (from 01/03/2024)" in message
    assert "still has" not in message and "a closed branch takes no member" in message


@pytest.mark.usefixtures("opened")
def test_members_moved_into_the_branch_later_are_named_with_their_day(
    run: Run, db_path: Path
) -> None:
    (a, a_name), (b, b_name) = members_of(db_path, 2, 2)
    for args in ((a, NEW, "01/03/2024"), (b, NEW, "01/03/2023"), (b, "Ấp Chợ", "01/05/2023")):
        moved = run("member", "move", str(args[0]), "--to", args[1], "--on", args[2])
        assert moved.exit_code == 0, moved.output
    result = run("branch", "close", NEW, "--on", D)
    assert result.exit_code == 1 and closed_on(db_path) is None
    message = " ".join(result.stderr.split())
    assert f"{a} {a_name} (từ 01/03/2024)" in message
    assert f"{b} {b_name} (từ 01/03/2023)" in message  # came and went after D: still named
    assert "không nhận đảng viên" in message


@pytest.mark.usefixtures("opened")
def test_a_member_there_on_the_day_who_moved_out_later_refuses_the_close(
    run: Run, db_path: Path
) -> None:
    admit(run, "Nguyễn Văn Một", NEW, "01/03/2020")
    with closing(sqlite3.connect(db_path)) as conn:
        (member,) = conn.execute("SELECT max(id) FROM members").fetchone()
    assert run("member", "move", str(member), "--to", "Ấp Chợ", "--on", "01/06/2023").exit_code == 0
    result = run("branch", "close", NEW, "--on", D)
    assert result.exit_code == 1 and closed_on(db_path) is None
    assert f"{member} Nguyễn Văn Một" in " ".join(result.stderr.split())
    assert t(
        "bugs.org.close_members", name=NEW, date="01/01/2022", who=f"{member} Nguyễn Văn Một"
    ) in " ".join(result.stderr.split())
    after = run("branch", "close", NEW, "--on", "01/07/2023")
    assert after.exit_code == 0, after.output
    assert closed_on(db_path) == "2023-07-01"


@pytest.mark.usefixtures("opened")
def test_a_member_of_another_branch_joining_later_does_not_matter(run: Run, db_path: Path) -> None:
    admit(run, "Trần Văn Hai", "Ấp Chợ", "01/03/2024")
    result = run("branch", "close", NEW, "--on", D)
    assert result.exit_code == 0, result.output
    assert closed_on(db_path) == "2022-01-01"


def test_a_merge_moves_the_members_there_on_the_day_or_names_a_later_move(
    run: Run, db_path: Path
) -> None:
    """The same class: a merge at D moved the members of the branch today. A member who was
    in it on D and moved out later is named (their later move comes first), not left in a
    closed branch."""
    ((member, name),) = members_of(db_path, 3, 1)  # Ấp Nhì
    assert run("member", "move", str(member), "--to", "Ấp Chợ", "--on", "01/06/2025").exit_code == 0
    result = run(
        "branch", "merge", "Ấp Nhứt", "Ấp Nhì", "--into", "Ấp Nhứt Nhì", "--on", "01/01/2025"
    )
    assert result.exit_code == 1
    assert name in result.stderr and "01/06/2025" in result.stderr
