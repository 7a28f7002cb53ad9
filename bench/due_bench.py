"""Benchmark `tanhung due` and the roll-at-a-date SQL on a big registry with past spells.

Builds (or reuses, with ``--keep``) the N-member registry of ``report_bench.py`` and
gives one member in 1,000 an earlier period on the roll (a re-admission), then times:

- ``tanhung --db FILE due --as-of 2020-06-30 --format json`` (a fresh process);
- the badge query again once one member in 1,000 has a gap (`gaps`), as a ratio;
- the probation and badge queries of ``tanhung_cli.due`` alone;
- counting the roll by status with ``roll.ON_ROLL``/``roll.OFFICIAL`` (which see
  past spells) against the same count on the members row alone.

    python bench/due_bench.py [-n 1000000] [--runs 3] [--keep FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from report_bench import build  # noqa: E402

AS_OF = dt.date(2020, 6, 30)
SPELLS_SQL = """
INSERT INTO past_spells (member_id, joined_roll_on, left_on, left_reason, admitted_on,
                         official_on, presence, branch_id)
SELECT id, date(admitted_on, '-3000 days'), date(admitted_on, '-1000 days'), 'resigned',
       date(admitted_on, '-3000 days'), date(admitted_on, '-2600 days'), 'regular', branch_id
FROM members WHERE id % 1000 = 0 AND NOT EXISTS (SELECT 1 FROM past_spells)
"""
# One member in 1,000 (others than those with past spells) out of contact for 101 days.
GAPS_SQL = """
INSERT INTO gaps (member_id, kind, from_on, to_on)
SELECT id, 'lost-contact', date(admitted_on, '+400 days'), date(admitted_on, '+500 days')
FROM members WHERE id % 1000 = 500 AND admitted_on < '2018' AND length(admitted_on) = 10
  AND NOT EXISTS (SELECT 1 FROM gaps)
"""
ROW_ONLY = (
    "(m.joined_roll_on <= :as_of AND (m.left_on IS NULL OR m.left_on > :as_of)"
    " AND m.presence = 'regular')"
)
ROW_OFFICIAL = "(m.official_on IS NOT NULL AND m.official_on <= :as_of)"


def best(runs: int, work) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tanhung-due-bench-"))
    path = args.keep or folder / "big.db"
    try:
        if not path.exists():
            build(path, args.n)
        with sqlite3.connect(path) as raw:
            raw.execute(SPELLS_SQL)
        from tanhung_cli import due, roll
        from tanhung_cli.db import open_db

        conn = open_db(path)
        until = AS_OF + dt.timedelta(days=120)
        counts = {}
        for name, on, official in (("members row only", ROW_ONLY, ROW_OFFICIAL),
                                   ("with past spells", roll.ON_ROLL, roll.OFFICIAL)):  # fmt: skip
            sql = f"SELECT {official}, count(*) FROM members m WHERE {on} GROUP BY 1"
            seconds = best(
                args.runs, lambda s=sql: conn.execute(s, {"as_of": str(AS_OF)}).fetchall()
            )
            counts[name] = [tuple(r) for r in conn.execute(sql, {"as_of": str(AS_OF)})]
            print(f"roll by status, {name}: {seconds * 1000:.0f} ms {counts[name]}")
        probation = best(args.runs, lambda: due.probation_due(conn, AS_OF, until))
        badges = best(args.runs, lambda: due.badges_due(conn, AS_OF, until))
        with sqlite3.connect(path) as raw:
            raw.execute(GAPS_SQL)
        gapped = best(args.runs, lambda: due.badges_due(conn, AS_OF, until))
        print(f"badges with gaps (1 in 1,000): {gapped * 1000:.0f} ms,"
              f" {gapped / badges:.2f}x without")  # fmt: skip
        lists = due.due(conn, AS_OF, 120)
        print(f"due lists: probation {probation * 1000:.0f} ms ({len(lists['probation']):,}),"
              f" badges {badges * 1000:.0f} ms ({len(lists['badges']):,})")  # fmt: skip
        from tanhung_cli import transfer_due

        returns = best(args.runs, lambda: transfer_due.returns_due(conn, AS_OF, until))
        visits = best(args.runs, lambda: transfer_due.attendance_due(conn, AS_OF, until))
        found = best(args.runs, lambda: transfer_due.findings(conn, AS_OF))
        print(f"transfers: returns {returns * 1000:.0f} ms, attendance {visits * 1000:.0f} ms,"
              f" check findings {found * 1000:.0f} ms; all {(returns + visits + found) / probation:.2f}"
              " x the probation list")  # fmt: skip
        command = [sys.executable, "-m", "tanhung_cli", "--db", str(path), "due", "--as-of",
                   str(AS_OF), "--format", "json"]  # fmt: skip
        cli = best(args.runs, lambda: subprocess.run(command, capture_output=True, check=True))
        print(f"tanhung due --format json: {cli:.2f} s (median of {args.runs})")
        return 0
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
