"""Admission's dates in member files (both header languages) and in a registry of the
current release (schema 7) migrated to this one; the age reading as a setting."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tanhung_cli import storage
from tests.conftest import Run
from tests.test_reports import SUMMARY_2020

DATES = ("branch_met_on", "committee_met_on", "admitted_on", "ceremony_on", "official_on")
VI = ("Ngày chi bộ xét kết nạp", "Ngày đảng ủy xét kết nạp", "Ngày vào Đảng", "Ngày lễ kết nạp")


def _admitted(run: Run) -> None:
    assert run("branch", "add", "Ấp Chợ", "--kind", "hamlet").exit_code == 0
    added = run("member", "add", "--name", "Lê Văn Lễ", "--gender", "Nam", "--born",
                "01/01/1990", "--ethnicity", "Kinh", "--branch", "Ấp Chợ",
                "--branch-met", "20/02/2023", "--committee-met", "01/03/2023",
                "--admitted", "10/03/2023", "--ceremony", "05/04/2023",
                "--official", "05/04/2024")  # fmt: skip
    assert added.exit_code == 0, added.output


@pytest.mark.parametrize("headers", ["en", "vi"])
def test_member_files_carry_the_four_dates_round_trip(
    run: Run, tmp_path: Path, headers: str
) -> None:
    """Issue #14, point 1: export and import (both header languages) keep the four
    admission dates; the file re-imported into a new registry reads the same."""
    _admitted(run)
    out = tmp_path / f"members.{headers}.csv"
    assert run("export", "members", "-o", str(out), "--headers", headers).exit_code == 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    if headers == "vi":
        assert all(label in header for label in VI)
    else:
        assert all(name in header for name in DATES)
    other = tmp_path / "other.db"
    runner_args = ("--db", str(other))
    assert run(*runner_args, "branch", "add", "Ấp Chợ").exit_code == 0
    imported = run(*runner_args, "import", "members", str(out))
    assert imported.exit_code == 0, imported.output
    shown = json.loads(run(*runner_args, "member", "show", "1", "-f", "json").stdout)
    assert [shown[c] for c in DATES] == [
        "2023-02-20", "2023-03-01", "2023-03-10", "2023-04-05", "2024-04-05"
    ]  # fmt: skip


def test_an_imported_row_out_of_order_is_refused_located(run: Run, tmp_path: Path) -> None:
    """HD 12-HD/BTCTW (forms KNĐ): the ceremony cannot come before the decision; the
    import says where (file:line: column) and writes nothing."""
    assert run("branch", "add", "Ấp Chợ").exit_code == 0
    path = tmp_path / "bad.csv"
    path.write_text(
        "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chi bộ,Ngày vào Đảng,Ngày lễ kết nạp\n"
        "Lê Văn Sai,Nam,01/01/1990,Kinh,Ấp Chợ,10/03/2023,05/03/2023\n",
        encoding="utf-8",
    )
    result = run("import", "members", str(path), lang="en")
    assert result.exit_code == 1
    assert (
        "bad.csv:2: Ngày lễ kết nạp: the ceremony is dated before the admission decision"
        " (2023-03-10)" in result.stderr
    )
    assert json.loads(run("member", "list", "-f", "json").stdout) == []


def _as_release_7(path: Path) -> None:
    """The file as the current release (schema 7) writes it: no admission columns."""
    with closing(sqlite3.connect(path)) as c, c:
        for column in ("branch_met_on", "committee_met_on", "ceremony_on"):
            c.execute(f"ALTER TABLE members DROP COLUMN {column}")
        c.execute("DELETE FROM _sqlite_migrations WHERE name = 'm008_admission'")
        c.execute("PRAGMA user_version = 7")


def test_a_release_7_registry_migrates_with_a_backup_and_keeps_every_figure(
    run: Run, db_path: Path, sample_db: Path
) -> None:
    """Issue #14, "Done when": a registry made by the current release opens, migrates with
    its automatic backup and keeps every figure; its members show "ceremony not recorded"
    rather than a guessed date, and `check` counts them."""
    assert storage.SCHEMA_VERSION >= 9
    shutil.copy(sample_db, db_path)
    _as_release_7(db_path)
    summary = run("report", "summary", "-t", "2015-2020", "-f", "json")
    assert summary.exit_code == 0, summary.output
    assert json.loads(summary.stdout) == SUMMARY_2020
    copies = list(db_path.parent.glob("registry.before-schema-8.*.db"))
    assert len(copies) == 1
    with closing(sqlite3.connect(copies[0])) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == 7
        assert c.execute("SELECT count(*) FROM members").fetchone()[0] == 378
    with closing(sqlite3.connect(db_path)) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == storage.SCHEMA_VERSION
        empty = "SELECT count(*) FROM members WHERE ceremony_on IS NULL AND branch_met_on IS NULL"
        assert c.execute(empty).fetchone()[0] == 378
    shown = run("member", "show", "1", lang="en")
    assert "ceremony not recorded" in shown.stdout
    check = run("check", "--as-of", "30/06/2020", lang="en")
    assert check.exit_code == 0, check.output
    assert "378 members have no ceremony date recorded" in check.stderr


def test_age_by_calendar_month_is_a_setting_hd12(run: Run, db_path: Path) -> None:
    """HD 12-HD/BTCTW counts age at admission "in months": to the day by default; an
    office that reads it by calendar month (the day of birth not counted) sets
    age_by_calendar_month = 1. Born 20/03/2006, branch met 05/03/2024."""
    assert run("branch", "add", "Ấp Chợ").exit_code == 0
    person = ("member", "add", "--gender", "Nam", "--born", "20/03/2006", "--ethnicity",
              "Kinh", "--branch", "Ấp Chợ", "--branch-met", "05/03/2024",
              "--admitted", "10/04/2024")  # fmt: skip
    assert run(*person, "--name", "Lê Văn Ngày").exit_code == 1  # 17 y 11 m to the day
    with closing(sqlite3.connect(db_path)) as c, c:
        c.execute("INSERT INTO settings (key, value) VALUES ('age_by_calendar_month', '1')")
    assert run(*person, "--name", "Lê Văn Tháng").exit_code == 0  # March 2024: 18 y 0 m
