"""Two clerks at once: several processes writing one registry file all succeed.

Four processes each add 200 members through the command line (each `member add` opens
its own connection, as a separate `tanhung` run would) while a fifth imports 5,000 more.
Afterwards all 5,800 are there, each once, with its history and audit rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from conftest import valid_cccd

from tanhung_cli import backup, branches
from tanhung_cli.db import open_db

CLERKS = 4
ADDS_PER_CLERK = 200
IMPORTED = 5_000
FAMILY = "Nguyễn Trần Lê Phạm Huỳnh Thạch Sơn Kim Danh Lâm".split()
MIDDLE = "Văn Thị Hữu Minh Ngọc Thanh Quốc Bảo Đức Hoàng".split()
GIVEN = "An Bình Chi Dũng Hà Hùng Lan Mai Nam Sa".split()


def person(i: int) -> dict[str, str]:
    """The i-th of many distinct people: unique CCCD, unique name and birth date."""
    k, day = divmod(i, 15_000)
    born = dt.date(1950, 1, 1) + dt.timedelta(days=day)
    admitted = born.replace(year=born.year + 25, day=min(born.day, 28))
    return {
        "full_name": f"{FAMILY[k % 10]} {MIDDLE[k // 10 % 10]} {GIVEN[k // 100 % 10]}",
        "gender": "Nữ" if i % 2 else "Nam",
        "birth_date": born.strftime("%d/%m/%Y"),
        "ethnicity": "Khmer" if i % 3 == 0 else "Kinh",
        "branch": "Ấp Chợ",
        "admitted_on": admitted.strftime("%d/%m/%Y"),
        "official_on": admitted.replace(year=admitted.year + 1).strftime("%d/%m/%Y"),
        "national_id": valid_cccd(i, bool(i % 2), born.year),
    }


HEADERS = {
    "full_name": "Họ và tên",
    "gender": "Giới tính",
    "birth_date": "Ngày sinh",
    "ethnicity": "Dân tộc",
    "branch": "Chi bộ",
    "admitted_on": "Ngày vào Đảng",
    "official_on": "Ngày chính thức",
    "national_id": "Số CCCD",
}


def write_member_file(path: Path, indexes: range) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS.values())
        writer.writerows([person(i)[k] for k in HEADERS] for i in indexes)


CLERK = """
import sys
import typer
sys.path.insert(0, sys.argv[1])
from test_scenario_concurrency import person
import functools
import tanhung_cli.cli as cli
from tanhung_cli.cli import app

db, start, count = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
# Commands built once, as one `tanhung` process builds them; each run below still parses
# its options and opens its own connection to the registry.
cli.load_command = functools.cache(cli.load_command)
command = typer.main.get_command(app)
failed = 0
for i in range(start, start + count):
    p = person(i)
    args = [
        "--db", db, "--clerk", f"clerk-{start}", "member", "add", "--name", p["full_name"],
        "--gender", p["gender"], "--born", p["birth_date"], "--ethnicity", p["ethnicity"],
        "--branch", p["branch"], "--admitted", p["admitted_on"], "--official", p["official_on"],
        "--cccd", p["national_id"],
    ]
    try:
        code = command.main(args, prog_name="tanhung", standalone_mode=False)
    except SystemExit as exc:
        code = exc.code
    if code:
        failed += 1
        print(i, "exit", code, file=sys.stderr)
sys.exit(1 if failed else 0)
"""


def test_four_clerks_and_an_import_at_once(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    conn = open_db(path)
    branches.add_branch(conn, "Ấp Chợ")
    conn.close()
    source = tmp_path / "five-thousand.csv"
    write_member_file(source, range(IMPORTED))
    env = {**os.environ, "TANHUNG_LANG": "en"}
    tests = str(Path(__file__).parent)
    started = time.monotonic()
    clerks = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                CLERK,
                tests,
                str(path),
                str(100_000 + n * 1000),
                str(ADDS_PER_CLERK),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n in range(CLERKS)
    ]
    # The import starts once the clerks are adding (a fixed pause was not enough on a
    # loaded machine, where the clerks took longer to start than the import).
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with closing(sqlite3.connect(path, timeout=30)) as c:
            if c.execute("SELECT count(*) FROM members").fetchone()[0] > 0:
                break
        time.sleep(0.05)
    importer = subprocess.Popen(
        [sys.executable, "-m", "tanhung_cli", "--db", str(path), "import", "members", str(source)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    # A clerk backs up meanwhile: each copy is a consistent snapshot of the busy registry.
    copies = []
    conn = open_db(path)
    try:
        while importer.poll() is None or any(p.poll() is None for p in clerks):
            copies.append(backup.backup(conn, path, tmp_path / f"copy-{len(copies)}.db"))
            time.sleep(1.0)
    finally:
        conn.close()
    outcomes = [p.communicate(timeout=300) for p in [*clerks, importer]]
    elapsed = time.monotonic() - started
    codes = [p.returncode for p in [*clerks, importer]]
    assert codes == [0] * (CLERKS + 1), outcomes
    assert "locked" not in "".join(out + err for out, err in outcomes)
    assert f"added {IMPORTED}" in outcomes[-1][0] + outcomes[-1][1]

    expected = {person(i)["national_id"] for i in range(IMPORTED)} | {
        person(100_000 + n * 1000 + j)["national_id"]
        for n in range(CLERKS)
        for j in range(ADDS_PER_CLERK)
    }
    with closing(sqlite3.connect(path)) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = [r[0] for r in c.execute("SELECT national_id FROM members")]
        events = c.execute("SELECT count(*) FROM events").fetchone()[0]
        adds = c.execute(
            "SELECT clerk, count(*) FROM audit WHERE action = 'add' AND entity = 'member'"
            " GROUP BY clerk ORDER BY clerk"
        ).fetchall()
        imports = c.execute("SELECT id FROM audit WHERE action = 'import'").fetchall()
        before, after = c.execute(
            "SELECT sum(id < :i), sum(id > :i) FROM audit WHERE action = 'add' AND entity = 'member'",
            {"i": imports[0][0] if imports else 0},
        ).fetchone()
    assert len(stored) == len(set(stored)) == CLERKS * ADDS_PER_CLERK + IMPORTED == 5_800
    assert set(stored) == expected
    assert events == 5_800
    assert adds == [(f"clerk-{100_000 + n * 1000}", ADDS_PER_CLERK) for n in range(CLERKS)]
    assert len(imports) == 1
    # The writes really were interleaved: clerks added members before and after the import.
    assert before > 0 and after > 0, (before, after)
    assert copies
    for copy in copies:
        with closing(sqlite3.connect(copy.path)) as c:
            imported = c.execute(
                "SELECT count(*) FROM members WHERE substr(national_id, 7) < '100000'"
            ).fetchone()[0]
        assert imported in (0, IMPORTED)  # an import is in a copy whole or not at all
        assert copy.counts["events"] == copy.members
    print(
        f"5 processes, 5,800 members written in {elapsed:.1f} s, none lost;"
        f" {len(copies)} verified backups taken meanwhile"
    )
