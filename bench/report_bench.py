"""Benchmark `tanhung report summary` on a big roll against raw GROUP BY queries in `sqlite3`.

Builds an N-member registry (default 1,000,000) with direct SQL inserts (the schema
from ``open_db``, the rows generated inside SQLite), then, in the same run, times:

- ``tanhung --db FILE report summary --term 2015-2020 --format json`` (a fresh process);
- the ``sqlite3`` command-line tool running the equivalent GROUP BY queries on the
  same file (status, sex, ethnic group, admissions in the term, training).

Prints the median of several runs of each and their ratio, and checks that both
give the same numbers. Targets: ratio <= 1.5 and the report <= 1 s. Exits 1 when a
target is missed.

    python bench/report_bench.py [-n 1000000] [--runs 5] [--keep FILE]
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
from pathlib import Path

from benchlib import arguments, prepared, timed

AS_OF = "2020-06-30"
TERM = ("2015-2020", "2015-07-01", "2020-06-30")
BRANCHES = ["Ấp Chợ", "Ấp Nhứt", "Ấp Nhì", "Ấp Sáu", "Ấp Te Te 1", "Ấp Te Te 2",
            "Ấp Phụng Sa", "Ấp Trung Tiến", "Trường THCS", "Trạm Y tế"]  # fmt: skip

# Members: admitted 1960-2020, official 12 months later (recent ones still
# probationary), 5 % left, 1 % attending temporarily; 26 % women; 80 % Kinh,
# 18 % Khmer, 2 % Hoa. Random numbers come from SQLite's random().
# MATERIALIZED: without it SQLite draws random() again at each use of a column.
MEMBERS_SQL = """
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count),
r AS MATERIALIZED (SELECT i, abs(random()) AS x, abs(random()) AS y,
             date('1960-01-01', '+' || (abs(random()) % 22100) || ' days') AS admitted
      FROM n)
INSERT INTO members (id, full_name, name_key, sort_key, gender, birth_date, ethnicity,
                     religion, branch_id, admitted_on, official_on, card_no, national_id,
                     joined_roll_on, presence, left_on, left_reason, created_at, updated_at)
SELECT i, 'Nguyễn Văn ' || i, 'nguyen van ' || i, printf('%09d', i),
       CASE WHEN x % 100 < 26 THEN 'female' ELSE 'male' END,
       date(admitted, '-' || (6600 + y % 11000) || ' days'),
       CASE WHEN x % 50 < 40 THEN '01' WHEN x % 50 < 49 THEN '05' ELSE '06' END,
       CASE WHEN y % 10 < 7 THEN 'none' ELSE 'buddhism' END,
       1 + (x / 7) % :branches, admitted,
       CASE WHEN date(admitted, '+12 months') <= '2021-01-01' THEN date(admitted, '+12 months') END,
       CASE WHEN date(admitted, '+12 months') <= '2021-01-01' THEN printf('%08d', i) END,
       '084' || printf('%09d', i),
       admitted,
       CASE WHEN y % 100 = 7 THEN 'temporary' ELSE 'regular' END,
       CASE WHEN y % 20 = 3 THEN date(admitted, '+' || (400 + x % 9000) || ' days') END,
       CASE WHEN y % 20 = 3 THEN 'died' END,
       '2020-07-01T00:00:00', '2020-07-01T00:00:00'
FROM r
"""
COURSES_SQL = """
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)
INSERT INTO courses (id, name, name_key, kind, start_on, end_on)
SELECT i, 'Lớp ' || i, 'lop ' || i,
       CASE i % 5 WHEN 0 THEN 'new-member' WHEN 1 THEN 'theory-elementary'
            WHEN 2 THEN 'theory-intermediate' WHEN 3 THEN 'professional' ELSE 'committee' END,
       date('2010-01-01', '+' || (i * 7 % 3800) || ' days'),
       date('2010-01-01', '+' || (i * 7 % 3800 + 5) || ' days')
FROM n
"""
ENROLMENTS_SQL = """
INSERT OR IGNORE INTO enrolments (course_id, member_id, completed)
SELECT 1 + abs(random()) % :courses, id, 1 FROM members WHERE id % 3 = 0
"""

# What a database clerk would type at the sqlite3 prompt for the same figures.
# Admissions made here (a period that began with its admission, current or past) and
# training attendances in the term: the same in both query sets below.
ADMISSIONS_AND_TRAINING = f"""
SELECT count(*) FROM (SELECT admitted_on FROM members
   WHERE joined_roll_on = admitted_on AND presence = 'regular'
   UNION ALL SELECT admitted_on FROM past_spells
   WHERE joined_roll_on = admitted_on AND presence = 'regular')
 WHERE admitted_on BETWEEN '{TERM[1]}' AND '{TERM[2]}';
