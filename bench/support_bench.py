"""Benchmark `tanhung report support` on 100,000 loans against the same aggregates in `sqlite3`.

Builds a registry (the schema from ``open_db``) of N loans (default 100,000) over
N / 10 members, 14 funds (10 of them branches' revolving funds, with capital) and
repayments of most loans, generated inside SQLite as `report_bench.py` does, then, in
the same run, times:

- ``tanhung --db FILE report support --term 2015-2020 --format json`` (a fresh process),
  and the same report's queries in this process (``reports_support.report``);
- the ``sqlite3`` command-line tool running the equivalent aggregates on the same file
  (totals, by kind of fund, by fund, by branch, revolving funds' balances): the whole
  process, and the statements alone (``.timer on``).

Both sides answer the same numbers (checked). The target is the report's queries within
1.5x of the statements in sqlite3; the whole-process ratio is printed too (at this size
it is mostly Python's start-up, which `startup_bench.py` holds). Exits 1 when missed.

    python bench/support_bench.py [-n 100000] [--runs 5] [--keep FILE]
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import arguments, prepared, timed  # noqa: E402
from report_bench import BRANCHES, MEMBERS_SQL, TERM  # noqa: E402

FUNDS_SQL = """
INSERT INTO funds (id, name, name_key, kind, branch_id, revolving) VALUES
 (1, 'Quỹ Hỗ trợ nông dân Trung ương', 'quy ho tro nong dan trung uong', 'farmers-support', NULL, 0),
 (2, 'Quỹ Hỗ trợ nông dân huyện', 'quy ho tro nong dan huyen', 'farmers-support', NULL, 0),
 (3, 'Quỹ hỗ trợ đảng viên nghèo', 'quy ho tro dang vien ngheo', 'poor-members', NULL, 0),
 (4, 'Quỹ khác', 'quy khac', 'other', NULL, 0);
WITH RECURSIVE b(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM b WHERE i < 10)
INSERT INTO funds (id, name, name_key, kind, branch_id, revolving)
SELECT 4 + i, 'Quỹ quay vòng ' || i, 'quy quay vong ' || i, 'revolving', i, 1 FROM b;
INSERT INTO fund_capital (fund_id, on_date, amount) SELECT id, '2009-12-31', 100000000000
  FROM funds WHERE revolving = 1;
"""
# Loans from 2010 to 2025 (a third inside the term), 5 to 50 million, to random members;
# a revolving fund lends to its branch's members; some are grants. The rare draw of the
# same fund, member and day twice is left out (one loan a day).
LOANS_SQL = """
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count),
r AS MATERIALIZED (SELECT i, 1 + abs(random()) % :members AS member,
       date('2010-01-01', '+' || (abs(random()) % 5840) || ' days') AS day,
       abs(random()) AS x FROM n)
INSERT OR IGNORE INTO loans (id, fund_id, member_id, branch_id, kind, amount, lent_on, due_on, repaid)
SELECT i, CASE WHEN x % 3 = 0 THEN 1 + x % 4 ELSE 4 + m.branch_id END, member, m.branch_id,
       CASE WHEN x % 3 = 0 AND x % 4 = 2 THEN 'grant' ELSE 'loan' END,
       (5 + x % 46) * 1000000, day,
       CASE WHEN x % 3 = 0 AND x % 4 = 2 THEN NULL ELSE date(day, '+12 months') END, 0
  FROM r JOIN members m ON m.id = r.member
"""
REPAYMENTS_SQL = """
INSERT INTO repayments (loan_id, paid_on, amount)
SELECT id, date(lent_on, '+6 months'), amount / 2 FROM loans WHERE kind = 'loan' AND id % 5 != 0;
UPDATE loans SET repaid = amount / 2 WHERE kind = 'loan' AND id % 5 != 0;
"""

START, STOP = TERM[1], TERM[2]
IN_TERM = f"lent_on BETWEEN '{START}' AND '{STOP}'"
# What a database clerk would type at the sqlite3 prompt for the same figures.
RAW_QUERIES = f"""
SELECT 'total', sum(amount), count(*), count(DISTINCT member_id) FROM loans WHERE {IN_TERM};
SELECT f.kind, sum(l.amount), count(*), count(DISTINCT l.member_id) FROM loans l
  JOIN funds f ON f.id = l.fund_id WHERE l.{IN_TERM} GROUP BY f.kind;
SELECT f.name, sum(l.amount), count(*), count(DISTINCT l.member_id) FROM loans l
  JOIN funds f ON f.id = l.fund_id WHERE l.{IN_TERM} GROUP BY f.id;
SELECT b.name, sum(l.amount), count(*), count(DISTINCT l.member_id) FROM loans l
  JOIN branches b ON b.id = l.branch_id WHERE l.{IN_TERM} GROUP BY b.id;
