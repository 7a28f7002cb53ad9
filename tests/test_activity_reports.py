"""Activity reports (issue #13): periods counted to the day, the article's figures from the
sample, and the Charter's three months of absence listed by `due` and `check`."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import DIEM, Run, option_list

from tanhung_cli import meetings
from tanhung_cli.db import open_db


def _report(run: Run, *args: str) -> dict:
    result = run("report", "activity", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def boundaries(run: Run, branches: None) -> None:
    """Diễm on the Ấp Chợ roll since 2000; a briefing on each edge of 2017, of the term
    2015-2020 (01/07/2015 – 30/06/2020), and one day outside each."""
    assert run("member", "add", *DIEM).exit_code == 0
    assert (
        run("term", "add", "2015-2020", "--start", "01/07/2015", "--end", "30/06/2020").exit_code
        == 0
    )
    for day in ("30/06/2015", "01/07/2015", "31/12/2016", "01/01/2017", "31/12/2017",
                "01/01/2018", "30/06/2020", "01/07/2020"):  # fmt: skip
        added = run("meeting", "add", "--kind", "briefing", "--on", day)
        assert added.exit_code == 0, added.output
        meeting_id = added.stdout.split("số ")[1].split(":")[0]
        assert run("meeting", "attend", meeting_id, "1").exit_code == 0


@pytest.mark.usefixtures("boundaries")
@pytest.mark.parametrize(
    ("args", "meetings"),
    [
        (("--from", "01/01/2017", "--to", "31/12/2017"), 2),  # both edges counted
        (("--from", "02/01/2017", "--to", "30/12/2017"), 0),
        (("--since", "01/01/2018"), 3),  # 01/01/2018, 30/06/2020, 01/07/2020
        (("--since", "02/01/2018"), 2),
        (("--term", "2015-2020"), 6),  # 01/07/2015 … 30/06/2020, not the day before or after
        (("--to", "30/06/2015"), 1),
    ],
)
def test_a_meeting_on_the_edge_of_the_period_counts(
    run: Run, args: tuple[str, ...], meetings: int
) -> None:
    data = _report(run, *args)
    assert data["total"]["meetings"] == meetings
    assert data["total"]["attendances"] == meetings
    assert data["total"]["members"] == (1 if meetings else 0)
    listed = json.loads(run("meeting", "list", *args, "-f", "json").stdout)
    assert len(listed) == meetings


@pytest.mark.usefixtures("boundaries")
def test_summary_counts_the_terms_briefings_since_the_first_ones_year(run: Run) -> None:
    summary = json.loads(run("report", "summary", "--term", "2015-2020", "-f", "json").stdout)
    assert summary["activity"] == {"since": "2015-01-01", "conferences": 6, "attendances": 6}


def test_the_sample_gives_the_articles_figures(sample_db: Path) -> None:
    """FIGURES.md: "tổ chức được 12 cuộc hội nghị … 623 lượt đồng chí dự" since 2017."""
    from typer.testing import CliRunner

    from tanhung_cli.cli import app

    def report(*args: str) -> dict:
        result = CliRunner().invoke(app, ["--db", str(sample_db), *args, "--format", "json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    summary = report("report", "summary", "--term", "2015-2020")
    assert summary["activity"] == {"since": "2017-01-01", "conferences": 12, "attendances": 623}
    since = report("report", "activity", "--since", "01/01/2017", "--committee")
    briefing = {r["kind"]: r for r in since["by_kind"]}["briefing"]
    assert (briefing["meetings"], briefing["attendances"]) == (12, 623)
    term = report("report", "activity", "--term", "2015-2020")
    assert {r["kind"]: r["meetings"] for r in term["by_kind"]} == {"briefing": 12, "regular": 12}
    assert [r["branch"] for r in term["by_branch"]] == [None, "Ấp Chợ"]
    assert report("meeting", "list", "--term", "2015-2020", "--kind", "giao ban")[0]["present"] > 40


def test_every_sample_attendee_was_on_the_roll_that_day(sample_db: Path) -> None:
    conn = open_db(sample_db)
    try:
        rows = conn.execute(
            "SELECT g.*, a.member_id FROM attendance a JOIN meetings g ON g.id = a.meeting_id"
        ).fetchall()
        assert len(rows) > 623
        for row in rows:
            member = conn.execute("SELECT * FROM members WHERE id = ?", (row["member_id"],))
            assert meetings.refusal(conn, row, member.fetchone()) is None
    finally:
        conn.close()


@pytest.fixture
def absences(run: Run, branches: None) -> None:
    """Ấp Chợ: Diễm (1) and An (2). Regular meetings 05/01 … 05/04/2025 and 20/01/2025,
    the committee's briefing of 10/03/2025."""
    assert run("member", "add", *DIEM).exit_code == 0
    an = option_list(DIEM, name="Nguyễn Văn An", card=None, cccd=None, official=None,
                     admitted="01/03/2005")  # fmt: skip
    assert run("member", "add", *an).exit_code == 0
    for day in ("05/01/2025", "05/02/2025", "05/03/2025", "05/04/2025", "20/01/2025"):
        assert run("meeting", "add", "-k", "regular", "-b", "Ấp Chợ", "--on", day).exit_code == 0
    assert run("meeting", "add", "-k", "briefing", "--on", "10/03/2025").exit_code == 0


