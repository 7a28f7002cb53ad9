"""`tanhung due`: probation ending and badges coming due, on fixed dates, with expected lists."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from conftest import Run

from tanhung_cli import branches, courses, enrolments, lifecycle, members, readmission, transfers
from tanhung_cli.db import open_db

D = dt.date.fromisoformat
TODAY = D("2026-06-30")
LEVELS = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)
# Given names in Vietnamese alphabetical order (a ă â b c d đ e ê g h i k l …).
GIVEN = ("An", "Ánh", "Ân", "Bảy", "Cúc", "Dũng", "Đào", "Em", "Ếch", "Giang", "Hà", "Kha")


def admit(conn: sqlite3.Connection, name: str, admitted: str, official: str | None = None,
          branch: str = "Ấp Chợ", born: str | None = None) -> int:  # fmt: skip
    born = born or (D(admitted) - dt.timedelta(days=25 * 365)).isoformat()
    raw = {"full_name": name, "gender": "Nữ", "birth_date": born, "ethnicity": "Khmer",
           "branch": branch, "admitted_on": admitted, "official_on": official}  # fmt: skip
    return members.add_member(conn, raw, today=TODAY).member_id


def years_before(day: str, years: int) -> str:
    return D(day).replace(year=D(day).year - years).isoformat()


@pytest.fixture
def registry(db_path: Path) -> dict[str, int]:
    """Members arranged around 1 Aug 2025 (badges) and 1 Jun 2025 (probation)."""
    conn = open_db(db_path)
    branches.add_branch(conn, "Ấp Chợ")
    branches.add_branch(conn, "Ấp Te Te 1")
    branches.add_branch(conn, "Trạm Y tế", "sector")
    ids = {}
    # Probation: ends in the window, overdue, after the window, confirmed already.
    ids["due"] = admit(conn, "Thạch Thị Sa Rươne", "2024-06-10", branch="Ấp Te Te 1")
    ids["overdue"] = admit(conn, "Lâm Văn Bảy", "2024-03-01", branch="Ấp Te Te 1")
    ids["last_day"] = admit(conn, "Kim Thị Thu", "2024-07-01", branch="Trạm Y tế")
    ids["later"] = admit(conn, "Sơn Văn Tâm", "2024-08-01")
    ids["confirmed"] = admit(conn, "Lý Văn Út", "2024-01-15")
    lifecycle.confirm(conn, ids["confirmed"], D("2025-01-15"))
    course = courses.add_course(conn, "Lớp ĐV mới 2024", "new-member", D("2024-05-01"),
                                D("2024-05-05"))  # fmt: skip
    enrolments.enrol(conn, course, [ids["overdue"]])
    enrolments.complete(conn, course, [ids["overdue"]])
    # Badges: one member reaching each level on 15 Aug 2025 (presented on 2 Sep).
    for years, given in zip(LEVELS, GIVEN, strict=True):
        admitted = years_before("2025-08-15", years)
        official = years_before("2026-08-15", years)
        ids[f"badge{years}"] = admit(conn, f"Nguyễn Thị {given}", admitted, official,
                                     branch="Trạm Y tế" if years == 90 else "Ấp Chợ")  # fmt: skip
    # Reached on 19 May: presented then, not in the window.
    ids["may"] = admit(conn, "Trần Văn Mười", "1975-05-19", "1976-05-19")
    # Reached the day after 2 Sep: the next date, 7 Nov, is outside the window.
    ids["sep3"] = admit(conn, "Trần Văn Nam", "1995-09-03", "1996-09-03")
    # Reached on 2 Sep itself: presented that day.
    ids["sep2"] = admit(conn, "Trần Văn Năm", "1995-09-02", "1996-09-02")
    # Would have reached 30 years on 19 May 2020; a five-year gap delays it to 20 May 2025,
    # presented on 2 Sep 2025.
    ids["gap"] = admit(conn, "Trần Thị Bình", "1990-05-19", "1991-05-19")
    lifecycle.leave(conn, ids["gap"], "resigned", D("2000-01-01"))
    readmission.readmit(conn, ids["gap"], D("2005-01-01"), consent="12-CV/TU", exception="9-QĐ/TU")
    lifecycle.confirm(conn, ids["gap"], D("2006-01-01"))
    # Not counted here: died; temporary attendee; both would reach 40 years on 15 Aug.
    ids["died"] = admit(conn, "Trần Văn Chết", "1985-08-15", "1986-08-15")
    lifecycle.leave(conn, ids["died"], "died", D("2025-03-01"))
    raw = {"full_name": "Lê Văn Tư", "gender": "Nam", "birth_date": "1960-01-01",
           "ethnicity": "Kinh", "branch": "Ấp Chợ", "admitted_on": "1985-08-15",
           "official_on": "1986-08-15"}  # fmt: skip
    ids["temporary"] = transfers.transfer_in_new(conn, raw, "temporary", D("2024-01-01")).member_id
    # Exempt members stay on the roll: reaches 55 years on 1 Aug.
    ids["exempt"] = admit(conn, "Huỳnh Văn Ông", "1970-08-01", "1971-08-01")
    lifecycle.exempt(conn, ids["exempt"], D("2020-01-01"))
    conn.close()
    return ids


def test_due_probation_list(run: Run, registry: dict[str, int]) -> None:
    result = run("due", "--as-of", "01/06/2025", "--within", "30", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["as_of"], data["until"]) == ("2025-06-01", "2025-07-01")
    got = [(p["branch"], p["full_name"], p["due_on"], p["overdue_days"], p["new_member_class"])
           for p in data["probation"]]  # fmt: skip
    assert got == [
        # Hamlet branches first, then sector; in each, Vietnamese order of given names.
        # Overdue only after the branch's 30 working days (Charter 2011, Article 5.2): from
        # 01/03/2025 the 30th is 14/04/2025 (Hùng Kings' day 07/04 skipped): 48 days late.
        ("Ấp Te Te 1", "Lâm Văn Bảy", "2025-03-01", 48, True),
        ("Ấp Te Te 1", "Thạch Thị Sa Rươne", "2025-06-10", 0, False),
        ("Trạm Y tế", "Kim Thị Thu", "2025-07-01", 0, False),
    ]
    assert data["badges"] == []
    assert (
        f"Lưu ý: 2 đảng viên dự bị chưa hoàn thành lớp đảng viên mới "
        f"(mã {registry['due']}, {registry['last_day']})." in result.stderr
    )


def test_due_badges_at_every_level(run: Run, registry: dict[str, int]) -> None:
    result = run("due", "--as-of", "2025-08-01", "--within", "40", "--format", "json")
    assert result.exit_code == 0, result.output
    badges = json.loads(result.stdout)["badges"]
    got = [(b["branch"], b["full_name"], b["years"], b["reaches_on"], b["presented_on"])
           for b in badges]  # fmt: skip
    chợ = [("Ấp Chợ", f"Nguyễn Thị {given}", years, "2025-08-15", "2025-09-02")
           for years, given in zip(LEVELS[:-1], GIVEN, strict=False)]  # fmt: skip
    chợ.insert(1, ("Ấp Chợ", "Trần Thị Bình", 30, "2025-05-20", "2025-09-02"))
    chợ.insert(11, ("Ấp Chợ", "Trần Văn Năm", 30, "2025-09-02", "2025-09-02"))
    chợ.append(("Ấp Chợ", "Huỳnh Văn Ông", 55, "2025-08-01", "2025-09-02"))
    names_in_order = [c[1] for c in sorted(chợ, key=lambda c: members.vn.name_sort_key(c[1]))]
    assert [g[1] for g in got if g[0] == "Ấp Chợ"] == names_in_order
    assert sorted(got) == sorted([*chợ, ("Trạm Y tế", "Nguyễn Thị Kha", 90, "2025-08-15",
                                         "2025-09-02")])  # fmt: skip
    assert got[-1][0] == "Trạm Y tế"
    probation = [
        (p["full_name"], p["overdue_days"]) for p in json.loads(result.stdout)["probation"]
    ]
    # Hamlet branches in Vietnamese order (Ấp Chợ before Ấp Te Te 1), then sector.
    # Days past the branch's 30 working days after probation (Charter 2011, Article 5.2).
    assert probation == [("Sơn Văn Tâm", 0), ("Lâm Văn Bảy", 109), ("Thạch Thị Sa Rươne", 11),
                         ("Kim Thị Thu", 0)]  # fmt: skip


def test_due_gap_member_not_due_in_may(run: Run, registry: dict[str, int]) -> None:
    result = run("due", "--as-of", "2025-05-01", "--within", "30", "--format", "json")
    names = {(b["full_name"], b["years"]) for b in json.loads(result.stdout)["badges"]}
    assert names == {("Trần Văn Mười", 50)}


def test_due_table_and_csv(run: Run, registry: dict[str, int]) -> None:
    table = run("due", "--as-of", "01/06/2025", "--within", "30")
    assert table.exit_code == 0
    assert "Đảng viên dự bị đến hạn xét chính thức (01/06/2025 – 01/07/2025)" in table.stdout
    assert "Lâm Văn Bảy" in table.stdout and "3 đảng viên" in table.stdout
    csv = run("due", "--as-of", "2025-06-01", "--within", "30", "--format", "csv").stdout
    lines = csv.splitlines()
    assert lines[0].startswith("list,id,full_name,branch,admitted_on,ceremony_on,due_on,confirm_by")
    assert len(lines) == 4 and all(line.startswith("probation,") for line in lines[1:])


def test_due_early_awards_and_bad_options(run: Run, registry: dict[str, int]) -> None:
    early = run("due", "--as-of", "2024-08-01", "--within", "40", "--early", "--format", "json")
    badges = json.loads(early.stdout)["badges"]
    assert all(b["early"] for b in badges)
    assert {b["years"] for b in badges} == set(LEVELS)
    assert run("due", "--within", "-1").exit_code == 2
    assert run("due", "--as-of", "31/02/2025").exit_code == 2
