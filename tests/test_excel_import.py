"""Workbooks as offices keep them (issue #16, "Excel in both directions"): the form's title
rows above the header, several sheets, a sheet without a header. Both import paths."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Run

pytestmark = pytest.mark.usefixtures("either_import_path", "branches")

HEADER = ["Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Chi bộ", "Ngày vào Đảng"]
TITLES = [
    ["ĐẢNG BỘ XÃ TÂN HÙNG", None, None, "ĐẢNG CỘNG SẢN VIỆT NAM"],
    ["CHI BỘ ẤP CHỢ"],
    [],
    ["DANH SÁCH ĐẢNG VIÊN"],
    ["Tân Hùng, ngày 03 tháng 12 năm 2026"],
]


def _person(name: str, born: str = "01/01/1980") -> list[Any]:
    return [name, "Nam", born, "Kinh", "Ấp Chợ", "19/05/2005"]


def _book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def _names(run: Run) -> list[str]:
    result = run("member", "list", "--format", "json")
    return sorted(m["full_name"] for m in json.loads(result.stdout))


def test_the_header_is_found_below_the_forms_title_rows(run: Run, tmp_path: Path) -> None:
    rows = [*TITLES, HEADER, _person("Lê Văn Tám"), _person("Lê Văn Chín")]
    path = _book(tmp_path / "ds.xlsx", {"Danh sách": rows})
    result = run("import", "members", str(path), lang="en")
    assert result.exit_code == 0, result.output
    assert "ds.xlsx: added 2, updated 0, unchanged 0, rejected 0" in result.output
    assert _names(run) == ["Lê Văn Chín", "Lê Văn Tám"]


def test_rows_below_title_rows_are_located_by_excel_row_number(run: Run, tmp_path: Path) -> None:
    rows = [*TITLES, HEADER, _person("Lê Văn Tám"), _person("Lê Văn Chín", "31/02/1980")]
    path = _book(tmp_path / "ds.xlsx", {"Sheet": rows})
    result = run("import", "members", str(path), lang="en")
    assert result.exit_code == 1
    # Title rows 1-5, the header on row 6: the second person is on Excel's row 8.
    assert "ds.xlsx:8: Ngày sinh: '31/02/1980' is not a real date" in result.output
    assert _names(run) == []


def test_missing_columns_name_the_header_row_found(run: Run, tmp_path: Path) -> None:
    rows = [*TITLES, ["Họ và tên", "Giới tính"], ["Lê Văn Tám", "Nam"]]
    path = _book(tmp_path / "ds.xlsx", {"Sheet": rows})
    result = run("import", "members", str(path), lang="en")
    assert result.exit_code == 1
    assert "ds.xlsx:6: required column(s) missing: birth_date (Ngày sinh)" in result.output


def test_a_sheet_without_a_header_says_so_not_missing_columns(run: Run, tmp_path: Path) -> None:
    rows = [*TITLES, ["Lê Văn Tám", "Nam", "01/01/1980"]]
    path = _book(tmp_path / "ds.xlsx", {"Trang 1": rows})
    result = run("import", "members", str(path), lang="en")
    assert result.exit_code == 1
    assert "ds.xlsx: no header row found on sheet 'Trang 1' (rows 1–6 looked at)" in result.output
    assert "Họ và tên, Giới tính, Ngày sinh, Dân tộc, Chi bộ, Ngày vào Đảng" in result.output
    assert "missing" not in result.output
    vi = run("import", "members", str(path))
    assert "không tìm thấy dòng tiêu đề ở trang 'Trang 1' (đã xem các dòng 1–6)" in vi.output


def test_a_header_below_the_tenth_row_is_not_looked_for(run: Run, tmp_path: Path) -> None:
    rows = [[f"Dòng {i}"] for i in range(1, 11)] + [HEADER, _person("Lê Văn Tám")]
    path = _book(tmp_path / "ds.xlsx", {"Sheet": rows})
    result = run("import", "members", str(path), lang="en")
    assert result.exit_code == 1
    assert "(rows 1–10 looked at)" in result.output


@pytest.mark.parametrize("sheet", ["Ấp Te Te", "ap te te", "AP TE TE", "2"])
def test_sheet_picks_a_sheet_by_name_or_number(run: Run, tmp_path: Path, sheet: str) -> None:
    path = _book(
        tmp_path / "ds.xlsx",
        {
            "Ấp Chợ": [HEADER, _person("Lê Văn Tám")],
            "Ấp Te Te": [*TITLES, HEADER, _person("Lê Văn Chín")],
        },
    )
    result = run("import", "members", str(path), "--sheet", sheet)
    assert result.exit_code == 0, result.output
    assert _names(run) == ["Lê Văn Chín"]


def test_the_first_sheet_by_default(run: Run, tmp_path: Path) -> None:
    sheets = {"Ấp Chợ": [HEADER, _person("Lê Văn Tám")], "Khác": [HEADER, _person("Lê Văn Chín")]}
    result = run("import", "members", str(_book(tmp_path / "ds.xlsx", sheets)))
    assert result.exit_code == 0, result.output
    assert _names(run) == ["Lê Văn Tám"]


@pytest.mark.parametrize("sheet", ["Ấp 9", "3", "0"])
def test_an_unknown_sheet_lists_the_sheets(run: Run, tmp_path: Path, sheet: str) -> None:
    sheets = {"Ấp Chợ": [HEADER], "Khác": [HEADER]}
    path = _book(tmp_path / "ds.xlsx", sheets)
    result = run("import", "members", str(path), "--sheet", sheet, lang="en")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"ds.xlsx: there is no sheet '{sheet}'. The workbook has: 1. Ấp Chợ, 2. Khác." in (
        result.output
    )


def test_sheet_on_a_text_file_is_refused(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "ds.csv"
    path.write_text(",".join(HEADER) + "\n", encoding="utf-8")
    result = run("import", "members", str(path), "--sheet", "1", lang="en")
    assert result.exit_code == 1
    assert "ds.csv: --sheet is for Excel workbooks (.xlsx) only." in result.output


def test_rejects_of_a_titled_sheet_keep_its_rows(run: Run, tmp_path: Path) -> None:
    rows = [*TITLES, HEADER, _person("Lê Văn Tám"), _person("Lê Văn Chín", "31/02/1980")]
    path = _book(tmp_path / "ds.xlsx", {"A": [HEADER], "B": rows})
    rejects = tmp_path / "loi.csv"
    args = ("--sheet", "B", "--skip-invalid", "--rejects", str(rejects))
    result = run("import", "members", str(path), *args, lang="en")
    assert result.exit_code == 0, result.output
    assert _names(run) == ["Lê Văn Tám"]
    lines = rejects.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 2
    assert lines[0].endswith(",".join(HEADER)) and "Lê Văn Chín" in lines[1]


def test_other_imports_find_their_header_too(run: Run, tmp_path: Path) -> None:
    rows = [["DANH SÁCH CHI BỘ"], [], ["Tên chi bộ", "Loại"], ["Ấp Mới", "hamlet"]]
    path = _book(tmp_path / "cb.xlsx", {"Sheet": rows})
    result = run("import", "branches", str(path))
    assert result.exit_code == 0, result.output
    listed = run("branch", "list", "--format", "json").stdout
    assert "Ấp Mới" in listed
