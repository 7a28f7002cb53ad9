"""`tanhung import … --format json`: a refused file's problems, or the counts, as data."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from conftest import Run

# In this process, and as a large file in workers (problems staged in SQLite files).
pytestmark = pytest.mark.usefixtures("either_import_path", "branches")

HEADER = "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chi bộ,Ngày vào Đảng,Ngày chính thức,Mã"
ROWS = [
    "Thạch Thị Sa Rươne,Nữ,12/03/1990,Khmer,Ấp Te Te 1,19/05/2016,19/05/2017,",  # 2 good
    "Lê Thị Bốn,Nữ,01/01/1980,Kinh,Ấp Chợ,01/01/2010,01/06/2010,",  # 3 official too early
    "Lê Văn Mười,X,01/01/1980,Kinh,Ấp Chợ,19/05/2005,,",  # 4 unknown gender
    "Lê Thị Năm,Nữ,01/01/1980,Kinh,Ấp Chợ,01/01/2010,01/01/2011,AC-01",  # 5 not an id
]


def members_stored(db: Path) -> int:
    with closing(sqlite3.connect(db)) as conn:
        return int(conn.execute("SELECT count(*) FROM members").fetchone()[0])


def test_a_refused_file_gives_its_problems_as_a_list(
    run: Run, tmp_path: Path, db_path: Path
) -> None:
    source = tmp_path / "ds.csv"
    source.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    result = run("import", "members", str(source), "--format", "json", lang="en")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "key": "rule.official_too_early",
            "message": "earlier than the end of 12 months' probation; the earliest is 2011-01-01",
            "params": {"earliest": "2011-01-01"},
            "column": "official_on",
            "member": None,
            "file": "ds.csv",
            "line": 3,
        },
        {
            "key": "rule.unknown_value",
            "message": "'X' is not a known value",
            "params": {"value": "X", "hint": ""},
            "column": "gender",
            "member": None,
            "file": "ds.csv",
            "line": 4,
        },
        {
            "key": "import.not_an_id",
            "message": "'AC-01' is not a registry id (ids from the registry's exports are whole"
            " numbers up to 9,999,999); keep a branch's own codes in another column, e.g."
            ' "Branch code" (unknown columns are ignored)',
            "params": {"value": "AC-01", "max": 9999999},
            "column": "id",
            "member": None,
            "file": "ds.csv",
            "line": 5,
        },
    ]
    # The refusal itself stays a line on stderr; the problems are not repeated there.
    assert result.stderr.splitlines() == [
        "ds.csv: 3 row(s) with problems (3 problems); nothing was written. Fix them, or use"
        " --skip-invalid to import the valid rows only (--rejects FILE writes the rejected"
        " rows to a file)."
    ]
    assert members_stored(db_path) == 0
    # Without --format json: the same problems, the same lines as ever.
    text = run("import", "members", str(source))
    assert text.exit_code == 1 and text.stdout == ""
    assert text.stderr.splitlines()[:3] == [
        "ds.csv:3: Ngày chính thức: sớm hơn 12 tháng dự bị; sớm nhất là 01/01/2011",
        "ds.csv:4: Giới tính: 'X' không có trong danh mục",
        "ds.csv:5: Mã: 'AC-01' không phải mã trong sổ (mã lấy từ tệp xuất của sổ là số nguyên,"
        ' tối đa 9.999.999); mã riêng của chi bộ hãy để ở cột khác, ví dụ "Mã chi bộ"'
        " (cột lạ được bỏ qua)",
    ]


def test_an_import_done_gives_its_counts(run: Run, tmp_path: Path, db_path: Path) -> None:
    source = tmp_path / "ds.csv"
    source.write_text("\n".join([HEADER, *ROWS[:3]]) + "\n", encoding="utf-8")
    result = run("import", "members", str(source), "--format", "json", "--skip-invalid")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert [p["line"] for p in summary.pop("problems")] == [3, 4]
    assert summary == {
        "file": "ds.csv",
        "dry_run": False,
        "added": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 2,
        "rejects_written": 0,
    }
    assert members_stored(db_path) == 1
    again = run("import", "members", str(source), "--format", "json", "--skip-invalid")
    assert json.loads(again.stdout)["unchanged"] == 1


def test_branches_too(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "chi-bo.csv"
    source.write_text("name,kind\nẤp Mới,hamlet\n,hamlet\n", encoding="utf-8")
    result = run("import", "branches", str(source), "--format", "json", lang="en")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "key": "rule.required",
            "message": "is required but empty",
            "params": {},
            "column": "name",
            "member": None,
            "file": "chi-bo.csv",
            "line": 3,
        }
    ]
    done = run("import", "branches", str(source), "--format", "json", "--skip-invalid")
    assert done.exit_code == 0
    assert json.loads(done.stdout)["added"] == 1
