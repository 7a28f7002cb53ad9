"""Write the sample's meetings and attendance under ``data/sample/`` from its members.

    python scripts/make_meetings.py [OUTPUT_DIR]   (after scripts/make_sample.py)

The article (``shared/seed/FIGURES.md``) counts 12 branch-secretary briefing conferences
since 2017 with 623 attendances (lượt). This script builds the sample's roll in a
temporary registry (branches, members and terms, through the importer as `tanhung demo`
does), then holds one briefing each quarter of 2017-2019 and picks its attendees among
the members on the roll that day (not away, not temporary), a few more excused with a
reason. The Ấp Chợ branch gets its regular monthly meetings of 2019 too, nobody absent
without a reason more than twice. The same seed always writes the same files.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sqlite3
import sys
import tempfile
from pathlib import Path

from tanhung_cli import roll, sample
from tanhung_cli.db import open_db

SEED = 20170315
CONFERENCES = [dt.date(year, month, 15) for year in (2017, 2018, 2019) for month in (3, 6, 9, 12)]
ATTENDANCES = 623
QUARTERS = {3: "I", 6: "II", 9: "III", 12: "IV"}
BRANCH = "Ấp Chợ"
BRANCH_YEAR = 2019
REASONS = ("Ốm", "Đi làm ăn xa", "Việc gia đình", "Đi công tác")
MEETING_HEADER = ["Ngày họp", "Loại", "Tên cuộc họp", "Đơn vị tổ chức", "Ghi chú", "Khách mời"]
ATTENDANCE_HEADER = ["Ngày họp", "Loại", "Đơn vị tổ chức", "Họ và tên", "Số CCCD", "Tham dự",
                     "Lý do vắng"]  # fmt: skip


def on_roll(conn: sqlite3.Connection, day: dt.date, branch: str | None = None) -> list[sqlite3.Row]:
    """Members on the roll at ``day`` and attending here (not away), in id order."""
    sql = (
        "SELECT m.id, m.full_name, m.national_id FROM members m JOIN branches b"
        f" ON b.id = m.branch_id WHERE {roll.ON_ROLL} AND NOT {roll.AWAY}"
        " AND (:branch IS NULL OR b.name = :branch) ORDER BY m.id"
    )
    return conn.execute(sql, {"as_of": day.isoformat(), "branch": branch}).fetchall()


def counts(rng: random.Random) -> list[int]:
    """Attendances per conference, around 52, adding up to ATTENDANCES."""
    while True:
        first = [rng.randint(46, 58) for _ in CONFERENCES[1:]]
        last = ATTENDANCES - sum(first)
        if 46 <= last <= 58:
            return [*first, last]


def fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def build(conn: sqlite3.Connection) -> tuple[list[list[str]], list[list[str]]]:
    rng = random.Random(SEED)
    meetings: list[list[str]] = []
    attendance: list[list[str]] = []
    for day, present in zip(CONFERENCES, counts(rng), strict=True):
        title = f"Hội nghị giao ban bí thư chi bộ quý {QUARTERS[day.month]}/{day.year}"
        note = "Quán triệt nghị quyết, triển khai nhiệm vụ quý tới"
        meetings.append([fmt(day), "Giao ban", title, "", note, str(rng.randint(1, 4))])
        people = rng.sample(on_roll(conn, day), present + rng.randint(1, 3))
        for i, m in enumerate(people):
            excused = i >= present
            status, reason = ("Vắng có lý do", rng.choice(REASONS)) if excused else ("Có mặt", "")
            attendance.append(
                [fmt(day), "Giao ban", "", m["full_name"], m["national_id"], status, reason]
            )
    absent_months: dict[int, int] = {}
    for month in range(1, 13):
        day = dt.date(BRANCH_YEAR, month, 5)
        title = f"Sinh hoạt chi bộ thường kỳ tháng {month}/{BRANCH_YEAR}"
        meetings.append([fmt(day), "Thường kỳ", title, BRANCH, "", "0"])
        for m in on_roll(conn, day, BRANCH):
            draw = rng.random()
            status, reason = "Có mặt", ""
            if draw < 0.08:
                status, reason = "Vắng có lý do", rng.choice(REASONS)
            elif draw < 0.11 and absent_months.get(m["id"], 0) < 2:
                absent_months[m["id"]] = absent_months.get(m["id"], 0) + 1
                status = "Vắng không lý do"
            attendance.append(
                [fmt(day), "Thường kỳ", BRANCH, m["full_name"], m["national_id"], status, reason]
            )
    return meetings, attendance


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh, lineterminator="\r\n")
        out.writerow(header)
        out.writerows(rows)


def main(out: Path) -> None:
    # The roll of the files beside, when make_sample.py has just written them there.
    folder = out if (out / "members.csv").is_file() else sample.sample_dir()
    with tempfile.TemporaryDirectory() as tmp:
        conn = open_db(Path(tmp) / "sample.db")
        sample.load_branches(conn, folder / "branches.csv")
        sample.load_members(conn, folder / "members.csv")
        meetings, attendance = build(conn)
        conn.close()
    write(out / "meetings.csv", MEETING_HEADER, meetings)
    write(out / "attendance.csv", ATTENDANCE_HEADER, attendance)
    print(f"{len(meetings)} meetings, {len(attendance)} attendance rows in {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent.parent / "data/sample")
