"""A file exported from this registry and corrected by a branch finds its members by id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Run

# Every import here runs both ways: in this process, and as a large file in workers.
pytestmark = pytest.mark.usefixtures("either_import_path")

PEOPLE = ("Lê Văn Tư", "Trần Thị Bình", "Phạm Văn Năm")


@pytest.mark.usefixtures("branches")
def test_corrected_export_updates_instead_of_adding(run: Run, tmp_path: Path) -> None:
    for name in PEOPLE:
        added = run("member", "add", "--name", name, "--gender", "Nam", "--born", "01/01/1990",
                    "--ethnicity", "Kinh", "--branch", "Ấp Chợ", "--admitted", "01/08/2021")  # fmt: skip
        assert added.exit_code == 0
    exported = tmp_path / "ex.csv"
    assert run("export", "members", "-o", str(exported)).exit_code == 0
    text = exported.read_text(encoding="utf-8-sig")
    corrected = tmp_path / "ex2.csv"
    corrected.write_text(
        text.replace("2,Trần Thị Bình,,Nam,1990-01-01", "2,Trần Thị Bình,,Nam,1990-01-15").replace(
            "3,Phạm Văn Năm,", "3,Võ Văn Sáu,"
        ),  # an id that names someone else
        encoding="utf-8-sig",
    )
    refused = run("import", "members", str(corrected))
    assert refused.exit_code == 1
    assert refused.stderr.startswith(
        "ex2.csv:2: đã có trong sổ là Trần Thị Bình (mã 2) nhưng khác ở: Ngày sinh;"
    )
    done = run("import", "members", str(corrected), "--update")
    assert done.exit_code == 0, done.output
    assert "thêm 1, cập nhật 1, không đổi 1" in done.stderr + done.stdout
    listed = json.loads(run("member", "list", "--format", "json").stdout)
    assert sorted((m["id"], m["full_name"], m["birth_date"]) for m in listed) == [
        (1, "Lê Văn Tư", "1990-01-01"),
        (2, "Trần Thị Bình", "1990-01-15"),
        (3, "Phạm Văn Năm", "1990-01-01"),
        (4, "Võ Văn Sáu", "1990-01-01"),
    ]


@pytest.mark.usefixtures("branches")
def test_transfers_in_and_temporary_members_survive_a_round_trip(run: Run, tmp_path: Path) -> None:
    person = ("--gender", "Nam", "--born", "01/01/1980", "--ethnicity", "Kinh", "--branch", "Ấp Chợ",
              "--admitted", "01/02/2010", "--official", "01/02/2011", "--from", "Xã Tân Hòa",
              "--on", "01/05/2022")  # fmt: skip
    for kind, name in (("official", "Phạm Văn Dũng"), ("temporary", "Võ Văn Em")):
        assert run("member", "transfer-in", "--kind", kind, "--name", name, *person).exit_code == 0

    def summary(day: str, db: Path | None = None) -> dict[str, object]:
        args = ["--db", str(db)] if db else []
        out = run(*args, "report", "summary", "--as-of", day, "--format", "json").stdout
        return dict(json.loads(out)["members"])

    first = tmp_path / "first.csv"
    assert run("export", "members", "-o", str(first), "--headers", "vi").exit_code == 0
    header, *rows = first.read_text(encoding="utf-8-sig").splitlines()
    assert header.endswith(
        ",Ngày chuyển đến,Sinh hoạt tạm thời,Miễn sinh hoạt từ,Chuyển sinh hoạt tạm thời đi,"
        "Nơi chuyển đến,Dự kiến trở về,Mục đích chuyển tạm thời,Quyết định gia hạn,Nơi chuyển từ,"
        "Sinh hoạt tạm thời đến,Ngày giấy giới thiệu,Ngày xuất trình giấy giới thiệu,Ghi chú,"
        "Trạng thái"
    )
    assert sorted(r.split(",")[-14:-12] for r in rows) == [["2022-05-01", ""], ["2022-05-01", "x"]]

    other = tmp_path / "other.db"
    for name in ("Ấp Chợ", "Ấp Te Te 1", "Trường THCS"):
        assert run("--db", str(other), "branch", "add", name).exit_code == 0
    assert run("--db", str(other), "import", "members", str(first)).exit_code == 0
    for day in ("30/04/2022", "01/05/2022"):
        assert summary(day, other) == summary(day)
    again = tmp_path / "again.csv"
    exported = run("--db", str(other), "export", "members", "-o", str(again), "--headers", "vi")
    assert exported.exit_code == 0
    assert again.read_bytes() == first.read_bytes()


def _add(run: Run, name: str, born: str, *extra: str) -> None:
    added = run("member", "add", "--name", name, "--gender", "Nam", "--born", born,
                "--ethnicity", "Kinh", "--branch", "Ấp Chợ", "--admitted", "01/02/2000",
                "--official", "01/02/2001", *extra)  # fmt: skip
    assert added.exit_code == 0, added.output


@pytest.mark.usefixtures("branches")
def test_an_id_whose_numbers_disagree_is_someone_else(run: Run, tmp_path: Path) -> None:
    _add(run, "Nguyễn Văn Hùng", "01/01/1970", "--cccd", "084070678901")
    other = tmp_path / "other.csv"
    other.write_text(
        "id,full_name,gender,birth_date,ethnicity,branch,admitted_on,official_on,national_id\n"
        "1,Nguyễn Văn Hùng,Nam,1985-05-05,Kinh,Ấp Chợ,2010-02-01,2011-02-01,084085432109\n",
        encoding="utf-8",
    )
    done = run("import", "members", str(other), "--update")
    assert done.exit_code == 0, done.output
    listed = json.loads(run("member", "list", "--format", "json").stdout)
    assert sorted((m["id"], m["birth_date"], m["national_id"]) for m in listed) == [
        (1, "1970-01-01", "084070678901"),
        (2, "1985-05-05", "084085432109"),
    ]


def test_rows_without_ids_among_exported_ones_all_land(run: Run, tmp_path: Path) -> None:
    assert run("branch", "add", "Ấp Chợ").exit_code == 0
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(
        "id,full_name,gender,birth_date,ethnicity,branch,admitted_on\n"
        ",Trần Văn Một,Nam,1985-05-05,Kinh,Ấp Chợ,2010-02-01\n"
        "1,Lê Văn Hai,Nam,1986-05-05,Kinh,Ấp Chợ,2010-02-01\n",
        encoding="utf-8",
    )
    done = run("import", "members", str(mixed))
    assert done.exit_code == 0, done.output
    names = {m["full_name"] for m in json.loads(run("member", "list", "--format", "json").stdout)}
    assert names == {"Trần Văn Một", "Lê Văn Hai"}


@pytest.mark.usefixtures("branches")
def test_roll_columns_of_a_stored_member_differ_until_update(run: Run, tmp_path: Path) -> None:
    _add(run, "Nguyễn Văn Hùng", "01/01/1970")
    exported = tmp_path / "ex.csv"
    assert run("export", "members", "-o", str(exported)).exit_code == 0
    header, row = exported.read_text(encoding="utf-8-sig").splitlines()
    cells = row.split(",")
    at = header.split(",").index("transferred_in_on")
    cells[at : at + 2] = ["2015-01-01", "x"]
    changed = tmp_path / "changed.csv"
    changed.write_text(f"{header}\n{','.join(cells)}\n", encoding="utf-8-sig")
    refused = run("import", "members", str(changed))
    assert refused.exit_code == 1
    assert "khác ở: Ngày chuyển đến, Sinh hoạt tạm thời" in refused.stderr
    assert run("import", "members", str(changed), "--update").exit_code == 0
    shown = json.loads(run("member", "show", "1", "--format", "json").stdout)
    assert (shown["transferred_in_on"], shown["temporary"], shown["status"]) == (
        "2015-01-01", "x", "temporary",
    )  # fmt: skip
    # The first export's empty cells keep the stored roll dates: nothing differs.
    again = run("import", "members", str(exported))
    assert again.exit_code == 0 and "không đổi 1" in again.stderr + again.stdout
