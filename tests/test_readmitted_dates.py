"""After a re-admission the first admission date stays "Ngày vào Đảng" (HD 12-HD/BTCTW
2022 on member records: the first admission is kept, "kết nạp lần 2" apart), a new
probation runs from the re-admission (QĐ 294-QĐ/TW 2025, point 3.5.1), and statistics
count re-admissions apart from new admissions (HD 11-HD/BTCTW 2021). A registry of the
current release (schema 7) migrates with its backup and keeps every figure."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from conftest import DIEM, Run

from tanhung_cli import lifecycle, readmission, reports, reports_term, storage
from tanhung_cli.db import open_db

CONSENT = ("--consent", "12-CV/TU")


@pytest.fixture
def readmitted(run: Run, branches: None) -> None:
    """Diễm: admitted 19/05/2000, official 19/05/2001, removed 01/01/2015, re-admitted
    01/06/2018 (inside the term 2015-2020)."""
    assert run("member", "add", *DIEM).exit_code == 0
    assert run("member", "leave", "1", "--reason", "removed", "--on", "01/01/2015").exit_code == 0
    done = run("member", "readmit", "1", "--on", "01/06/2018", *CONSENT)
    assert done.exit_code == 0, done.output


def test_hd12_first_admission_stays_ngay_vao_dang_everywhere(run: Run, readmitted: None) -> None:
    """HD 12-HD/BTCTW 2022: list, show, roster and export keep 19/05/2000, with the
    re-admission beside it."""
    beside = "19/05/2000 (kết nạp lại ngày 01/06/2018)"
    listed = run("member", "list").stdout
    assert "19/05/2000" in listed and "kết nạp lại" in listed
    shown = run("member", "show", "1").stdout
    assert "19/05/2000" in shown and "Ngày kết nạp lại" in shown and "01/06/2018" in shown
    record = json.loads(run("member", "show", "1", "--format", "json").stdout)
    assert (record["admitted_on"], record["readmitted_on"]) == ("2000-05-19", "2018-06-01")
    exported = json.loads(run("export", "members", "--format", "json").stdout)[0]
    assert (exported["admitted_on"], exported["readmitted_on"]) == ("2000-05-19", "2018-06-01")
    roster = run("report", "roster", "--format", "markdown").stdout
    assert beside in roster, roster
    en = run("member", "list", lang="en").stdout
    assert "2000-05-19" in en and "re-admitted" in en


def test_qd294_3_5_1_new_probation_runs_from_the_readmission(run: Run, readmitted: None) -> None:
    """QĐ 294-QĐ/TW point 3.5.1: after re-admission a new probation: official from
    01/06/2019, not earlier; `due` lists the end of that probation."""
    due = json.loads(run("due", "--as-of", "01/05/2019", "--format", "json").stdout)
    assert [(p["id"], p["admitted_on"], p["due_on"]) for p in due["probation"]] == [
        (1, "2000-05-19", "2019-06-01")
    ]
    listed = run("due", "--as-of", "01/05/2019").stdout
    assert "19/05/2000 (kết nạp lại ngày 01/06/2018)" in " ".join(listed.split()), listed
    early = run("member", "confirm", "1", "--on", "31/05/2019")
    assert early.exit_code == 1 and "01/06/2019" in early.stderr
    assert run("member", "confirm", "1", "--on", "01/06/2019").exit_code == 0
    standing = json.loads(run("member", "standing", "1", "--as-of", "01/06/2019",
                              "--format", "json").stdout)  # fmt: skip
    # 19/05/2000 to 01/01/2015 (14 y 7 m), then from 01/06/2018: party age minus the gap.
    assert standing["party_age"]["years"] == 15, standing


def test_hd11_readmitted_counted_apart_from_new_admissions(
    run: Run, readmitted: None, conn: sqlite3.Connection
) -> None:
    """HD 11-HD/BTCTW 2021: kết nạp mới and kết nạp lại are separate figures."""
    assert (
        run("term", "add", "2015-2020", "--start", "01/07/2015", "--end", "30/06/2020").exit_code
        == 0
    )
    summary = json.loads(run("report", "summary", "--term", "2015-2020", "--format", "json").stdout)
    assert summary["admissions"]["in_term"] == 0
    assert summary["admissions"]["readmitted"] == 1
    data = json.loads(run("report", "admissions", "--term", "2015-2020", "--format", "json").stdout)
    assert data["in_term"] == 0 and data["readmitted"] == 1
    assert {"year": 2018, "admitted": 0, "readmitted": 1} in data["by_year"]
    text = run("report", "summary", "--term", "2015-2020").stdout
    assert "Kết nạp lại: 1 đảng viên" in text


def _as_release_7(path: Path) -> None:
    """Turn a registry of this branch into what the current release (schema 7) writes:
    no leaving columns, a re-admission written over the admission date."""
    with closing(sqlite3.connect(path)) as c, c:
        c.execute("UPDATE members SET admitted_on = readmitted_on WHERE readmitted_on IS NOT NULL")
        c.execute("DROP INDEX idx_members_readmitted")
        c.execute("ALTER TABLE members DROP COLUMN readmitted_on")
        c.execute("ALTER TABLE members DROP COLUMN removal_reason")
        c.execute("DELETE FROM _sqlite_migrations WHERE name = 'm009_leaving'")
        c.execute("PRAGMA user_version = 7")


def _figures(path: Path) -> dict:
    conn = open_db(path)
    try:
        sc = reports.scope(conn, term="2015-2020")
        return {
            "summary": reports.summary(conn, sc),
            "admissions": reports_term.admissions(conn, sc),
            "branches": reports.branches(conn, sc),
        }
    finally:
        conn.close()


def test_a_release_7_registry_migrates_with_its_backup_and_keeps_every_figure(
    sample_db: Path, tmp_path: Path
) -> None:
    """The sample (the article's figures: 301 members, 45 admitted) with a re-admission,
    as the current release wrote it (the re-admission over the admission date): it opens,
    migrates after a backup, keeps every figure and gets the first admission date back."""
    path = tmp_path / "tanhung.db"
    shutil.copy(sample_db, path)
    conn = open_db(path)
    try:
        member, first = conn.execute(
            "SELECT id, admitted_on FROM members WHERE official_on < '2005' AND left_on IS NULL"
            " AND birth_date > '1970'"
            " ORDER BY id LIMIT 1"
        ).fetchone()
        lifecycle.leave(conn, member, "removed", dt.date(2011, 1, 1), removal="unpaid-dues")
        readmission.readmit(conn, member, dt.date(2016, 3, 1), consent="5-CV/TU")
        lifecycle.confirm(conn, member, dt.date(2017, 3, 1))
    finally:
        conn.close()
    before = _figures(path)
    assert before["summary"]["admissions"]["in_term"] == 45
    assert before["summary"]["admissions"]["readmitted"] == 1
    assert before["summary"]["members"]["total"] == 301
    _as_release_7(path)
    with closing(sqlite3.connect(path)) as c:
        assert c.execute("SELECT admitted_on FROM members WHERE id = ?", (member,)).fetchone() == (
            "2016-03-01",
        )
    after = _figures(path)  # opening migrates
    assert after == before
    assert len(list(tmp_path.glob("tanhung.before-schema-8.*.db"))) == 1
    with closing(sqlite3.connect(path)) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == storage.SCHEMA_VERSION
        row = c.execute(
            "SELECT admitted_on, readmitted_on FROM members WHERE id = ?", (member,)
        ).fetchone()
    assert row == (first, "2016-03-01")


def test_qd294_3_5_1_import_reads_the_readmission_and_its_probation(
    run: Run, db_path: Path, branches: None, tmp_path: Path
) -> None:
    """QĐ 294-QĐ/TW point 3.5.1 in a member file: a re-admission after the first
    admission, and an official date 12 months after it at the earliest; refused lines are
    located and nothing is written."""
    path = tmp_path / "roll.csv"
    head = "full_name,gender,birth_date,ethnicity,branch,admitted_on,readmitted_on,official_on"
    path.write_text(
        f"{head}\n"
        "Lê Văn Bé,Nam,01/01/1980,Kinh,Ấp Chợ,01/01/2005,01/01/2004,\n"
        "Lê Văn Ba,Nam,01/01/1980,Kinh,Ấp Chợ,01/01/2005,01/03/2018,28/02/2019\n",
        encoding="utf-8",
    )
    result = run("import", "members", str(path))
    assert result.exit_code == 1
    assert "roll.csv:2: readmitted_on: ngày kết nạp lại phải sau" in result.stderr
    assert "roll.csv:3: official_on:" in result.stderr and "01/03/2019" in result.stderr
    with closing(sqlite3.connect(db_path)) as c:
        assert c.execute("SELECT count(*) FROM members").fetchone() == (0,)
    path.write_text(
        f"{head}\nLê Văn Ba,Nam,01/01/1980,Kinh,Ấp Chợ,01/01/2005,01/03/2018,01/03/2019\n",
        encoding="utf-8",
    )
    assert run("import", "members", str(path)).exit_code == 0
    with closing(sqlite3.connect(db_path)) as c:
        row = c.execute("SELECT admitted_on, readmitted_on, joined_roll_on FROM members").fetchone()
    assert row == ("2005-01-01", "2018-03-01", "2018-03-01")


def test_hd12_a_readmission_date_is_corrected_like_the_other_dates(
    run: Run, db_path: Path, readmitted: None
) -> None:
    """HD 12-HD/BTCTW 2022: a mistaken re-admission date (e.g. one a migration could
    only infer) is put right by `member correct --readmitted`, never before the first
    admission; the new probation follows it (QĐ 294-QĐ/TW point 3.5.1)."""
    from test_cli_member_life import refused

    args = ["member", "correct", "1", "--readmitted", "01/01/1999"]
    refused(run, db_path, args, 1, "Ngày kết nạp lại phải sau ngày vào Đảng lần đầu")
    refused(run, db_path, args, 1, "The re-admission date must come after", lang="en")
    fixed = run("member", "correct", "1", "--readmitted", "01/05/2018", "--joined", "01/05/2018")
    assert fixed.exit_code == 0, fixed.output
    with closing(sqlite3.connect(db_path)) as c:
        row = c.execute("SELECT admitted_on, readmitted_on FROM members").fetchone()
        kept = c.execute(
            "SELECT old, new FROM events WHERE kind = 'corrected' AND field = 'readmitted_on'"
        ).fetchall()
    assert row == ("2000-05-19", "2018-05-01") and kept == [("2018-06-01", "2018-05-01")]
    early = run("member", "confirm", "1", "--on", "30/04/2019")
    assert early.exit_code == 1 and "01/05/2019" in early.stderr
