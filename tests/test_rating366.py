"""The year's rating as Quy định 366-QĐ/TW (30/8/2025) asks (issue #15): a score out of
100 giving the grade (art. 11), the members not rated with why, the 20 % cap over the
committee, totals and percentages per grade, and the lists of runs of years."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from conftest import DIEM, Run, option_list

from tanhung_cli import storage

NAMES = ("Nguyễn Văn An", "Trần Văn Bảy", "Lê Thị Cúc", "Phạm Văn Dũng", "Võ Thị Em", "Lý Văn Giàu",
         "Đặng Văn Hải", "Bùi Thị Kim")  # fmt: skip


@pytest.fixture
def eight(run: Run, branches: None) -> None:
    """Eight members admitted in 2000: 1-4 in Ấp Chợ, 5-8 in Ấp Te Te 1."""
    for i, name in enumerate(NAMES):
        branch = "Ấp Chợ" if i < 4 else "Ấp Te Te 1"
        options = option_list(DIEM, name=name, card=f"0123456{i}", cccd=None, branch=branch)
        assert run("member", "add", *options).exit_code == 0, name


def ratings_of(db_path: Path) -> list[tuple]:
    with sqlite3.connect(db_path) as c:
        return c.execute("SELECT * FROM ratings ORDER BY member_id, year").fetchall()


def listed(run: Run, year: str = "2025") -> dict[int, tuple]:
    rows = json.loads(run("rating", "list", year, "--format", "json").stdout)
    return {r["id"]: (r["level"], r["score"], r.get("reason")) for r in rows}


@pytest.mark.usefixtures("eight")
@pytest.mark.parametrize(
    ("score", "grade"),
    [("100", "excellent"), ("90", "excellent"), ("89,99", "good"), ("89.5", "good"),
     ("70", "good"), ("69,9", "done"), ("50", "done"), ("49,99", "failed"), ("0", "failed")],
)  # fmt: skip
def test_qd366_art11_the_score_gives_the_grade_at_each_band_boundary(
    run: Run, score: str, grade: str
) -> None:
    """QĐ 366-QĐ/TW art. 11: xuất sắc from 90, tốt 70 to under 90, hoàn thành 50 to under
    70, không hoàn thành under 50; the score alone gives the grade."""
    done = run("rating", "set", "2025", "1", "--score", score)
    assert done.exit_code == 0, done.output
    value = float(score.replace(",", "."))
    assert listed(run)[1] == (grade, value, None)
    assert f"({score.replace('.', ',')} điểm)" in done.stdout


@pytest.mark.usefixtures("eight")
def test_qd366_art11_a_grade_above_the_score_is_refused_one_below_is_kept(
    run: Run, db_path: Path
) -> None:
    """QĐ 366-QĐ/TW art. 11 asks conditions beside the score: a grade may be lower than the
    score's band (e.g. a member disciplined), never higher."""
    refused = run("rating", "set", "2025", "1", "HTXSNV", "--score", "89,5")
    assert refused.exit_code == 1
    assert refused.stderr == (
        'Mức "Hoàn thành xuất sắc nhiệm vụ" cao hơn mức của 89,5 điểm ("Hoàn thành tốt'
        ' nhiệm vụ"; QĐ 366-QĐ/TW, Điều 11: từ 90 điểm xuất sắc, từ 70 tốt, từ 50 hoàn thành).\n'
    )
    assert ratings_of(db_path) == []
    assert run("rating", "set", "2025", "1", "HTXSNV", "--score", "90").exit_code == 0
    lower = run("rating", "set", "2025", "2", "HTNV", "--score", "95")
    assert lower.exit_code == 0, lower.output
    assert listed(run)[2] == ("done", 95.0, None)


@pytest.mark.usefixtures("eight")
def test_qd366_a_score_is_needed_from_2025_and_old_years_keep_a_grade_alone(run: Run) -> None:
    """QĐ 366-QĐ/TW (30/8/2025) rates 2025 by score; years rated under QĐ 132 / QĐ 124 keep
    their grade without one."""
    refused = run("rating", "set", "2025", "1", "HTTNV")
    assert refused.exit_code == 1
    assert "Từ năm 2025, xếp loại theo Quy định 366-QĐ/TW cần có điểm" in refused.stderr
    assert run("rating", "set", "2024", "1", "HTTNV").exit_code == 0
    assert listed(run, "2024")[1] == ("good", None, None)
    for bad in ("101", "92,555", "chín mươi", "-5"):
        result = run("rating", "set", "2025", "1", "--score", bad)
        assert result.exit_code == 2 and "Điểm" in result.output, bad
    english = run("--lang", "en", "rating", "set", "2025", "1", "--score", "100,5")
    assert "Score '100,5' is not valid: from 0 to 100" in english.output


