"""Education as separate scales (issue #14 point 11) and the THCS rule of admission.

Quy định 294-QĐ/TW (2025), Điều 1, point 1.2 "Về trình độ học vấn" (as Quy định
232-QĐ/TW, Điều 1, before it): the person admitted has finished lower secondary school
(bằng tốt nghiệp THCS trở lên); for mountain, island, ethnic-minority and hardship areas
and other cases the Secretariat's guidance (Hướng dẫn 06-HD/TW) allows, the requirement
is relaxed. The registry warns and records the exception; it does not refuse.
"""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tanhung_cli import education, storage
from tanhung_cli.i18n import t
from tests.conftest import Run, option_list
from tests.test_reports import SUMMARY_2020

NEW = (
    "--name", "Thạch Thị Mới", "--gender", "Nữ", "--born", "01/01/2000",
    "--ethnicity", "Khmer", "--branch", "Ấp Chợ", "--admitted", "10/03/2025",
    "--official", "10/03/2026",
)  # fmt: skip
THCS_WARNING = "below lower secondary (THCS), required for admission"


@pytest.fixture
def cho(run: Run) -> None:
    assert run("branch", "add", "Ấp Chợ", "--kind", "hamlet").exit_code == 0


@pytest.mark.parametrize(
    ("written", "stored", "level"),
    [
        ("5/12", "5/12", "primary"),
        ("8/12", "8/12", "primary"),
        ("9/12", "9/12", "lower-secondary"),
        ("Lớp 11/12", "11/12", "lower-secondary"),
        ("12/12", "12/12", "upper-secondary"),
        ("3/10", "3/10", "below-primary"),
        ("4/10", "4/10", "primary"),  # the 10-year system of the North: 4/10 ≡ 5/12
        ("7/10", "7/10", "lower-secondary"),  # 7/10 ≡ 9/12
        ("10/10", "10/10", "upper-secondary"),  # 10/10 ≡ 12/12
        ("THCS", "lower-secondary", "lower-secondary"),
        ("cấp 3", "upper-secondary", "upper-secondary"),
    ],
)
def test_general_education_is_kept_as_written_and_read_by_level(
    written: str, stored: str, level: str
) -> None:
    """A grade stays as the record writes it ("7/10" is not turned into "9/12"); the level
    it reaches is read by its system (12-year: 5/9/12, 10-year: 4/7/10 complete a level)."""
    general, professional, problem, _ = education.read_general(written)
    assert (general, professional, problem) == (stored, None, None)
    assert education.level(general) == level


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--education", "13/12", "'13/12' is not a grade of the 12-year system"),
        ("--education", "0/10", "'0/10' is not a grade of the 10-year system"),
        ("--education", "lớp chín", "'lớp chín' is not a known value"),
    ],
)
def test_a_bad_general_education_is_refused_and_says_where(
    run: Run, cho: None, option: str, value: str, expected: str
) -> None:
    added = run("member", "add", *option_list(NEW, admitted="10/03/2019"), option, value,
                lang="en")  # fmt: skip
    assert added.exit_code == 1
    assert f"general_education: {expected}" in added.stderr
    assert json.loads(run("member", "list", "-f", "json").stdout) == []


def test_an_old_single_value_goes_to_the_professional_scale(run: Run, cho: None) -> None:
    """`--education "Đại học"` (the single scale) is a professional level: read there, the
    general education left unknown rather than guessed."""
    added = run("member", "add", *option_list(NEW, admitted="10/03/2019"),
                "--education", "Đại học")  # fmt: skip
    assert added.exit_code == 0, added.output
    shown = json.loads(run("member", "show", "1", "-f", "json").stdout)
    assert (shown["general_education"], shown["professional_level"]) == (None, "Đại học")
    both = run("member", "add", *option_list(NEW, name="Lê Văn Hai", admitted="10/03/2019"),
               "--education", "Đại học", "--professional", "Thạc sĩ", lang="en")  # fmt: skip
    assert both.exit_code == 1
    assert "gives the professional level University, which differs from the professional" in (
        both.stderr
    )


