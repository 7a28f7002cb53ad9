"""Benchmark `tanhung merge` of two registries of N members each (default 100,000) against
the sqlite3 command-line tool copying the members tables the same way, in the same run.

Builds two commune registries (rows generated inside SQLite): N members each in 10
branches of their own, one history entry (and its audit row) per member, every member
with a CCCD, card and file number; ``--shared`` of them (default 1,000) moved from the
first commune to the second (transferred out in 2021, in a fortnight later), so that the
merge matches them into one member with two periods. Then times:

- ``tanhung merge A.db B.db --into NEW.db`` (a fresh process, every table, the audit
  trail, the origins, the checks);
- ``sqlite3`` on a copy of an empty registry: ``ATTACH`` both files and
  ``INSERT INTO members SELECT …`` from each (the second renumbered), the bare copy of
  the members table a database clerk would type.

Prints the median of several runs of each and their ratio (no target: issue #17 asks for
the ratio in the notes), and checks the merged file's member count.

    python bench/merge_bench.py [-n 100000] [--runs 3] [--shared 1000]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

from benchlib import timed

MEMBERS_SQL = """
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)
INSERT INTO members (id, full_name, name_key, sort_key, gender, birth_date, ethnicity,
                     branch_id, admitted_on, official_on, joined_roll_on, presence,
                     national_id, card_no, file_no, created_at, updated_at)
SELECT i, :family || ' Văn ' || i, :key || ' van ' || i, printf('%09d', i), 'male', '1970-01-01',
       '01', 1 + i % 10, '2000-01-01', '2001-01-01', '2000-01-01', 'regular',
       printf('0840700%05d', :base + i), printf('%08d', :base + i), printf('LL%07d', :base + i),
       '2020-07-01T00:00:00', '2020-07-01T00:00:00'
FROM n
"""
AUDIT_SQL = """
INSERT INTO audit (id, at, clerk, command, action, entity, entity_id, detail)
VALUES (1, '2020-07-01T00:00:00', 'bench', 'tanhung import members', 'import', 'members',
        NULL, '{"rows": 1}')
"""
EVENTS_SQL = """
INSERT INTO events (member_id, on_date, kind, audit_id)
SELECT id, admitted_on, 'admitted', 1 FROM members ORDER BY id
"""


def build(path: Path, count: int, base: int, prefix: str, family: str = "Nguyễn") -> None:
    from tanhung_cli.branches import branch_key
    from tanhung_cli.db import open_db

    conn = open_db(path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    names = [f"Ấp {prefix} {i}" for i in range(1, 11)]
    conn.executemany(
        "INSERT INTO branches (id, name, name_key, kind) VALUES (?, ?, ?, 'hamlet')",
        [(i, name, branch_key(name)) for i, name in enumerate(names, 1)],
    )
    from tanhung_cli.vietnamese import fold

    params = {"count": count, "base": base, "family": family, "key": fold(family)}
    conn.execute(MEMBERS_SQL, params)
    conn.execute(AUDIT_SQL)
    conn.execute(EVENTS_SQL)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def share(a: Path, b: Path, count: int, shared: int) -> None:
    """The last ``shared`` members of A moved to B: B's first ones get their numbers."""
    with closing(sqlite3.connect(a)) as ca, ca:
        ca.execute(
            "UPDATE members SET left_on = '2021-03-01', left_reason = 'transferred' WHERE id > ?",
            (count - shared,),
        )
    with closing(sqlite3.connect(b)) as cb, cb:
        cb.execute(f"ATTACH DATABASE '{a}' AS a")
        cb.execute(
            "UPDATE members SET (full_name, name_key, sort_key, national_id, card_no, file_no,"
            " joined_roll_on) = (SELECT o.full_name, o.name_key, o.sort_key, o.national_id,"
            " o.card_no, o.file_no, '2021-03-15' FROM a.members o"
            " WHERE o.id = members.id + :offset) WHERE id <= :shared",
            {"offset": count - shared, "shared": shared},
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("-n", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shared", type=int, default=1_000)
    args = parser.parse_args()
    if shutil.which("sqlite3") is None:
        print("the sqlite3 command-line tool is needed", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="tanhung-bench-"))
    try:
        a, b, empty = folder / "xa-a.db", folder / "xa-b.db", folder / "empty.db"
        start = time.perf_counter()
        build(a, args.n, 0, "Đông")
        build(b, args.n, args.n, "Tây", "Trần")
        share(a, b, args.n, args.shared)
        build(empty, 0, 0, "Rỗng")
        with closing(sqlite3.connect(empty)) as c, c:
            c.execute("DELETE FROM members")
        print(
            f"built two registries of {args.n:,} members ({args.shared:,} shared)"
            f" in {time.perf_counter() - start:.1f} s"
        )
        columns = ", ".join(
            row[1] for row in sqlite3.connect(a).execute("PRAGMA table_info(members)")
        )
        renumbered = columns.replace("id,", f"id + {args.n},", 1)
        raw_sql = (
            f"ATTACH '{a}' AS a; ATTACH '{b}' AS b; BEGIN;"
            f" INSERT INTO members ({columns}) SELECT {columns} FROM a.members;"
            f" INSERT INTO members ({columns}) SELECT {renumbered} FROM b.members"
            f" WHERE id > {args.shared}; COMMIT;"
        )
        ours, theirs = [], []
        for run in range(args.runs):
            target = folder / f"new-{run}.db"
            seconds, _ = timed(
                [
                    sys.executable,
                    "-m",
                    "tanhung_cli",
                    "merge",
                    str(a),
                    str(b),
                    "--into",
                    str(target),
                ]
            )
            ours.append(seconds)
            with closing(sqlite3.connect(target)) as c:
                merged = c.execute("SELECT count(*) FROM members").fetchone()[0]
                spells = c.execute("SELECT count(*) FROM past_spells").fetchone()[0]
            assert (merged, spells) == (2 * args.n - args.shared, args.shared), (merged, spells)
            copy = folder / f"raw-{run}.db"
            shutil.copy(empty, copy)
            seconds, _ = timed(["sqlite3", str(copy)], raw_sql)
            theirs.append(seconds)
        ours_s, theirs_s = statistics.median(ours), statistics.median(theirs)
        print(
            f"tanhung merge: {ours_s:.2f} s (median of {args.runs}): {merged:,} members,"
            f" {spells:,} with two periods"
        )
        print(f"sqlite3 ATTACH + INSERT ... SELECT of members: {theirs_s:.2f} s")
        print(f"ratio: {ours_s / theirs_s:.2f}")
        return 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
