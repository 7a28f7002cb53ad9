"""The CCCD read, not only counted (issue #14, point 9).

Thông tư 59/2021/TT-BCA, art. 7: 3 digits for the province of birth registration, 1 for
the century of birth and sex (0/1 man/woman born 1900–1999, 2/3 born 2000–2099, …), 2
for the year of birth, 6 at random. A number that disagrees with the member's gender
or birth year is refused, saying which digit, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from conftest import Run

from tanhung_cli import cccd, cells
from tanhung_cli.i18n import t

TODAY = dt.date(2026, 12, 3)


def disagreement(number: str, gender: str | None, born: str | None) -> str | None:
    cell = cells.read_date(born, TODAY) if born else None
    found = cccd.disagreement(number, gender, cell)
    return found.key if found else None


def test_tt59_art7_the_63_province_codes_are_data() -> None:
    """TT 59/2021/TT-BCA art. 7 and its appendix: 63 codes, 001 Hà Nội … 096 Cà Mau."""
    codes = cccd.provinces()
    assert len(codes) == 63
    assert (min(codes), max(codes)) == ("001", "096")
    assert codes["084"] == "Trà Vinh" and codes["079"] == "Hồ Chí Minh"


@pytest.mark.parametrize(
    ("number", "gender", "born", "expected"),
    [
        ("084090000111", "male", "01/01/1990", None),
        ("084190000111", "female", "01/01/1990", None),
        ("999090000111", "male", "01/01/1990", "ids.cccd_province"),  # no province 999
        ("003090000111", "male", "01/01/1990", "ids.cccd_province"),  # a gap in the codes
        ("084190000111", "male", "01/01/1990", "ids.cccd_century_sex"),  # digit 4: a woman
        ("084290000111", "female", "01/01/1990", "ids.cccd_century_sex"),  # 21st century
        ("084091000111", "male", "01/01/1990", "ids.cccd_year"),  # digits 5-6
        # The century boundary: 1999 is the 20th century's last year, 2000 the 21st's first.
        ("084099000111", "male", "31/12/1999", None),
        ("084299000111", "male", "31/12/1999", "ids.cccd_century_sex"),
        ("084200000111", "male", "01/01/2000", None),
        ("084300000111", "female", "01/01/2000", None),
        ("084000000111", "male", "01/01/2000", "ids.cccd_century_sex"),
        ("084100000111", "female", "01/01/2000", "ids.cccd_century_sex"),
        # A year or a month alone: its year.
        ("084045000111", "male", "1945", None),
        ("084046000111", "male", "03/1945", "ids.cccd_year"),
        # What is unknown is not checked.
        ("084091000111", None, None, None),
        ("084190000111", "male", None, "ids.cccd_sex"),
    ],
)
def test_tt59_art7_digits_against_gender_and_birth_year(
    number: str, gender: str | None, born: str | None, expected: str | None
) -> None:
    """TT 59/2021/TT-BCA art. 7: province (digits 1-3), century and sex (digit 4), year of
    birth (digits 5-6)."""
    assert disagreement(number, gender, born) == expected


PERSON = ("--ethnicity", "Kinh", "--branch", "Ấp Chợ", "--admitted", "01/01/2015")


def _count(db_path: Path) -> int:
    with sqlite3.connect(db_path) as conn:
        return int(conn.execute("SELECT count(*) FROM members").fetchone()[0])


@pytest.mark.usefixtures("branches")
def test_tt59_art7_member_add_refuses_999_for_a_man_born_1990(run: Run, db_path: Path) -> None:
    """Issue #14 point 9: `999385000111` for a man born 1990 was accepted."""
    out = run("member", "add", "--name", "Lê Văn Tư", "--gender", "Nam", "--born", "01/01/1990",
              *PERSON, "--cccd", "999385000111")  # fmt: skip
    assert out.exit_code == 1
    assert out.stderr.strip() == ("Số CCCD: " + t("ids.cccd_province", code="999", lang="vi"))
    assert _count(db_path) == 0