def test_qd294_1_2_thcs_missing_is_a_warning_on_add(run: Run, cho: None) -> None:
    """Quy định 294-QĐ/TW, Điều 1 (1.2): a new member with 5/12 is admitted with a warning
    naming the requirement and how to record the exception."""
    added = run("member", "add", *NEW, "--education", "5/12", lang="en")
    assert added.exit_code == 0, added.output
    assert THCS_WARNING in added.stderr and "--education-exception" in added.stderr
    assert json.loads(run("member", "show", "1", "-f", "json").stdout)["general_education"] == (
        "5/12"
    )


@pytest.mark.parametrize(
    "extra",
    [
        ("--education", "9/12"),  # exactly THCS
        ("--education", "7/10"),  # THCS in the 10-year system
        ("--professional", "Trung cấp"),  # trung cấp admits only those with THCS
        ("--education", "5/12", "--education-exception", "Vùng đặc biệt khó khăn, QĐ 12-QĐ/ĐU"),
    ],
)
def test_qd294_1_2_thcs_met_or_excepted_is_not_warned(
    run: Run, cho: None, extra: tuple[str, ...]
) -> None:
    added = run("member", "add", *NEW, *extra, lang="en")
    assert added.exit_code == 0, added.output
    assert "THCS" not in added.stderr


@pytest.mark.parametrize(("admitted", "warned"), [("20/01/2025", True), ("19/01/2025", False)])
def test_qd294_1_2_only_admissions_from_the_setting_are_warned(
    run: Run, cho: None, admitted: str, warned: bool
) -> None:
    """The rule is checked on admissions from ``education_checked_from`` (default
    20/01/2025, Quy định 232-QĐ/TW) on; older records are history."""
    added = run("member", "add", *option_list(NEW, admitted=admitted), "--education", "5/12",
                lang="en")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert (THCS_WARNING in added.stderr) is warned


def test_the_rule_start_is_a_setting(run: Run, cho: None, db_path: Path) -> None:
    with closing(sqlite3.connect(db_path)) as c, c:
        c.execute(
            "INSERT INTO settings (key, value) VALUES ('education_checked_from', '2011-11-01')"
        )
    old = run("member", "add", *option_list(NEW, admitted="10/03/2019"), "--education", "5/12",
              lang="en")  # fmt: skip
    assert THCS_WARNING in old.stderr


def test_qd294_1_2_no_general_education_is_noted_on_add(run: Run, cho: None) -> None:
    added = run("member", "add", *NEW, lang="en")
    assert added.exit_code == 0
    assert t("education.not_recorded", lang="en") in added.stderr


def test_qd294_1_2_edit_warns_and_the_exception_clears_check(run: Run, cho: None) -> None:
    """An edit that lowers the education warns; `check` notes the admission until the
    exception is recorded."""
    assert run("member", "add", *NEW, "--education", "12/12").exit_code == 0
    edited = run("member", "edit", "1", "--education", "7/12", lang="en")
    assert edited.exit_code == 0, edited.output
    assert THCS_WARNING in edited.stderr
    check = run("check", lang="en")
    assert check.exit_code == 0, check.output
    assert (
        "Member 1 (Thạch Thị Mới): admitted on 2025-03-10 with general education 7/12, below"
        " lower secondary (THCS, required of admissions from 2025-01-20), and no"
        " exception recorded" in check.stderr
    )
    excepted = run("member", "edit", "1", "--education-exception", "Vùng đồng bào dân tộc "
                   "thiểu số (Hướng dẫn 06-HD/TW)", lang="en")  # fmt: skip
    assert excepted.exit_code == 0 and "THCS" not in excepted.stderr
    assert "Member 1" not in run("check", lang="en").stderr


def _file(tmp_path: Path, header: str, rows: list[tuple[str, str, str]]) -> Path:
    path = tmp_path / "old.csv"
    lines = [f"Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chi bộ,Ngày vào Đảng,{header}"]
    lines += [f"{name},Nam,01/01/1960,Kinh,Ấp Chợ,{admitted},{value}"
              for name, admitted, value in rows]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("header", ["Trình độ học vấn", "Học vấn", "education"])
