"""Transfers with their deadlines (issue #14, point 8), Quy định 294-QĐ/TW point 6.3.

6.3.2: a temporary transfer lasts 3 months to under 1 year (work, residence), or up to
2 years of full-time study; longer by an extension. 6.3.1: the official transfer letter
is presented within 30 working days of its date. `due` and `check` list who is overdue.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from conftest import DIEM, Run, option_list

from tanhung_cli.i18n import t

AWAY = ("member", "transfer-out", "1", "--to", "Xã Tân Hòa", "--kind", "temporary")
VISITOR = ("member", "transfer-in", "--kind", "temporary", "--from", "Xã Tân Hòa",
           "--name", "Lê Văn Tư", "--gender", "Nam", "--born", "02/03/1990",
           "--ethnicity", "Kinh", "--branch", "Ấp Chợ", "--admitted", "03/02/2015",
           "--official", "03/02/2016")  # fmt: skip
NEWCOMER = ("member", "transfer-in", "--from", "Đảng bộ xã Long Thới", "--name", "Trần Văn Ba",
            "--gender", "Nam", "--born", "02/03/1985", "--ethnicity", "Kinh",
            "--branch", "Ấp Chợ", "--admitted", "03/02/2010", "--official", "03/02/2011")  # fmt: skip


@pytest.fixture
def diem(run: Run, branches: None) -> None:
    assert run("member", "add", *DIEM).exit_code == 0


def _show(run: Run, member: str = "1") -> dict[str, object]:
    shown = run("member", "show", member, "-f", "json")
    assert shown.exit_code == 0, shown.output
    result: dict[str, object] = json.loads(shown.stdout)
    return result


def _history_kinds(db_path: Path) -> list[str]:
    with closing(sqlite3.connect(db_path)) as c:
        return [r[0] for r in c.execute("SELECT kind FROM events ORDER BY id")]


# -- 6.3.2: the length of a temporary transfer ------------------------------------------


@pytest.mark.usefixtures("diem")
def test_qd294_6_3_2_exactly_3_months_is_allowed(run: Run) -> None:
    """QĐ 294-QĐ/TW 6.3.2: "from 3 months": 01/03/2025 to 01/06/2025 is enough."""
    out = run(*AWAY, "--on", "01/03/2025", "--until", "01/06/2025")
    assert out.exit_code == 0, out.output
    assert _show(run)["away_until"] == "2025-06-01"
    assert _show(run)["away_purpose"] == "Công tác, cư trú"  # work, by default


@pytest.mark.usefixtures("diem")
def test_qd294_6_3_2_a_day_under_3_months_is_refused_and_changes_nothing(
    run: Run, db_path: Path
) -> None:
    """QĐ 294-QĐ/TW 6.3.2: under 3 months is not a temporary transfer; refused, located,
    in English too, and nothing is written."""
    before = _history_kinds(db_path)
    out = run(*AWAY, "--on", "01/03/2025", "--until", "31/05/2025", lang="en")
    assert out.exit_code == 1
    assert out.stderr.strip() == (
        "The planned return (2025-05-31) is under 3 months: a temporary transfer lasts at"
        " least 3 months, the earliest 2025-06-01 (Quy định 294-QĐ/TW, point 6.3.2)."
    )
    assert _history_kinds(db_path) == before
    assert _show(run)["away_since"] is None


@pytest.mark.usefixtures("diem")
def test_qd294_6_3_2_work_exactly_1_year_is_refused_a_day_less_allowed(run: Run) -> None:
    """QĐ 294-QĐ/TW 6.3.2: work or residence "under 1 year": 01/03/2025 → 01/03/2026 is
    refused (Vietnamese by default), 28/02/2026 is allowed."""
    out = run(*AWAY, "--on", "01/03/2025", "--until", "01/03/2026")
    assert out.exit_code == 1
    assert "từ 12 tháng trở lên" in out.stderr and "muộn nhất 28/02/2026" in out.stderr
    assert "--extension" in out.stderr
    assert run(*AWAY, "--on", "01/03/2025", "--until", "28/02/2026").exit_code == 0


@pytest.mark.usefixtures("diem")
def test_qd294_6_3_2_study_exactly_2_years_is_allowed(run: Run) -> None:
    """QĐ 294-QĐ/TW 6.3.2: full-time study "up to 2 years": 01/03/2025 → 01/03/2027."""
    out = run(*AWAY, "--on", "01/03/2025", "--until", "01/03/2027", "--purpose", "học tập")
    assert out.exit_code == 0, out.output
    assert _show(run)["away_purpose"] == "Học tập trung"


@pytest.mark.usefixtures("diem")
def test_qd294_6_3_2_study_a_day_over_2_years_is_refused(run: Run) -> None:
    out = run(*AWAY, "--on", "01/03/2025", "--until", "02/03/2027", "--purpose", "study",
              lang="en")  # fmt: skip
    assert out.exit_code == 1
    assert "beyond 24 months of full-time study, the latest 2027-03-01" in out.stderr


@pytest.mark.usefixtures("diem")
def test_qd294_6_3_2_longer_with_a_recorded_extension(run: Run) -> None:
    """QĐ 294-QĐ/TW 6.3.2: longer by an extension (gia hạn); the decision is kept."""
    out = run(*AWAY, "--on", "01/03/2025", "--until", "01/09/2026", "--extension", "5-QĐ/ĐU")
    assert out.exit_code == 0, out.output
    assert _show(run)["away_extension"] == "5-QĐ/ĐU"


@pytest.mark.usefixtures("diem")
def test_a_temporary_transfer_needs_its_planned_return(run: Run) -> None:
    out = run(*AWAY, "--on", "01/03/2025", lang="en")
    assert out.exit_code == 1
    assert out.stderr.strip() == "A temporary transfer needs its planned return (--until)."
    bad = run(*AWAY, "--on", "01/03/2025", "--until", "01/06/2025", "--purpose", "du lịch")
    assert bad.exit_code == 2  # an unknown purpose is a usage error
    official = run("member", "transfer-out", "1", "--to", "X", "--purpose", "study")
    assert official.exit_code == 1
    assert official.stderr.strip() == t("transfers.temporary_only")


@pytest.mark.usefixtures("diem")
def test_the_lengths_are_settings(run: Run, db_path: Path) -> None:
    """Offices read "under 1 year" differently: temporary_under_months is a setting."""
    with closing(sqlite3.connect(db_path)) as c, c:
        c.execute("INSERT INTO settings (key, value) VALUES ('temporary_under_months', '13')")
    assert run(*AWAY, "--on", "01/03/2025", "--until", "01/03/2026").exit_code == 0


@pytest.mark.usefixtures("diem")
def test_extend_transfer_sets_the_new_return_by_its_decision(run: Run, db_path: Path) -> None:
    """QĐ 294-QĐ/TW 6.3.2: an extension on request; the history keeps it."""
    assert run(*AWAY, "--on", "01/03/2025", "--until", "01/12/2025").exit_code == 0
    out = run("member", "extend-transfer", "1", "--until", "01/06/2026", "--decision",
              "45-QĐ/ĐU", "--on", "20/11/2025")  # fmt: skip
    assert out.exit_code == 0, out.output
    assert out.stdout == t("transfers.extended", name="Nguyễn Thị Kiều Diễm", id=1,
                           date="01/06/2026") + "\n"  # fmt: skip
    shown = _show(run)
    assert (shown["away_until"], shown["away_extension"]) == ("2026-06-01", "45-QĐ/ĐU")
    assert _history_kinds(db_path)[-1] == "transfer_extended"
    earlier = run("member", "extend-transfer", "1", "--until", "01/05/2026", "--decision", "X")
    assert earlier.exit_code == 1
    assert run("member", "transfer-in", "1", "--on", "01/06/2026").exit_code == 0
    gone = run("member", "extend-transfer", "1", "--until", "01/12/2026", "--decision", "X")
    assert gone.exit_code == 1
    assert gone.stderr.strip() == t("transfers.not_away", name="Nguyễn Thị Kiều Diễm", id=1)
    back = _show(run)
    assert (back["away_since"], back["away_purpose"], back["away_extension"]) == (None,) * 3


# -- due and check: overdue returns, ended attendance ------------------------------------


@pytest.mark.usefixtures("diem")
def test_due_lists_a_return_and_check_finds_it_overdue_the_day_after(run: Run) -> None:
    """The planned return day itself is not overdue; the day after is."""
    assert run(*AWAY, "--on", "01/03/2025", "--until", "01/09/2025").exit_code == 0
    due = json.loads(run("due", "--as-of", "15/08/2025", "--within", "30", "-f", "json").stdout)
    assert [(r["id"], r["place"], r["until"], r["overdue_days"]) for r in due["returns"]] == [
        (1, "Xã Tân Hòa", "2025-09-01", 0)
    ]
    assert json.loads(run("due", "--as-of", "15/07/2025", "--within", "30", "-f", "json")
                      .stdout)["returns"] == []  # fmt: skip
    on_the_day = run("check", "--as-of", "01/09/2025", "-f", "json")
    assert on_the_day.exit_code == 0, on_the_day.output
    late = run("check", "--as-of", "02/09/2025", lang="en")
    assert late.exit_code == 1
    assert ("away on a temporary transfer to Xã Tân Hòa since 2025-03-01, due back 2025-09-01"
            " and not back") in late.stdout + late.stderr  # fmt: skip
    table = run("due", "--as-of", "10/09/2025", "--within", "10", lang="en")
    assert "due back by 2025-09-20" in table.stdout and "Xã Tân Hòa" in table.stdout


@pytest.mark.usefixtures("branches")
def test_temporary_attendance_here_ends_and_check_lists_it(run: Run) -> None:
    """A member attending here temporarily (not counted) from elsewhere, until a date."""
    came = run(*VISITOR, "--on", "01/03/2025", "--until", "01/09/2025")
    assert came.exit_code == 0, came.output
    assert t("transfers.attending_until", date="01/09/2025") in came.stdout
    shown = _show(run)
    assert (shown["came_from"], shown["temporary_until"]) == ("Xã Tân Hòa", "2025-09-01")
    due = json.loads(run("due", "--as-of", "20/08/2025", "--within", "30", "-f", "json").stdout)
    assert [(a["id"], a["place"], a["until"]) for a in due["attendance"]] == [
        (1, "Xã Tân Hòa", "2025-09-01")
    ]
    assert run("check", "--as-of", "01/09/2025").exit_code == 0
    ended = run("check", "--as-of", "02/09/2025", "-f", "json")
    assert ended.exit_code == 1
    assert "check.attendance_expired" in ended.stdout
    # Leaving (back home) ends it: no longer listed.
    assert run("member", "transfer-out", "1", "--to", "Xã Tân Hòa", "--kind", "temporary",
               "--on", "01/09/2025").exit_code == 0  # fmt: skip
    assert run("check", "--as-of", "02/09/2025").exit_code == 0


# -- 6.3.1: the official transfer letter within 30 working days --------------------------


@pytest.mark.usefixtures("branches")
def test_qd294_6_3_1_letter_presented_on_the_30th_working_day_is_in_time(run: Run) -> None:
    """Letter dated 15/08/2025: 30 working days after it (1 and 2/9 are holidays) end on
    30/09/2025; presented that day, no warning and no finding."""
    came = run(*NEWCOMER, "--on", "30/09/2025", "--letter-date", "15/08/2025")
    assert came.exit_code == 0, came.output
    assert came.stderr == ""
    shown = _show(run)
    assert (shown["letter_on"], shown["letter_presented_on"]) == ("2025-08-15", "2025-09-30")
    assert shown["came_from"] == "Đảng bộ xã Long Thới"
    assert run("check", "--as-of", "01/12/2025").exit_code == 0


@pytest.mark.usefixtures("branches")
def test_qd294_6_3_1_letter_presented_on_the_31st_working_day_is_late(run: Run) -> None:
    """Presented 01/10/2025, the 31st working day: told at once, and a `check` finding."""
    came = run(*NEWCOMER, "--on", "05/10/2025", "--letter-date", "15/08/2025",
               "--letter-presented", "01/10/2025", lang="en")  # fmt: skip
    assert came.exit_code == 0, came.output
    assert ("the letter was presented on 2025-10-01, after the 30 working days (deadline"
            " 2025-09-30)") in came.stderr  # fmt: skip
    found = run("check", "--as-of", "01/12/2025", lang="en")
    assert found.exit_code == 1
    assert "the transfer letter dated 2025-08-15 was presented on 2025-10-01" in (
        found.stdout + found.stderr
    )


@pytest.mark.usefixtures("branches")
def test_a_letter_presented_before_its_date_is_refused(run: Run) -> None:
    came = run(*NEWCOMER, "--on", "05/10/2025", "--letter-date", "15/08/2025",
               "--letter-presented", "14/08/2025")  # fmt: skip
    assert came.exit_code == 1
    assert json.loads(run("member", "list", "-f", "json").stdout) == []
    temporary = run(*VISITOR, "--on", "01/03/2025", "--letter-date", "15/02/2025")
    assert temporary.exit_code == 1
    assert temporary.stderr.strip() == t("transfers.letter_official_only")


@pytest.mark.usefixtures("diem")
def test_qd294_6_3_1_official_transfer_out_tells_the_presentation_deadline(run: Run) -> None:
    out = run("member", "transfer-out", "1", "--to", "Đảng bộ xã Tân Hòa", "--on",
              "20/08/2025", "--letter-date", "15/08/2025", lang="en")  # fmt: skip
    assert out.exit_code == 0, out.output
    assert ("Letter dated 2025-08-15: to be presented where the member goes by 2025-09-30"
            " (30 working days") in out.stdout  # fmt: skip
    assert _show(run)["letter_on"] == "2025-08-15"


@pytest.mark.usefixtures("diem")
def test_qd294_6_3_1_check_lists_a_letter_out_not_presented_after_30_working_days(
    run: Run, db_path: Path
) -> None:
    """Letter dated 15/08/2025, deadline 30/09/2025: `check` is clean that day, lists the
    member the day after, and is clean again once the presentation is recorded."""
    out = run("member", "transfer-out", "1", "--to", "Đảng bộ xã Tân Hòa", "--on",
              "20/08/2025", "--letter-date", "15/08/2025")  # fmt: skip
    assert out.exit_code == 0, out.output
    assert run("check", "--as-of", "30/09/2025").exit_code == 0
    late = run("check", "--as-of", "01/10/2025", lang="en")
    assert late.exit_code == 1
    assert "the letter dated 2025-08-15 is not recorded as presented" in late.stdout
    told = run("member", "letter-presented", "1", "--on", "10/09/2025")
    assert told.exit_code == 0, told.output
    assert told.stderr == ""
    assert _show(run)["letter_presented_on"] == "2025-09-10"
    assert _history_kinds(db_path)[-1] == "letter_presented"
    assert run("check", "--as-of", "01/10/2025").exit_code == 0


@pytest.mark.usefixtures("diem")
def test_a_letter_out_presented_late_is_told_and_following_letters_is_a_setting(
    run: Run, db_path: Path
) -> None:
    assert run("member", "transfer-out", "1", "--to", "Đảng bộ xã Tân Hòa", "--on",
               "15/08/2025").exit_code == 0  # fmt: skip
    with closing(sqlite3.connect(db_path)) as c, c:
        c.execute("INSERT INTO settings (key, value) VALUES ('follow_letters_out', '0')")
    assert run("check", "--as-of", "01/12/2025").exit_code == 0  # the office gets no notice
    told = run("member", "letter-presented", "1", "--on", "01/10/2025", lang="en")
    assert told.exit_code == 0, told.output
    assert "after the 30 working days (deadline 2025-09-30)" in told.stderr
    assert run("check", "--as-of", "01/12/2025").exit_code == 1  # late: a finding
    assert run("member", "add", *option_list(DIEM, name="Lê Văn Hai", card=None,
                                             cccd=None)).exit_code == 0  # fmt: skip
    none = run("member", "letter-presented", "2", "--on", "01/10/2025")
    assert none.exit_code == 1
    assert none.stderr.strip() == t("transfers.no_letter_out", name="Lê Văn Hai", id=2)


# -- old records, member files, an older registry ---------------------------------------


@pytest.mark.usefixtures("diem")
def test_an_open_transfer_without_a_planned_return_is_not_recorded(run: Run, db_path: Path) -> None:
    """An old registry's open temporary transfer has no planned return: shown "not
    recorded", never guessed, and counted by `check`; extend-transfer records one."""
    assert run(*AWAY, "--on", "01/03/2025", "--until", "01/06/2025").exit_code == 0
    with closing(sqlite3.connect(db_path)) as c, c:
        c.execute("UPDATE members SET away_until = NULL, away_purpose = NULL")
    shown = run("member", "show", "1", lang="en")
    assert "not recorded" in shown.stdout
    check = run("check", "--as-of", "01/07/2025", lang="en")
    assert "1 members away on a temporary transfer have no planned return" in check.stderr
    assert run("member", "extend-transfer", "1", "--until", "01/12/2025", "--decision",
               "9-QĐ/ĐU").exit_code == 0  # fmt: skip
    assert "no planned return" not in run("check", "--as-of", "01/07/2025").stderr


