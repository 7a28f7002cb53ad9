"""Crash safety: a process killed with SIGKILL leaves a sound file with all or none of its work.

An import is killed at random moments (the fast tests: 20,000 and 60,000 rows, 3 kills, by default;
the slow one: 200,000 rows, 10 kills, with ``pytest -m slow``); each time the registry
passes ``integrity_check``, keeps its schema, and holds every row of the import or none.
A stream of edits is killed the same way: every edit is whole (its audit row, its history
rows and the changed value together) or absent.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing, suppress
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import valid_cccd

from tanhung_cli import branches
from tanhung_cli.db import open_db

FAMILY = "Nguyễn Trần Lê Phạm Huỳnh Thạch Sơn Kim Danh Lâm".split()
MIDDLE = "Văn Thị Hữu Minh Ngọc Thanh Quốc Bảo Đức Hoàng".split()
GIVEN = "An Bình Chi Dũng Hà Hùng Lan Mai Nam Sa".split()
HEADER = ["Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Chi bộ", "Ngày vào Đảng",
          "Ngày chính thức", "Số CCCD"]  # fmt: skip


def write_member_file(path: Path, rows: int) -> None:
    """``rows`` distinct people (unique CCCD, name and birth date), quickly."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for i in range(rows):
            k, rest = divmod(i, 13_440)
            day, month, year = 1 + rest % 28, 1 + rest // 28 % 12, 1950 + rest // 336
            writer.writerow(
                (
                    f"{FAMILY[k % 10]} {MIDDLE[k // 10 % 10]} {GIVEN[k // 100 % 10]}",
                    "Nữ" if i % 2 else "Nam",
                    f"{day:02d}/{month:02d}/{year}",
                    "Khmer" if i % 3 == 0 else "Kinh",
                    "Ấp Chợ",
                    f"{day:02d}/{month:02d}/{year + 25}",
                    f"{day:02d}/{month:02d}/{year + 26}",
                    valid_cccd(i, bool(i % 2), year),
                )
            )


def base_registry(path: Path) -> None:
    conn = open_db(path)
    branches.add_branch(conn, "Ấp Chợ")
    conn.close()


def schema(path: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(path)) as c:
        return c.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()