def test_an_old_style_file_imports_each_value_on_its_scale(
    run: Run, cho: None, tmp_path: Path, header: str
) -> None:
    """A file of the single scale: "Đại học" goes to professional, "9/12" to general."""
    path = _file(tmp_path, header, [("Lê Văn Một", "01/01/1990", "Đại học"),
                                    ("Lê Văn Hai", "01/01/1991", "9/12"),
                                    ("Lê Văn Ba", "01/01/1992", "Trung cấp")])  # fmt: skip
    imported = run("import", "members", str(path))
    assert imported.exit_code == 0, imported.output
    listed = json.loads(run("export", "members", "-f", "json").stdout)
    got = {r["full_name"]: (r["general_education"], r["professional_level"]) for r in listed}
    assert got == {
        "Lê Văn Một": (None, "Đại học"),
        "Lê Văn Hai": ("9/12", None),
        "Lê Văn Ba": (None, "Trung cấp"),
    }


def test_a_bad_value_in_a_file_is_refused_located(run: Run, cho: None, tmp_path: Path) -> None:
    path = _file(tmp_path, "Giáo dục phổ thông", [("Lê Văn Sai", "01/01/1990", "10/12/1990")])
    result = run("import", "members", str(path), lang="en")
    assert result.exit_code == 1
    assert "old.csv:2: Giáo dục phổ thông: '10/12/1990' is not a known value" in result.stderr


@pytest.mark.parametrize("headers", ["en", "vi"])
def test_the_four_scales_round_trip_in_both_header_languages(
    run: Run, cho: None, tmp_path: Path, headers: str
) -> None:
    added = run("member", "add", *option_list(NEW, admitted="10/03/2019"), "--education",
                "7/10", "--professional", "Thạc sĩ", "--theory", "Trung cấp",
                "--foreign-language", "Tiếng Anh B1")  # fmt: skip
    assert added.exit_code == 0, added.output
    out = tmp_path / f"m.{headers}.csv"
    assert run("export", "members", "-o", str(out), "--headers", headers).exit_code == 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    names = (("Giáo dục phổ thông", "Chuyên môn nghiệp vụ", "Lý luận chính trị", "Ngoại ngữ")
             if headers == "vi" else ("general_education", "professional_level",
                                      "theory_level", "foreign_language"))  # fmt: skip
    assert all(name in header for name in names)
    other = ("--db", str(tmp_path / "other.db"))
    assert run(*other, "branch", "add", "Ấp Chợ").exit_code == 0
    assert run(*other, "import", "members", str(out)).exit_code == 0
    keys = ("general_education", "professional_level", "theory_level", "foreign_language")
    first = json.loads(run("member", "show", "1", "-f", "json").stdout)
    again = json.loads(run(*other, "member", "show", "1", "-f", "json").stdout)
    assert [again[k] for k in keys] == [first[k] for k in keys]
    assert [first[k] for k in keys] == ["7/10", "Thạc sĩ", "Trung cấp", "Tiếng Anh B1"]


def test_report_composition_shows_each_scale(run: Run, sample_db: Path, db_path: Path) -> None:
    """Issue #14 point 11: the general-education figure the statistics ask for, apart from
    the professional one; on the sample (30/06/2020, 301 members) every scale adds up."""
    shutil.copy(sample_db, db_path)
    data = json.loads(run("report", "composition", "--as-of", "30/06/2020", "-f", "json").stdout)
    general = {r["group"]: r["total"] for r in data["general_education"]}
    # The sample records school before a professional level (9/12 under a hamlet's trung cấp).
    assert general == {"Tiểu học": 42, "Trung học cơ sở": 77, "Trung học phổ thông": 182}
    professional = {r["group"]: r["total"] for r in data["professional_level"]}
    assert professional == {"Trung cấp": 54, "Cao đẳng": 11, "Đại học": 71, "": 165}
    for key in ("general_education", "professional_level", "theory_level", "foreign_language"):
        assert sum(r["total"] for r in data[key]) == 301
    table = run("report", "composition", "--as-of", "30/06/2020", lang="en").stdout
    for title in ("General education", "Professional qualification", "Foreign language"):
        assert title in table