@pytest.mark.usefixtures("eight")
def test_qd366_new_members_rated_from_exactly_six_months(run: Run, db_path: Path) -> None:
    """Members admitted fewer than 6 months before the rating date (31/12) are not rated;
    admitted 30/06/2025, exactly six months before 31/12/2025, they are."""
    for name, day in (("Hồ Văn Sáu", "30/06/2025"), ("Hồ Văn Bảy", "01/07/2025")):
        options = option_list(DIEM, name=name, admitted=day, official=None, card=None, cccd=None)
        assert run("member", "add", *options).exit_code == 0
    assert run("rating", "set", "2025", "9", "--score", "80").exit_code == 0
    refused = run("rating", "set", "2025", "10", "--score", "80")
    assert refused.exit_code == 1
    assert refused.stderr == (
        "Đảng viên Hồ Văn Bảy (mã 10) không xếp loại năm 2025: kết nạp chưa đủ 6 tháng"
        " tính đến ngày xếp loại.\n"
    )
    assert listed(run)[10] == (None, None, "new")
    text = run("rating", "list", "2025").stdout
    assert "Không xếp loại: kết nạp chưa đủ 6 tháng tính đến ngày xếp loại" in text
    with sqlite3.connect(db_path) as c:  # an office rating at 30/11 (setting rating_day)
        c.execute("INSERT INTO settings VALUES ('rating_day', '11-30')")
    assert listed(run)[9] == ("good", 80.0, None)  # rated stays rated
    unrated = json.loads(run("rating", "summary", "2025", "-f", "json").stdout)["not_rated"]
    assert [m["id"] for m in unrated] == [10]
    with sqlite3.connect(db_path) as c:  # an office waiting 7 months (rating_new_months)
        c.execute("INSERT INTO settings VALUES ('rating_new_months', '7')")
    english = run("--lang", "en", "rating", "set", "2025", "10", "--score", "80")
    assert "admitted less than 7 months before the rating date" in english.stderr
    assert "chưa đủ 7 tháng" in run("rating", "summary", "2025", "-f", "markdown").stdout


@pytest.mark.usefixtures("eight")
def test_qd366_exempt_and_transferred_in_late_are_listed_not_rated(run: Run) -> None:
    """Exempted members (miễn công tác và sinh hoạt đảng) and members transferred in fewer
    than 6 months before 31/12 are listed with the reason, not rated."""
    assert run("member", "exempt", "3", "--on", "01/03/2025", "--note", "Tuổi cao").exit_code == 0
    moved = option_list(DIEM, name="Tạ Văn Tới", card="01234599", cccd=None)
    assert run("member", "transfer-in", "--from", "Xã Tân Hòa", "--on", "01/09/2025",
               *moved).exit_code == 0  # fmt: skip
    refused = run("rating", "set", "2025", "3", "--score", "95")
    assert refused.exit_code == 1 and "được miễn công tác và sinh hoạt đảng" in refused.stderr
    refused = run("--lang", "en", "rating", "set", "2025", "9", "--score", "95")
    assert "is not rated for 2025: transferred in less than 6 months" in refused.stderr
    shown = listed(run)
    assert (shown[3], shown[9]) == ((None, None, "exempt"), (None, None, "transferred_in"))
    assert run("rating", "set", "2024", "3", "HTTNV").exit_code == 0  # before QĐ 366: as recorded


@pytest.mark.usefixtures("eight")
def test_qd366_a_suspended_member_is_recorded_not_rated(run: Run, db_path: Path) -> None:
    """Suspension (đình chỉ sinh hoạt đảng) is not in the registry: the clerk records it."""
    done = run("rating", "exclude", "2025", "4", "--reason", "suspended", "--note", "QĐ 5-QĐ/ĐU")
    assert done.exit_code == 0, done.output
    assert done.stdout == (
        "Đã ghi Phạm Văn Dũng (mã 4) không xếp loại năm 2025: bị đình chỉ sinh hoạt đảng.\n"
    )
    before = ratings_of(db_path)
    refused = run("rating", "set", "2025", "4", "--score", "75")
    assert refused.exit_code == 1 and "bị đình chỉ sinh hoạt đảng" in refused.stderr
    assert ratings_of(db_path) == before
    summary = json.loads(run("rating", "summary", "2025", "-f", "json").stdout)
    assert summary["not_rated"] == [{"year": 2025, "id": 4, "full_name": "Phạm Văn Dũng",
        "branch_id": 1, "branch": "Ấp Chợ", "note": "QĐ 5-QĐ/ĐU", "reason": "suspended",
        "months": None}]  # fmt: skip
    assert run("rating", "exclude", "2025", "5", "--reason", "other").exit_code == 2
    assert run("rating", "set", "2025", "5", "--score", "75").exit_code == 0
    again = run("rating", "exclude", "2025", "5")
    assert again.exit_code == 1 and "đã được xếp loại năm 2025" in again.stderr
    assert run("rating", "exclude", "2025", "4", "--undo").exit_code == 0
    assert run("rating", "set", "2025", "4", "--score", "75").exit_code == 0
    undo = run("rating", "exclude", "2025", "4", "--undo")
    assert undo.exit_code == 1 and "không có lý do không xếp loại" in undo.stderr


