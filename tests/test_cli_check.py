"""`tanhung check --format json`: the registry's problems as data for a program."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from conftest import Run

from tanhung_cli import branches, members
from tanhung_cli.db import open_db


@pytest.fixture
def registry(db_path: Path) -> Path:
    conn = open_db(db_path)
    branches.add_branch(conn, "Ấp Chợ")
    for name, born, admitted, official in (
        ("Thạch Thị Sa Rươne", "1990-03-12", "2016-05-19", "2017-05-19"),
        ("Nguyễn Văn Hùng", "1980-01-02", "2019-01-02", None),
    ):
        raw = {"full_name": name, "gender": "Nữ", "birth_date": born, "ethnicity": "Khmer",
               "branch": "Ấp Chợ", "admitted_on": admitted, "official_on": official}  # fmt: skip
        members.add_member(conn, raw)
    conn.close()
    return db_path


def test_a_sound_registry_is_an_empty_list(run: Run, registry: Path) -> None:
    result = run("check", "--format", "json", "--as-of", "01/06/2019")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []


def test_every_problem_with_its_key_data_and_member(run: Run, registry: Path) -> None:
    with closing(sqlite3.connect(registry)) as c, c:
        # Written behind the validator's back, as an old tool or a hand edit would.
        c.execute("UPDATE members SET official_on = '2016-11-19' WHERE id = 1")
        c.execute("PRAGMA foreign_keys = OFF")
        c.execute("INSERT INTO events (member_id, on_date, kind) VALUES (77, '2020-01-01', 'x')")
    result = run("check", "--format", "json", "--as-of", "30/06/2020", lang="en")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "key": "check.foreign_key",
            "message": "Table events, row 3: points to a missing members row.",
            "params": {"table": "events", "rowid": 3, "parent": "members"},
            "column": None,
            "member": None,
            "file": None,
            "line": None,
        },
        {
            "key": "rule.official_too_early",
            "message": "earlier than the end of 12 months' probation; the earliest is 2017-05-19",
            "params": {"earliest": "2017-05-19"},
            "column": "official_on",
            "member": {"id": 1, "name": "Thạch Thị Sa Rươne"},
            "file": None,
            "line": None,
        },
        {
            "key": "check.overdue",
            # Overdue after the branch's 30 working days (Charter 2011, Article 5.2; Tết
            # 23-29/01/2020 skipped, Labour Code 2012, Article 115).
            "message": "probationary since 2019-01-02, probation complete on 2020-01-02,"
            " overdue for confirmation since 2020-02-20 (past the 30 working days the branch"
            " has to decide, weekends and public holidays skipped) with no official date",
            "params": {
                "since": "2019-01-02",
                "ends": "2020-01-02",
                "overdue": "2020-02-20",
                "days": 30,
                "counted": "admission.holidays_counted",
            },
            "column": None,
            "member": {"id": 2, "name": "Nguyễn Văn Hùng"},
            "file": None,
            "line": None,
        },
    ]
    assert result.stderr == "3 problem(s) to look at.\n"
    # The same problems as lines, in Vietnamese by default.
    text = run("check", "--as-of", "30/06/2020")
    assert text.exit_code == 1
    assert text.stdout.splitlines()[1:] == [
        "Đảng viên mã 1 (Thạch Thị Sa Rươne): Ngày chính thức: sớm hơn 12 tháng dự bị;"
        " sớm nhất là 19/05/2017",
        "Đảng viên mã 2 (Nguyễn Văn Hùng): dự bị từ 02/01/2019, đủ 12 tháng dự bị ngày"
        " 02/01/2020, quá hạn công nhận chính thức từ 20/02/2020 (qua 30 ngày làm việc để"
        " chi bộ xét, trừ thứ Bảy, Chủ nhật và ngày lễ) mà chưa có ngày chính thức",
    ]
    vi = json.loads(run("check", "--format", "json", "--as-of", "30/06/2020").stdout)
    assert vi[1]["message"] == "sớm hơn 12 tháng dự bị; sớm nhất là 19/05/2017"
    assert vi[1]["params"] == {"earliest": "2017-05-19"}


def test_a_file_sqlite_cannot_read_is_one_problem(run: Run, db_path: Path) -> None:
    db_path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4080)
    result = run("check", "--format", "json")
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    assert [p["key"] for p in found] == ["check.integrity"]
