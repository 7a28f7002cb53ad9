"""The lifecycle commands through the command line: messages, exit codes, refusals that change nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import DIEM, Run, option_list

TABLES = ("members", "events", "past_spells", "audit", "courses", "enrolments", "ratings")


def snapshot(db_path: Path) -> list[tuple]:
    with sqlite3.connect(db_path) as c:
        return [row for table in TABLES for row in c.execute(f"SELECT * FROM {table}").fetchall()]


AN = ("--name", "Nguyễn Văn An", "--gender", "Nam", "--born", "01/01/1990", "--ethnicity", "Kinh",
      "--branch", "Ấp Chợ", "--admitted", "29/02/2020")  # fmt: skip


@pytest.fixture
def two(run: Run, branches: None) -> None:
    """Member 1: Diễm, official since 2001; member 2: An, probationary since 29/02/2020."""
    assert run("member", "add", *DIEM).exit_code == 0
    assert run("member", "add", *AN).exit_code == 0


def refused(run: Run, db_path: Path, args: list[str], code: int, message: str, lang=None) -> None:
    before = snapshot(db_path)
    result = run(*args, lang=lang)
    assert result.exit_code == code, result.output
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert snapshot(db_path) == before


REFUSALS = [
    (["member", "confirm", "2", "--on", "27/02/2021"], 1,
     "Chưa đủ 12 tháng dự bị: sớm nhất là ngày 28/02/2021."),
    (["member", "confirm", "1", "--on", "01/01/2024"], 1,
     "Đảng viên Nguyễn Thị Kiều Diễm (mã 1) đã là đảng viên chính thức từ 19/05/2001."),
    (["member", "confirm", "9", "--on", "01/01/2024"], 1, "Không có đảng viên mã hoặc số thẻ '9'."),
    (["member", "confirm", "2", "--on", "01/01/2999"], 2, "là ngày trong tương lai"),
    (["member", "confirm", "2", "--on", "30/02/2021"], 2, "là ngày không có thật"),
    (["member", "leave", "1", "--reason", "đi chơi"], 2, "Lý do 'đi chơi' không hợp lệ"),
    (["member", "leave", "1", "--reason", "transferred"], 2, "Lý do 'transferred' không hợp lệ"),
    (["member", "leave", "2", "--reason", "died", "--on", "01/01/2019"], 1,
     "Ngày này trước ngày đảng viên mã 2 vào danh sách của Đảng bộ (29/02/2020)."),
    (["member", "transfer-out", "1", "--to", "Xã Tân Hòa", "--kind", "mãi mãi"], 2,
     "Hình thức chuyển 'mãi mãi' không hợp lệ"),
    (["member", "transfer-out", "1", "--to", " "], 1, "Cần nêu nơi chuyển đến (--to)."),
    (["member", "transfer-in", "1"], 1, "Đảng viên Nguyễn Thị Kiều Diễm (mã 1) đang có trong danh sách."),
    (["member", "transfer-in", "--name", "Lê Văn Tư"], 1, "Giới tính: bắt buộc, đang để trống"),
    (["member", "transfer-in"], 1, "Chưa có mã đảng viên: cần đủ thông tin người chuyển đến"),
    (["member", "unexempt", "1"], 1, "Đảng viên Nguyễn Thị Kiều Diễm (mã 1) không được miễn sinh hoạt."),
    (["member", "readmit", "1"], 1, "đang có trong danh sách"),
    (["member", "correct", "1"], 1, "Chưa nêu thông tin nào cần đính chính"),
    (["member", "correct", "1", "--official", "01/01/2001"], 1,
     "Chưa đủ 12 tháng dự bị: sớm nhất là ngày 19/05/2001."),
    (["member", "correct", "1", "--official", ""], 1, "Đảng viên có thẻ đảng phải có ngày chính thức."),
    (["member", "correct", "1", "--left", "01/01/2020"], 1, "Cần có cả ngày và lý do"),
]  # fmt: skip


@pytest.mark.usefixtures("two")
@pytest.mark.parametrize(("args", "code", "message"), REFUSALS)
def test_refusals_change_nothing(run: Run, db_path: Path, args: list, code: int, message: str):
    refused(run, db_path, args, code, message)


@pytest.mark.usefixtures("two")
def test_refusals_in_english(run: Run, db_path: Path) -> None:
    refused(run, db_path, ["member", "confirm", "2", "--on", "2021-02-27"], 1,
            "The 12 months of probation are not over: the earliest date is 2021-02-28.", "en")  # fmt: skip


@pytest.mark.usefixtures("two")
def test_confirm_on_the_day_and_late(run: Run) -> None:
    done = run("member", "confirm", "2", "--on", "28/02/2021", "--decision", "15-QĐ/ĐU")
    assert done.exit_code == 0
    assert (
        done.stdout == "Đã công nhận Nguyễn Văn An (mã 2) là đảng viên chính thức từ 28/02/2021.\n"
    )
    assert "chưa hoàn thành lớp bồi dưỡng đảng viên mới" in done.stderr
    shown = json.loads(run("member", "show", "2", "--format", "json").stdout)
    assert (shown["official_on"], shown["status"]) == ("2021-02-28", "official")
    history = json.loads(run("member", "history", "2", "--format", "json").stdout)["events"]
    assert (history[-1]["kind"], history[-1]["decision_no"]) == ("confirmed", "15-QĐ/ĐU")


@pytest.mark.usefixtures("two")
def test_leave_twice_and_after_leaving(run: Run, db_path: Path) -> None:
    left = run("member", "leave", "1", "--reason", "từ trần", "--on", "03/04/2024")
    assert left.exit_code == 0
    assert (
        left.stdout
        == "Đã ghi Nguyễn Thị Kiều Diễm (mã 1) ra khỏi danh sách ngày 03/04/2024: Từ trần.\n"
    )
    message = "Đảng viên Nguyễn Thị Kiều Diễm (mã 1) đã ra khỏi danh sách ngày 03/04/2024 (Từ trần)"
    for args in (["leave", "1", "--reason", "died"], ["exempt", "1"], ["confirm", "1"],
                 ["transfer-out", "1", "--to", "X"]):  # fmt: skip
        refused(run, db_path, ["member", *args], 1, message)
    refused(run, db_path, ["member", "readmit", "1"], 1, "đã từ trần ngày 03/04/2024")
    refused(run, db_path, ["member", "transfer-in", "1"], 1, "đã từ trần ngày 03/04/2024")
    listed = json.loads(run("member", "list", "--all", "--format", "json").stdout)
    assert [(m["id"], m["status"]) for m in listed] == [(2, "probationary"), (1, "left")]
    assert [m["id"] for m in json.loads(run("member", "list", "--format", "json").stdout)] == [2]
    found = json.loads(run("member", "find", "diem", "--format", "json").stdout)
    assert [(m["id"], m["status"]) for m in found] == [(1, "left")]


@pytest.mark.usefixtures("two")
def test_transfers_exemption_readmission_through_the_cli(run: Run) -> None:
    out = run("member", "transfer-out", "1", "--to", "Xã Tân Hòa", "--kind", "temporary",
              "--on", "01/01/2024", "--until", "01/07/2024")  # fmt: skip
    assert out.stdout == ("Đã chuyển sinh hoạt tạm thời Nguyễn Thị Kiều Diễm (mã 1) đến Xã Tân Hòa"
                          " ngày 01/01/2024; vẫn tính trong Đảng bộ.\n"
                          "Dự kiến trở về: 01/07/2024.\n")  # fmt: skip
    back = run("member", "transfer-in", "1", "--on", "01/06/2024")
    assert back.stdout == "Đã ghi Nguyễn Thị Kiều Diễm (mã 1) trở về sinh hoạt ngày 01/06/2024.\n"
    assert run("member", "exempt", "1", "--on", "02/06/2024").exit_code == 0
    assert run("member", "unexempt", "1", "--on", "03/06/2024").exit_code == 0
    gone = run("member", "leave", "1", "--reason", "xin ra khỏi Đảng", "--on", "01/07/2024")
    assert gone.exit_code == 0
    again = run("member", "readmit", "1", "--on", "01/01/2025", "--decision", "7-QĐ/ĐU",
                "--consent", "12-CV/TU", "--exception", "QĐ số 9-QĐ/TU")  # fmt: skip
    assert again.exit_code == 0, again.output
    assert (
        again.stdout
        == "Đã kết nạp lại Nguyễn Thị Kiều Diễm (mã 1) ngày 01/01/2025; bắt đầu dự bị.\n"
    )
    standing = json.loads(run("member", "standing", "1", "--as-of", "2024-06-30", "--format",
                              "json").stdout)  # fmt: skip
    assert standing["status"] == "official" and standing["party_age"] == {"years": 24, "months": 1}
    for day, status in (
        ("2020-01-01", "official"),
        ("2024-07-15", "left"),
        ("2025-01-01", "probationary"),
    ):
        shown = json.loads(run("member", "show", "1", "--as-of", day, "--format", "json").stdout)
        assert shown["status"] == status, day
    new = run("member", "transfer-in", *option_list(AN, name="Lê Văn Tư", admitted="03/02/2015"),
              "--official", "03/02/2016", "--kind", "temporary", "--from", "Xã Tân Hòa")  # fmt: skip
    assert new.exit_code == 0, new.output
    assert "Lê Văn Tư (mã 3)" in new.stdout and "tạm thời" in new.stdout
    counted = json.loads(run("member", "list", "--status", "temporary", "--format", "json").stdout)
    assert [m["id"] for m in counted] == [3]


def test_every_new_command_has_help(run: Run) -> None:
    for group, commands in {
        "member": ["confirm", "transfer-out", "transfer-in", "exempt", "unexempt", "leave",
                   "readmit", "correct", "standing"],
        "course": ["add", "list", "show", "enrol", "complete"],
        "rating": ["set", "list", "summary"],
    }.items():  # fmt: skip
        for command in commands:
            result = run(group, command, "--help", lang="en")  # with its Vietnamese term
            assert result.exit_code == 0 and "(" in result.stdout, (group, command)
    assert "đến hạn" in run("due", "--help").stdout