@pytest.mark.parametrize("headers", ["en", "vi"])
def test_member_files_carry_the_transfer_columns(
    run: Run, tmp_path: Path, branches: None, headers: str
) -> None:
    """Export and import (both header languages) keep where from, the planned end of a
    temporary attendance, the letter and its presentation, the purpose and extension."""
    assert run("member", "add", *DIEM).exit_code == 0
    assert run(*AWAY, "--on", "01/03/2025", "--until", "01/09/2026", "--purpose", "study",
               "--extension", "5-QĐ/ĐU").exit_code == 0  # fmt: skip
    assert run(*VISITOR, "--on", "01/03/2025", "--until", "01/09/2025").exit_code == 0
    assert run(*NEWCOMER, "--on", "30/09/2025", "--letter-date", "15/08/2025").exit_code == 0
    out = tmp_path / f"members.{headers}.csv"
    assert run("export", "members", "-o", str(out), "--headers", headers).exit_code == 0
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    if headers == "vi":
        assert "Nơi chuyển từ" in header and "Ngày giấy giới thiệu" in header
    other = ("--db", str(tmp_path / "other.db"))
    for name, kind in (("Ấp Chợ", "hamlet"), ("Ấp Te Te 1", "hamlet"), ("Trường THCS", "sector")):
        assert run(*other, "branch", "add", name, "--kind", kind).exit_code == 0
    imported = run(*other, "import", "members", str(out))
    assert imported.exit_code == 0, imported.output
    columns = ("away_purpose", "away_extension", "came_from", "temporary_until", "letter_on",
               "letter_presented_on")  # fmt: skip

    def shown(*db: str) -> list[tuple[object, ...]]:
        rows = json.loads(run(*db, "member", "list", "-f", "json").stdout)
        ids = sorted(r["id"] for r in rows)
        records = [json.loads(run(*db, "member", "show", str(i), "-f", "json").stdout) for i in ids]
        return sorted(tuple(r[c] for c in ("full_name", *columns)) for r in records)

    assert shown(*other) == shown()
    assert ("Nguyễn Thị Kiều Diễm", "Học tập trung", "5-QĐ/ĐU", None, None, None, None) in shown()


