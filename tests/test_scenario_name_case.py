"""Names and branch names typed in other cases (issue #11, point 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DIEM, Run, option_list

PHUC = option_list(DIEM, name="Lê Hoàng Phúc", gender="Nam", born="05/06/1980", card="08400001",
                   cccd="084080000123")  # fmt: skip


def _names(run: Run) -> list[str]:
    return [m["full_name"] for m in json.loads(run("member", "list", "-f", "json").stdout)]


@pytest.mark.usefixtures("branches")
def test_a_name_in_capitals_is_stored_capitalised_and_the_clerk_is_told(run: Run) -> None:
    added = run("member", "add", *option_list(PHUC, name="NGUYỄN VĂN TÁM"))
    assert added.exit_code == 0, added.output
    assert added.stdout == "Đã thêm đảng viên Nguyễn Văn Tám (mã 1).\n"
    assert added.stderr == (
        "Tên 'NGUYỄN VĂN TÁM' được ghi là 'Nguyễn Văn Tám' (chữ hoa đầu mỗi tiếng);"
        " muốn giữ nguyên như đã gõ: --keep-case.\n"
    )
    kept = run("member", "add", *option_list(DIEM, name="TRẦN THỊ KIỀU"), "--keep-case")
    assert kept.exit_code == 0 and kept.stderr == ""
    assert _names(run) == ["TRẦN THỊ KIỀU", "Nguyễn Văn Tám"]
    # A name in mixed case is the clerk's choice: kept.
    assert run("member", "edit", "2", "--name", "Trần thị Kiều").exit_code == 0
    assert "Trần thị Kiều" in _names(run)
    # An edit of something else leaves a stored name alone, whatever its case.
    assert run("member", "edit", "1", "--name", "ĐOÀN VĂN TÁM", "--keep-case").exit_code == 0
    assert run("member", "edit", "1", "--phone", "0912345678").exit_code == 0
    assert "ĐOÀN VĂN TÁM" in _names(run)


@pytest.mark.usefixtures("branches", "either_import_path")
@pytest.mark.parametrize("update", [[], ["--update"]])
def test_a_file_that_differs_only_in_case_changes_nothing(
    run: Run, tmp_path: Path, update: list[str]
) -> None:
    assert run("member", "add", *PHUC).exit_code == 0
    exported = tmp_path / "ds.csv"
    assert run("export", "members", "-o", str(exported)).exit_code == 0
    shouting = tmp_path / "ds-hoa.csv"
    shouting.write_text(
        exported.read_text(encoding="utf-8-sig").replace("Lê Hoàng Phúc", "LÊ HOÀNG PHÚC"),
        encoding="utf-8",
    )
    result = run("import", "members", str(shouting), *update)
    assert result.exit_code == 0, result.output
    assert "thêm 0, cập nhật 0, không đổi 1, bị từ chối 0" in result.stdout
    assert _names(run) == ["Lê Hoàng Phúc"]


@pytest.mark.usefixtures("branches", "either_import_path")
def test_an_imported_roll_in_capitals(run: Run, tmp_path: Path) -> None:
    roll = tmp_path / "hoa.csv"
    roll.write_text(
        "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chi bộ,Ngày vào Đảng\n"
        "NGUYỄN VĂN TÁM,Nam,01/01/1980,Kinh,Ấp Chợ,01/01/2010\n"
        "thạch thị sa rươne,Nữ,01/02/1990,Khmer,Ấp Chợ,03/02/2015\n",
        encoding="utf-8",
    )
    assert run("import", "members", str(roll)).exit_code == 0
    assert _names(run) == ["Thạch Thị Sa Rươne", "Nguyễn Văn Tám"]


@pytest.mark.usefixtures("either_import_path")
def test_an_imported_roll_kept_as_typed(run: Run, branches: None, tmp_path: Path) -> None:
    roll = tmp_path / "hoa.csv"
    roll.write_text(
        "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chi bộ,Ngày vào Đảng\n"
        "NGUYỄN VĂN TÁM,Nam,01/01/1980,Kinh,Ấp Chợ,01/01/2010\n",
        encoding="utf-8",
    )
    assert run("import", "members", str(roll), "--keep-case").exit_code == 0
    assert _names(run) == ["NGUYỄN VĂN TÁM"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("ấp Sáu", "Ấp Sáu"), ("Chi bộ ấp Nhì", "Ấp Nhì"), ("ẤP BẢY", "Ấp Bảy"),
     ("chi bộ trường THCS Tân Hùng", "Trường THCS Tân Hùng"), ("Công an xã", "Công an xã")],
)  # fmt: skip
def test_branch_names_are_capitalised_one_way(run: Run, typed: str, stored: str) -> None:
    added = run("branch", "add", typed)
    assert added.exit_code == 0, added.output
    assert [b["name"] for b in json.loads(run("branch", "list", "-f", "json").stdout)] == [stored]
