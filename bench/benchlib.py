"""What the report benchmarks share: their options, the registry file built once, and a
command timed as a whole process (the baseline is measured in the same run)."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def timed(command: list[str], stdin: str | None = None) -> tuple[float, str]:
    """Seconds a command takes as a whole process, and what it printed."""
    start = time.perf_counter()
    done = subprocess.run(command, input=stdin, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stdout


def arguments(doc: str, noun: str, default: int) -> argparse.Namespace:
    """-n (how many ``noun`` to generate), --runs and --keep, as every report bench takes."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("-n", type=int, default=default, help=f"{noun} to generate")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build into (or reuse) this file")
    return parser.parse_args()


def prepared(
    args: argparse.Namespace, build: Callable[[Path, int], None], noun: str, name: str
) -> tuple[Path, Path]:
    """The registry file to time (built now unless --keep names one already built) and the
    scratch folder to remove afterwards. Exits 2 without the sqlite3 command-line tool."""
    if shutil.which("sqlite3") is None:
        print("the sqlite3 command-line tool is needed", file=sys.stderr)
        raise SystemExit(2)
    folder = Path(tempfile.mkdtemp(prefix="tanhung-bench-"))
    path = args.keep or folder / name
    if not path.exists():
        start = time.perf_counter()
        build(path, args.n)
        print(f"built {args.n:,} {noun} in {time.perf_counter() - start:.1f} s "
              f"({path.stat().st_size / 2**20:.0f} MiB)")  # fmt: skip
    return path, folder