SELECT f.name, (SELECT sum(amount) FROM fund_capital c WHERE c.fund_id = f.id
                AND c.on_date <= '{STOP}'),
       (SELECT sum(amount) FROM loans l WHERE l.fund_id = f.id AND l.lent_on <= '{STOP}'),
       (SELECT sum(r.amount) FROM repayments r JOIN loans l ON l.id = r.loan_id
         WHERE l.fund_id = f.id AND r.paid_on <= '{STOP}')
  FROM funds f WHERE f.revolving = 1;
"""


def build(path: Path, count: int) -> None:
    from tanhung_cli.branches import branch_key
    from tanhung_cli.db import open_db

    conn = open_db(path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO branches (id, name, name_key, kind) VALUES (?, ?, ?, ?)",
        [(i, name, branch_key(name), "hamlet") for i, name in enumerate(BRANCHES, 1)],
    )
    members = max(1000, count // 10)
    conn.execute(MEMBERS_SQL, {"count": members, "branches": len(BRANCHES)})
    for statement in FUNDS_SQL.strip().split(";\n"):
        conn.execute(statement)
    conn.execute(LOANS_SQL, {"count": count, "members": members})
    for statement in REPAYMENTS_SQL.strip().split(";\n"):
        conn.execute(statement)
    conn.execute("INSERT INTO terms (id, name, start_on, end_on) VALUES (1, ?, ?, ?)", TERM)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def statements_time(path: Path) -> float:
    """The seconds sqlite3 reports for the statements alone (``.timer on``)."""
    done = subprocess.run(["sqlite3", "-readonly", str(path)], input=".timer on\n" + RAW_QUERIES,
                          capture_output=True, text=True, check=True)  # fmt: skip
    return sum(float(s) for s in re.findall(r"Run Time: real ([0-9.]+)", done.stdout))


def in_process(path: Path) -> tuple[float, dict[str, object]]:
    from tanhung_cli import reports_support
    from tanhung_cli.db import open_db

    conn = open_db(path, readonly=True)
    try:
        start = time.perf_counter()
        data = reports_support.report(conn, reports_support.Period(START, STOP))
        return time.perf_counter() - start, data
    finally:
        conn.close()


def main() -> int:
    args = arguments(__doc__ or "", "loans", 100_000)
    path, folder = prepared(args, build, "loans", "loans.db")
    try:
        report = [sys.executable, "-m", "tanhung_cli", "--db", str(path), "report", "support",
                  "--term", TERM[0], "--format", "json"]  # fmt: skip
        raw = ["sqlite3", "-readonly", str(path)]
        timed(report), timed(raw, RAW_QUERIES), in_process(path)  # warm the page cache
        ours, theirs, queries, statements = [], [], [], []
        for _ in range(args.runs):
            seconds, out = timed(report)
            ours.append(seconds)
            seconds, raw_out = timed(raw, RAW_QUERIES)
            theirs.append(seconds)
            seconds, data = in_process(path)
            queries.append(seconds)
            statements.append(statements_time(path))
        summary = json.loads(out)
        assert summary == json.loads(json.dumps(data)), "the process and the function differ"
        total = next(line for line in raw_out.splitlines() if line.startswith("total|"))
        amount, loans, members = map(int, total.split("|")[1:])
        assert (amount, loans, members) == (
            summary["amount_vnd"], summary["loans"], summary["members"],
        ), (total, summary)  # fmt: skip
        kinds = {k["kind"]: (k["amount_vnd"], k["loans"], k["members"]) for k in summary["by_kind"]}
        for line in raw_out.splitlines():
            kind, *figures = line.split("|")
            if kind in kinds:
                assert tuple(map(int, figures)) == kinds[kind], (line, kinds[kind])
        report_s, raw_s = statistics.median(ours), statistics.median(theirs)
        query_s, statement_s = statistics.median(queries), statistics.median(statements)
        ratio = query_s / statement_s
        print(f"in the term: {summary['loans']:,} loans, {summary['members']:,} members, "
              f"{summary['amount_vnd']:,} VND; {len(summary['balances'])} revolving funds")  # fmt: skip
        print(f"report's queries (in process): {query_s * 1000:.0f} ms; sqlite3 statements"
              f" (.timer): {statement_s * 1000:.0f} ms (medians of {args.runs})")  # fmt: skip
        print(f"ratio: {ratio:.2f} (target <= 1.5)")
        print(f"whole processes: tanhung report support {report_s * 1000:.0f} ms, sqlite3"
              f" {raw_s * 1000:.0f} ms (ratio {report_s / raw_s:.2f}; the difference is mostly"
              " Python's start-up)")  # fmt: skip
        return 0 if ratio <= 1.5 else 1
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
