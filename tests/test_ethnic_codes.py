"""Bare ethnic code numbers and their table (issue #14, point 10).

The registry's codes are the 2008 table's (QĐ 1019/QĐ-TCTK of 12/11/2008: 04 Mường,
05 Khmer, 06 Hoa); the 1979 table (QĐ 121-TCTK/PPCĐ of 02/03/1979: 04 Hoa, 05 Khơ-me,
06 Mường) is still printed on official sites. A file names its table with
``--ethnic-codes``; an import that met bare numbers says which table it read them by.
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest
from conftest import Run

from tanhung_cli import ethnic_codes
from tanhung_cli.i18n import t
from tanhung_cli.vocab import vocabulary

HEADER = "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chi bộ,Ngày vào Đảng"
ROWS = [
    "Lý Văn Một,Nam,01/01/1980,4,Ấp Chợ,01/01/2010",
    "Lý Văn Hai,Nam,01/01/1980,06,Ấp Chợ,01/01/2010",
    "Lý Văn Ba,Nam,01/01/1980,5.0,Ấp Chợ,01/01/2010",
    "Lý Văn Bốn,Nam,01/01/1980,Hoa,Ấp Chợ,01/01/2010",
]


def test_qd1019_2008_and_qd121_1979_tables_are_data_and_agree_by_name() -> None:
    """Each 1979 number maps to one 2008 code, and the 1979 name (Khơ-me, HMông …) is
    that 2008 group's by its spellings: 54 groups, one to one."""
    path = Path(ethnic_codes.__file__).parent / "vocab" / "ethnic_codes_1979.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    groups = vocabulary("ethnicity")
    assert len(rows) == len(groups.codes()) == 54
    assert sorted(r["code_2008"] for r in rows) == sorted(groups.codes())
    for row in rows:
        assert groups.resolve(row["name"]).code == row["code_2008"], row
    mapped = ethnic_codes.codes_1979()
    assert [groups.get(mapped[n]).vi for n in (4, 5, 6)] == ["Hoa", "Khmer", "Mường"]
    assert [groups.get(f"{n:02d}").vi for n in (4, 5, 6)] == ["Mường", "Khmer", "Hoa"]


def _import(run: Run, tmp_path: Path, *options: str) -> tuple[list[tuple[str, str]], str]:
    (tmp_path / "ds.csv").write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    out = run("import", "members", str(tmp_path / "ds.csv"), *options)
    assert out.exit_code == 0, out.output
    with sqlite3.connect(tmp_path / "ds.db") as conn:
        stored = conn.execute("SELECT full_name, ethnicity FROM members ORDER BY id").fetchall()
    return stored, out.stderr


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ds.db"


@pytest.mark.usefixtures("branches", "either_import_path")
def test_qd1019_bare_numbers_read_by_the_2008_table_by_default_and_said(
    run: Run, tmp_path: Path
) -> None:
    """QĐ 1019/QĐ-TCTK (2008): 4 is Mường, 06 Hoa, 5.0 (an Excel number) Khmer; the
    import says on stderr, after its summary, which table it read them by."""
    stored, err = _import(run, tmp_path)
    assert [code for _, code in stored] == ["04", "06", "05", "06"]
    assert err.strip() == t("ids.ethnic_numbers_2008", lang="vi")


@pytest.mark.usefixtures("branches", "either_import_path")
def test_qd121_1979_table_on_request(run: Run, tmp_path: Path) -> None:
    """QĐ 121-TCTK/PPCĐ (1979): 4 is Hoa, 06 Mường, 5 Khơ-me, stored by 2008 codes; a name
    ("Hoa") means the same in both tables."""
    stored, err = _import(run, tmp_path, "--ethnic-codes", "1979")
    assert [code for _, code in stored] == ["06", "04", "05", "06"]
    assert err.strip() == t("ids.ethnic_numbers_1979", lang="vi")


@pytest.mark.usefixtures("branches", "either_import_path")
def test_names_only_say_nothing_about_tables(run: Run, tmp_path: Path) -> None:
    (tmp_path / "ds.csv").write_text(HEADER + "\n" + ROWS[3] + "\n", encoding="utf-8")
    out = run("import", "members", str(tmp_path / "ds.csv"))
    assert out.exit_code == 0, out.output
    assert out.stderr == ""


@pytest.mark.usefixtures("branches")
def test_an_unknown_table_is_a_bad_option(run: Run, tmp_path: Path) -> None:
    (tmp_path / "ds.csv").write_text(HEADER + "\n" + ROWS[0] + "\n", encoding="utf-8")
    out = run("import", "members", str(tmp_path / "ds.csv"), "--ethnic-codes", "1990")
    assert out.exit_code == 2


PERSON = ("--gender", "Nam", "--born", "01/01/1980", "--branch", "Ấp Chợ",
          "--admitted", "01/01/2010")  # fmt: skip


@pytest.mark.usefixtures("branches")
def test_member_add_and_edit_read_a_typed_number_by_the_table_asked(
    run: Run, db_path: Path
) -> None:
    """QĐ 1019/QĐ-TCTK (2008) by default: 4 is Mường; --ethnic-codes 1979 (QĐ 121-TCTK/PPCĐ):
    4 is Hoa, 6 Mường. Each says which table read the number."""
    old = run("member", "add", "--name", "Lý Văn Một", *PERSON, "--ethnicity", "4",
              "--ethnic-codes", "1979")  # fmt: skip
    assert old.exit_code == 0, old.output
    assert old.stderr.strip() == t("ids.ethnic_typed_1979", lang="vi")
    new = run("member", "add", "--name", "Lý Văn Hai", *PERSON, "--ethnicity", "4")
    assert new.exit_code == 0, new.output
    assert new.stderr.strip() == t("ids.ethnic_typed_2008", lang="vi")
    named = run("member", "add", "--name", "Lý Văn Ba", *PERSON, "--ethnicity", "Hoa")
    assert named.exit_code == 0 and named.stderr == ""
    edited = run("member", "edit", "2", "--ethnicity", "4", "--ethnic-codes", "1979")
    assert edited.exit_code == 0, edited.output
    with sqlite3.connect(db_path) as conn:
        stored = conn.execute("SELECT ethnicity FROM members ORDER BY id").fetchall()
    assert [code for (code,) in stored] == ["06", "06", "06"]