def _rate(run: Run, year: str, grades: dict[str, str]) -> None:
    for member, grade in grades.items():
        score = {"excellent": "95", "good": "80", "done": "60", "failed": "40"}[grade]
        args = ["--score", score] if int(year) >= 2025 else [grade]
        result = run("rating", "set", year, member, *args)
        assert result.exit_code == 0, result.output


@pytest.mark.usefixtures("eight")
def test_qd366_cap_over_the_committee_with_branch_rows_beside(run: Run, db_path: Path) -> None:
    """The 20 % cap on "xuất sắc" of those rated "tốt" over the whole committee: 1 of 5 is
    20 % exactly, within; Ấp Chợ alone (1 of 3) would be over, which counts only when the
    unit is set to the branch. Totals and percentages per grade."""
    _rate(run, "2025", {"1": "excellent", "2": "good", "3": "good", "4": "good", "5": "good",
                        "6": "good", "7": "done", "8": "failed"})  # fmt: skip
    data = json.loads(run("rating", "summary", "2025", "-f", "json").stdout)
    assert data["over_cap"] is False and data["cap_unit"] == "committee"
    total = data["total"]
    assert (total["rated"], total["excellent"], total["good"], total["done"], total["failed"]) == (
        8, 1, 5, 1, 1)  # fmt: skip
    assert (total["percent_excellent"], total["percent_good"], total["percent_done"]) == (
        12.5, 62.5, 12.5)  # fmt: skip
    chợ, te_te = data["branches"]
    assert (chợ["branch"], chợ["rated"], chợ["over_cap"]) == ("Ấp Chợ", 4, True)
    assert (te_te["rated"], te_te["percent_good"], te_te["percent_failed"]) == (4, 50.0, 25.0)
    text = run("rating", "summary", "2025").stdout
    assert "Hoàn thành xuất sắc: 1 trên 5 hoàn thành tốt (20,0 %)" in text
    assert "tính trên toàn Đảng bộ. Trong tỷ lệ." in text
    assert "Toàn Đảng bộ" in text and "62,5 %" in text
    over = run("rating", "set", "2025", "5", "--score", "90")
    assert over.stderr == ("Cảnh báo: toàn Đảng bộ năm 2025 có 2 hoàn thành xuất sắc, quá 20 % "
                           "của 4 hoàn thành tốt.\n")  # fmt: skip
    with sqlite3.connect(db_path) as c:
        c.execute("INSERT INTO settings VALUES ('rating_cap_unit', 'branch')")
    per_branch = run("rating", "set", "2025", "5", "--score", "91")
    assert "chi bộ Ấp Te Te 1 năm 2025 có 1 hoàn thành xuất sắc, quá 20 % của 1" in (
        per_branch.stderr)  # fmt: skip


@pytest.mark.usefixtures("eight")
def test_runs_of_years_and_none_said_in_every_format(run: Run, tmp_path: Path) -> None:
    """Listed for the committee: "xuất sắc" five years running (2021-2025, scored or not)
    and "không hoàn thành" two years running; an empty list says "none"."""
    for year in ("2021", "2022", "2023", "2024", "2025"):
        _rate(run, year, {"1": "excellent", "2": "excellent" if year != "2021" else "good"})
    data = json.loads(run("rating", "summary", "2025", "-f", "json").stdout)
    assert [m["full_name"] for m in data["excellent_five_years"]] == ["Nguyễn Văn An"]
    assert data["failed_twice"] == [] and data["not_rated"] == []
    text = run("rating", "summary", "2025").stdout
    assert "(2021–2025)" in text
    assert text.count("Không có.") == 2  # not rated, failed two years running
    english = run("--lang", "en", "rating", "summary", "2025", "-f", "markdown").stdout
    assert "## Excellent five years running (2021–2025)" in english
    assert english.count("None.") == 2
    csv_text = run("rating", "summary", "2025", "-f", "csv", lang="en").stdout
    assert csv_text.splitlines()[0].startswith("section,branch,rated,excellent,percent_excellent")
    assert "None" not in csv_text and "Không có" not in csv_text
    page = tmp_path / "xep-loai.html"
    assert run("rating", "summary", "2025", "--output", str(page)).exit_code == 0
    assert "Nguyễn Văn An" in page.read_text(encoding="utf-8")
    _rate(run, "2024", {"8": "failed"})
    _rate(run, "2025", {"8": "failed"})
    data = json.loads(run("rating", "summary", "2025", "-f", "json").stdout)
    assert [m["id"] for m in data["failed_twice"]] == [8]