def test_foreign_languages_are_grouped_as_written() -> None:
    counts = {
        "Tiếng Anh B1": {"men": 1, "women": 0},
        "tiếng anh  b1": {"men": 0, "women": 2},
        "Tiếng Khmer": {"men": 1, "women": 0},
        None: {"men": 5, "women": 5},
    }
    rows = education.language_groups(counts)
    assert [(name, c["men"] + c["women"]) for name, c in rows] == [
        ("Tiếng Anh B1", 3),
        ("Tiếng Khmer", 1),
        ("", 10),
    ]


def _as_release_11(path: Path) -> None:
    """The file as the release before education (schema 11) writes it: one education column, the
    general levels by code (the single scale read "9/12" as lower secondary)."""
    with closing(sqlite3.connect(path)) as c, c:
        c.execute(
            "UPDATE members SET general_education = coalesce(professional_level, CASE"
            " general_education WHEN '5/12' THEN 'primary' WHEN '9/12' THEN 'lower-secondary'"
            " WHEN '12/12' THEN 'upper-secondary' ELSE general_education END)"
        )
        c.execute("DROP INDEX IF EXISTS idx_members_composition")  # a later release's
        for column in ("professional_level", "foreign_language", "education_exception"):
            c.execute(f"ALTER TABLE members DROP COLUMN {column}")
        c.execute("ALTER TABLE members RENAME COLUMN general_education TO education")
        c.execute("DELETE FROM _sqlite_migrations WHERE name = 'm012_education'")
        c.execute("PRAGMA user_version = 11")


def test_a_release_11_registry_migrates_with_a_backup_and_keeps_every_value(
    run: Run, db_path: Path, sample_db: Path
) -> None:
    """Issue #14: a registry made by the current release opens, migrates with its automatic
    backup and keeps every figure; each education value lands on its own scale, none lost,
    and the general education the single scale never had is counted as unknown."""
    assert storage.SCHEMA_VERSION >= 12
    shutil.copy(sample_db, db_path)
    _as_release_11(db_path)
    with closing(sqlite3.connect(db_path)) as c:
        before = dict(c.execute("SELECT education, count(*) FROM members GROUP BY 1").fetchall())
    assert before == {"primary": 48, "lower-secondary": 43, "upper-secondary": 109,
                      "vocational": 66, "college": 14, "university": 99}  # fmt: skip
    summary = run("report", "summary", "-t", "2015-2020", "-f", "json")
    assert summary.exit_code == 0, summary.output
    assert json.loads(summary.stdout) == SUMMARY_2020
    copies = list(db_path.parent.glob("registry.before-schema-12.*.db"))
    assert len(copies) == 1
    with closing(sqlite3.connect(copies[0])) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == 11
    with closing(sqlite3.connect(db_path)) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == storage.SCHEMA_VERSION
        after = dict(
            c.execute(
                "SELECT coalesce(professional_level, general_education), count(*) FROM members"
                " GROUP BY 1"
            ).fetchall()
        )
        both = "SELECT count(*) FROM members WHERE general_education IS NOT NULL"
        assert c.execute(both + " AND professional_level IS NOT NULL").fetchone()[0] == 0
    assert after == before
    check = run("check", "--as-of", "30/06/2020", lang="en")
    assert check.exit_code == 0, check.output
    assert "179 members have a professional level but no general education recorded" in (
        check.stderr
    )


def test_qd294_1_2_a_readmission_is_an_admission_and_is_warned(run: Run, cho: None) -> None:
    """Re-admission (QĐ 294-QĐ/TW point 3.5) admits again: the THCS rule of point 1.2
    applies to it, though the first admission (2000, history) was not warned."""
    first = run("member", "add", *option_list(NEW, admitted="19/05/2000", official="19/05/2001",
                born="12/03/1975"), "--education", "5/12", lang="en")  # fmt: skip
    assert first.exit_code == 0 and "THCS" not in first.stderr
    gone = run("member", "leave", "1", "--reason", "removed", "--removal", "unpaid-dues",
               "--on", "01/01/2020")  # fmt: skip
    assert gone.exit_code == 0, gone.output
    again = run("member", "readmit", "1", "--on", "01/06/2025", "--consent", "12-CV/TU",
                lang="en")  # fmt: skip
    assert again.exit_code == 0, again.output
    assert THCS_WARNING in again.stderr
