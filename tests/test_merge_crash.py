"""A merge killed mid-way (SIGKILL, SIGTERM) leaves the target absent or whole, never
partial, and the old files as they were (issue #17).

The new registry is built under ``.new-NEW.db.PID`` beside the target and linked into
place only when whole: a kill at any moment leaves no file under the target's name, or
the complete merged registry. Two registries of 8,000 members each, merged in a process
of their own and killed at random moments across a run's length.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing, suppress
from pathlib import Path

import pytest
from test_scenario_crash import base_registry, write_member_file
from typer.testing import CliRunner

from tanhung_cli import i18n
from tanhung_cli.cli import app

ROWS = 8_000
KILLS = 6


@pytest.fixture(scope="module")
def olds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two communes with no member in common: the second a copy of the first with other
    numbers and another branch name."""
    folder = tmp_path_factory.mktemp("olds")
    a, b, people = folder / "xa-a.db", folder / "xa-b.db", folder / "ds.csv"
    base_registry(a)
    write_member_file(people, ROWS)
    result = CliRunner().invoke(app, ["--db", str(a), "import", "members", str(people)])
    i18n.set_lang("vi")
    assert result.exit_code == 0, result.output
    shutil.copy(a, b)
    with closing(sqlite3.connect(b)) as c, c:
        c.execute("UPDATE branches SET name = 'Ấp Bến', name_key = 'ap ben'")
        c.execute(
            "UPDATE members SET national_id = '9' || substr(national_id, 2),"
            " full_name = full_name || ' B', name_key = name_key || ' b'"
        )
    return a, b


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def start(a: Path, b: Path, target: Path) -> subprocess.Popen[str]:
    """The merge in a process of its own; what it says goes to a file (a pipe nobody reads
    would stop it once full)."""
    said = target.with_name(f"{target.name}.stderr")
    return subprocess.Popen(
        [sys.executable, "-m", "tanhung_cli", "merge", str(a), str(b), "--into", str(target)],
        stdout=subprocess.DEVNULL,
        stderr=said.open("w"),
        text=True,
        start_new_session=True,
        env={**os.environ, "TANHUNG_LANG": "vi"},
    )


def whole_or_absent(target: Path) -> bool:
    if not target.exists():
        return False
    with closing(sqlite3.connect(target)) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert c.execute("SELECT count(*) FROM members").fetchone()[0] == 2 * ROWS
        assert c.execute("SELECT count(*) FROM events").fetchone()[0] == 2 * ROWS
        assert c.execute("SELECT count(*) FROM merge_sources").fetchone()[0] == 2
    return True


def test_a_kill_during_the_merge_leaves_the_target_absent_or_whole(
    olds: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = olds
    before = (digest(a), digest(b))
    reference = tmp_path / "reference.db"
    began = time.monotonic()
    done = start(a, b, reference)
    assert done.wait(timeout=600) == 0, (tmp_path / "reference.db.stderr").read_text()
    duration = time.monotonic() - began
    assert whole_or_absent(reference)
    rng = random.Random(17)
    outcomes = []
    for i in range(KILLS):
        target = tmp_path / f"new-{i}.db"
        process = start(a, b, target)
        if i == 0:  # one kill surely mid-way: as soon as the unfinished file is there
            deadline = time.monotonic() + 60
            while not list(tmp_path.glob(".new-new-0*")) and time.monotonic() < deadline:
                time.sleep(0.005)
        else:  # the others at random moments of a whole merge's time
            time.sleep(rng.uniform(0.1, 1.0) * duration)
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        outcomes.append(whole_or_absent(target))
    assert False in outcomes  # some kills landed mid-way
    assert (digest(a), digest(b)) == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert all(name.startswith(".new-new-") for name in leftovers)  # hidden, swept later


def test_sigterm_during_the_merge_removes_its_unfinished_file(
    olds: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = olds
    target = tmp_path / "new.db"
    process = start(a, b, target)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".new-*")) and time.monotonic() < deadline:
        if process.poll() is not None:
            break
        time.sleep(0.01)
    process.send_signal(signal.SIGTERM)
    code = process.wait(timeout=60)
    if code == 0:  # finished first: it is whole
        assert whole_or_absent(target)
        return
    assert code == 143
    assert not target.exists()
    assert files_in(tmp_path) == ["new.db.stderr"]


def test_a_killed_merges_unfinished_file_is_swept_by_the_next_merge(
    olds: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = olds
    target = tmp_path / "new.db"
    unfinished = tmp_path / ".new-new.db.999999"
    unfinished.write_bytes(b"half a registry")
    long_ago = time.time() - 3600
    os.utime(unfinished, (long_ago, long_ago))
    done = start(a, b, target)
    assert done.wait(timeout=600) == 0
    assert files_in(tmp_path) == ["new.db", "new.db.stderr"]


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())
