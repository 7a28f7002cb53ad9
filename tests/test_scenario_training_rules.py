"""Training that belongs to the committee, and completions that are facts of the past
(issue #11, points 3 and 4)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import DIEM, Run, option_list

ARRIVING = ("--name", "Lê Văn Đến", "--gender", "Nam", "--born", "01/01/1980",
            "--ethnicity", "Kinh", "--branch", "Ấp Chợ", "--admitted", "01/01/2010",
            "--official", "01/01/2011", "--from", "Xã Tân Hòa")  # fmt: skip


@pytest.fixture
def setup(run: Run, branches: None) -> None:
    """Diễm (1) on the roll since 2000; Đến (2) received by transfer on 20/11/2025;
    Tạm (3) attending here temporarily since 2024; courses 1 (June 2025), 2 (2099)."""
    assert run("member", "add", *DIEM).exit_code == 0
    arrived = run("member", "transfer-in", "--kind", "official", "--on", "20/11/2025", *ARRIVING)
    assert arrived.exit_code == 0, arrived.output
    temp = option_list(ARRIVING, name="Trần Thị Tạm", gender="Nữ")
    visiting = run("member", "transfer-in", "--kind", "temporary", "--on", "01/03/2024", *temp)
    assert visiting.exit_code == 0, visiting.output
    for name, start, end in (("Lớp nghị quyết 2025", "02/06/2025", "06/06/2025"),
                             ("Lớp nghị quyết 2099", "02/06/2099", "06/06/2099")):  # fmt: skip
        added = run("course", "add", name, "--kind", "professional", "--start", start, "--end", end)
        assert added.exit_code == 0, added.output


def _enrolled(db_path: Path) -> list[tuple[int, int, int]]:
    with sqlite3.connect(db_path) as c:
        return c.execute(
            "SELECT course_id, member_id, completed FROM enrolments ORDER BY 1, 2"
        ).fetchall()


@pytest.mark.usefixtures("setup")
def test_a_course_before_the_member_was_received_is_not_ours(run: Run, db_path: Path) -> None:
    refused = run("course", "enrol", "1", "2")
    assert refused.exit_code == 1
    assert refused.stderr == (
        "Đảng viên Lê Văn Đến (mã 2) không sinh hoạt tại Đảng bộ trong thời gian khóa học"
        " (về sinh hoạt từ ngày 20/11/2025).\n"
    )
    assert _enrolled(db_path) == []
    assert run("course", "enrol", "1", "1").exit_code == 0


@pytest.mark.usefixtures("setup")
def test_a_temporary_attendee_counts_only_when_the_clerk_says_so(run: Run, db_path: Path) -> None:
    refused = run("course", "enrol", "1", "3")
    assert refused.exit_code == 1
    assert (
        "chỉ sinh hoạt tạm thời tại Đảng bộ; nếu vẫn tính lượt học ở đây, thêm --temporary."
        in refused.stderr
    )
    assert run("course", "enrol", "1", "3", "--temporary").exit_code == 0
    assert _enrolled(db_path) == [(1, 3, 0)]


@pytest.mark.usefixtures("setup")
def test_reports_leave_out_an_attendance_recorded_outside_the_roll(run: Run, db_path: Path) -> None:
    assert run("course", "enrol", "1", "1").exit_code == 0
    assert (
        run("term", "add", "2025-2030", "--start", "01/01/2025", "--end", "31/12/2029").exit_code
        == 0
    )
    # As an older version recorded it: the member received in November, in June's course.
    with sqlite3.connect(db_path) as c:
        c.execute("INSERT INTO enrolments (course_id, member_id, completed) VALUES (1, 2, 0)")
    c.close()
    result = run("report", "summary", "--as-of", "31/12/2025", "-f", "json")
    assert json.loads(result.stdout)["training"] == {"attendances": 1, "people": 1}
    by_kind = json.loads(run("report", "training", "--as-of", "31/12/2025", "-f", "json").stdout)
    assert by_kind["total"] == {"attendances": 1, "people": 1}


@pytest.mark.usefixtures("setup")
def test_a_course_not_yet_over_cannot_be_completed(run: Run, db_path: Path) -> None:
    assert run("course", "enrol", "2", "1").exit_code == 0
    refused = run("course", "complete", "2", "1")
    assert refused.exit_code == 1
    assert refused.stderr == (
        "Khóa Lớp nghị quyết 2099 chưa kết thúc: không thể ghi hoàn thành ngày 06/06/2099,"
        " sau hôm nay.\n"
    )
    assert _enrolled(db_path) == [(2, 1, 0)]
    assert (
        json.loads(run("member", "history", "1", "-f", "json").stdout)["events"][-1]["kind"]
        != "course_completed"
    )


@pytest.mark.usefixtures("setup")
def test_completing_a_member_never_enrolled_is_refused(run: Run, db_path: Path) -> None:
    refused = run("course", "complete", "1", "1")
    assert refused.exit_code == 1
    assert refused.stderr == (
        "Đảng viên mã 1 chưa được ghi danh vào khóa Lớp nghị quyết 2025;"
        " ghi danh trước: tanhung course enrol 1 1\n"
    )
    assert _enrolled(db_path) == []
    assert run("course", "enrol", "1", "1").exit_code == 0
    done = run("course", "complete", "1", "1")
    assert done.exit_code == 0, done.output
    assert _enrolled(db_path) == [(1, 1, 1)]
