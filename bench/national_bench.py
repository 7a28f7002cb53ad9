"""A national roll on one file: issue #17's lines, measured against sqlite3 in the same run.

Generates N members (default 5,000,000; realistic names, random key order: the generator
of ``import_bench``), imports them with the real command, loads the same file with the
sqlite3 command-line tool, then times each clerk's command on the full registry as a
fresh process and prints one line per target of the issue (a ratio, or seconds, and the
peak memory of the whole process tree as PSS where the issue names one).

    python bench/national_bench.py -n 200000
    python bench/national_bench.py --keep /tmp/national   # reuse the csv and registry
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from import_bench import BRANCHES, _cpu, generate, run_sqlite3, run_tanhung

MB = 2**20


def _line(what: str, value: str, target: str, ok: bool) -> None:
    print(f"{what:<34} {value:<44} target {target:<16} {'ok' if ok else 'MISS'}", flush=True)


def _sqlite(db: Path, sql: str, out: Path | None = None) -> float:
    """Seconds the sqlite3 command-line tool takes to run ``sql`` on ``db``."""
    return _sqlite_cpu(db, sql, out)[0]


def _sqlite_cpu(db: Path, sql: str, out: Path | None = None) -> tuple[float, float]:
    """Seconds and CPU seconds the sqlite3 command-line tool takes to run ``sql``."""
    before = _cpu()
    start = time.perf_counter()
    with open(out or os.devnull, "w") as sink:
        subprocess.run(["sqlite3", str(db)], input=sql, text=True, check=True, stdout=sink)
    return time.perf_counter() - start, _cpu() - before


def _export_select(db: Path) -> str:
    """The columns `export members` writes, as one SELECT over the registry's tables."""
    from tanhung_cli.exporter import EXPORT_COLUMNS

    # The status is worked out from the dates: the dump writes the reason for leaving.
    known = {"branch": "b.name", "status": "m.left_reason"}
    with sqlite3.connect(db) as conn:
        table = {row[1] for row in conn.execute("PRAGMA table_info(members)")}
    conn.close()
    cols = [known.get(name, f"m.{name}" if name in table else "NULL") for name in EXPORT_COLUMNS]
    return (
        f"SELECT {', '.join(cols)} FROM members m JOIN branches b ON b.id = m.branch_id "
        "ORDER BY m.sort_key, m.id"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--rows", type=int, default=5_000_000)
    parser.add_argument("--keep", type=Path, help="a folder to build into (or reuse)")
    parser.add_argument("--skip", default="", help="steps to skip: summary,find,check,csv,xlsx…")
    opts = parser.parse_args()
    skip = set(filter(None, opts.skip.split(",")))
    # A clerk's install has its modules compiled once: so must the commands timed here.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "tanhung_cli", "--version"], check=True)
    work = opts.keep or Path(tempfile.mkdtemp(prefix="tanhung-national-"))
    work.mkdir(parents=True, exist_ok=True)
    n = opts.rows
    print(
        f"{n:,} members in {work}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        flush=True,
    )
    data, db = work / "members.csv", work / "r.db"
    if not data.exists():
        start = time.perf_counter()
        generate(data, n)
        print(f"generated in {time.perf_counter() - start:.0f} s", flush=True)
    if not db.exists():
        branches = work / "branches.csv"
        branches.write_text("Tên chi bộ,Loại\n" + "".join(f"{b},hamlet\n" for b in BRANCHES))
        run_tanhung(db, ["import", "branches", str(branches)])
        secs, tree, _, last, cpu = run_tanhung(db, ["import", "members", str(data)])
        (work / "sqlite3.db").unlink(missing_ok=True)
        base, base_cpu = run_sqlite3(data, work)
        _line(
            "import, validated, keyed",
            f"{secs:.1f} s vs .import {base:.1f} s = {secs / base:.2f}",
            "<= 1.5",
            secs / base <= 1.5,
        )
        print(f"  CPU {cpu:.1f} s vs {base_cpu:.1f} s = {cpu / base_cpu:.2f}", flush=True)
        _line(
            "import memory (tree PSS)", f"{tree[1] / MB:.0f} MB", "<= 150 MB", tree[1] <= 150 * MB
        )
        print(f"  {last}", flush=True)
    bare = sqlite3.connect(work / "sqlite3.db")
    bare_size = bare.execute("SELECT sum(pgsize) FROM dbstat WHERE name = 'm'").fetchone()[0]
    bare.close()
    size = db.stat().st_size
    _line(
        "file size",
        f"{size / MB:.0f} MiB vs bare table {bare_size / MB:.0f} MiB = {size / bare_size:.2f}",
        "<= 2",
        size <= 2 * bare_size,
    )

    def timed(what: str, args: list[str], limit: float) -> tuple[float, int]:
        # CPU beside the wall clock: on a machine shared with others the wall clock says
        # more about them than about the command.
        secs, tree, _, _, cpu = run_tanhung(db, args)
        _line(
            what,
            f"{secs:.2f} s, {cpu:.2f} s CPU (PSS {tree[1] / MB:.0f} MB)",
            f"<= {limit:g} s",
            secs <= limit,
        )
        return secs, tree[1]

    steps: list[tuple[str, list[str], float]] = [
        ("report summary", ["report", "summary", "--format", "json"], 1),
        ("report branches", ["report", "branches", "--format", "json"], 2),
        ("report composition", ["report", "composition", "--format", "json"], 2),
        ("due", ["due", "--format", "json"], 2),
        ("member find", ["member", "find", "nguyen van an", "--format", "json"], 0.3),
    ]
    for what, args, limit in steps:
        if what.split()[-1] not in skip:
            timed(what, args, limit)
    gb = _sqlite(work / "sqlite3.db", "SELECT c1, c3, count(*) FROM m GROUP BY c1, c3;")
    print(f"  (sqlite3 GROUP BY without an index on the bare table: {gb:.2f} s)")
    if "check" not in skip:
        # Exit 1 when it finds problems (the generated roll has overdue probationers).
        cpu, start = _cpu(), time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "tanhung_cli", "--db", str(db), "check"],
            capture_output=True,
            text=True,
        )
        secs, cpu = time.perf_counter() - start, _cpu() - cpu
        _line(
            "check",
            f"{secs:.1f} s, {cpu:.1f} s CPU (exit {proc.returncode})",
            "<= 30 s",
            secs <= 30,
        )
        print(f"  {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ''}")
    if "backup" not in skip:
        copy = work / "copy.db"
        start = time.perf_counter()
        shutil.copyfile(db, copy)
        os.fsync(os.open(copy, os.O_RDONLY))
        plain = time.perf_counter() - start
        copy.unlink()
        target = work / "backup.db"
        target.unlink(missing_ok=True)
        secs, _ = timed("  backup (absolute)", ["backup", str(target)], 1e9)
        _line(
            "backup",
            f"{secs:.1f} s vs copy {plain:.1f} s = {secs / plain:.2f}",
            "<= 3",
            secs <= 3 * plain,
        )
        target.unlink(missing_ok=True)
    if "export" not in skip:
        for kind in ("csv", "xlsx"):
            if kind in skip:
                continue
            # A sheet holds 1,048,576 rows: the workbook is one branch's (an eighth).
            where = "" if kind == "csv" else f"WHERE b.name = '{BRANCHES[0]}'"
            select = _export_select(db).replace("ORDER BY", f"{where} ORDER BY")
            dump, dump_cpu = _sqlite_cpu(
                db, f".mode csv\n.headers on\n{select};\n", work / "dump.csv"
            )
            out = work / f"x.{kind}"
            out.unlink(missing_ok=True)
            args = ["export", "members", "-o", str(out)]
            args += ["--branch", BRANCHES[0]] if kind == "xlsx" else []
            secs, tree, _, _, cpu = run_tanhung(db, args)
            ratio = secs / dump
            _line(
                f"export members {kind}",
                f"{secs:.1f} s ({cpu:.1f} s CPU) vs .mode csv {dump:.1f} s = {ratio:.2f}",
                "<= 2",
                ratio <= 2,
            )
            print(f"  CPU {cpu:.1f} s vs {dump_cpu:.1f} s = {cpu / dump_cpu:.2f}", flush=True)
            _line(
                f"export members {kind} memory",
                f"{tree[1] / MB:.0f} MB",
                "<= 150 MB",
                tree[1] <= 150 * MB,
            )
            out.unlink()
    print(f"load average {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