SELECT count(*), count(DISTINCT e.member_id) FROM enrolments e JOIN courses c
    ON c.id = e.course_id WHERE c.start_on BETWEEN '{TERM[1]}' AND '{TERM[2]}';
"""

RAW_QUERIES = f"""
.mode list
SELECT CASE WHEN official_on IS NOT NULL AND official_on <= '{AS_OF}' THEN 'official'
            ELSE 'probationary' END, count(*)
  FROM members WHERE joined_roll_on <= '{AS_OF}' AND (left_on IS NULL OR left_on > '{AS_OF}')
   AND presence = 'regular' GROUP BY 1;
SELECT gender, count(*) FROM members WHERE joined_roll_on <= '{AS_OF}'
   AND (left_on IS NULL OR left_on > '{AS_OF}') AND presence = 'regular' GROUP BY gender;
SELECT ethnicity, count(*) FROM members WHERE joined_roll_on <= '{AS_OF}'
   AND (left_on IS NULL OR left_on > '{AS_OF}') AND presence = 'regular' GROUP BY ethnicity;
{ADMISSIONS_AND_TRAINING}
"""

# The same figures in one grouped pass, as the report itself reads them (for reference).
RAW_ONE_PASS = f"""
SELECT ethnicity, gender, count(*), sum(official_on IS NOT NULL AND official_on <= '{AS_OF}')
  FROM members WHERE joined_roll_on <= '{AS_OF}' AND (left_on IS NULL OR left_on > '{AS_OF}')
   AND presence = 'regular' GROUP BY 1, 2;
{ADMISSIONS_AND_TRAINING}
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
    conn.execute(MEMBERS_SQL, {"count": count, "branches": len(BRANCHES)})
    courses = max(20, count // 2000)
    conn.execute(COURSES_SQL, {"count": courses})
    conn.execute(ENROLMENTS_SQL, {"courses": courses})
    conn.execute("INSERT INTO terms (id, name, start_on, end_on) VALUES (1, ?, ?, ?)", TERM)
    conn.execute("INSERT INTO targets (term_id, metric, value) VALUES (1, 'admissions', 39)")
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def main() -> int:
    args = arguments(__doc__ or "", "members", 1_000_000)
    path, folder = prepared(args, build, "members", "big.db")
    try:
        report = [sys.executable, "-m", "tanhung_cli", "--db", str(path), "report", "summary",
                  "--term", TERM[0], "--format", "json"]  # fmt: skip
        raw = ["sqlite3", "-readonly", str(path)]
        timed(report), timed(raw, RAW_QUERIES)  # warm the page cache
        ours, theirs, one_pass = [], [], []
        for _ in range(args.runs):
            seconds, out = timed(report)
            ours.append(seconds)
            seconds, raw_out = timed(raw, RAW_QUERIES)
            theirs.append(seconds)
            one_pass.append(timed(raw, RAW_ONE_PASS)[0])
        summary = json.loads(out)
        counts = dict(line.split("|", 1) for line in raw_out.splitlines() if "|" in line)
        members = summary["members"]
        assert int(counts["official"]) == members["official"], (counts, members)
        assert int(counts["probationary"]) == members["probationary"], (counts, members)
        assert int(counts["female"]) == members["women"], (counts, members)
        report_s, raw_s = statistics.median(ours), statistics.median(theirs)
        ratio = report_s / raw_s
        print(f"roll {members['total']:,}; admissions {summary['admissions']['in_term']:,}; "
              f"training {summary['training']['attendances']:,} attendances")  # fmt: skip
        print(f"tanhung report summary: {report_s * 1000:.0f} ms (median of {args.runs})")
        print(f"sqlite3 GROUP BY queries: {raw_s * 1000:.0f} ms (median of {args.runs})")
        print(f"ratio: {ratio:.2f} (target <= 1.5); report <= 1 s: {report_s <= 1.0}")
        best = statistics.median(one_pass)
        print(f"for reference, sqlite3 running the report's one-pass query: {best * 1000:.0f} ms"
              f" (ratio {report_s / best:.2f}; the difference is Python's start-up)")  # fmt: skip
        return 0 if ratio <= 1.5 and report_s <= 1.0 else 1
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