@pytest.mark.usefixtures("branches")
def test_an_imported_attendance_end_needs_a_temporary_member(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chi bộ,Ngày vào Đảng,Sinh hoạt tạm thời đến\n"
        "Lê Văn Sai,Nam,01/01/1990,Kinh,Ấp Chợ,10/03/2015,01/09/2025\n",
        encoding="utf-8",
    )
    result = run("import", "members", str(path), lang="en")
    assert result.exit_code == 1
    assert (
        "bad.csv:2: Sinh hoạt tạm thời đến: only for a member attending here temporarily"
        in result.stderr
    )


def _as_release_9(path: Path) -> None:
    """The file as the current release (schema 9) writes it: no transfer columns."""
    from tanhung_cli.migrations.transfer_dates import TRANSFER_COLUMNS

    with closing(sqlite3.connect(path)) as c, c:
        for index in ("away", "temporary_until", "letters", "letters_open"):
            c.execute(f"DROP INDEX idx_members_{index}")
        for column in TRANSFER_COLUMNS:
            c.execute(f"ALTER TABLE members DROP COLUMN {column}")
        c.execute("DELETE FROM _sqlite_migrations WHERE name = 'm010_transfer_dates'")
        c.execute("PRAGMA user_version = 9")


def test_a_release_9_registry_migrates_with_a_backup_and_keeps_every_figure(
    run: Run, db_path: Path, sample_db: Path
) -> None:
    """Issue #14, "Done when": a registry of the current release opens, migrates with its
    automatic backup and keeps every figure; nothing is guessed for the new columns."""
    import shutil

    from tanhung_cli import storage
    from tests.test_reports import SUMMARY_2020

    assert storage.SCHEMA_VERSION >= 10
    shutil.copy(sample_db, db_path)
    _as_release_9(db_path)
    summary = run("report", "summary", "-t", "2015-2020", "-f", "json")
    assert summary.exit_code == 0, summary.output
    assert json.loads(summary.stdout) == SUMMARY_2020
    copies = list(db_path.parent.glob("registry.before-schema-10.*.db"))
    assert len(copies) == 1
    with closing(sqlite3.connect(copies[0])) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == 9
    with closing(sqlite3.connect(db_path)) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == storage.SCHEMA_VERSION
        filled = "SELECT count(*) FROM members WHERE coalesce(came_from, letter_on) IS NOT NULL"
        assert c.execute(filled).fetchone()[0] == 0
        assert c.execute("SELECT count(*) FROM members").fetchone()[0] == 379
    assert run("check", "--as-of", "30/06/2020").exit_code == 0
