"""Benchmark `tanhung import members` against the sqlite3 command-line tool's `.import`.

Generates an N-row member file (realistic Vietnamese names, valid data, Vietnamese
headers, dd/mm/yyyy dates), imports it with the real command in a subprocess, then
loads the same file with ``sqlite3 .import`` into a table with the same unique keys.
Prints both times, their ratio, rows per second and the peak memory of the import.

    python bench/import_bench.py                 # 1,000,000 rows
    python bench/import_bench.py -n 100000 --dry-run
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

FAMILY = ("Nguyễn Trần Lê Phạm Huỳnh Hoàng Võ Phan Trương Bùi Đặng Đỗ Ngô Hồ Dương Đinh "
          "Thạch Kim Sơn Lâm Triệu Lý Châu Tăng Dư Quách Mai Tô").split()  # fmt: skip
MIDDLE_MEN = "Văn Hữu Minh Thanh Quốc Đức Công Ngọc Hoàng Thành".split()
MIDDLE_WOMEN = "Thị Ngọc Thanh Kiều Mỹ Thu Hồng Bích Diệu Kim".split()
GIVEN_MEN = ("Anh Bình Cường Dũng Hùng Phúc Tài Thắng Khải Lợi Nghĩa Quang Sơn Tuấn Việt "
             "Đạt Hiếu Lộc Phước Toàn").split()  # fmt: skip
GIVEN_WOMEN = ("Diễm Hương Lan Mai Ngân Nhung Phượng Thảo Trinh Yến Xuân Oanh Loan Hằng "
               "Nguyệt Thủy Hoa Huệ Liên Vân").split()  # fmt: skip
BRANCHES = ("Ấp Chợ", "Ấp Nhứt", "Ấp Nhì", "Ấp Sáu", "Ấp Te Te 1", "Ấp Te Te 2",
            "Ấp Phụng Sa", "Ấp Trung Tiến")  # fmt: skip
HEADERS = ("Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Tôn giáo", "Chi bộ",
           "Ngày vào Đảng", "Ngày chính thức", "Số thẻ đảng viên", "Số CCCD")  # fmt: skip
TODAY = dt.date.today()


def _d(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


# Provinces of birth registration (TT 59/2021/TT-BCA): one per million rows, so that CCCD
# numbers stay unique past a million (the first million keep 084, as before).
PROVINCES = ("084", "001", "079", "092", "096", "031", "048", "075", "089", "094")


def generate(path: Path, n: int, seed: int = 3) -> None:
    """Write ``n`` valid members; card and CCCD numbers are unique by construction (up to
    ten million rows)."""
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADERS)
        for i in range(n):
            woman = rnd.random() < 0.26
            ethnic = rnd.choices(("Kinh", "Khmer", "Hoa"), (80, 18, 2))[0]
            family = rnd.choice(FAMILY)
            middle = rnd.choice(MIDDLE_WOMEN if woman else MIDDLE_MEN)
            given = rnd.choice(GIVEN_WOMEN if woman else GIVEN_MEN)
            born = dt.date(1940, 1, 1) + dt.timedelta(days=rnd.randrange(60 * 365))
            admitted = born + dt.timedelta(days=rnd.randrange(19 * 365, 45 * 365))
            if admitted > TODAY - dt.timedelta(days=30):
                admitted = TODAY - dt.timedelta(days=rnd.randrange(30, 300))
            official = (
                admitted.replace(year=admitted.year + 1)
                if admitted.month != 2 or admitted.day != 29
                else admitted + dt.timedelta(days=366)
            )
            confirmed = official <= TODAY and rnd.random() < 0.97
            out.writerow((
                f"{family} {middle} {given}",
                "Nữ" if woman else "Nam",
                _d(born),
                ethnic,
                rnd.choice(("Không", "Không", "Phật giáo")),
                rnd.choice(BRANCHES),
                _d(admitted),
                _d(official) if confirmed else "",
                f"{(i * 7919 + 13) % 10**8:08d}" if confirmed else "",
                # Digits 4-6 agree with sex and birth year (TT 59/2021/TT-BCA art. 7).
                f"{PROVINCES[i // 10**6]}{(born.year // 100 - 19) * 2 + woman}{born.year % 100:02d}{i % 10**6:06d}",
            ))  # fmt: skip


class PeakRss:
    """Poll the memory of a process and its descendants (Linux /proc).

    Two sums over the tree: RSS counts the pages a forked worker shares with its parent
    once in each process; PSS (proportional set size) shares each such page out among the
    processes mapping it, so it adds up to the memory the tree really holds.
    """

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self.peak_pss, self._stop = pid, 0, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                    parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(p for p, parent in parents.items() if parent == pid)
        return tree

    @staticmethod
    def _kib(path: str, field: str) -> int:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(field):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _run(self) -> None:
        while not self._stop.is_set():
            tree = self._tree()
            self.peak = max(self.peak, sum(self._kib(f"/proc/{p}/status", "VmRSS:") for p in tree))
            pss = sum(self._kib(f"/proc/{p}/smaps_rollup", "Pss:") for p in tree)
            self.peak_pss = max(self.peak_pss, pss)
            self._stop.wait(0.1)

    def stop(self) -> tuple[int, int]:
        self._stop.set()
        self._thread.join()
        return self.peak, self.peak_pss


def _cpu() -> float:
    """CPU seconds used so far by finished child processes (and theirs)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_tanhung(db: Path, args: list[str]) -> tuple[float, tuple[int, int], int, str, float]:
    """Run `tanhung --db DB ARGS…`: seconds, peak tree (RSS, PSS), main maxrss, last line, CPU."""
    cpu = _cpu()
    cmd = [sys.executable, "-m", "tanhung_cli", "--db", str(db), *args]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watch = PeakRss(proc.pid)
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    tree_peak = watch.stop()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{out}\n{err[-3000:]}")
    import resource

    main_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return seconds, tree_peak, main_peak, (out + err).strip().splitlines()[-1], _cpu() - cpu


