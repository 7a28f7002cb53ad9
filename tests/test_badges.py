"""The register of Party badges (issue #15): awards, refusals, `due`, the member's sheet
and the roster, import and export, migration.

The rules are those of Hướng dẫn 01-HD/TW (2021) point 18 (following QĐ 29-QĐ/TW, 2016,
point 27.3): badges of 30, 40, 45 … 90 years of party age, presented on 3/2, 19/5, 2/9 and
7/11; an early award for serious illness at most 12 months early (24 from the 70-year
badge); a posthumous award (truy tặng) for a member who died at most 12 months before
reaching the level.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from conftest import DIEM, Run, option_list

from tanhung_cli import storage
from tanhung_cli.i18n import t


@pytest.fixture
def members(run: Run, branches: None) -> None:
    """1: reaches 30 years on 19/05/2025 (a presentation day); 2: reaches 70 on 19/05/2025;
    3: admitted with 1, to die in the tests; 4: reaches 30 years on 10/01/2025."""
    people = (
        ("Nguyễn Văn An", "19/05/1995", "19/05/1996", "01111111", "12/03/1960"),
        ("Trần Văn Bảy", "19/05/1955", "19/05/1956", "02222222", "12/03/1930"),
        ("Lê Văn Cúc", "19/05/1995", "19/05/1996", "03333333", "12/03/1960"),
        ("Phạm Văn Dũng", "10/01/1995", "10/01/1996", "04444444", "12/03/1960"),
    )
    for name, admitted, official, card, born in people:
        options = option_list(
            DIEM,
            name=name,
            admitted=admitted,
            official=official,
            card=card,
            cccd=None,
            born=born,
            gender="Nam",
        )
        done = run("member", "add", *options)
        assert done.exit_code == 0, done.output


def rows(db_path: Path, table: str = "badges") -> list[tuple]:
    with closing(sqlite3.connect(db_path)) as c:
        return c.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()


def refused(run: Run, db_path: Path, *args: str) -> str:
    """Run a refused award: exit 1, one line, nothing changed; its message."""
    before = (rows(db_path), rows(db_path, "audit"))
    done = run("badge", "award", *args)
    assert done.exit_code == 1, done.output
    assert "Traceback" not in done.output
    assert (rows(db_path), rows(db_path, "audit")) == before
    return done.output.strip()


@pytest.mark.usefixtures("members")
def test_hd01_point18_a_badge_on_the_presentation_day_the_level_is_reached(
    run: Run, db_path: Path
) -> None:
    """Reached exactly on 19/05/2025, a presentation day: awarded that day, no warning."""
    done = run(
        "badge",
        "award",
        "1",
        "--years",
        "30",
        "--on",
        "19/05/2025",
        "--number",
        "000123",
        "--decision",
        "45-QĐ/HU",
    )
    assert done.exit_code == 0, done.output
    assert done.stderr == ""
    [row] = rows(db_path)
    assert row[1:8] == (1, 30, "2025-05-19", "000123", "45-QĐ/HU", "regular", None)
    with closing(sqlite3.connect(db_path)) as c:
        event = c.execute("SELECT kind, new, note FROM events WHERE kind = 'badge'").fetchone()
        audit = c.execute("SELECT action FROM audit ORDER BY id DESC").fetchone()
    assert event == ("badge", "30", "000123") and audit == ("award_badge",)


@pytest.mark.usefixtures("members")
def test_hd01_point18_a_level_not_reached_by_the_date_is_refused(run: Run, db_path: Path) -> None:
    message = refused(run, db_path, "1", "--years", "30", "--on", "18/05/2025")
    assert message == t(
        "badge.not_reached",
        name="Nguyễn Văn An",
        id=1,
        years=30,
        on="18/05/2025",
        reach="19/05/2025",
    )


@pytest.mark.usefixtures("members")
def test_hd01_point18_early_award_exactly_12_months_early_is_allowed_one_day_more_refused(
    run: Run, db_path: Path
) -> None:
    """Serious illness: the 30-year badge at most 12 months before 19/05/2025."""
    message = refused(run, db_path, "1", "--years", "30", "--on", "18/05/2024", "--early", "ốm")
    assert "12 tháng" in message and "HD 01-HD/TW" in message
    done = run("badge", "award", "1", "--years", "30", "--on", "19/05/2024", "--early", "ốm nặng")
    assert done.exit_code == 0, done.output
    assert rows(db_path)[0][6:8] == ("early", "ốm nặng")


@pytest.mark.usefixtures("members")
def test_hd01_point18_early_award_from_70_years_exactly_24_months_early(
    run: Run, db_path: Path
) -> None:
    refused(run, db_path, "2", "--years", "70", "--on", "18/05/2023", "--early", "ốm nặng")
    done = run("badge", "award", "2", "--years", "70", "--on", "19/05/2023", "--early", "ốm nặng")
    assert done.exit_code == 0, done.output


@pytest.mark.usefixtures("members")
def test_an_early_award_needs_its_reason_and_a_reached_level_is_not_early(
    run: Run, db_path: Path
) -> None:
    assert refused(run, db_path, "1", "--years", "30", "--on", "19/05/2024", "--early", " ") == (
        t("badge.early_reason_required")
    )
    message = refused(run, db_path, "1", "--years", "30", "--on", "19/05/2025", "--early", "ốm")
    assert message.startswith("Đảng viên Nguyễn Văn An (mã 1) đã đủ 30 năm")


@pytest.mark.usefixtures("members")
@pytest.mark.parametrize(("died", "allowed"), [("19/05/2024", True), ("18/05/2024", False)])
def test_hd01_point18_posthumous_award_died_exactly_12_months_before_the_level(
    run: Run, db_path: Path, died: str, allowed: bool
) -> None:
    """Truy tặng: died at most 12 months before reaching 30 years (19/05/2025)."""
    assert run("member", "leave", "3", "--reason", "died", "--on", died).exit_code == 0
    refused(run, db_path, "3", "--years", "30", "--on", "02/09/2024")  # not posthumous
    args = ("3", "--years", "30", "--on", "02/09/2024", "--posthumous")
    if allowed:
        done = run("badge", "award", *args)
        assert done.exit_code == 0, done.output
        assert "truy tặng" in done.stdout
        assert rows(db_path)[0][6] == "posthumous"
    else:
        assert "không truy tặng được" in refused(run, db_path, *args)


@pytest.mark.usefixtures("members")
def test_posthumous_only_for_a_member_who_died_and_not_before_the_death(
    run: Run, db_path: Path
) -> None:
    message = refused(run, db_path, "1", "--years", "30", "--on", "19/05/2025", "--posthumous")
    assert message == t("badge.not_dead", name="Nguyễn Văn An", id=1, years=30)
    assert run("member", "leave", "3", "--reason", "died", "--on", "19/05/2024").exit_code == 0
    refused(run, db_path, "3", "--years", "30", "--on", "03/02/2024", "--posthumous")


@pytest.mark.usefixtures("members")
def test_a_level_held_a_number_used_and_an_unknown_level_are_refused(
    run: Run, db_path: Path
) -> None:
    args = ("--years", "30", "--on", "19/05/2025", "--number", "000123")
    assert run("badge", "award", "1", *args).exit_code == 0
    assert "đã được tặng Huy hiệu 30 năm tuổi đảng ngày 19/05/2025" in refused(
        run, db_path, "1", *args
    )
    assert refused(run, db_path, "4", *args) == t(
        "badge.number_taken", number="000123", name="Nguyễn Văn An"
    )
    assert "Không có Huy hiệu 35 năm" in refused(run, db_path, "4", "--years", "35")
    english = run("badge", "award", "4", *args, lang="en")
    assert english.exit_code == 1
    assert "Badge number 000123 is already recorded for Nguyễn Văn An." in english.output


@pytest.mark.usefixtures("members")
def test_a_day_that_is_not_a_presentation_day_is_a_warning_not_a_refusal(
    run: Run, db_path: Path
) -> None:
    """Offices present on other days too (HD 01-HD/TW point 18: "và các dịp kỷ niệm quan
    trọng khác"): recorded, with a warning on stderr."""
    done = run("badge", "award", "4", "--years", "30", "--on", "15/01/2025")
    assert done.exit_code == 0, done.output
    assert "không phải ngày trao Huy hiệu thường lệ" in done.stderr
    assert len(rows(db_path)) == 1


@pytest.mark.usefixtures("members")
def test_void_keeps_the_record_marked_and_frees_the_level_and_number(
    run: Run, db_path: Path
) -> None:
    args = ("--years", "30", "--on", "19/05/2025", "--number", "7")
    assert run("badge", "award", "1", *args).exit_code == 0
    assert run("badge", "void", "1", "--years", "30").exit_code == 2  # the reason is needed
    assert run("badge", "void", "1", "--years", "30", "--reason", "nhầm người").exit_code == 0
    assert json.loads(run("badge", "list", "-f", "json").stdout) == []
    assert rows(db_path)[0][-1] == "nhầm người"
    assert run("badge", "award", "1", *args).exit_code == 0
    assert len(json.loads(run("badge", "list", "-f", "json").stdout)) == 1


@pytest.mark.usefixtures("members")
def test_due_leaves_out_levels_awarded_and_lists_posthumous_and_missed(run: Run) -> None:
    def due(*extra: str) -> dict:
        done = run("due", "--as-of", "01/05/2025", "--within", "30", "-f", "json", *extra)
        assert done.exit_code == 0, done.output
        return json.loads(done.stdout)

    assert [(b["id"], b["years"]) for b in due()["badges"]] == [(1, 30), (2, 70), (3, 30)]
    assert run("badge", "award", "2", "--years", "70", "--on", "19/05/2023", "--early", "ốm")
    assert [(b["id"], b["years"]) for b in due()["badges"]] == [(1, 30), (3, 30)]
    # Cúc died 19/05/2024, exactly 12 months before her 30 years: owed posthumously at
    # the first presentation date after the death (2/9/2024), now past: missed.
    assert run("member", "leave", "3", "--reason", "died", "--on", "19/05/2024").exit_code == 0
    assert due()["posthumous"] == []
    missed = {(m["id"], m["years"]): m for m in due("--missed")["missed"]}
    assert set(missed) == {(3, 30), (4, 30)}  # Dũng reached 30 on 10/01/2025: 3/2 passed
    assert (missed[(4, 30)]["presented_on"], missed[(4, 30)]["months"]) == ("2025-02-03", 2)
    assert missed[(3, 30)]["presented_on"] == "2024-09-02"
    posthumous = run("due", "--as-of", "01/06/2024", "--within", "120", "-f", "json").stdout
    [case] = json.loads(posthumous)["posthumous"]
    assert (case["id"], case["years"], case["died_on"], case["reaches_on"]) == (
        3,
        30,
        "2024-05-19",
        "2025-05-19",
    )
    table = run("due", "--as-of", "01/05/2025", "--within", "30", "--missed").stdout
    assert "Huy hiệu Đảng chưa trao" in table and "2 tháng trước" in table
    assert run("badge", "award", "4", "--years", "30", "--on", "03/02/2025").exit_code == 0
    assert {(m["id"], m["years"]) for m in due("--missed")["missed"]} == {(3, 30)}


@pytest.mark.usefixtures("members")
def test_member_show_and_the_roster_show_the_badge_number(run: Run) -> None:
    roster = run("report", "roster", "--as-of", "01/06/2025").stdout
    assert "Huy hiệu" not in roster  # no badge recorded: the roster as before
    args = ("--years", "30", "--on", "19/05/2025", "--number", "000123")
    assert run("badge", "award", "1", *args).exit_code == 0
    assert "30 năm (số 000123, 19/05/2025)" in run("member", "show", "1").stdout
    shown = json.loads(run("member", "show", "1", "-f", "json").stdout)
    assert shown["badges"][0]["badge_no"] == "000123"
    assert "30 năm, số 000123" in run("report", "roster", "--as-of", "01/06/2025").stdout
    # The roster at an earlier date shows the badges presented by then: none.
    assert "000123" not in run("report", "roster", "--as-of", "01/05/2025").stdout


@pytest.mark.usefixtures("members")
@pytest.mark.parametrize("headers", ["en", "vi"])
@pytest.mark.parametrize("ending", ["csv", "xlsx"])
def test_export_then_import_badges_round_trip(
    run: Run, db_path: Path, tmp_path: Path, headers: str, ending: str
) -> None:
    assert (
        run(
            "badge",
            "award",
            "1",
            "--years",
            "30",
            "--on",
            "19/05/2025",
            "--number",
            "0012",
            "--decision",
            "45-QĐ/HU",
        ).exit_code
        == 0
    )
    assert (
        run(
            "badge", "award", "2", "--years", "70", "--on", "19/05/2023", "--early", "ốm nặng"
        ).exit_code
        == 0
    )
    out = tmp_path / f"huy-hieu.{ending}"
    assert run("export", "badges", "-o", str(out), "--headers", headers).exit_code == 0
    before = sorted(r[1:] for r in rows(db_path))
    with closing(sqlite3.connect(db_path)) as c, c:
        c.execute("DELETE FROM badges")
    done = run("import", "badges", str(out))
    assert done.exit_code == 0, done.output
    assert sorted(r[1:] for r in rows(db_path)) == before
    again = run("import", "badges", str(out))
    assert "không đổi 2" in again.output and sorted(r[1:] for r in rows(db_path)) == before


@pytest.mark.usefixtures("members")
def test_import_badges_refuses_located_rows_and_writes_nothing(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "huy-hieu.csv"
    path.write_text(
        "Số thẻ đảng viên,Huy hiệu,Ngày trao,Số huy hiệu,Loại,Ghi chú\n"
        "01111111,30,19/05/2025,1,đúng hạn,\n"
        "04444444,30,03/02/2025,1,,\n"
        "02222222,70,19/05/2023,,tặng sớm,\n"
        "03333333,30,03/02/2025,,,\n"
        "04444444,ba mươi,03/02/2025,,,\n",
        encoding="utf-8",
    )
    done = run("import", "badges", str(path))
    assert done.exit_code == 1
    lines = done.output.strip().splitlines()
    assert lines[0].startswith("huy-hieu.csv:3: Số huy hiệu:")
    assert lines[1].startswith("huy-hieu.csv:4: Ghi chú: Tặng sớm cần ghi lý do")
    assert lines[2].startswith("huy-hieu.csv:5: Ngày trao: Đảng viên Lê Văn Cúc (mã 3) chưa đủ")
    assert lines[3].startswith("huy-hieu.csv:6: Huy hiệu: Mức huy hiệu 'ba mươi'")
    assert rows(db_path) == []


def test_a_release_14_registry_migrates_and_keeps_its_figures(
    sample_db: Path, db_path: Path, run: Run
) -> None:
    """The sample as the release before the register writes it (schema 14): it opens,
    migrates after a backup, has an empty register, and prints the same figures."""
    shutil.copy(sample_db, db_path)
    figures = run("report", "summary", "-t", "2015-2020", "-f", "json").stdout
    due = run("due", "--as-of", "01/01/2020", "-f", "json").stdout
    with closing(sqlite3.connect(db_path)) as c, c:
        c.execute("DROP TABLE badges")
        c.execute("DELETE FROM _sqlite_migrations WHERE name = 'm015_badges'")
        c.execute("PRAGMA user_version = 14")
    listed = run("badge", "list", "-f", "json")  # opening migrates
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.stdout) == []
    assert len(list(db_path.parent.glob("registry.before-schema-15.*.db"))) == 1
    assert run("report", "summary", "-t", "2015-2020", "-f", "json").stdout == figures
    assert run("due", "--as-of", "01/01/2020", "-f", "json").stdout == due
    with closing(sqlite3.connect(db_path)) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == storage.SCHEMA_VERSION >= 15
