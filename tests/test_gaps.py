"""Periods not counted in party age and restoration of membership (issue #14 point 7).

Party age runs from the admission decision "trừ thời gian không tham gia sinh hoạt đảng":
time expelled or removed, out of contact with the Party organisation (mất liên lạc) and
interrupted by a transfer (gián đoạn do chuyển sinh hoạt đảng): Điều lệ Đảng 2011, Điều
5.4, applied by QĐ 294-QĐ/TW 2025 (the point on tuổi đảng, 4.5.1 in its predecessor QĐ
24-QĐ/TW 2021: article to confirm). A member wrongly expelled whose membership is
restored (khôi phục đảng tịch) keeps a continuous party age: HD 06-HD/TW 2025 (HD
01-HD/TW 2021 before it: "tuổi đảng được tính liên tục"). Badges follow (DOMAIN.md §8).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from conftest import Run
from typer.testing import CliRunner

from tanhung_cli import i18n
from tanhung_cli.cli import app
from tanhung_cli.i18n import t

AN = (
    "--name", "Lê Văn An", "--gender", "Nam", "--born", "01/01/1970", "--ethnicity", "Kinh",
    "--branch", "Ấp Chợ", "--admitted", "10/03/1996", "--official", "10/03/1997",
)  # fmt: skip
LOST = ("--from", "01/01/2000", "--to", "30/06/2000", "--kind", "lost-contact")


@pytest.fixture
def an(run: Run, branches: None) -> None:
    """Lê Văn An, admitted 10/03/1996: the 30-year badge reached 10/03/2026, given 19/05/2026."""
    assert run("member", "add", *AN).exit_code == 0


def _badges(run: Run, as_of: str, within: str = "365") -> list[tuple[int, int, str, str]]:
    answer = json.loads(run("due", "--as-of", as_of, "--within", within, "--format", "json").stdout)
    return [(b["id"], b["years"], b["reaches_on"], b["presented_on"]) for b in answer["badges"]]


def _standing(run: Run, as_of: str) -> dict:
    return json.loads(run("member", "standing", "1", "--as-of", as_of, "--format", "json").stdout)


def _counts(run: Run) -> tuple[str, str, str]:
    """What a refused change must leave as it was: gaps, history, audit trail."""
    gaps = run("member", "gaps", "1", "--format", "json").stdout
    return gaps, run("member", "history", "1", "--format", "json").stdout, run("audit").stdout


def test_dieu_le_5_4_without_gaps_the_30_year_badge_is_given_19_may_2026(run: Run, an) -> None:
    assert _badges(run, "01/01/2026") == [(1, 30, "2026-03-10", "2026-05-19")]


def test_dieu_le_5_4_lost_contact_moves_the_30_year_badge_by_its_182_days(run: Run, an) -> None:
    """Lost contact 01/01/2000-30/06/2000, both days out (182 days, 2000 a leap year):
    the 30 years are reached 08/09/2026, given on 7 Nov 2026, not 19 May."""
    done = run("member", "gap-add", "1", *LOST, "--decision", "12-CV/ĐU")
    assert done.exit_code == 0, done.output
    assert "01/01/2000 – 30/06/2000 (182 ngày)" in done.stdout
    assert _badges(run, "01/01/2026", "200") == []
    assert _badges(run, "01/06/2026", "200") == [(1, 30, "2026-09-08", "2026-11-07")]
    info = _standing(run, "09/03/2026")
    # 182 days back from 09/03/2026 is 08/09/2025: 29 years 5 months from 10/03/1996.
    assert info["party_age"] == {"years": 29, "months": 5}
    assert info["next_badge"]["reaches_on"] == "2026-09-08"
    assert info["gaps"] == [
        {"id": 1, "kind": "lost-contact", "from_on": "2000-01-01", "to_on": "2000-06-30",
         "days": 182, "decision": "12-CV/ĐU", "note": None}
    ]  # fmt: skip


def test_a_gap_ending_the_day_before_the_badge_is_subtracted_day_by_day(run: Run, an) -> None:
    """One day out (10/03/2025): the 30 years are reached a day later, 11/03/2026."""
    args = ("--from", "10/03/2025", "--to", "10/03/2025", "--kind", "transfer-interruption")
    assert run("member", "gap-add", "1", *args).exit_code == 0
    assert _badges(run, "01/01/2026") == [(1, 30, "2026-03-11", "2026-05-19")]
    assert _standing(run, "10/03/2026")["party_age"] == {"years": 29, "months": 11}
    assert _standing(run, "11/03/2026")["party_age"] == {"years": 30, "months": 0}


def test_gaps_show_in_member_show_standing_gaps_and_history(run: Run, an) -> None:
    assert run("member", "gap-add", "1", *LOST, "--note", "đi làm ăn xa").exit_code == 0
    line = "01/01/2000 – 30/06/2000: Mất liên lạc (182 ngày)"
    shown = run("member", "show", "1").stdout
    assert "Thời gian không tính tuổi đảng" in shown and line in shown.replace("\n", "")
    assert "Mất liên lạc" in run("member", "gaps", "1").stdout
    assert "Lost contact" in run("member", "gaps", "1", lang="en").stdout
    events = json.loads(run("member", "history", "1", "--format", "json").stdout)["events"]
    added = [(e["kind"], e["field"], e["new"]) for e in events if e["kind"] == "gap_added"]
    assert added == [
        ("gap_added", "gap_kind", "lost-contact"),
        ("gap_added", "gap_to_on", "2000-06-30"),
    ]
    table = run("member", "history", "1").stdout
    assert t("event.gap_added") in table and "Mất liên lạc" in table


def test_a_gap_removed_by_mistake_is_gone_from_party_age_and_kept_in_history(run: Run, an) -> None:
    assert run("member", "gap-add", "1", *LOST).exit_code == 0
    done = run("member", "gap-remove", "1", "--note", "ghi nhầm")
    assert done.exit_code == 0, done.output
    assert "lịch sử vẫn giữ" in done.stdout
    assert _badges(run, "01/01/2026") == [(1, 30, "2026-03-10", "2026-05-19")]
    kinds = [
        e["kind"]
        for e in json.loads(run("member", "history", "1", "--format", "json").stdout)["events"]
    ]
    assert kinds.count("gap_added") == 2 and kinds.count("gap_removed") == 2
    assert "gap_remove" in run("audit").stdout
    missing = run("member", "gap-remove", "1")
    assert missing.exit_code == 1 and "số 1" in missing.stderr


@pytest.mark.parametrize(
    ("args", "key"),
    [
        (("--from", "01/07/2000", "--to", "30/06/2000"), "Ngày kết thúc (30/06/2000) trước ngày bắt đầu"),
        (("--from", "01/01/1996", "--to", "30/06/1996"), "trước ngày vào Đảng (10/03/1996)"),
        (("--from", "01/05/2000", "--to", "31/07/2000"), "trùng với thời gian không tính tuổi đảng số 1"),
        (("--from", "01/01/2099", "--to", "02/01/2099"), "sau hôm nay"),
    ],
)  # fmt: skip
def test_refused_gaps_say_why_exit_1_and_change_nothing(run: Run, an, args, key) -> None:
    assert run("member", "gap-add", "1", *LOST).exit_code == 0
    before = _counts(run)
    refused = run("member", "gap-add", "1", *args, "--kind", "other")
    assert refused.exit_code == 1, refused.output
    assert key in refused.stderr and "Traceback" not in refused.output
    assert len(refused.stderr.strip().splitlines()) == 1
    assert _counts(run) == before


def test_a_gap_after_leaving_or_of_an_unknown_kind_is_refused(run: Run, an) -> None:
    assert run("member", "leave", "1", "--reason", "died", "--on", "01/01/2020").exit_code == 0
    late = run(
        "member", "gap-add", "1", "--from", "01/06/2019", "--to", "01/01/2020", "--kind", "other"
    )
    assert late.exit_code == 1 and "(01/01/2020)" in late.stderr
    en = run("member", "gap-add", "1", *LOST[:4], "--kind", "holiday", lang="en")
    assert en.exit_code == 2 and "Unknown kind 'holiday'" in en.output


def test_a_gap_in_time_out_of_the_party_is_refused_as_already_not_counted(run: Run, an) -> None:
    """Removed 01/01/2005, re-admitted 01/06/2009: that time is already subtracted."""
    assert run("member", "leave", "1", "--reason", "removed", "--on", "01/01/2005").exit_code == 0
    assert (
        run("member", "readmit", "1", "--on", "01/06/2009", "--consent", "5-CV/TU").exit_code == 0
    )
    out = run(
        "member", "gap-add", "1", "--from", "01/01/2006", "--to", "01/02/2006", "--kind", "other"
    )
    assert out.exit_code == 1 and "không nằm trọn trong một thời gian là đảng viên" in out.stderr


def test_hd06_restored_after_expulsion_keeps_the_30_year_badge_on_its_date(run: Run, an) -> None:
    """Expelled 01/02/2010, restored 01/02/2012 (a wrongful expulsion): party age is
    continuous, the 30-year badge still falls 10/03/2026 and is given 19/05/2026."""
    assert run("member", "leave", "1", "--reason", "expelled", "--on", "01/02/2010").exit_code == 0
    assert _standing(run, "01/01/2011")["status"] == "left"
    done = run("member", "restore", "1", "--on", "01/02/2012", "--decision", "45-QĐ/HU")
    assert done.exit_code == 0, done.output
    assert "tuổi đảng tính liên tục" in done.stdout
    assert _badges(run, "01/01/2026") == [(1, 30, "2026-03-10", "2026-05-19")]
    info = _standing(run, "01/01/2026")
    assert (info["status"], info["on_roll"]) == ("official", True)
    assert info["party_age"] == {"years": 29, "months": 9}
    assert _standing(run, "01/01/2011")["status"] == "left"  # as reported then
    events = json.loads(run("member", "history", "1", "--format", "json").stdout)["events"]
    restored = [e for e in events if e["kind"] == "restored"]
    assert [(e["on_date"], e["old"], e["decision_no"]) for e in restored] == [
        ("2012-02-01", "expelled", "45-QĐ/HU")
    ]
    assert "Khôi phục đảng tịch" in run("member", "history", "1").stdout


def test_qd294_3_5_a_readmission_unlike_a_restoration_subtracts_the_time_out(run: Run, an) -> None:
    """Removed 01/02/2010, re-admitted 01/02/2014 (1,461 days out), confirmed: the
    30 years come 1,461 days later than for a restored member."""
    assert run("member", "leave", "1", "--reason", "removed", "--on", "01/02/2010").exit_code == 0
    assert (
        run("member", "readmit", "1", "--on", "01/02/2014", "--consent", "5-CV/TU").exit_code == 0
    )
    assert run("member", "confirm", "1", "--on", "01/02/2015").exit_code == 0
    assert _standing(run, "01/01/2026")["next_badge"]["reaches_on"] == "2030-03-10"


def test_a_restoration_is_refused_without_a_decision_or_for_other_leavings(run: Run, an) -> None:
    before = _counts(run)
    on_roll = run("member", "restore", "1", "--on", "01/02/2012", "--decision", "x")
    assert on_roll.exit_code == 1 and "đang có trong danh sách" in on_roll.stderr
    assert run("member", "leave", "1", "--reason", "resigned", "--on", "01/02/2010").exit_code == 0
    before = _counts(run)
    resigned = run("member", "restore", "1", "--on", "01/02/2012", "--decision", "x")
    assert resigned.exit_code == 1 and "tanhung member readmit" in resigned.stderr
    bare = run("member", "restore", "1", "--on", "01/02/2012", lang="en")
    assert bare.exit_code == 1 and "needs its decision" in bare.stderr
    assert _counts(run) == before


def test_a_restoration_dated_before_the_expulsion_is_refused(run: Run, an) -> None:
    assert run("member", "leave", "1", "--reason", "expelled", "--on", "01/02/2010").exit_code == 0
    early = run("member", "restore", "1", "--on", "01/02/2009", "--decision", "x")
    assert early.exit_code == 1 and "01/02/2010" in early.stderr


def test_hd11_restorations_in_the_term_are_counted_apart_from_leavings(
    sample_db: Path, tmp_path: Path
) -> None:
    """The expulsion stays counted in its term (HD 11-HD/BTCTW 2021 counts leavings by
    reason); the restoration that undoes it is counted apart, in the term it was decided."""
    path = tmp_path / "tanhung.db"
    shutil.copy(sample_db, path)

    def report(*args: str, lang: str = "vi") -> str:
        result = CliRunner().invoke(app, ["--db", str(path), "--lang", lang, *args])
        i18n.set_lang("vi")
        assert result.exit_code == 0, result.output
        return result.stdout

    def leavings() -> dict:
        return json.loads(report("report", "leavings", "--term", "2015-2020", "-f", "json"))

    before = leavings()
    assert before["restored"] == 0 and "Khôi phục" not in report(
        "report", "leavings", "--term", "2015-2020"
    )
    with closing(sqlite3.connect(path)) as c:
        member = c.execute(
            "SELECT id FROM members WHERE left_on IS NULL AND official_on < '2015' ORDER BY id"
        ).fetchone()[0]
    report("member", "leave", str(member), "--reason", "expelled", "--on", "01/03/2016")
    report("member", "restore", str(member), "--on", "01/03/2018", "--decision", "45-QĐ/HU")
    after = leavings()
    assert (after["total"], after["restored"]) == (before["total"] + 1, 1)
    assert "Khôi phục đảng tịch (tính riêng)" in report("report", "leavings", "--term", "2015-2020")
    assert "Membership restored" in report("report", "leavings", "--term", "2015-2020", lang="en")
    summary = json.loads(report("report", "summary", "--term", "2015-2020", "-f", "json"))
    assert summary["members"]["total"] == 301  # on the roll again at the end of the term


def test_check_finds_a_gap_that_a_corrected_admission_left_outside(run: Run, an) -> None:
    assert run("member", "gap-add", "1", *LOST).exit_code == 0
    assert json.loads(run("check", "--format", "json").stdout) == []
    fixed = run("member", "correct", "1", "--admitted", "10/03/2001", "--joined", "10/03/2001",
                "--official", "10/03/2002")  # fmt: skip
    assert fixed.exit_code == 0, fixed.output
    found = run("check", "--format", "json", lang="en")
    assert found.exit_code == 1
    [problem] = json.loads(found.stdout)
    assert (problem["key"], problem["member"]["id"]) == ("gaps.misfit", 1)
    assert problem["message"].startswith("period 1 not counted in party age (2000-01-01 – 2000")
    assert "begins before the admission (2001-03-10)" in problem["message"]
