"""A restore while clerks add members loses no acknowledged write (issue 10, item 2).

Clerk processes add members through the command line, each writing down the card number of
every add that exited 0. Restores run meanwhile. Afterwards every acknowledged add is in the
final registry or in one of the `before-restore` copies the restores kept: none is lost.
The restore used to snapshot the registry, then open another connection to overwrite it; a
commit in between was in neither (2 of 300 adds lost across 18 restores with 4 clerks).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tanhung_cli import backup, branches, restore
from tanhung_cli.db import open_db

# One clerk: adds members with card numbers <clerk><n:07d> until told to stop, writing down
# each card whose `member add` exited 0. Commands run in-process, each opening the registry
# anew as a separate `tanhung member add` would, without paying for Python's start each time.
CLERK = """
import functools, sys
from pathlib import Path
import typer
import tanhung_cli.cli as cli
from tanhung_cli.cli import app

cli.load_command = functools.cache(cli.load_command)
command = typer.main.get_command(app)
db, clerk, limit, stop, acked = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]), sys.argv[5]
with open(acked, "a") as out:
    for n in range(limit):
        if stop.exists():
            break
        card = f"{clerk}{n:07d}"
        args = ["--db", db, "member", "add", "--name", f"Thạch Văn {'ABCDEFGH'[clerk]}",
                "--gender", "Nam", "--born", f"{1 + n % 28:02d}/{1 + n // 28 % 12:02d}/{1970 + n // 336}",
                "--ethnicity", "Khmer", "--branch", "Ấp Chợ", "--admitted", "19/05/2010",
                "--official", "19/05/2011", "--card", card]
        try:
            code = command.main(args, prog_name="tanhung", standalone_mode=False)
        except SystemExit as exc:
            code = exc.code
        except Exception:
            code = 1
        if not code:
            out.write(card + "\\n")
            out.flush()
"""


def cards(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as c:
        return {row[0] for row in c.execute("SELECT card_no FROM members")}


def race(tmp_path: Path, clerks: int, restores: int, limit: int) -> tuple[int, int, int]:
    """Return (acknowledged adds, lost adds, restores done)."""
    live = tmp_path / "live.db"
    conn = open_db(live)
    branches.add_branch(conn, "Ấp Chợ")
    source = tmp_path / "backups" / "start.db"
    source.parent.mkdir()
    backup.backup(conn, live, source)
    conn.close()
    stop = tmp_path / "stop"
    acked = [tmp_path / f"acked-{c}.txt" for c in range(clerks)]
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", CLERK, str(live), str(c + 1), str(limit), str(stop), str(a)],
            stderr=subprocess.PIPE,
        )
        for c, a in enumerate(acked)
    ]
    done = 0
    try:
        # Wait for the clerks to be writing before the first restore.
        while not any(a.exists() and a.stat().st_size for a in acked):
            if all(w.poll() is not None for w in workers):
                break
        for _ in range(restores):
            restore.restore(live, source)
            done += 1
    finally:
        stop.touch()
        for worker in workers:
            worker.wait(timeout=300)
    for worker in workers:
        assert worker.returncode == 0, worker.stderr.read() if worker.stderr else ""
    acknowledged = set()
    for a in acked:
        acknowledged |= set(a.read_text().split()) if a.exists() else set()
    kept = cards(live)
    for saved in live.parent.glob("live.before-restore.*.db"):
        kept |= cards(saved)
    lost = acknowledged - kept
    print(f"\n{clerks} clerks, {done} restores: {len(lost)} lost of {len(acknowledged)} adds")
    return len(acknowledged), len(lost), done


def test_a_restore_loses_no_acknowledged_add(tmp_path: Path) -> None:
    acknowledged, lost, done = race(tmp_path, clerks=3, restores=10, limit=400)
    assert done == 10 and acknowledged > 0
    assert lost == 0


@pytest.mark.slow
def test_many_restores_lose_no_acknowledged_add(tmp_path: Path) -> None:
    acknowledged, lost, done = race(tmp_path, clerks=4, restores=40, limit=2000)
    assert done == 40 and acknowledged > 100
    assert lost == 0