@pytest.mark.usefixtures("eight", "either_import_path")
def test_qd366_import_and_export_carry_the_score_in_both_header_languages(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "xep-loai.csv"
    sheet.write_text("Năm;Mã;Họ và tên;Xếp loại;Điểm\n2025;1;;;92,5\n2025;2;;HTTNV;89\n"
                     "2025;3;;HTNV;95\n2024;4;;HTTNV;\n", encoding="utf-8")  # fmt: skip
    done = run("import", "ratings", str(sheet))
    assert done.exit_code == 0, done.output
    assert "thêm 4, cập nhật 0, không đổi 0" in done.stdout
    assert listed(run)[1] == ("excellent", 92.5, None)
    assert listed(run, "2024")[4] == ("good", None, None)
    bad = tmp_path / "sai.csv"
    bad.write_text("year,id,rating,score\n2025,5,HTXSNV,80\n2025,6,HTT,\n2025,7,,abc\n"
                   "2025,8,,\n", encoding="utf-8")  # fmt: skip
    before = ratings_of(db_path)
    refused = run("import", "ratings", str(bad))
    assert refused.exit_code == 1
    assert 'sai.csv:2: score: Mức "Hoàn thành xuất sắc nhiệm vụ" cao hơn mức của 80 điểm' in (
        refused.stderr)  # fmt: skip
    assert "sai.csv:3: score: Từ năm 2025, xếp loại theo Quy định 366-QĐ/TW cần có điểm" in (
        refused.stderr)  # fmt: skip
    assert "sai.csv:4: score: Điểm 'abc' không hợp lệ" in refused.stderr
    assert "sai.csv:5: rating:" in refused.stderr
    assert ratings_of(db_path) == before
    assert run("member", "exempt", "8", "--on", "01/03/2025").exit_code == 0
    for headers in ("vi", "en"):
        exported = run("rating", "list", "2025", "-f", "csv", "--headers", headers).stdout
        first = exported.splitlines()[0]
        assert first == ("Năm,Mã,Họ và tên,Chi bộ,Xếp loại,Điểm,Không xếp loại" if headers == "vi"
                         else "year,id,full_name,branch,rating,score,not_rated")  # fmt: skip
        assert exported.splitlines()[-1].endswith(",exempt")
        back = tmp_path / f"back-{headers}.csv"
        back.write_text(exported, encoding="utf-8")
        again = run("import", "ratings", str(back))
        assert again.exit_code == 0, again.output
        assert "thêm 0, cập nhật 0, không đổi 3" in again.stdout
    unrated = tmp_path / "mien.csv"
    unrated.write_text("year,id,score\n2025,8,70\n", encoding="utf-8")
    refused = run("import", "ratings", str(unrated))
    assert "mien.csv:2: year: Đảng viên Bùi Thị Kim (mã 8) không xếp loại năm 2025" in (
        refused.stderr)  # fmt: skip


def _as_release_13(path: Path) -> None:
    """Turn a registry into what the release before scores (schema 13) writes:
    ratings without a score, no recorded reasons not to rate."""
    with closing(sqlite3.connect(path)) as c, c:
        c.execute("ALTER TABLE ratings DROP COLUMN score")
        c.execute("DROP TABLE rating_exclusions")
        c.execute("DELETE FROM _sqlite_migrations WHERE name = 'm014_rating'")
        c.execute("PRAGMA user_version = 13")


def test_a_release_13_registry_migrates_keeping_every_rating(
    sample_db: Path, db_path: Path, run: Run
) -> None:
    """The sample with ratings of 2019 as the current release keeps them: it opens, migrates
    after a backup, keeps every rating (grade, branch) with no score, and its figures."""
    shutil.copy(sample_db, db_path)
    for member, grade in (("12", "HTXSNV"), ("20", "KHTNV"), ("21", "HTTNV")):
        assert run("rating", "set", "2019", member, grade).exit_code == 0
    before = ratings_of(db_path)
    figures = run("report", "summary", "-t", "2015-2020", "-f", "json").stdout
    _as_release_13(db_path)
    listed_2019 = run("rating", "list", "2019", "-f", "json")  # opening migrates
    assert listed_2019.exit_code == 0, listed_2019.output
    assert sorted((r["id"], r["level"], r["score"]) for r in json.loads(listed_2019.stdout)) == [
        (12, "excellent", None), (20, "failed", None), (21, "good", None)]  # fmt: skip
    assert len(list(db_path.parent.glob("registry.before-schema-14.*.db"))) == 1
    assert [row[:4] for row in ratings_of(db_path)] == [row[:4] for row in before]
    assert run("report", "summary", "-t", "2015-2020", "-f", "json").stdout == figures
    with closing(sqlite3.connect(db_path)) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == storage.SCHEMA_VERSION