def _absent(run: Run, meeting: str, member: str, status: str = "absent") -> None:
    assert run("meeting", "attend", meeting, member, "--status", status).exit_code == 0


def _due_absences(run: Run, as_of: str) -> list[tuple[int, int, list[int]]]:
    data = json.loads(run("due", "--as-of", as_of, "--format", "json").stdout)
    return [(a["id"], a["year"], a["months"]) for a in data["absences"]]


@pytest.mark.usefixtures("absences")
def test_three_months_absent_without_reason_is_listed_by_due_and_check(run: Run) -> None:
    """The Party Charter (Điều lệ Đảng 2011), art. 8.3, applied by Quy định 294-QĐ/TW
    (2025), 8.1 (before it Quy định 24-QĐ/TW, 2021, 8.1): a member who "bỏ sinh hoạt đảng
    … ba tháng trong năm mà không có lý do chính đáng" is considered for removal (xóa
    tên). Three different months of one year, branch meetings only, without a reason."""
    _absent(run, "1", "1")  # January
    _absent(run, "5", "1")  # January again: the same month
    _absent(run, "6", "1", "absent")  # the committee's briefing: not a branch meeting
    _absent(run, "2", "1", "excused")  # February, with a reason
    _absent(run, "3", "1")  # March
    assert _due_absences(run, "31/03/2025") == []  # January and March: two months
    _absent(run, "4", "1")  # April: the third month
    _absent(run, "1", "2", "excused")
    assert _due_absences(run, "30/04/2025") == [(1, 2025, [1, 3, 4])]
    assert _due_absences(run, "04/04/2025") == []  # judged at a date: April not yet held
    checked = run("check", "--as-of", "30/04/2025")
    assert checked.exit_code == 1
    assert "vắng sinh hoạt chi bộ không lý do 01/2025, 03/2025, 04/2025" in checked.stdout
    assert "Nguyễn Thị Kiều Diễm" in checked.stdout
    shown = run("due", "--as-of", "30/04/2025").stdout
    assert "Vắng sinh hoạt chi bộ không lý do 3 tháng trong năm" in shown
    assert (
        "absence,1,Nguyễn Thị Kiều Diễm" in run("due", "--as-of", "30/04/2025", "-f", "csv").stdout
    )


@pytest.mark.usefixtures("absences")
def test_a_member_who_left_is_no_longer_listed(run: Run) -> None:
    for meeting in ("1", "2", "3"):
        _absent(run, meeting, "2")
    assert _due_absences(run, "31/03/2025") == [(2, 2025, [1, 2, 3])]
    assert run("member", "leave", "2", "--reason", "removed", "--on", "15/04/2025").exit_code == 0
    assert _due_absences(run, "30/04/2025") == []
    assert _due_absences(run, "31/03/2026") == []


def test_the_sample_has_no_member_to_remove(sample_db: Path, tmp_path: Path) -> None:
    conn = sqlite3.connect(sample_db)
    conn.row_factory = sqlite3.Row
    try:
        import datetime as dt

        from tanhung_cli.reports_activity import absentees

        assert absentees(conn, dt.date(2019, 12, 31)) == []
    finally:
        conn.close()


@pytest.mark.usefixtures("absences")
def test_attendance_rate_per_branch_and_per_member(run: Run) -> None:
    for meeting, member, status in (("1", "1", "present"), ("2", "1", "present"),
                                    ("3", "1", "excused"), ("4", "1", "absent"),
                                    ("1", "2", "present"), ("6", "1", "present")):  # fmt: skip
        _absent(run, meeting, member, status)
    branch = _report(run, "--branch", "Ấp Chợ", "--from", "01/01/2025", "--to", "30/04/2025")
    assert branch["by_branch"] == [{"branch_id": 1, "branch": "Ấp Chợ", "meetings": 5,
                                    "attendances": 3, "members": 2, "excused": 1, "absent": 1,
                                    "guests": 0, "percent_present": 60.0}]  # fmt: skip
    people = json.loads(run("report", "attendance", "--since", "01/01/2025", "-f", "json").stdout)
    # In Vietnamese name order: An, then Diễm.
    assert [(p["id"], p["meetings"], p["present"], p["percent_present"]) for p in people] == [
        (2, 1, 1, 100.0), (1, 5, 3, 60.0)]  # fmt: skip
    shown = run("report", "attendance", "--since", "01/01/2025", lang="en").stdout
    assert "Members' attendance" in shown and "60.0%" in shown
