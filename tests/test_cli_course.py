"""Training courses: add, list, show, enrol, complete; theory levels follow completed courses."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import DIEM, Run, option_list

TABLES = ("members", "events", "audit", "courses", "enrolments")


def snapshot(db_path: Path) -> list[tuple]:
    with sqlite3.connect(db_path) as c:
        return [row for table in TABLES for row in c.execute(f"SELECT * FROM {table}").fetchall()]


@pytest.fixture
def setup(run: Run, branches: None) -> None:
    """Members 1 (Diễm, explicit theory level "Sơ cấp") and 2 (An); 2 courses."""
    assert run("member", "add", *DIEM, "--theory", "sơ cấp").exit_code == 0
    an = option_list(DIEM, name="Nguyễn Văn An", card=None, cccd=None, official=None,
                     admitted="01/03/2023")  # fmt: skip
    assert run("member", "add", *an).exit_code == 0
    added = run("course", "add", "Lớp đảng viên mới 2023", "--kind", "lớp đảng viên mới",
                "--start", "01/06/2023", "--end", "05/06/2023", "--organiser", "TTCT huyện")  # fmt: skip
    assert added.stdout == "Đã thêm khóa học Lớp đảng viên mới 2023 (mã 1).\n"
    assert run("course", "add", "Trung cấp LLCT K12", "--kind", "theory-intermediate",
               "--start", "01/09/2023", "--end", "30/06/2024").exit_code == 0  # fmt: skip


@pytest.mark.usefixtures("setup")
def test_list_show_enrol_complete(run: Run) -> None:
    listed = json.loads(run("course", "list", "--format", "json").stdout)
    assert [(c["id"], c["kind"], c["enrolled"]) for c in listed] == [
        (2, "theory-intermediate", 0), (1, "new-member", 0)]  # fmt: skip
    enrolled = run("course", "enrol", "lop dang vien moi 2023", "2")
    assert enrolled.stdout == "Đã ghi danh 1 đảng viên vào khóa Lớp đảng viên mới 2023.\n"
    again = run("course", "enrol", "1", "2")
    assert again.exit_code == 0 and "Đã có trong khóa từ trước: mã 2." in again.stderr
    done = run("course", "complete", "1", "2")
    assert done.stdout == "Đã ghi 1 đảng viên hoàn thành khóa Lớp đảng viên mới 2023.\n"
    shown = json.loads(run("course", "show", "1", "--format", "json").stdout)
    assert (shown["enrolled"], shown["completed"]) == (1, 1)
    assert shown["members"][0]["completed_on"] == "2023-06-05"
    confirm = run("member", "confirm", "2", "--on", "01/03/2024")
    assert confirm.exit_code == 0 and "lớp bồi dưỡng đảng viên mới" not in confirm.stderr
    csv = run("course", "list", "--kind", "new-member", "--format", "csv").stdout.splitlines()
    assert csv == ["id,name,kind,organiser,start_on,end_on,enrolled,completed",
                   "1,Lớp đảng viên mới 2023,new-member,TTCT huyện,2023-06-01,2023-06-05,1,1"]  # fmt: skip
    assert "Lớp đảng viên mới 2023" in run("course", "show", "1").stdout


@pytest.mark.usefixtures("setup")
def test_theory_level_follows_courses_unless_explicit(run: Run) -> None:
    assert run("course", "enrol", "2", "1", "2").exit_code == 0
    done = run("course", "complete", "2", "1", "2", "--on", "30/06/2024")
    assert done.exit_code == 0, done.output
    assert "Đảng viên mã 2: trình độ lý luận chính trị — → Trung cấp." in done.stdout
    assert "mã 1 giữ trình độ lý luận chính trị ghi trong hồ sơ (Sơ cấp)" in done.stderr
    levels = {m["id"]: m["theory_level"] for m in json.loads(
        run("member", "list", "--format", "json").stdout)}  # fmt: skip
    assert levels == {1: "Sơ cấp", 2: "Trung cấp"}
    history = json.loads(run("member", "history", "2", "--format", "json").stdout)["events"]
    assert history[-1]["kind"] == "course_completed"
    assert history[-1]["note"] == "Trung cấp LLCT K12"


REFUSALS = [
    (["course", "add", "Lớp X", "--kind", "new-member", "--start", "05/06/2023", "--end",
      "01/06/2023"], 1, "Ngày kết thúc (01/06/2023) trước ngày bắt đầu (05/06/2023)."),
    (["course", "add", "Lớp X", "--kind", "bơi lội", "--start", "01/06/2023", "--end",
      "02/06/2023"], 2, "Loại khóa học 'bơi lội' không hợp lệ"),
    (["course", "add", "lop dang vien moi 2023", "--kind", "new-member", "--start",
      "01/06/2023", "--end", "02/06/2023"], 1, "Đã có khóa 'lop dang vien moi 2023' bắt đầu ngày 01/06/2023 (mã 1)."),
    (["course", "add", "Lớp X", "--kind", "new-member", "--start", "31/02/2023", "--end",
      "02/06/2023"], 2, "'31/02/2023' là ngày không có thật"),
    (["course", "enrol", "9", "1"], 1, "Không có khóa học '9'."),
    (["course", "enrol", "1", "1", "99"], 1, "Không có đảng viên mã hoặc số thẻ '99'."),
    (["course", "complete", "1", "2", "--on", "01/01/2023"], 1,
     "Ngày hoàn thành trước ngày khóa học bắt đầu (01/06/2023)."),
]  # fmt: skip


@pytest.mark.usefixtures("setup")
@pytest.mark.parametrize(("args", "code", "message"), REFUSALS)
def test_refusals_change_nothing(run: Run, db_path: Path, args: list, code: int, message: str):
    before = snapshot(db_path)
    result = run(*args)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert snapshot(db_path) == before


@pytest.mark.usefixtures("setup")
def test_enrolling_a_member_who_has_left_is_refused_for_all(run: Run, db_path: Path) -> None:
    assert run("member", "leave", "1", "--reason", "died", "--on", "01/01/2023").exit_code == 0
    before = snapshot(db_path)
    result = run("course", "enrol", "1", "2", "1")
    assert result.exit_code == 1
    assert result.stderr == ("Đảng viên Nguyễn Thị Kiều Diễm (mã 1) đã ra khỏi danh sách ngày "
                             "01/01/2023, trước khi khóa học bắt đầu.\n")  # fmt: skip
    assert snapshot(db_path) == before


@pytest.mark.usefixtures("setup", "either_import_path")
def test_import_courses_and_enrolments(run: Run, db_path: Path, tmp_path: Path) -> None:
    courses_csv = tmp_path / "khoa.csv"
    courses_csv.write_text(
        "Tên khóa học;Loại;Đơn vị tổ chức;Ngày bắt đầu;Ngày kết thúc\n"
        "Sơ cấp LLCT 2022;sơ cấp lý luận chính trị;TTCT;01/03/2022;30/04/2022\n"
        "Lớp đảng viên mới 2023;new-member;TTCT huyện;01/06/2023;05/06/2023\n",
        encoding="utf-8-sig",
    )
    done = run("import", "courses", str(courses_csv))
    assert done.exit_code == 0, done.output
    assert "thêm 1, cập nhật 0, không đổi 1, bị từ chối 0" in done.stdout
    again = run("import", "courses", str(courses_csv))
    assert "thêm 0, cập nhật 0, không đổi 2" in again.stdout
    people = tmp_path / "hoc-vien.csv"
    people.write_text(
        "course,id,card_no,full_name,completed\n"
        "3,,01234567,Nguyen Thi Kieu Diem,có\n"
        "lop dang vien moi 2023,2,,,x\n"
        "2,2,,Nguyễn Văn An,x\n",
        encoding="utf-8",
    )
    enrolled = run("import", "enrolments", str(people))
    assert enrolled.exit_code == 0, enrolled.output
    assert "thêm 3, cập nhật 0, không đổi 0" in enrolled.stdout
    levels = {m["id"]: m["theory_level"] for m in json.loads(
        run("member", "list", "--format", "json").stdout)}  # fmt: skip
    assert levels == {1: "Sơ cấp", 2: "Trung cấp"}
    assert "không đổi 3" in run("import", "enrolments", str(people)).stdout


@pytest.mark.usefixtures("setup", "either_import_path")
def test_import_refuses_bad_rows_with_their_lines(run: Run, db_path: Path, tmp_path: Path) -> None:
    assert run("member", "leave", "1", "--reason", "died", "--on", "01/01/2023").exit_code == 0
    bad_courses = tmp_path / "khoa.csv"
    bad_courses.write_text(
        "name,kind,start_on,end_on\nLớp A,bơi lội,01/01/2024,02/01/2024\n"
        "Lớp B,professional,05/01/2024,01/01/2024\n",
        encoding="utf-8",
    )
    people = tmp_path / "hv.csv"
    people.write_text("course,id,completed\n1,1,x\n1,,\n9,2,\n1,2,có lẽ\n", encoding="utf-8")
    before = snapshot(db_path)
    refused = run("import", "courses", str(bad_courses))
    assert refused.exit_code == 1
    assert "khoa.csv:2: kind: Loại khóa học 'bơi lội' không hợp lệ" in refused.stderr
    assert "khoa.csv:3: end_on: Ngày kết thúc (01/01/2024) trước ngày bắt đầu (05/01/2024)." in (
        refused.stderr)  # fmt: skip
    result = run("import", "enrolments", str(people))
    assert result.exit_code == 1
    lines = [
        line for line in result.stderr.splitlines() if line[:8] in {f"hv.csv:{i}" for i in range(9)}
    ]
    assert lines == [
        "hv.csv:2: id: Đảng viên Nguyễn Thị Kiều Diễm (mã 1) đã ra khỏi danh sách ngày "
        "01/01/2023, trước khi khóa học bắt đầu.",
        "hv.csv:3: id: cần mã đảng viên, số thẻ đảng viên, số CCCD hoặc họ và tên",
        "hv.csv:4: course: Không có khóa học '9'. Xem danh sách: tanhung course list.",
        "hv.csv:5: completed: 'có lẽ' không rõ là đã hoàn thành hay chưa (dùng x / có / không)",
    ]
    assert snapshot(db_path) == before