def start(args: list[str], scratch: Path | None = None) -> subprocess.Popen[bytes]:
    """A `tanhung` run in its own process group, so that a kill takes its workers too.

    ``scratch``: the temporary folder a large import stages its checked rows in.
    """
    env = {**os.environ, "TMPDIR": str(scratch)} if scratch else None
    return subprocess.Popen(
        [sys.executable, "-m", "tanhung_cli", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env=env,
    )


def kill(process: subprocess.Popen[bytes]) -> bool:
    """SIGKILL the run and its workers; say whether it was still running."""
    running = process.poll() is None
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return running


@dataclass
class Survived:
    kills: int = 0
    whole: int = 0  # the import had committed: all rows there
    none: int = 0  # killed before the commit: no row there
    moments: list[float] = field(default_factory=list)


def check_all_or_none(
    path: Path, rows: int, expected_schema: list[tuple[str, str]], runs: int = 1
) -> bool:
    """The registry after a kill: sound, same schema, all of the import or none of it.

    ``runs`` imports of the same file may have completed: the later ones add nobody.
    """
    with closing(sqlite3.connect(path)) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert c.execute("PRAGMA foreign_key_check").fetchall() == []
        members = c.execute("SELECT count(*) FROM members").fetchone()[0]
        events = c.execute("SELECT count(*) FROM events").fetchone()[0]
        imports = c.execute("SELECT count(*) FROM audit WHERE action = 'import'").fetchone()[0]
    assert schema(path) == expected_schema  # indexes dropped for the import came back
    assert (members, events) in ((0, 0), (rows, rows)), (members, events)
    assert (1 <= imports <= runs) if members else imports == 0, imports
    return members == rows


def crash_imports(tmp_path: Path, rows: int, kills: int, seed: int) -> Survived:
    source = tmp_path / "members.csv"
    write_member_file(source, rows)
    base = tmp_path / "base.db"
    base_registry(base)
    expected_schema = schema(base)

    # One run to the end: every row arrives, and it says how long a run lasts.
    reference = tmp_path / "reference.db"
    shutil.copyfile(base, reference)
    began = time.monotonic()
    done = start(["--db", str(reference), "import", "members", str(source)])
    assert done.wait(timeout=600) == 0, done.stderr.read() if done.stderr else ""
    duration = time.monotonic() - began
    assert check_all_or_none(reference, rows, expected_schema)

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    rng = random.Random(seed)
    survived = Survived()
    target = tmp_path / "killed.db"
    for n in range(kills):
        for side in ("", "-wal", "-shm"):
            Path(f"{target}{side}").unlink(missing_ok=True)
        shutil.copyfile(base, target)
        # One moment in each slice of the run, so that kills fall early, midway and late.
        moment = duration * (n + rng.random()) / kills
        process = start(["--db", str(target), "import", "members", str(source)], scratch)
        time.sleep(moment)
        kill(process)
        survived.kills += 1
        survived.moments.append(round(moment, 2))
        if check_all_or_none(target, rows, expected_schema):
            survived.whole += 1
        else:
            survived.none += 1
    # The file a kill left behind takes the same import again: whole, nobody twice.
    again = start(["--db", str(target), "import", "members", str(source)], scratch)
    assert again.wait(timeout=600) == 0
    assert check_all_or_none(target, rows, expected_schema, runs=2)
    # The scratch files of the killed runs (personal data) went with the next import.
    assert list(scratch.iterdir()) == []
    print(
        f"\n{rows} rows, {kills} kills at {survived.moments} s of a {duration:.1f} s import:"
        f" {survived.whole} whole, {survived.none} none, nothing half-written"
    )
    return survived


@pytest.mark.parametrize("rows", [20_000, 60_000])
def test_killed_imports_leave_all_or_none(tmp_path: Path, rows: int) -> None:
    """20,000 rows load in one process; 60,000 (over 4 MB) are checked in worker processes
    and loaded in bulk: without indexes, with a rollback journal instead of the WAL."""
    survived = crash_imports(tmp_path, rows=rows, kills=3, seed=19052016)
    assert survived.kills == 3


@pytest.mark.slow
def test_killed_imports_of_200000_rows_leave_all_or_none(tmp_path: Path) -> None:
    survived = crash_imports(tmp_path, rows=200_000, kills=10, seed=2091945)
    assert survived.kills == 10


EDITOR = """
import functools, itertools, sys
import typer
import tanhung_cli.cli as cli
from tanhung_cli.cli import app

cli.load_command = functools.cache(cli.load_command)  # built once, as in one process
command = typer.main.get_command(app)
for n in itertools.count():
    member = str(1 + n % 20)
    args = ["--db", sys.argv[1], "member", "edit", member, "--phone", f"09{n:08d}",
            "--note", f"lần sửa {n}", "--remark", f"sửa {n}"]
    try:
        command.main(args, prog_name="tanhung", standalone_mode=False)
    except SystemExit:
        pass
"""


def check_edits_whole(path: Path) -> int:
    """Every edit recorded is whole; return how many were recorded."""
    with closing(sqlite3.connect(path)) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert c.execute("PRAGMA foreign_key_check").fetchall() == []
        edits = c.execute("SELECT id FROM audit WHERE action = 'edit'").fetchall()
        for (audit_id,) in edits:
            fields = {
                row[0]
                for row in c.execute("SELECT field FROM events WHERE audit_id = ?", (audit_id,))
            }
            assert fields == {"phone", "note"}, (audit_id, fields)
        # The stored values are those of each member's last recorded edit.
        for member_id, phone, note in c.execute("SELECT id, phone, note FROM members"):
            last = dict(
                c.execute(
                    "SELECT field, new FROM events WHERE member_id = ? AND kind = 'edited'"
                    " ORDER BY id",
                    (member_id,),
                ).fetchall()
            )
            assert (phone, note) == (last.get("phone"), last.get("note"))
        return len(edits)


def test_killed_edits_are_whole_or_absent(tmp_path: Path) -> None:
    path = tmp_path / "edits.db"
    base_registry(path)
    source = tmp_path / "twenty.csv"
    write_member_file(source, 20)
    assert start(["--db", str(path), "import", "members", str(source)]).wait(timeout=60) == 0
    rng = random.Random(7111930)
    recorded = []
    for _ in range(3):
        editor = subprocess.Popen(
            [sys.executable, "-c", EDITOR, str(path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        time.sleep(0.5 + 0.6 * rng.random())
        assert kill(editor), editor.stderr.read() if editor.stderr else ""
        recorded.append(check_edits_whole(path))
    assert recorded == sorted(recorded) and recorded[-1] > 0
    print(f"\n3 kills during {recorded[-1]} edits: each edit whole or absent")


def test_killed_restores_leave_the_old_registry_or_the_new(tmp_path: Path) -> None:
    """A restore is killed at random moments: the registry is the one before or the backup."""
    source = tmp_path / "members.csv"
    write_member_file(source, 3_000)
    template = tmp_path / "template.db"
    base_registry(template)
    assert start(["--db", str(template), "import", "members", str(source)]).wait(60) == 0
    copy = tmp_path / "backup.db"
    small = tmp_path / "small.db"
    base_registry(small)
    assert start(["--db", str(small), "backup", str(copy)]).wait(60) == 0
    live = tmp_path / "live.db"

    def fresh() -> None:
        for stale in tmp_path.glob("live*"):
            stale.unlink()
        shutil.copyfile(template, live)

    fresh()
    began = time.monotonic()
    assert start(["--db", str(live), "restore", str(copy)]).wait(60) == 0
    duration = time.monotonic() - began
    rng = random.Random(1945)
    outcomes = []
    for n in range(3):
        fresh()
        process = start(["--db", str(live), "restore", str(copy)])
        time.sleep(duration * (n + rng.random()) / 3)
        kill(process)
        with closing(sqlite3.connect(live)) as c:
            assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            members = c.execute("SELECT count(*) FROM members").fetchone()[0]
            events = c.execute("SELECT count(*) FROM events").fetchone()[0]
        assert (members, events) in ((3_000, 3_000), (0, 0)), (members, events)
        outcomes.append("before" if members else "backup")
        # A before-restore copy, when there is one, is whole: never a half-written file.
        for saved in tmp_path.glob("live.before-restore.*"):
            with closing(sqlite3.connect(saved)) as c:
                assert c.execute("SELECT count(*) FROM members").fetchone()[0] == 3_000
    print(f"\n3 restores killed at random moments: {outcomes}, nothing mixed")
