"""Benchmark `tanhung report summary` over 100 commune registries of 3,000 members each
against the same report on one registry of 300,000 members (#17), in the same run.

Builds one commune registry as `report_bench.build` does (the schema from ``open_db``,
rows generated inside SQLite) and copies it into a folder 100 times, then builds the
300,000-member baseline the same way. Times, each as a fresh process:

- ``tanhung report summary --folder DIR --term 2015-2020 --format json`` (every file read
  in place, unchanged, and added up);
- ``tanhung --db BIG report summary --term 2015-2020 --format json`` (the baseline);
- for reference, the baseline read in place (``report summary --db BIG``).

Prints the median of several runs of each and their ratio, checks that the folder's
figures are 100 times one file's. Target: ratio <= 2. Exits 1 when it is missed.

    python bench/multi_bench.py [-n 100] [--members 3000] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchlib import timed
from report_bench import TERM, build


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("-n", type=int, default=100, help="commune registries")
    parser.add_argument("--members", type=int, default=3_000, help="members in each")
    parser.add_argument("--runs", type=int, default=5)
    return parser.parse_args()


def _build(folder: Path, files: int, members: int) -> tuple[Path, Path]:
    start = time.perf_counter()
    communes = folder / "communes"
    communes.mkdir()
    one = folder / "one.db"
    build(one, members)
    for i in range(files):
        shutil.copyfile(one, communes / f"xa-{i + 1:03d}.db")
    big = folder / "big.db"
    build(big, files * members)
    print(
        f"built {files} registries of {members:,} members and one of {files * members:,}"
        f" in {time.perf_counter() - start:.1f} s"
    )
    return communes, big


def main() -> int:
    args = _arguments()
    folder = Path(tempfile.mkdtemp(prefix="tanhung-multi-bench-"))
    try:
        communes, big = _build(folder, args.n, args.members)
        tail = ["report", "summary", "--term", TERM[0], "--format", "json"]
        tanhung = [sys.executable, "-m", "tanhung_cli"]
        across = [*tanhung, *tail, "--folder", str(communes)]
        baseline = [*tanhung, "--db", str(big), *tail]
        in_place = [*tanhung, *tail, "--db", str(big)]
        single = [*tanhung, *tail, "--db", str(folder / "one.db")]
        for command in (across, baseline, in_place):
            timed(command)  # warm the page cache
        ours, theirs, places = [], [], []
        for _ in range(args.runs):
            seconds, out = timed(across)
            ours.append(seconds)
            theirs.append(timed(baseline)[0])
            places.append(timed(in_place)[0])
        summed, one = json.loads(out), json.loads(timed(single)[1])
        assert summed["registries"] == args.n and not summed["skipped"], summed["skipped"]
        for key in ("total", "official", "probationary", "women"):
            assert summed["members"][key] == args.n * one["members"][key], key
        assert summed["admissions"]["in_term"] == args.n * one["admissions"]["in_term"]
        many_s, base_s = statistics.median(ours), statistics.median(theirs)
        ratio = many_s / base_s
        print(f"{args.n} files, roll {summed['members']['total']:,} in all")
        print(
            f"report summary --folder ({args.n} files): {many_s * 1000:.0f} ms"
            f" (median of {args.runs})"
        )
        print(f"report summary, one file of {args.n * args.members:,}: {base_s * 1000:.0f} ms")
        print(
            f"  the same file read in place (--db after the command):"
            f" {statistics.median(places) * 1000:.0f} ms"
        )
        print(f"ratio: {ratio:.2f} (target <= 2)")
        return 0 if ratio <= 2 else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
