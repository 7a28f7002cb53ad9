"""Annual ratings: set, list, summary; the 20 % cap and two years running of failure."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import DIEM, Run, option_list

NAMES = ("Nguyễn Văn An", "Trần Văn Bảy", "Lê Thị Cúc", "Phạm Văn Dũng", "Võ Thị Em", "Lý Văn Giàu")


@pytest.fixture
def six(run: Run, branches: None) -> None:
    for i, name in enumerate(NAMES):
        options = option_list(DIEM, name=name, card=f"0123456{i}", cccd=None)
        assert run("member", "add", *options).exit_code == 0


def ratings_of(db_path: Path) -> list[tuple]:
    with sqlite3.connect(db_path) as c:
        return c.execute("SELECT * FROM ratings ORDER BY member_id, year").fetchall()


@pytest.mark.usefixtures("six")
def test_cap_warning_and_two_years_running(run: Run, db_path: Path) -> None:
    for member in ("1", "2", "3", "4", "5"):
        assert run("rating", "set", "2024", member, "HTTNV").exit_code == 0
    first = run("rating", "set", "2024", "6", "hoàn thành xuất sắc")
    assert (
        first.stdout == "Đã xếp loại Lý Văn Giàu (mã 6) năm 2024: Hoàn thành xuất sắc nhiệm vụ.\n"
    )
    assert first.stderr == ""  # 1 of 5 "tốt" is 20 %: not over
    second = run("rating", "set", "2024", "5", "xuất sắc")
    assert second.exit_code == 0
    # QĐ 366-QĐ/TW: the cap is counted over the whole committee unless set per branch.
    assert second.stderr == ("Cảnh báo: toàn Đảng bộ năm 2024 có 2 hoàn thành xuất sắc, quá 20 % "
                             "của 4 hoàn thành tốt.\n")  # fmt: skip
    assert run("rating", "set", "2023", "1", "KHTNV").exit_code == 0
    failed = run("rating", "set", "2024", "1", "không hoàn thành")
    assert (
        "Cảnh báo: Nguyễn Văn An (mã 1, chi bộ Ấp Chợ) không hoàn thành nhiệm vụ hai năm liền"
        in failed.stderr
    )
    summary = json.loads(run("rating", "summary", "2024", "--format", "json").stdout)
    branch = {key: summary["branches"][0][key] for key in ("branch_id", "branch", "excellent",
              "good", "done", "failed", "rated", "over_cap", "not_rated")}  # fmt: skip
    assert branch == {"branch_id": 1, "branch": "Ấp Chợ", "excellent": 2, "good": 3,
                      "done": 0, "failed": 1, "rated": 6, "over_cap": True, "not_rated": 0}  # fmt: skip
    assert summary["over_cap"] is True and summary["cap_unit"] == "committee"
    assert [m["id"] for m in summary["failed_twice"]] == [1]
    listed = json.loads(run("rating", "list", "2024", "--format", "json").stdout)
    assert [(r["full_name"], r["level"]) for r in listed][:2] == [
        ("Nguyễn Văn An", "failed"), ("Trần Văn Bảy", "good")]  # fmt: skip
    events = json.loads(run("member", "history", "1", "--format", "json").stdout)["events"]
    assert [(e["kind"], e["old"], e["new"]) for e in events if e["kind"] == "rated"][-1] == (
        "rated", "good", "failed")  # fmt: skip
    assert "Lý Văn Giàu" in run("rating", "list", "2024").stdout
    assert "Ấp Chợ" in run("rating", "summary", "2024").stdout


@pytest.mark.usefixtures("six")
@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["rating", "set", "2024", "1", "giỏi"], 2, "Mức xếp loại 'giỏi' không hợp lệ"),
        (["rating", "set", "2999", "1", "HTT"], 1, "Năm 2999 không hợp lệ"),
        (["rating", "set", "1999", "1", "HTT"], 1,
         "Đảng viên Nguyễn Văn An (mã 1) không có trong danh sách Đảng bộ năm 1999."),
        (["rating", "set", "2024", "77", "HTT"], 1, "Không có đảng viên mã hoặc số thẻ '77'."),
        (["rating", "set", "năm", "1", "HTT"], 2, "{năm}"),
    ],
)  # fmt: skip
def test_refusals_change_nothing(run: Run, db_path: Path, args: list, code: int, message: str):
    before = ratings_of(db_path)
    result = run(*args)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert ratings_of(db_path) == before


@pytest.mark.usefixtures("six")
def test_a_member_who_left_is_rated_for_years_on_the_roll(run: Run) -> None:
    assert run("member", "leave", "2", "--reason", "died", "--on", "01/03/2024").exit_code == 0
    assert run("rating", "set", "2023", "2", "HTT").exit_code == 0
    refused = run("rating", "set", "2025", "2", "HTT", "--score", "80")
    assert refused.exit_code == 1 and "năm 2025" in refused.stderr


@pytest.mark.usefixtures("six", "either_import_path")
def test_import_ratings(run: Run, db_path: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "xep-loai.csv"
    rows = ["Năm;Mã;Họ và tên;Xếp loại"] + [f"2024;{i};;HTTNV" for i in range(1, 5)]
    rows += ["2024;5;Võ Thị Em;HTXSNV", "2024;6;;xuất sắc"]
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    done = run("import", "ratings", str(sheet))
    assert done.exit_code == 0, done.output
    assert "thêm 6, cập nhật 0, không đổi 0" in done.stdout
    assert "quá 20 % của 4 hoàn thành tốt" in done.stderr
    assert "không đổi 6" in run("import", "ratings", str(sheet)).stdout
    changed = tmp_path / "sua.csv"
    changed.write_text("year,id,rating\n2024,6,HTT\n2024,7,HTT\n2030,1,HTT\n", encoding="utf-8")
    before = ratings_of(db_path)
    refused = run("import", "ratings", str(changed))
    assert refused.exit_code == 1
    assert "sua.csv:2: rating: đã có trong sổ là Lý Văn Giàu (mã 6)" in refused.stderr
    assert "sua.csv:3: id: không có đảng viên nào mang số '7' trong sổ" in refused.stderr
    assert "sua.csv:4: year: Năm 2030 không hợp lệ" in refused.stderr
    assert ratings_of(db_path) == before


@pytest.mark.usefixtures("six")
def test_a_cap_with_decimals_is_worded_in_the_message_language(run: Run, db_path: Path) -> None:
    # The cap was rounded to a whole number and worded in the domain code: 12.5 read "13".
    with sqlite3.connect(db_path) as c:
        c.execute("INSERT INTO settings VALUES ('excellent_cap_percent', '12.5')")
        c.execute("INSERT INTO settings VALUES ('rating_cap_unit', 'branch')")
    for member in ("1", "2", "3", "4", "5"):
        assert run("rating", "set", "2024", member, "HTTNV").exit_code == 0
    over = run("rating", "set", "2024", "6", "HTXSNV")
    assert over.stderr == ("Cảnh báo: chi bộ Ấp Chợ năm 2024 có 1 hoàn thành xuất sắc, quá 12,5 % "
                           "của 5 hoàn thành tốt.\n")  # fmt: skip
    again = run("--lang", "en", "rating", "set", "2024", "6", "HTXSNV")
    assert "more than 12.5% of the 5 rated good" in again.stderr
