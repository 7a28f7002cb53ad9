"""Clerks acting on one member at once: the rules hold whichever command takes the lock first.

Each round, for each of a few new probationary members, six `tanhung` processes start
together: `leave --reason died`, `leave --reason resigned`, `transfer-out`, `confirm`,
`edit --official` and `edit --admitted` (the last two valid alone, not together), while
another process imports new people and, with `--update`, the contested members' dates.
Every command waits a moment before it takes the write lock (`waiting.PAUSE_BEFORE_LOCK`), so
a rule checked on a row read before the lock would be checked on a stale row. Afterwards: exactly one leaving per member, no
confirmation after a leaving, and `check` finds no rule broken.
"""

from __future__ import annotations

import ast
import datetime as dt
import os
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tanhung_cli import branches, check, members
from tanhung_cli.db import open_db
from tanhung_cli.waiting import PAUSE_BEFORE_LOCK

PAUSE_S = "0.4"
LEAVINGS = (
    ("leave", "--reason", "died", "--on", "01/06/2024"),
    ("leave", "--reason", "resigned", "--on", "01/06/2024"),
    ("transfer-out", "--to", "Xã Tân Hòa", "--on", "01/06/2024"),
)
OTHERS = (
    ("confirm", "--on", "01/03/2021"),
    ("edit", "--official", "01/01/2021"),  # with the admission below: 4 months, not 12
    ("edit", "--admitted", "01/09/2020"),
)


SYLLABLES = "An Bình Chi Dũng Hà Hùng Lan Mai Nam Sa".split()


def _name(family: str, i: int) -> str:
    """The i-th of many distinct names (a name may not carry digits)."""
    return f"{family} {SYLLABLES[i // 100 % 10]} {SYLLABLES[i // 10 % 10]} {SYLLABLES[i % 10]}"


def _people(db: Path, first: int, count: int) -> list[int]:
    with closing(open_db(db)) as conn:
        return [
            members.add_member(conn, {
                "full_name": _name("Nguyễn", first + i), "gender": "Nam",
                "birth_date": "01/01/1990", "ethnicity": "Kinh", "branch": "Ấp Chợ",
                "admitted_on": "01/01/2020",
            }).member_id
            for i in range(count)
        ]  # fmt: skip


def _import_file(folder: Path, round_no: int, contested: range) -> Path:
    """New people, and the contested members with their dates as first recorded."""
    path = folder / f"import-{round_no}.csv"
    rows = ["Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chi bộ,Ngày vào Đảng,Ngày chính thức,Số CCCD"]
    rows += [
        f"{_name('Trần', round_no * 20 + i)},Nữ,02/02/1985,Kinh,Ấp Chợ,03/03/2010,,"
        f"084185{round_no:04d}{i:02d}"
        for i in range(20)
    ]
    rows += [
        f"{_name('Nguyễn', i)},Nam,01/01/1990,Kinh,Ấp Chợ,01/01/2020,01/01/2021," for i in contested
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _race(db: Path, tmp_path: Path, rounds: int, per_round: int) -> None:
    with closing(open_db(db)) as conn:
        branches.add_branch(conn, "Ấp Chợ")
    env = {**os.environ, PAUSE_BEFORE_LOCK: PAUSE_S}
    base = [sys.executable, "-m", "tanhung_cli", "--db", str(db), "--lang", "en"]
    contested: list[int] = []
    succeeded: dict[int, int] = {}  # leavings that exited 0, by member
    imports = 0
    for round_no in range(rounds):
        ids = _people(db, round_no * per_round, per_round)
        contested += ids
        jobs = [
            (member_id, action, subprocess.Popen(
                [*base, "member", action[0], str(member_id), *action[1:]], env=env,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            ))
            for member_id in ids
            for action in (*LEAVINGS, *OTHERS)
        ]  # fmt: skip
        names = range(round_no * per_round, (round_no + 1) * per_round)
        importing = subprocess.Popen(
            [*base, "import", "members", str(_import_file(tmp_path, round_no, names)), "--update"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        for member_id, action, job in jobs:
            out, err = job.communicate(timeout=120)
            assert job.returncode in (0, 1), (action, out, err)
            assert "Traceback" not in err and "busy" not in err, (action, err)
            if action in LEAVINGS and job.returncode == 0:
                succeeded[member_id] = succeeded.get(member_id, 0) + 1
        _, err = importing.communicate(timeout=120)
        assert importing.returncode in (0, 1) and "Traceback" not in err, err
        imports += importing.returncode == 0
    with closing(open_db(db)) as conn:
        leavings = dict(conn.execute(
            "SELECT member_id, count(*) FROM events WHERE kind IN ('left', 'transferred_out')"
            " GROUP BY member_id"
        ).fetchall())  # fmt: skip
        late = conn.execute(
            "SELECT c.member_id FROM events c JOIN events l ON l.member_id = c.member_id"
            " AND l.kind IN ('left', 'transferred_out') AND c.id > l.id"
            " WHERE c.kind = 'confirmed'"
        ).fetchall()
        report = check.check(conn, dt.date.today())
        broken = [f.message() for f in report.findings if f.column]
        imported = conn.execute("SELECT count(*) FROM members WHERE national_id LIKE '0841%'")
        assert imported.fetchone()[0] == imports * 20
    found = {
        "members": len(contested),
        "leavings accepted": sum(succeeded.values()),
        "leavings recorded": sum(leavings.values()),
        "confirmed after leaving": len(late),
        "rules broken": len(broken),
    }
    n = len(contested)
    assert found == {"members": n, "leavings accepted": n, "leavings recorded": n,
                     "confirmed after leaving": 0, "rules broken": 0}, broken  # fmt: skip
    assert leavings == dict.fromkeys(contested, 1)


def test_rules_hold_when_clerks_act_on_one_member_at_once(tmp_path: Path) -> None:
    _race(tmp_path / "races.db", tmp_path, rounds=2, per_round=1)


@pytest.mark.slow
def test_rules_hold_over_many_rounds(tmp_path: Path) -> None:
    _race(tmp_path / "races.db", tmp_path, rounds=10, per_round=3)


LOCKS = ("write_transaction", "member_for_update")
WRITERS = ("members", "lifecycle", "transfers", "readmission", "corrections", "enrolments",
           "ratings", "courses", "branches", "terms", "sample", "transfer_extension")  # fmt: skip


def _reads_before_lock(tree: ast.Module) -> list[str]:
    """Functions that touch the connection before they take the write lock."""
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef):
            continue
        before: list[ast.stmt] = []
        for statement in function.body:
            if isinstance(statement, ast.With) and any(
                isinstance(item.context_expr, ast.Call)
                and getattr(item.context_expr.func, "id", None) in LOCKS
                for item in statement.items
            ):
                break
            before.append(statement)
        else:
            continue  # takes no lock of its own
        for node in (n for s in before for n in ast.walk(s)):
            if isinstance(node, ast.Call) and (
                any(isinstance(a, ast.Name) and a.id == "conn" for a in node.args)
                or getattr(node.func, "attr", None) in ("execute", "executemany")
            ):
                found.append(f"{function.name}:{node.lineno}")
    return found


def test_every_writer_reads_under_its_lock() -> None:
    # The pattern that keeps the races above closed: nothing is read before the lock.
    folder = Path(members.__file__).parent
    found = {
        name: _reads_before_lock(ast.parse((folder / f"{name}.py").read_text(encoding="utf-8")))
        for name in WRITERS
    }
    assert found == {name: [] for name in WRITERS}
