"""`tanhung report changes`: the roll at the start of a period, every increase and
decrease, and the roll at the end, reconciling exactly (the six-monthly and yearly
statistics of membership: tăng, giảm đảng viên).

The start (đầu kỳ) is the roll at the end of the day before --from, so an event dated
--from is a change of the period; the end (cuối kỳ) is the roll at --to."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tanhung_cli import i18n
from tanhung_cli.cli import app
from tanhung_cli.i18n import t

GAINS = ("admitted", "readmitted", "transferred_in", "restored")
LOSSES = ("died", "expelled", "removed", "resigned", "transferred_out")


@pytest.fixture
def copy(sample_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "tanhung.db"
    shutil.copy(sample_db, path)
    return path


def invoke(path: Path, *args: str, lang: str = "vi") -> Result:
    result = CliRunner().invoke(app, ["--db", str(path), "--lang", lang, *args])
    i18n.set_lang("vi")
    return result


def ok(path: Path, *args: str, lang: str = "vi") -> str:
    result = invoke(path, *args, lang=lang)
    assert result.exit_code == 0, result.output
    return result.stdout


def changes(path: Path, *period: str) -> dict:
    return json.loads(ok(path, "report", "changes", *period, "-f", "json"))


def on_roll(path: Path, day: dt.date, *branch: str) -> int:
    as_of = day.strftime("%d/%m/%Y")
    data = json.loads(ok(path, "report", "summary", "--as-of", as_of, *branch, "-f", "json"))
    return int(data["members"]["total"])


def balanced(c: dict) -> bool:
    assert c["increases"]["total"] == sum(c["increases"][k] for k in GAINS)
    assert c["decreases"]["total"] == sum(c["decreases"][k] for k in LOSSES)
    moved = c.get("moved_in", 0) - c.get("moved_out", 0)  # between branches (a branch's row)
    return bool(c["start"] + c["increases"]["total"] - c["decreases"]["total"] + moved == c["end"])


def test_the_2015_2020_term_reconciles_and_ends_at_the_summary_of_30_06_2020(
    sample_db: Path,
) -> None:
    data = changes(sample_db, "--from", "01/07/2015", "--to", "30/06/2020")
    assert (data["from"], data["to"]) == ("2015-07-01", "2020-06-30")
    assert data["start"] == 270 and data["end"] == 301
    assert data["increases"] == {"admitted": 45, "readmitted": 0, "transferred_in": 0,
                                 "restored": 0, "total": 45}  # fmt: skip
    assert data["decreases"] == {"died": 6, "expelled": 1, "removed": 2, "resigned": 1,
                                 "transferred_out": 4, "total": 14}  # fmt: skip
    assert balanced(data) and data["reconciles"] is True
    assert data["end"] == on_roll(sample_db, dt.date(2020, 6, 30)) == 301
    # The same new admissions as `report admissions`, the same leavings as `report leavings`.
    admissions = json.loads(ok(sample_db, "report", "admissions", "-t", "2015-2020", "-f", "json"))
    assert admissions["in_term"] == data["increases"]["admitted"]
    leavings = json.loads(ok(sample_db, "report", "leavings", "-t", "2015-2020", "-f", "json"))
    assert leavings["total"] == data["decreases"]["total"] - data["decreases"]["transferred_out"]
    assert changes(sample_db, "--term", "2015-2020") == data


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (dt.date(2015, 7, 1), dt.date(2020, 6, 30)),  # the 2015-2020 term
        (dt.date(2020, 7, 1), dt.date(2025, 6, 30)),  # the 2020-2025 term
        (dt.date(2019, 1, 1), dt.date(2019, 12, 31)),  # a calendar year
        (dt.date(2020, 1, 1), dt.date(2020, 6, 30)),  # the first half of a year
        (dt.date(2023, 7, 1), dt.date(2023, 12, 31)),  # the second half
    ],
)
def test_every_period_reconciles_with_the_roll_at_both_ends_and_by_branch(
    sample_db: Path, first: dt.date, last: dt.date
) -> None:
    data = changes(sample_db, "--from", f"{first:%d/%m/%Y}", "--to", f"{last:%d/%m/%Y}")
    assert balanced(data) and data["reconciles"] is True
    assert data["start"] == on_roll(sample_db, first - dt.timedelta(days=1))
    assert data["end"] == on_roll(sample_db, last)
    rows = data["by_branch"]
    assert len(rows) == 14 and all(balanced(r) for r in rows)
    for key in ("start", "end"):
        assert sum(r[key] for r in rows) == data[key]
    chợ = next(r for r in rows if r["branch"] == "Ấp Chợ")
    assert chợ["end"] == on_roll(sample_db, last, "-b", "Ấp Chợ")
    one = changes(sample_db, "--from", f"{first:%d/%m/%Y}", "--to", f"{last:%d/%m/%Y}",
                  "-b", "Ấp Chợ")  # fmt: skip
    assert one["branch"] == "Ấp Chợ" and one["by_branch"] == [chợ]
    assert {k: one[k] for k in ("start", "increases", "decreases", "end")} == {
        k: chợ[k] for k in ("start", "increases", "decreases", "end")
    }


def test_every_move_is_labelled_by_its_reason_and_past_spells_count(copy: Path) -> None:
    """A transfer out and back, an expulsion undone by a restoration (khôi phục đảng tịch,
    HD 06-HD/TW 2025), a death dated the first day: each is one labelled change, the closed
    periods kept in past_spells included, and the figures still reconcile."""
    with closing(sqlite3.connect(copy)) as c:
        a, b, d = (r[0] for r in c.execute(
            "SELECT id FROM members WHERE left_on IS NULL AND presence = 'regular'"
            " AND official_on < '2015' AND away_since IS NULL ORDER BY id LIMIT 3"
        ))  # fmt: skip
    before = changes(copy, "--from", "01/01/2021", "--to", "31/12/2021")
    ok(copy, "member", "transfer-out", str(a), "--to", "Xã Tân Hòa", "--on", "01/02/2021")
    ok(copy, "member", "transfer-in", str(a), "--on", "01/06/2021")
    ok(copy, "member", "leave", str(b), "--reason", "expelled", "--on", "01/03/2021")
    ok(copy, "member", "restore", str(b), "--on", "01/09/2021", "--decision", "45-QĐ/HU")
    ok(copy, "member", "leave", str(d), "--reason", "died", "--on", "01/01/2021")
    with closing(sqlite3.connect(copy)) as c:
        assert c.execute("SELECT count(*) FROM past_spells").fetchone()[0] == 2
    after = changes(copy, "--from", "01/01/2021", "--to", "31/12/2021")
    assert balanced(after) and after["reconciles"] is True
    assert after["start"] == before["start"]  # the death dated 01/01 is in the period
    assert after["end"] == before["end"] - 1 == on_roll(copy, dt.date(2021, 12, 31))
    grew = {k: after["increases"][k] - before["increases"][k] for k in GAINS}
    fell = {k: after["decreases"][k] - before["decreases"][k] for k in LOSSES}
    assert grew == {"admitted": 0, "readmitted": 0, "transferred_in": 1, "restored": 1}
    assert fell == {"died": 1, "expelled": 1, "removed": 0, "resigned": 0, "transferred_out": 1}
    # Within the expulsion and the return, the member is gone: a half-year shows the loss only.
    half = changes(copy, "--from", "01/01/2021", "--to", "30/06/2021")
    assert balanced(half) and half["end"] == on_roll(copy, dt.date(2021, 6, 30))


def test_temporary_attendees_never_count_and_voided_records_leave_every_figure(
    copy: Path,
) -> None:
    """A temporary attendee (sinh hoạt tạm thời) is not on this roll; a member away on a
    temporary transfer still is; a member voided as entered by mistake was never there."""
    period = ("--from", "01/01/2026", "--to", "30/06/2026")
    before = changes(copy, *period)
    with closing(sqlite3.connect(copy)) as c:
        guest_id, arrived = c.execute(
            "SELECT id, joined_roll_on FROM members WHERE presence = 'temporary'"
        ).fetchone()
        assert arrived.startswith("2026-0")  # arrived in the period, not counted
        away = c.execute("SELECT count(*) FROM members WHERE away_since IS NOT NULL")
        assert away.fetchone()[0] == 1
        newest = c.execute(
            "SELECT id FROM members WHERE presence = 'regular' AND admitted_on >= '2026-01-01'"
            " AND joined_roll_on = admitted_on AND left_on IS NULL ORDER BY id LIMIT 1"
        ).fetchone()[0]
    assert before["end"] == on_roll(copy, dt.date(2026, 6, 30))
    ok(copy, "member", "void", str(newest), "--reason", "nhập trùng")
    after = changes(copy, *period)
    assert after["increases"]["admitted"] == before["increases"]["admitted"] - 1
    assert after["end"] == before["end"] - 1 and balanced(after)
    # The guest transferred in officially: a new period on the roll, counted as chuyển đến.
    ok(copy, "member", "transfer-in", str(guest_id), "--on", "01/06/2026")
    came = changes(copy, *period)
    assert came["increases"]["transferred_in"] == after["increases"]["transferred_in"] + 1
    assert came["end"] == after["end"] + 1 == on_roll(copy, dt.date(2026, 6, 30))
    assert balanced(came)


def test_a_readmission_kept_in_a_past_spell_is_still_a_readmission(copy: Path) -> None:
    """The sample's re-admission (kết nạp lại, QĐ 294-QĐ/TW point 3.5) stays one when the
    member later transfers out and back and the period moves to past_spells."""
    term = ("--term", "2020-2025")
    before = changes(copy, *term)
    assert before["increases"]["readmitted"] == 1
    with closing(sqlite3.connect(copy)) as c:
        member = c.execute("SELECT id FROM members WHERE readmitted_on IS NOT NULL").fetchone()[0]
    ok(copy, "member", "transfer-out", str(member), "--to", "Xã Tân Hòa", "--on", "01/02/2026")
    ok(copy, "member", "transfer-in", str(member), "--on", "01/03/2026")
    assert changes(copy, *term) == before
    year = changes(copy, "--from", "01/01/2026", "--to", "31/12/2026")
    assert balanced(year) and year["reconciles"] is True


def test_overlapping_periods_are_said_not_to_reconcile(copy: Path) -> None:
    """Periods on the roll that overlap (a registry edited by hand) would count a member
    twice as a change but once on the roll: the report says so instead of hiding it."""
    with closing(sqlite3.connect(copy)) as c, c:
        member = c.execute(
            "SELECT id FROM members WHERE joined_roll_on < '2010' AND left_on IS NULL"
        ).fetchone()[0]
        c.execute(
            "INSERT INTO past_spells (member_id, joined_roll_on, left_on, left_reason,"
            " admitted_on, presence) VALUES (?, '2016-01-01', '2018-01-01', 'transferred',"
            " '2000-01-01', 'regular')",
            (member,),
        )
    data = changes(copy, "--from", "01/07/2015", "--to", "30/06/2016")
    assert data["reconciles"] is False
    shown = ok(copy, "report", "changes", "--from", "01/07/2015", "--to", "30/06/2016")
    assert t("changes.unbalanced", lang="vi") in " ".join(shown.split())


def test_every_format_and_both_languages(sample_db: Path, tmp_path: Path) -> None:
    period = ("report", "changes", "--from", "01/07/2015", "--to", "30/06/2020")
    table = ok(sample_db, *period)
    for label in ("Đầu kỳ", "Kết nạp mới", "Kết nạp lại", "Chuyển đến", "Khôi phục đảng tịch",
                  "Từ trần", "Khai trừ", "Xóa tên", "Xin ra khỏi Đảng", "Chuyển đi", "Cuối kỳ"):  # fmt: skip
        assert label in table, label
    assert t("changes.balance", lang="vi", start="270", increases="45", decreases="14",
             end="301") in table  # fmt: skip
    english = ok(sample_db, *period, lang="en")
    for label in ("Roll at the start", "New admission", "Re-admission", "Transferred in",
                  "Membership restored", "Died", "Expelled", "Name removed", "Resigned",
                  "Transferred out", "Roll at the end"):  # fmt: skip
        assert label in english, label
    csv = ok(sample_db, *period, "-f", "csv", lang="en").splitlines()
    assert csv[0].split(",")[:4] == ["section", "key", "count", "branch"]
    assert "changes,start,270," in csv[1] and "changes,end,301," in csv[-15]
    assert "changes,decreases.transferred_out,4," in "\n".join(csv)
    head = csv[0].split(",")
    chợ = dict(zip(head, next(r for r in csv if ",Ấp Chợ," in r).split(","), strict=True))
    assert (chợ["start"], chợ["admitted"], chợ["died"], chợ["end"]) == ("36", "6", "2", "38")
    markdown = ok(sample_db, *period, "-f", "markdown")
    assert (
        markdown.startswith("# Tăng, giảm đảng viên")
        and "| Cuối kỳ (ngày 30/06/2020) | 301 |" in markdown
    )
    out = tmp_path / "changes.html"
    ok(sample_db, *period, "--output", str(out))
    html = out.read_text(encoding="utf-8")
    assert "Khôi phục đảng tịch" in html and "301" in html


def test_a_period_ending_before_it_starts_is_refused_located(sample_db: Path) -> None:
    result = invoke(sample_db, "report", "changes", "--from", "01/07/2020", "--to", "30/06/2020")
    assert result.exit_code == 2 and "--to" in result.stderr
    assert t("changes.to_before_from", lang="vi", start="01/07/2020", end="30/06/2020")[:20] in (
        " ".join(result.stderr.split())
    )
    english = invoke(sample_db, "report", "changes", "--from", "01/07/2020", "--to",
                     "30/06/2020", lang="en")  # fmt: skip
    assert english.exit_code == 2 and "is before the first" in " ".join(english.stderr.split())
    none = invoke(sample_db, "report", "changes")
    assert none.exit_code == 2 and "--from/--to" in none.stderr
    both = invoke(sample_db, "report", "changes", "--term", "2015-2020", "--from", "01/01/2016")
    assert both.exit_code == 2 and "Traceback" not in both.output


def test_the_sample_s_move_of_2022_is_an_out_and_an_in_between_two_branches(
    sample_db: Path,
) -> None:
    """The sample moves one member from Ấp Nhứt to Ấp Nhì on 15/03/2022 (issue #15): in
    2022's changes it is one out of the first and one into the second, no increase or
    decrease of the committee, and each row reconciles."""
    data = changes(sample_db, "--from", "01/01/2022", "--to", "31/12/2022")
    rows = {r["branch"]: r for r in data["by_branch"]}
    nhứt, nhì = rows["Ấp Nhứt"], rows["Ấp Nhì"]
    assert (nhứt["moved_out"], nhứt["moved_in"], nhì["moved_in"], nhì["moved_out"]) == (1, 0, 1, 0)
    assert sum(r["moved_in"] for r in rows.values()) == sum(r["moved_out"] for r in rows.values())
    assert balanced(data) and all(balanced(r) for r in rows.values())
    before = changes(sample_db, "--from", "01/01/2022", "--to", "14/03/2022")
    assert {r["branch"]: r["moved_out"] for r in before["by_branch"]}["Ấp Nhứt"] == 0
