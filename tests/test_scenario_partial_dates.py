"""Dates known only by their year or month (old records, issue #11 point 10): accepted for
a birth and for dates of the roll before a set year, kept and shown as such, and every
reading command answers for a registry that holds them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Run

from tanhung_cli.i18n import t

OLD_ROLL = """full_name,gender,birth_date,ethnicity,branch,admitted_on,official_on,left_on,left_reason,transferred_in_on
Lê Văn Cũ,Nam,1940,Kinh,Ấp Chợ,1965,1966,,,
Trần Thị Xưa,Nữ,03/1958,Khmer,Ấp Chợ,T5/1980,06/1981,,,
Phạm Văn Mới,Nam,1975,Kinh,Ấp Te Te 1,19/05/2000,19/05/2001,,,
Võ Văn Đi,Nam,1950,Kinh,Ấp Chợ,1975,1976,1995,từ trần,
Đỗ Thị Trẻ,Nữ,2000,Kinh,Trường THCS,10/01/2026,,,,
Hồ Văn Sát,Nam,1990,Kinh,Ấp Chợ,15/06/2008,15/06/2009,,,
Lý Văn Chuyển,Nam,tháng 8 năm 1955,Hoa,Ấp Chợ,1978,1979,,,1998
"""


@pytest.fixture
def old_roll(run: Run, branches: None, tmp_path: Path) -> None:
    """Seven members, most with dates known by year or month alone (ids 1..7 in file order)."""
    roll = tmp_path / "so-cu.csv"
    roll.write_text(OLD_ROLL, encoding="utf-8")
    result = run("import", "members", str(roll))
    assert result.exit_code == 0, result.output
    assert (
        run("term", "add", "2020-2025", "--start", "01/07/2020", "--end", "30/06/2025").exit_code
        == 0
    )
    assert run("course", "add", "Lớp đảng viên mới 2026", "--kind", "new-member",
               "--start", "01/03/2026", "--end", "05/03/2026").exit_code == 0  # fmt: skip
    assert run("course", "enrol", "1", "5").exit_code == 0
    assert run("rating", "set", "2025", "1", "HTTNV", "--score", "80").exit_code == 0


READING = [
    ("member", "list"), ("member", "list", "--all"), ("member", "list", "--born", "1940"),
    ("member", "list", "--age", "60-90"), ("member", "find", "Cũ"),
    *(("member", "show", str(i)) for i in range(1, 8)),
    *(("member", "history", str(i)) for i in range(1, 8)),
    *(("member", "standing", str(i)) for i in range(1, 8)),
    *(("member", "birthdays", "--month", str(m)) for m in (3, 8, 12)),
    ("due",), ("due", "--within", "3660", "--early"), ("due", "--as-of", "01/01/2000", "--within", "3660"),
    ("check",), ("audit",),
    ("report", "summary"), ("report", "summary", "--as-of", "31/12/1990"), ("report", "branches"),
    ("report", "admissions"), ("report", "training"), ("report", "composition"),
    ("report", "roster"), ("report", "roster", "--all"),
    ("term", "list"), ("course", "list"), ("course", "show", "1"), ("rating", "list", "2025"),
    ("rating", "summary", "2025"),
]  # fmt: skip
FORMATS = {"member": ("table", "json", "csv"), "due": ("table", "json", "csv")}


@pytest.mark.usefixtures("old_roll")
@pytest.mark.parametrize("words", READING, ids=" ".join)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_reading_command_answers(run: Run, words: tuple[str, ...], lang: str) -> None:
    result = run(*words, lang=lang)
    assert result.exit_code in (0, 1), result.output
    assert (
        "Traceback" not in result.output
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    ), result.exception


@pytest.mark.parametrize(
    ("text", "iso"),
    [("1960", "1960"), ("năm 1960", "1960"), ("3/1960", "1960-03"), ("03-1960", "1960-03"),
     ("03.1960", "1960-03"), ("1960-03", "1960-03"), ("tháng 3/1960", "1960-03"),
     ("Tháng 3 năm 1960", "1960-03"), ("T3/1960", "1960-03"), ("12/03/1960", "1960-03-12")],
)  # fmt: skip
def test_a_year_or_a_month_alone_is_kept_as_such(text: str, iso: str) -> None:
    import datetime as dt

    from tanhung_cli import vietnamese as vn

    day = vn.parse_partial_date(text, today=dt.date(2026, 12, 3))
    assert (day if isinstance(day, str) else day.isoformat()) == iso
    assert vn.format_date(iso) == {"1960": "1960", "1960-03": "03/1960"}.get(iso, "12/03/1960")
    assert vn.format_date(iso, "en") == iso


@pytest.mark.parametrize(
    ("text", "reason"),
    [("13/1960", "impossible"), ("1899", "too_old"), ("2027", "future"), ("01/2027", "future"),
     ("tháng 3", "format"), ("3/60", "format")],
)  # fmt: skip
def test_junk_is_still_refused_with_its_reason(text: str, reason: str) -> None:
    import datetime as dt

    from tanhung_cli import vietnamese as vn

    with pytest.raises(vn.DateError) as caught:
        vn.parse_partial_date(text, today=dt.date(2026, 12, 3))
    assert caught.value.reason == reason


def _member(**changes: str | None) -> list[str]:
    from conftest import DIEM, option_list

    return option_list(DIEM, card=None, cccd=None, **changes)


@pytest.mark.usefixtures("branches")
def test_member_add_keeps_a_year_of_birth_and_says_when_the_age_is_uncertain(run: Run) -> None:
    added = run("member", "add", *_member(born="1960", admitted="1990", official="1991"))
    assert added.exit_code == 0, added.output
    assert t("dates.age_uncertain") not in added.stderr  # 29 or 30 years old: certain
    shown = json.loads(run("member", "show", "1", "--format", "json").stdout)
    assert (shown["birth_date"], shown["admitted_on"], shown["official_on"]) == (
        "1960", "1990", "1991")  # fmt: skip
    assert "│ 1960 " in run("member", "show", "1").stdout
    young = run("member", "add", *_member(name="Hồ Văn Sát", born="1990", admitted="15/06/2008",
                                          official=None))  # fmt: skip
    assert young.exit_code == 0, young.output
    assert t("dates.age_uncertain") in young.stderr  # 17 or 18 at admission
    too_young = run("member", "add", *_member(name="Hồ Văn Nhỏ", born="1992",
                                              admitted="15/06/2008", official=None))  # fmt: skip
    assert too_young.exit_code == 1 and "admitted_on" not in too_young.stdout
    assert run("member", "list", "--format", "json").stdout.count('"id"') == 2


@pytest.mark.usefixtures("branches")
def test_a_recent_date_without_its_day_is_refused(run: Run, db_path: Path) -> None:
    refused = run("member", "add", *_member(admitted="2005", official=None))
    assert refused.exit_code == 1
    assert t("dates.partial_too_recent", value="2005", year=2000) in refused.stderr
    assert "Traceback" not in refused.output
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM members").fetchone()[0] == 0
        conn.execute("INSERT INTO settings (key, value) VALUES ('partial_dates_before', '1980')")
    later = run("member", "add", *_member(admitted="03/1985", official=None), lang="en")
    assert later.exit_code == 1
    assert t("dates.partial_too_recent", lang="en", value="1985-03", year=1980) in later.stderr


@pytest.mark.usefixtures("branches", "either_import_path")
def test_an_import_locates_a_recent_date_without_its_day(run: Run, tmp_path: Path) -> None:
    roll = tmp_path / "ds.csv"
    roll.write_text(OLD_ROLL.replace("19/05/2000,19/05/2001", "2000,05/2001"), encoding="utf-8")
    result = run("import", "members", str(roll))
    assert result.exit_code == 1
    assert f"ds.csv:4: admitted_on: {t('dates.partial_too_recent', value='2000', year=2000)}" in (
        result.stderr
    )


@pytest.mark.usefixtures("old_roll")
def test_party_age_and_badges_from_a_year_alone_are_about(run: Run) -> None:
    cu = json.loads(run("member", "standing", "1", "--as-of", "03/12/2026", "-f", "json").stdout)
    assert cu["party_age"] == {"years": 61, "months": 11, "approximate": True}
    assert cu["next_badge"]["approximate"] is True
    assert "khoảng 61 năm 11 tháng" in run("member", "standing", "1").stdout
    moi = json.loads(run("member", "standing", "3", "--as-of", "03/12/2026", "-f", "json").stdout)
    assert moi["party_age"] == {"years": 26, "months": 6}  # full dates: exact
    due = json.loads(run("due", "--within", "1900", "-f", "json").stdout)
    cu_badge = next(b for b in due["badges"] if b["id"] == 1)
    assert (cu_badge["admitted_on"], cu_badge["approximate"]) == ("1965", True)
    assert "khoảng 01/01/2030" in run("due", "--within", "1900").stdout


@pytest.mark.usefixtures("old_roll")
def test_lists_find_births_known_by_year_or_month(run: Run) -> None:
    def ids(*words: str) -> list[int]:
        return [m["id"] for m in json.loads(run("member", "list", *words, "-f", "json").stdout)]

    assert ids("--born", "1940") == [1]
    assert ids("--born", "1955-1958") == [7, 2]
    assert ids("--age", "71-90", "--as-of", "03/12/2026") == [7, 1]
    birthdays = run("member", "birthdays", "--month", "3", "--as-of", "03/12/2026")
    assert "03/2026" in birthdays.stdout and "Trần Thị Xưa" in birthdays.stdout
    composition = run("report", "composition", "--as-of", "03/12/2026", "-f", "json")
    data = json.loads(composition.stdout)
    assert sum(band["total"] for band in data["age"]) == 6  # nobody dropped
    assert data["age_uncertain"] == 1  # born 1975: 50 or 51
    assert t("dates.age_bands_uncertain", count=1) in composition.stderr


@pytest.mark.usefixtures("old_roll")
def test_corrections_take_old_partial_dates_only(run: Run) -> None:
    fixed = run("member", "correct", "1", "--official", "1967")
    assert fixed.exit_code == 0, fixed.output
    assert json.loads(run("member", "show", "1", "-f", "json").stdout)["official_on"] == "1967"
    refused = run("member", "correct", "3", "--official", "2005")
    assert refused.exit_code == 1
    assert t("dates.correct_too_recent", value="2005", year=2000) in refused.stderr


@pytest.mark.usefixtures("old_roll", "either_import_path")
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_import_export_keeps_partial_dates(
    run: Run, tmp_path: Path, fmt: str, db_path: Path
) -> None:
    first = tmp_path / f"first.{fmt}"
    assert run("export", "members", "-o", str(first), "-f", fmt).exit_code == 0
    other = tmp_path / "other.db"
    from typer.testing import CliRunner

    from tanhung_cli.cli import app

    def again(*words: str) -> str:
        result = CliRunner().invoke(app, ["--db", str(other), *words])
        assert result.exit_code == 0, result.output
        return result.stdout

    for name, kind in (("Ấp Chợ", "hamlet"), ("Ấp Te Te 1", "hamlet"), ("Trường THCS", "sector")):
        again("branch", "add", name, "--kind", kind)
    again("import", "members", str(first))
    second = tmp_path / f"second.{fmt}"
    again("export", "members", "-o", str(second), "-f", fmt)
    if fmt == "csv":
        assert second.read_bytes() == first.read_bytes()
        assert "Lê Văn Cũ,,Nam,1940," in first.read_text(encoding="utf-8-sig")
    exported = json.loads(again("export", "members", "-f", "json"))
    assert [(m["birth_date"], m["admitted_on"]) for m in exported][:2] == [
        ("1955-08", "1978"), ("1940", "1965")]  # fmt: skip
    assert again("report", "summary", "-f", "json") == run("report", "summary", "-f", "json").stdout


@pytest.mark.usefixtures("branches")
def test_confirm_and_readmit_a_member_of_the_old_rolls(run: Run) -> None:
    assert (
        run("member", "add", *_member(born="1950", admitted="1978", official=None)).exit_code == 0
    )
    confirmed = run("member", "confirm", "1", "--on", "01/06/1980")
    assert confirmed.exit_code == 0, confirmed.output
    assert json.loads(run("member", "show", "1", "-f", "json").stdout)["official_on"] == "1979"
    assert run("member", "leave", "1", "--reason", "removed", "--on", "01/01/2000").exit_code == 0
    back = run("member", "readmit", "1", "--on", "01/01/2005", "--consent", "1-CV/TU")
    assert back.exit_code == 0, back.output  # 54 or 55 years old


@pytest.mark.usefixtures("old_roll")
def test_an_enrolment_file_names_an_old_member_by_name_and_year_of_birth(
    run: Run, tmp_path: Path
) -> None:
    people = tmp_path / "hoc-vien.csv"
    people.write_text(
        "course,full_name,birth_date\n1,Lê Văn Cũ,1940\n1,Trần Thị Xưa,15/03/1958\n"
        "1,Lý Văn Chuyển,1956\n",
        encoding="utf-8",
    )
    result = run("import", "enrolments", str(people))
    assert result.exit_code == 1
    located = [line for line in result.stderr.splitlines() if line.startswith("hoc-vien.csv:4")]
    assert len(located) == 1 and "hoc-vien.csv:2" not in result.stderr  # born 08/1955, not 1956
    assert "hoc-vien.csv:3" not in result.stderr
    assert run("import", "enrolments", str(people), "--skip-invalid").exit_code == 0
    shown = json.loads(run("course", "show", "1", "-f", "json").stdout)
    assert sorted(m["id"] for m in shown["members"]) == [1, 2, 5]


@pytest.mark.usefixtures("branches")
def test_member_edit_takes_a_year_of_birth_and_says_when_the_age_is_uncertain(run: Run) -> None:
    assert run("member", "add", *_member(admitted="15/06/2008", official=None)).exit_code == 0
    edited = run("member", "edit", "1", "--born", "tháng 6 năm 1990")
    assert edited.exit_code == 0, edited.output
    assert "Ngày sinh: 12/03/1975 → 06/1990" in edited.stdout
    assert t("dates.age_uncertain") in edited.stderr  # 17 or 18 at admission
    calm = run("member", "edit", "1", "--born", "1960", lang="en")
    assert "1990-06 → 1960" in calm.stdout and t("dates.age_uncertain", lang="en") not in (
        calm.stderr
    )


@pytest.mark.usefixtures("branches")
def test_check_finds_nothing_wrong_with_a_transfer_in_the_month_of_admission(
    run: Run, tmp_path: Path
) -> None:
    roll = tmp_path / "ds.csv"
    roll.write_text(
        "full_name,gender,birth_date,ethnicity,branch,admitted_on,official_on,transferred_in_on\n"
        "Lê Văn Cũ,Nam,1940,Kinh,Ấp Chợ,05/1980,1981,1980\n",
        encoding="utf-8",
    )
    assert run("import", "members", str(roll)).exit_code == 0
    checked = run("check")
    assert checked.exit_code == 0, checked.output


@pytest.mark.usefixtures("old_roll")
@pytest.mark.parametrize(
    "words", [("member", "list"), ("report", "roster"), ("member", "show", "2")], ids=" ".join
)
def test_shown_as_a_clerk_writes_them(run: Run, words: tuple[str, ...]) -> None:
    shown = run(*words).stdout
    assert "03/1958" in shown and "05/1980" in shown and "1958-03" not in shown
    assert "01/03/1958" not in shown and "01/01/" not in shown
    english = run(*words, lang="en").stdout
    assert "1958-03" in english and "1958-03-01" not in english


@pytest.mark.usefixtures("old_roll")
def test_an_event_recorded_now_still_needs_its_day(run: Run) -> None:
    """Life-event commands record what happens now: a year alone is a usage error there."""
    result = run("member", "leave", "3", "--reason", "died", "--on", "2020")
    assert result.exit_code == 2
    assert t("rule.date_year_only", value="2020") in result.stderr
    assert json.loads(run("member", "show", "3", "-f", "json").stdout)["left_on"] is None