def run_sqlite3(path: Path, workdir: Path) -> tuple[float, float]:
    """`.import` into a table with the same unique keys as the registry's members."""
    sqlite = shutil.which("sqlite3")
    if sqlite is None:
        sys.exit("the sqlite3 command-line tool is not installed")
    columns = ", ".join(f"c{i} TEXT" for i in range(len(HEADERS)))
    # Card numbers are empty for probationary members: the unique index skips those,
    # as the registry's does (it stores NULL).
    script = (
        f"PRAGMA journal_mode=WAL;\nCREATE TABLE m ({columns});\n"
        "CREATE UNIQUE INDEX m_card ON m (c8) WHERE c8 <> '';\n"
        "CREATE UNIQUE INDEX m_cccd ON m (c9);\n"
        f".import --csv --skip 1 {path} m\n"
    )
    db = workdir / "sqlite3.db"
    cpu, start = _cpu(), time.perf_counter()
    subprocess.run(
        [sqlite, str(db)], input=script, text=True, check=True, stdout=subprocess.DEVNULL
    )
    return time.perf_counter() - start, _cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--rows", type=int, default=1_000_000)
    parser.add_argument("--dry-run", action="store_true", help="also time --dry-run")
    parser.add_argument("--keep", type=Path, help="keep the generated file here")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = opts.keep or work / "members.csv"
        if not data.exists():
            start = time.perf_counter()
            generate(data, opts.rows)
            print(f"generated {opts.rows:,} rows in {time.perf_counter() - start:.1f} s: {data}")
        branches = work / "branches.csv"
        branches.write_text("Tên chi bộ,Loại\n" + "".join(f"{b},hamlet\n" for b in BRANCHES))
        db = work / "r.db"
        run_tanhung(db, ["import", "branches", str(branches)])
        if opts.dry_run:
            secs, tree, _, last, cpu = run_tanhung(
                db, ["import", "members", "--dry-run", str(data)]
            )
            print(f"tanhung import --dry-run: {secs:.1f} s ({cpu:.1f} s CPU), peak PSS"
                  f" {tree[1] / 2**20:.0f} MB | {last}")  # fmt: skip
        secs, tree, main_rss, last, cpu = run_tanhung(db, ["import", "members", str(data)])
        base, base_cpu = run_sqlite3(data, work)
        print(f"tanhung import members: {secs:.1f} s, {cpu:.1f} s CPU ({opts.rows / secs:,.0f}"
              f" rows/s) | {last}")  # fmt: skip
        print(f"peak memory: {tree[1] / 2**20:.0f} MB PSS (process tree; RSS summed over its"
              f" processes {tree[0] / 2**20:.0f} MB), {main_rss / 2**20:.0f} MB RSS (main)")  # fmt: skip
        print(f"sqlite3 .import, same unique keys: {base:.1f} s, {base_cpu:.1f} s CPU"
              f" ({opts.rows / base:,.0f} rows/s)")  # fmt: skip
        print(f"ratio: {secs / base:.2f} (CPU: {cpu / base_cpu:.2f}); load average"
              f" {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip


if __name__ == "__main__":
    main()
