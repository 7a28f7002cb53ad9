"""SIGTERM and Ctrl-C during a large import (issue #10, item 11): every process stops
quietly, the staging folder goes, the registry holds all of the import or none of it, and
the command says one line and exits 143 (SIGTERM) or 130 (SIGINT).

Before, SIGTERM ended the main process on the spot: its staging folder stayed, and its
workers, their parent gone, printed a `BrokenPipeError` traceback each. The import runs
in a process of its own, forced onto the worker path with small blocks.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_scenario_crash import base_registry, check_all_or_none, schema, write_member_file

from tanhung_cli.i18n import t

pytestmark = pytest.mark.skipif(
    (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods(),
    reason="a large import checks in worker processes only with fork and two cores",
)
ROWS = 20_000
KILLS = 5
# The import, forced onto the worker path in blocks of 16 KB (~150 rows): ~130 blocks.
RUNNER = """
import sys
from tanhung_cli.importer import machinery, staging
machinery.PARALLEL_BYTES = 0
staging.BLOCK_BYTES = 16 << 10
from tanhung_cli.cli import main
sys.argv = ["tanhung", *sys.argv[1:]]
main()
"""


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    db, people, scratch = tmp_path / "tanhung.db", tmp_path / "ds.csv", tmp_path / "tmp"
    base_registry(db)
    write_member_file(people, ROWS)
    scratch.mkdir()
    return db, people, scratch


def start(db: Path, people: Path, scratch: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "TMPDIR": str(scratch), "TANHUNG_LANG": "vi", "PYTHONFAULTHANDLER": "1"}
    return subprocess.Popen(
        [sys.executable, "-c", RUNNER, "--db", str(db), "import", "members", str(people)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own group: a signal to the group reaches the workers
        env=env,
    )


def staging_started(process: subprocess.Popen[str], scratch: Path) -> bool:
    """Wait until a worker has staged a block (False: the import ended first)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if any(scratch.glob("tanhung-import-*/w*.db")):
            return True
        time.sleep(0.01)
    return False


def finish(process: subprocess.Popen[str]) -> str:
    """Its stderr, once every process holding it (the workers too) has let it go."""
    try:
        _, stderr = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:  # a hang: fail with every process's stack, and
        os.killpg(process.pid, signal.SIGABRT)  # leave none behind (faulthandler dumps)
        try:
            _, stacks = process.communicate(timeout=10)
        finally:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
        raise AssertionError(f"the import hung; its processes' stacks:\n{stacks}") from None
    return stderr


def members(db: Path) -> int:
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(db)) as c:
        return int(c.execute("SELECT count(*) FROM members").fetchone()[0])


@pytest.mark.parametrize(
    ("signum", "to_group"),
    [(signal.SIGTERM, False), (signal.SIGTERM, True), (signal.SIGINT, True)],
    ids=["SIGTERM to the main process", "SIGTERM to all", "Ctrl-C"],
)
def test_a_signal_while_checking_stops_every_process_quietly(
    setup: tuple[Path, Path, Path], signum: int, to_group: bool
) -> None:
    db, people, scratch = setup
    process = start(db, people, scratch)
    assert staging_started(process, scratch), finish(process)
    (os.killpg if to_group else os.kill)(process.pid, signum)
    stderr = finish(process)
    assert "Traceback" not in stderr and "Error" not in stderr, stderr
    assert stderr == t("bounds.stopped", signal=signal.Signals(signum).name) + "\n"
    assert process.returncode == 128 + signum
    assert list(scratch.iterdir()) == []  # the staging folder is gone
    assert members(db) == 0


def test_sigterm_at_random_moments_leaves_all_or_nothing(setup: tuple[Path, Path, Path]) -> None:
    """Killed while checking or while writing: each time one line or none, and the
    registry sound with every row of the import or none."""
    db, people, scratch = setup
    expected = schema(db)
    rng = random.Random(11)
    outcomes = []
    for kill in range(KILLS):
        process = start(db, people, scratch)
        started = staging_started(process, scratch)
        time.sleep(rng.uniform(0, 0.6) if kill else 0)  # the first surely while checking
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
        stderr = finish(process)
        assert "Traceback" not in stderr, stderr
        # -15: the default handler, before the command started or after it ended.
        assert process.returncode in (0, 143, -15), (process.returncode, stderr)
        if process.returncode == 143:
            assert stderr.endswith(t("bounds.stopped", signal="SIGTERM") + "\n"), stderr
        if process.returncode == -15:
            assert stderr == "", stderr
        assert list(scratch.iterdir()) == []
        whole = check_all_or_none(db, ROWS, expected, runs=KILLS)
        outcomes.append((started, process.returncode, whole))
    assert any(code == 143 for _, code, _ in outcomes), outcomes
