"""Start-up cost of `tanhung` against a minimal one-command Typer app, in the same run.

    python bench/startup_bench.py [--runs 15]

Times (median wall clock of N runs, each a fresh process):
- `tanhung --help` against the minimal app's `--help`;
- `tanhung member list` on a 300-member registry against the minimal app's one command
  printing one line;
- `tanhung member find "nguyen van an"` (4 members found, through the name index) on
  the same registry against the same command: issue #17 asks 0.3 s for it at 5,000,000
  members, where the search itself takes 0.04 s and the rest is this start-up.
Target: each ratio <= 1.5. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MINIMAL_APP = '''
import typer

app = typer.Typer()


@app.command()
def hello(name: str = typer.Option("world", "--name")) -> None:
    """Say hello. One option, as every real command has: Typer (0.29) then loads pydantic
    to coerce it, which a command without parameters never pays."""
    print("hello", name)


@app.command()
def other() -> None:
    """Another command, so that Typer builds a group as tanhung does."""


app()
'''


def build_registry(path: Path, count: int = 300) -> None:
    from tanhung_cli import branches, members
    from tanhung_cli.db import open_db

    rng = random.Random(7)
    families = ["Nguyễn", "Trần", "Lê", "Phạm", "Thạch", "Sơn", "Kim", "Danh", "Lâm", "Huỳnh"]
    middles = ["Văn", "Thị", "Minh", "Thanh", "Ngọc", "Hoàng"]
    givens = ["An", "Bình", "Cường", "Diễm", "Đức", "Hòa", "Hùng", "Lan", "Mai", "Sa Rươne"]
    conn = open_db(path)
    for name in ("Ấp Chợ", "Ấp Nhứt", "Ấp Nhì", "Ấp Sáu", "Ấp Te Te 1"):
        branches.add_branch(conn, name, "hamlet")
    for i in range(count):
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(15000))
        admitted = born + dt.timedelta(days=365 * rng.randint(19, 40))
        admitted = min(admitted, dt.date(2024, 1, 1))
        gender = rng.choice(["Nam", "Nữ"])
        members.add_member(
            conn,
            {
                "full_name": f"{rng.choice(families)} {rng.choice(middles)} {rng.choice(givens)}",
                "gender": gender,
                "birth_date": born.isoformat(),
                "ethnicity": rng.choice(["Kinh", "Khmer"]),
                "branch": rng.choice(["Chợ", "Nhứt", "Nhì", "Sáu", "Te Te 1"]),
                "admitted_on": admitted.isoformat(),
                "official_on": (admitted + dt.timedelta(days=366)).isoformat(),
                # Digits 4-6 agree with sex and birth year (TT 59/2021/TT-BCA art. 7).
                "national_id": f"084{(born.year // 100 - 19) * 2 + (gender == 'Nữ')}"
                f"{born.year % 100:02d}{i:06d}",
            },
        )
    conn.close()


def seconds(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def median_seconds(
    ours: list[str], base: list[str], runs: int, env: dict[str, str]
) -> tuple[float, float]:
    """Median wall clock of ``ours`` and of ``base``, run in turn: on a shared machine a
    busy minute slows both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        times[0].append(seconds(ours, env))
        times[1].append(seconds(base, env))
    return statistics.median(times[0]), statistics.median(times[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        registry = tmp_path / "bench.db"
        build_registry(registry)
        minimal = tmp_path / "minimal.py"
        minimal.write_text(MINIMAL_APP, encoding="utf-8")
        env = {**os.environ, "TANHUNG_DB": str(registry), "COLUMNS": "160"}
        tanhung = [sys.executable, "-m", "tanhung_cli"]
        # Warm the file cache and the bytecode caches once.
        for cmd in ([*tanhung, "--help"], [sys.executable, str(minimal), "--help"]):
            subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
        pairs = [
            ("--help", [*tanhung, "--help"], [sys.executable, str(minimal), "--help"]),
            (
                "member list (300)",
                [*tanhung, "member", "list"],
                [sys.executable, str(minimal), "hello"],
            ),
            (
                "member find",
                [*tanhung, "member", "find", "nguyen van an"],
                [sys.executable, str(minimal), "hello"],
            ),
        ]
        failed = False
        print(f"{'case':<20}{'tanhung':>10}{'typer':>10}{'ratio':>8}  target <= 1.5")
        for label, ours, base in pairs:
            ours_s, base_s = median_seconds(ours, base, args.runs, env)
            ratio = ours_s / base_s
            failed |= ratio > 1.5
            verdict = "ok" if ratio <= 1.5 else "MISSED"
            print(
                f"{label:<20}{ours_s * 1000:>8.0f}ms{base_s * 1000:>8.0f}ms{ratio:>8.2f}  {verdict}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
