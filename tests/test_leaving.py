"""Leaving the Party by status, and the sub-reason of a removal (#14 point 4).

Expulsion (khai trừ) and resignation (xin ra khỏi Đảng) apply to official members only
(Điều lệ Đảng 2011, art. 8 and 35; QĐ 294-QĐ/TW 2025, point 8); a probationary member no
longer worthy has the name removed (xóa tên; Điều lệ art. 5.3). Refusals are located, in
Vietnamese and English, and change nothing; imports refuse alike.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import DIEM, Run
from test_cli_member_life import AN, refused

from tanhung_cli.i18n import t


@pytest.fixture
def two(run: Run, branches: None) -> None:
    """Member 1: Diễm, official since 19/05/2001; member 2: An, admitted 29/02/2020."""
    assert run("member", "add", *DIEM).exit_code == 0
    assert run("member", "add", *AN).exit_code == 0


@pytest.mark.parametrize("reason", ["expelled", "resigned"])
def test_dieu_le_art_8_35_probationer_cannot_be_expelled_or_resign(
    run: Run, db_path: Path, two: None, reason: str
) -> None:
    """Điều lệ Đảng art. 8, 35 / QĐ 294-QĐ/TW point 8: official members only."""
    args = ["member", "leave", "2", "--reason", reason, "--on", "01/06/2020"]
    vi = t(f"leaving.official_only.{reason}", lang="vi", date="01/06/2020")
    refused(run, db_path, args, 1, f"Đảng viên mã 2 (Nguyễn Văn An): Lý do ra khỏi danh sách: {vi}")
    en = t(f"leaving.official_only.{reason}", lang="en", date="2020-06-01")
    refused(run, db_path, args, 1, f"(Nguyễn Văn An): left_reason: {en}", lang="en")


def test_dieu_le_art_8_status_is_read_at_the_leaving_date_boundary(
    run: Run, db_path: Path, two: None
) -> None:
    """Điều lệ art. 8: official from the end of probation (28/02/2021 for 29/02/2020):
    the day before, still a probationer; that day, official and may resign."""
    assert run("member", "confirm", "2", "--on", "01/03/2021").exit_code == 0
    args = ["member", "leave", "2", "--reason", "resigned", "--on", "27/02/2021"]
    refused(run, db_path, args, 1, "còn dự bị")
    ok = run("member", "leave", "2", "--reason", "resigned", "--on", "28/02/2021")
    assert ok.exit_code == 0, ok.output


def test_dieu_le_art_5_3_probationer_removed_with_its_sub_reason(
    run: Run, db_path: Path, two: None
) -> None:
    """Điều lệ art. 5.3: a probationer not confirmed has the name removed (xóa tên)."""
    done = run("member", "leave", "2", "--reason", "xóa tên", "--removal", "không công nhận"
               " chính thức", "--on", "01/03/2021")  # fmt: skip
    assert done.exit_code == 0, done.output
    with sqlite3.connect(db_path) as c:
        row = c.execute("SELECT left_reason, removal_reason FROM members WHERE id = 2").fetchone()
        kinds = c.execute("SELECT field, new FROM events WHERE member_id = 2 AND kind = 'left'")
        events = kinds.fetchall()
    assert row == ("removed", "not-confirmed")
    assert ("removal_reason", "not-confirmed") in events
    shown = json.loads(run("member", "show", "2", "--format", "json").stdout)
    assert shown["removal_reason"] == "Không được công nhận chính thức"


def test_qd_294_point_8_sub_reason_only_with_removal_and_not_confirmed_only_on_probation(
    run: Run, db_path: Path, two: None
) -> None:
    """QĐ 294-QĐ/TW point 8: the sub-reasons belong to a removal; "not confirmed" to a
    probationer; an unknown sub-reason is a usage error."""
    args = ["member", "leave", "1", "--reason", "died", "--removal", "abandoned"]
    refused(run, db_path, args, 1, t("leaving.removal_needs_removed", lang="vi"))
    args = ["member", "leave", "1", "--reason", "removed", "--removal", "not-confirmed",
            "--on", "01/01/2024"]  # fmt: skip
    refused(run, db_path, args, 1, "đã là chính thức")
    refused(run, db_path, ["member", "leave", "1", "--reason", "removed", "--removal", "xx"], 2,
            "Lý do xóa tên 'xx' không hợp lệ")  # fmt: skip
    ok = run("member", "leave", "1", "--reason", "removed", "--removal", "bỏ sinh hoạt")
    assert ok.exit_code == 0, ok.output


HEADER = "full_name,gender,birth_date,ethnicity,branch,admitted_on,official_on,left_on,left_reason,removal_reason"


def test_dieu_le_art_8_import_refuses_a_probationer_expelled(
    run: Run, db_path: Path, branches: None, tmp_path: Path
) -> None:
    """Điều lệ art. 8, 35: a member file says the same as `member leave`, located."""
    path = tmp_path / "roll.csv"
    path.write_text(
        f"{HEADER}\n"
        "Lê Văn Bé,Nam,01/01/1990,Kinh,Ấp Chợ,01/01/2020,,01/06/2020,khai trừ,\n"
        "Lê Văn Ba,Nam,01/01/1990,Kinh,Ấp Chợ,01/01/2015,01/01/2016,01/06/2020,khai trừ,\n"
        "Lê Thị Út,Nữ,01/01/1990,Kinh,Ấp Chợ,01/01/2020,,01/06/2020,xóa tên,bỏ sinh hoạt\n"
        "Lê Thị Tư,Nữ,01/01/1990,Kinh,Ấp Chợ,01/01/2015,01/01/2016,01/06/2020,từ trần,khác\n",
        encoding="utf-8",
    )
    with sqlite3.connect(db_path) as c:
        before = c.execute("SELECT count(*) FROM members").fetchone()
    result = run("import", "members", str(path))
    assert result.exit_code == 1, result.output
    vi = t("leaving.official_only.expelled", lang="vi", date="01/06/2020")
    assert f"roll.csv:2: left_reason: {vi}" in result.stderr, result.stderr
    assert f"roll.csv:5: removal_reason: {t('leaving.removal_needs_removed')}" in result.stderr
    assert "roll.csv:3" not in result.stderr and "roll.csv:4" not in result.stderr
    with sqlite3.connect(db_path) as c:
        assert c.execute("SELECT count(*) FROM members").fetchone() == before


def test_hd11_leavings_counted_by_reason_and_removal_sub_reason(
    sample_db: Path, tmp_path: Path
) -> None:
    """HD 11-HD/BTCTW 2021: died, removed, expelled, resigned are separate columns, and a
    removal counts under its sub-reason (QĐ 294-QĐ/TW point 8)."""
    import shutil

    from typer.testing import CliRunner

    from tanhung_cli import i18n
    from tanhung_cli.cli import app

    path = tmp_path / "tanhung.db"
    shutil.copy(sample_db, path)

    def report(*args: str, lang: str = "vi") -> str:
        result = CliRunner().invoke(app, ["--db", str(path), "--lang", lang, *args])
        i18n.set_lang("vi")
        assert result.exit_code == 0, result.output
        return result.stdout

    def counts() -> dict:
        data = json.loads(report("report", "leavings", "--term", "2015-2020", "-f", "json"))
        out = {e["reason"]: e["count"] for e in data["by_reason"]}
        removed = next(e for e in data["by_reason"] if e["reason"] == "removed")
        out |= {f"removed.{r['removal']}": r["count"] for r in removed["by_removal"] if r["count"]}
        return {**out, "total": data["total"]}

    assert counts() == {"died": 6, "removed": 2, "removed.None": 2, "expelled": 1,
                        "resigned": 1, "total": 10}  # fmt: skip
    with sqlite3.connect(path) as c:
        member = c.execute(
            "SELECT id FROM members WHERE left_on IS NULL AND official_on < '2019'"
            " AND joined_roll_on < '2020' ORDER BY id"
        ).fetchone()[0]
    report("member", "leave", str(member), "--reason", "removed", "--removal", "abandoned",
           "--on", "01/03/2020")  # fmt: skip
    assert counts()["removed.abandoned"] == 1 and counts()["total"] == 11
    table = report("report", "leavings", "--term", "2015-2020")
    assert "Bỏ sinh hoạt đảng" in table and "Khai trừ" in table
    assert "Abandoned party activity" in report(
        "report", "leavings", "--term", "2015-2020", lang="en"
    )


def test_dieu_le_art_8_a_correction_cannot_make_a_probationer_expelled(
    run: Run, db_path: Path, two: None
) -> None:
    """Điều lệ art. 8, 35: `member correct --reason` obeys the same rule; correcting a
    removal into a death clears its sub-reason, in the history."""
    gone = run("member", "leave", "2", "--reason", "removed", "--removal", "abandoned",
               "--on", "01/06/2020")  # fmt: skip
    assert gone.exit_code == 0, gone.output
    vi = t("leaving.official_only.expelled", lang="vi", date="01/06/2020")
    refused(run, db_path, ["member", "correct", "2", "--reason", "expelled"], 1, vi)
    assert run("member", "correct", "2", "--reason", "died").exit_code == 0
    with sqlite3.connect(db_path) as c:
        row = c.execute("SELECT left_reason, removal_reason FROM members WHERE id = 2").fetchone()
        cleared = c.execute(
            "SELECT old FROM events WHERE kind = 'corrected' AND field = 'removal_reason'"
        ).fetchall()
    assert row == ("died", None) and cleared == [("abandoned",)]


def test_dieu_le_art_8_check_finds_an_expelled_probationer_of_an_older_release(
    run: Run, db_path: Path, two: None
) -> None:
    """Điều lệ art. 8, 35: a registry written before this rule may hold an expelled
    probationer; `check` names the member and the column, in both languages."""
    with sqlite3.connect(db_path) as c:
        c.execute(
            "UPDATE members SET left_on = '2020-06-01', left_reason = 'expelled' WHERE id = 2"
        )
    found = run("check")
    vi = t("leaving.official_only.expelled", lang="vi", date="01/06/2020")
    assert f"Đảng viên mã 2 (Nguyễn Văn An): Lý do ra khỏi danh sách: {vi}" in found.output
    en = t("leaving.official_only.expelled", lang="en", date="2020-06-01")
    assert f"left_reason: {en}" in run("check", lang="en").output
