"""Benchmark `tanhung report activity` at 1,000,000 attendances against the same aggregates
run by the `sqlite3` command-line tool.

Builds a registry (the schema from ``open_db``, rows generated inside SQLite) with
20,000 members in 10 branches, each branch's regular monthly meetings and the
committee's quarterly briefings over the term, and N attendances (default 1,000,000:
90 % present, 6 % excused, 4 % absent), then, in the same run, times:

- ``tanhung --db FILE report activity --term 2015-2020 --format json`` (a fresh process);
- ``sqlite3`` running the GROUP BY queries a database clerk would type for the same
  figures (meetings and guests, marks by status, distinct members present: by kind, by
  holder, in all).

Prints the median of several runs of each and their ratio, and checks that both give the
same numbers. Target: ratio <= 1.5. Exits 1 when it is missed.

    python bench/activity_bench.py [-n 1000000] [--runs 5] [--keep FILE]
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
from pathlib import Path

from benchlib import arguments, prepared, timed

TERM = ("2015-2020", "2015-07-01", "2020-06-30")
BRANCHES = ["Ấp Chợ", "Ấp Nhứt", "Ấp Nhì", "Ấp Sáu", "Ấp Te Te 1", "Ấp Te Te 2",
            "Ấp Phụng Sa", "Ấp Trung Tiến", "Trường THCS", "Trạm Y tế"]  # fmt: skip
MEMBERS = 20_000

MEMBERS_SQL = """
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)
INSERT INTO members (id, full_name, name_key, sort_key, gender, birth_date, ethnicity,
                     branch_id, admitted_on, official_on, joined_roll_on, presence,
                     created_at, updated_at)
SELECT i, 'Nguyễn Văn ' || i, 'nguyen van ' || i, printf('%09d', i), 'male', '1970-01-01',
       '01', 1 + i % :branches, '2000-01-01', '2001-01-01', '2000-01-01', 'regular',
       '2020-07-01T00:00:00', '2020-07-01T00:00:00'
FROM n
"""
# Each branch's regular meeting on the 5th of every month of the term; the committee's
# briefing on the 15th of every third month.
MEETINGS_SQL = """
WITH RECURSIVE m(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM m WHERE k < 59),
b(id) AS (SELECT id FROM branches)
INSERT INTO meetings (on_date, kind, title, branch_id, guests, created_at)
SELECT date('2015-07-05', '+' || k || ' months'), 'regular', 'Sinh hoạt', b.id, 0, ''
  FROM m, b
UNION ALL
SELECT date('2015-07-15', '+' || k || ' months'), 'briefing', 'Giao ban', NULL, 3, ''
  FROM m WHERE k % 3 = 0
"""
# A branch meeting's attendees are its branch's members; a briefing's, one member in ten.
ATTENDANCE_SQL = """
INSERT INTO attendance (meeting_id, member_id, status, reason)
SELECT g.id, m.id,
       CASE WHEN (m.id * 7 + g.id * 13) % 100 < 90 THEN 'present'
            WHEN (m.id * 7 + g.id * 13) % 100 < 96 THEN 'excused' ELSE 'absent' END,
       NULL
  FROM meetings g JOIN members m
    ON (g.branch_id IS NOT NULL AND m.branch_id = g.branch_id)
    OR (g.branch_id IS NULL AND m.id % 10 = 0)
 ORDER BY g.id, m.id
 LIMIT :count
"""

PERIOD = f"g.on_date BETWEEN '{TERM[1]}' AND '{TERM[2]}'"
# What a database clerk would type at the sqlite3 prompt for the same figures.
RAW_QUERIES = f"""
.mode list
SELECT 'meetings', g.kind, ifnull(g.branch_id, 0), count(*), sum(g.guests) FROM meetings g
 WHERE {PERIOD} GROUP BY 2, 3;
SELECT 'marks', g.kind, ifnull(g.branch_id, 0), a.status, count(*)
  FROM meetings g JOIN attendance a ON a.meeting_id = g.id WHERE {PERIOD} GROUP BY 2, 3, 4;
SELECT 'people_kind', g.kind, count(DISTINCT a.member_id) FROM meetings g
  JOIN attendance a ON a.meeting_id = g.id WHERE {PERIOD} AND a.status = 'present' GROUP BY 2;
SELECT 'people_holder', ifnull(g.branch_id, 0), count(DISTINCT a.member_id) FROM meetings g
  JOIN attendance a ON a.meeting_id = g.id WHERE {PERIOD} AND a.status = 'present' GROUP BY 2;
SELECT 'people', count(DISTINCT a.member_id) FROM meetings g
  JOIN attendance a ON a.meeting_id = g.id WHERE {PERIOD} AND a.status = 'present';
SELECT 'present', count(*) FROM meetings g JOIN attendance a ON a.meeting_id = g.id
 WHERE {PERIOD} AND a.status = 'present';
"""


def build(path: Path, count: int) -> None:
    from tanhung_cli.branches import branch_key
    from tanhung_cli.db import open_db

    conn = open_db(path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -262144")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO branches (id, name, name_key, kind) VALUES (?, ?, ?, ?)",
        [(i, name, branch_key(name), "hamlet" if name.startswith("Ấp") else "sector")
         for i, name in enumerate(BRANCHES, 1)],
    )  # fmt: skip
    conn.execute(MEMBERS_SQL, {"count": MEMBERS, "branches": len(BRANCHES)})
    conn.execute(MEETINGS_SQL)
    conn.execute(ATTENDANCE_SQL, {"count": count})
    conn.execute("INSERT INTO terms (id, name, start_on, end_on) VALUES (1, ?, ?, ?)", TERM)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def main() -> int:
    args = arguments(__doc__ or "", "attendances", 1_000_000)
    path, folder = prepared(args, build, "attendances", "activity.db")
    try:
        report = [sys.executable, "-m", "tanhung_cli", "--db", str(path), "report", "activity",
                  "--term", TERM[0], "--format", "json"]  # fmt: skip
        raw = ["sqlite3", "-readonly", str(path)]
        timed(report), timed(raw, RAW_QUERIES)  # warm the page cache
        ours, theirs = [], []
        for _ in range(args.runs):
            seconds, out = timed(report)
            ours.append(seconds)
            seconds, raw_out = timed(raw, RAW_QUERIES)
            theirs.append(seconds)
        data = json.loads(out)
        lines = [line.split("|") for line in raw_out.splitlines()]
        people = next(int(r[1]) for r in lines if r[0] == "people")
        present = next(int(r[1]) for r in lines if r[0] == "present")
        marks = sum(int(r[4]) for r in lines if r[0] == "marks")
        total = data["total"]
        assert (total["members"], total["attendances"]) == (people, present), (total, lines)
        assert total["attendances"] + total["excused"] + total["absent"] == marks
        report_s, raw_s = statistics.median(ours), statistics.median(theirs)
        ratio = report_s / raw_s
        print(f"{marks:,} attendances marked in {total['meetings']:,} meetings; "
              f"{present:,} present, {people:,} members")  # fmt: skip
        print(f"tanhung report activity: {report_s * 1000:.0f} ms (median of {args.runs})")
        print(f"sqlite3 GROUP BY queries: {raw_s * 1000:.0f} ms (median of {args.runs})")
        print(f"ratio: {ratio:.2f} (target <= 1.5)")
        return 0 if ratio <= 1.5 else 1
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
