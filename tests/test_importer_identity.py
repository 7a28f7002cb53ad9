"""An import never turns one person into another, and never keeps a code that is not an id.

A row that matches a stored member on one number but names someone else (another name or
birth date) is a conflict listed with both people, with or without ``--update``; a
member's identity (name, birth date, gender) changes only when every number on the row
agrees with the stored member. An ``id``/``Mã`` column holding a branch's own codes is
refused, and nothing is written; a member the registry numbered is always found again.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import Run

from tanhung_cli.i18n import t

pytestmark = pytest.mark.usefixtures("branches")
# Every import here runs both ways: in this process, and as a large file in workers.
both_paths = pytest.mark.usefixtures("either_import_path")

HEADER = "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chi bộ,Ngày vào Đảng,Ngày chính thức,Số thẻ đảng viên,Số CCCD"
AN = ("--name", "An Văn A", "--gender", "Nam", "--born", "01/01/1980", "--ethnicity", "Kinh",
      "--branch", "Ấp Chợ", "--admitted", "01/01/2010", "--official", "01/01/2011",
      "--card", "08400001", "--cccd", "084080000001")  # fmt: skip


def _members(run: Run) -> list[dict[str, object]]:
    return list(json.loads(run("member", "list", "--format", "json").stdout))


def _file(tmp_path: Path, *rows: str, name: str = "cuong.csv", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


@both_paths
def test_card_alone_naming_another_person_is_a_conflict_even_with_update(
    run: Run, tmp_path: Path
) -> None:
    assert run("member", "add", *AN).exit_code == 0
    before = _members(run)
    path = _file(
        tmp_path, "Cường Thị C,Nữ,02/02/1990,Tày,Ấp Te Te 1,03/03/2015,03/03/2016,08400001,"
    )
    expected = (
        "cuong.csv:2: Số thẻ đảng viên: "
        + t(
            "import.other_person",
            value="08400001",
            stored="An Văn A",
            id=1,
            born="01/01/1980",
            gender="Nam",
            name="Cường Thị C",
            row_born="02/02/1990",
            row_gender="Nữ",
        )  # fmt: skip
    )
    for update in ((), ("--update",)):
        refused = run("import", "members", str(path), *update)
        assert refused.exit_code == 1
        assert refused.stderr.splitlines()[0] == expected
        assert "--update" not in refused.stderr
    assert _members(run) == before


@both_paths
def test_one_number_with_another_birth_date_is_a_conflict(run: Run, tmp_path: Path) -> None:
    assert run("member", "add", *AN).exit_code == 0
    before = _members(run)
    path = _file(tmp_path, "An Văn A,Nam,05/05/1985,Kinh,Ấp Chợ,01/01/2010,01/01/2011,08400001,")
    refused = run("import", "members", str(path), "--update", lang="en")
    assert refused.exit_code == 1
    assert refused.stderr.startswith(
        "cuong.csv:2: Số thẻ đảng viên: 08400001 is the number of An Văn A (id 1, born 1980-01-01,"
        " Male), not of An Văn A (born 1985-05-05, Male)"
    )
    assert _members(run) == before


@both_paths
def test_every_number_agreeing_lets_update_correct_a_birth_date(run: Run, tmp_path: Path) -> None:
    assert run("member", "add", *AN).exit_code == 0
    path = _file(
        tmp_path, "An Văn A,Nam,05/05/1980,Kinh,Ấp Chợ,01/01/2010,01/01/2011,08400001,084080000001"
    )
    told = run("import", "members", str(path))
    assert told.exit_code == 1
    assert told.stderr.startswith("cuong.csv:2: đã có trong sổ là An Văn A (mã 1) nhưng khác ở:")
    assert run("import", "members", str(path), "--update").exit_code == 0
    assert [(m["id"], m["birth_date"]) for m in _members(run)] == [(1, "1980-05-05")]


@both_paths
def test_a_number_that_names_nobody_else_still_matches_its_person(run: Run, tmp_path: Path) -> None:
    # The same person, a phone number added: one number, the same name and birth date.
    assert run("member", "add", *AN).exit_code == 0
    path = _file(
        tmp_path, "An Văn A,Nam,01/01/1980,Kinh,Ấp Chợ,01/01/2010,01/01/2011,08400001,",
        header=HEADER,
    )  # fmt: skip
    done = run("import", "members", str(path))
    assert done.exit_code == 0, done.stderr
    assert "thêm 0, cập nhật 0, không đổi 1" in done.stdout + done.stderr


@both_paths
@pytest.mark.parametrize("code", ["840000000001", "12345678901234567890", "CB-01"])
def test_branch_codes_in_the_id_column_are_refused(run: Run, tmp_path: Path, code: str) -> None:
    path = _file(
        tmp_path,
        f"{code},Cường Thị C,Nữ,02/02/1990,Kinh,Ấp Chợ,03/03/2015",
        header="Mã,Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chi bộ,Ngày vào Đảng",
        name="codes.csv",
    )
    refused = run("import", "members", str(path))
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[0] == "codes.csv:2: Mã: " + t(
        "import.not_an_id", value=code, max="9.999.999"
    )
    assert _members(run) == []
    added = run("member", "add", *AN)
    assert (added.exit_code, added.stdout) == (0, t("member.added", id=1, name="An Văn A") + "\n")


def test_a_member_the_registry_numbers_is_always_found_again(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    # A registry whose ids are long already (an import of branch codes by an older version).
    assert run("member", "add", *AN).exit_code == 0
    with sqlite3.connect(db_path) as raw:
        columns = [r[1] for r in raw.execute("PRAGMA table_info(members)") if r[1] != "id"]
        copied = ", ".join("NULL" if c in ("card_no", "national_id") else c for c in columns)
        raw.execute(
            f"INSERT INTO members (id, {', '.join(columns)})"
            f" SELECT 840000000001, {copied} FROM members WHERE id = 1"
        )
    person = ("--gender", "Nữ", "--born", "02/02/1990", "--ethnicity", "Kinh", "--branch",
              "Ấp Chợ", "--admitted", "03/03/2015")  # fmt: skip
    added = run("member", "add", "--name", "Bình Thị B", *person)
    assert (added.exit_code, added.stdout) == (
        0, t("member.added", id=840000000002, name="Bình Thị B") + "\n"
    )  # fmt: skip
    moved_in = run("member", "transfer-in", "--name", "Cao Thị C", "--from", "Xã Tân Hòa", *person)
    assert moved_in.exit_code == 0, moved_in.stderr
    assert [m["id"] for m in _members(run)] == [1, 840000000001, 840000000002, 840000000003]