@pytest.mark.usefixtures("branches")
def test_tt59_art7_member_add_says_which_digit_in_both_languages(run: Run, db_path: Path) -> None:
    args = ("member", "add", "--name", "Lê Thị Tư", "--gender", "Nữ", "--born", "01/01/1990",
            *PERSON, "--cccd", "084290000111")  # fmt: skip
    out = run(*args)
    assert out.exit_code == 1
    assert (
        "Số CCCD: chữ số thứ 4 (2) là nam sinh từ năm 2000 đến năm 2099, nhưng đảng viên là "
        "nữ sinh năm 1990" in out.stderr
    )
    en = run(*args, lang="en")
    assert en.exit_code == 1
    assert "digit 4 (2) means a man born 2000–2099, but the member is a woman born in 1990" in (
        en.stderr
    )
    assert _count(db_path) == 0


@pytest.mark.usefixtures("branches")
def test_tt59_art7_member_edit_checks_the_number_against_the_stored_member(
    run: Run, db_path: Path
) -> None:
    """Editing the CCCD alone, or the birth date alone, is checked against the other."""
    added = run("member", "add", "--name", "Lê Văn Tư", "--gender", "Nam", "--born", "01/01/1990",
                *PERSON, "--cccd", "084090000111")  # fmt: skip
    assert added.exit_code == 0, added.output
    wrong = run("member", "edit", "1", "--cccd", "084091000222")
    assert wrong.exit_code == 1
    assert "Số CCCD: " + t("ids.cccd_year", digits="91", year="1990", lang="vi") in wrong.stderr
    born = run("member", "edit", "1", "--born", "01/01/1991")
    assert born.exit_code == 1 and "Số CCCD: chữ số thứ 5 và 6 (90)" in born.stderr
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT national_id, birth_date FROM members").fetchall() == [
            ("084090000111", "1990-01-01")
        ]
    assert run("member", "edit", "1", "--cccd", "084090000222").exit_code == 0


@pytest.mark.usefixtures("branches", "either_import_path")
def test_tt59_art7_import_refuses_located_and_writes_nothing(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    rows = [
        "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chi bộ,Ngày vào Đảng,Số CCCD",
        "Lê Văn Một,Nam,01/01/1990,Kinh,Ấp Chợ,01/01/2015,084090000001",
        "Lê Văn Hai,Nam,01/01/1990,Kinh,Ấp Chợ,01/01/2015,999385000111",
        "Lê Thị Ba,Nữ,1990,Kinh,Ấp Chợ,01/01/2015,084290000003",
        "Lê Thị Bốn,Nữ,01/01/1990,Kinh,Ấp Chợ,01/01/2015,084189000004",
        "Lê Thị Năm,Nữ,01/01/2000,Kinh,Ấp Chợ,01/01/2020,084300000005",
    ]
    (tmp_path / "ds.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = run("import", "members", str(tmp_path / "ds.csv"))
    assert out.exit_code == 1
    lines = [line for line in out.stderr.splitlines() if line.startswith("ds.csv:")][:-1]
    assert lines == [
        "ds.csv:3: Số CCCD: 3 chữ số đầu (999) không phải mã tỉnh, thành phố nơi đăng ký"
        " khai sinh (Thông tư 59/2021/TT-BCA)",
        "ds.csv:4: Số CCCD: chữ số thứ 4 (2) là nam sinh từ năm 2000 đến năm 2099, nhưng"
        " đảng viên là nữ sinh năm 1990",
        "ds.csv:5: Số CCCD: chữ số thứ 5 và 6 (89) là 2 số cuối của năm sinh, nhưng đảng viên"
        " sinh năm 1990",
    ]
    assert _count(db_path) == 0
    found = run("import", "members", str(tmp_path / "ds.csv"), "--format", "json", "--dry-run")
    keys = [p["key"] for p in json.loads(found.stdout)]
    assert keys == ["ids.cccd_province", "ids.cccd_century_sex", "ids.cccd_year"]
