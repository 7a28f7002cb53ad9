"""Member files in every encoding and layout offices produce land with exact NFC names."""

from __future__ import annotations

import codecs
import datetime as dt
import json
import unicodedata
from pathlib import Path

import pytest
from conftest import Run
from test_tabular import cp1258

from tanhung_cli.legacy_encodings import encoder

# Every import here runs both ways: in this process, and as a large file in workers.
pytestmark = pytest.mark.usefixtures("either_import_path")

HEADERS = ["Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Chi bộ", "Ngày vào Đảng",
           "Ngày chính thức", "Số thẻ đảng viên", "Số CCCD"]  # fmt: skip
ROWS = [
    ["Nguyễn Thị Kiều Diễm", "Nữ", "12/03/1975", "Kinh", "Ấp Chợ", "19/05/2000", "19/05/2001",
     "01234567", "084175000123"],
    ["Thạch Thị Sa Rươne", "nu", "02/09/1990", "Khơ-me", "Te Te 1", "03/02/2015", "03/02/2016",
     "00456789", "084190000001"],
    ["Trương Văn Đặng", "Nam", "1/1/1980", "05", "Ấp Te Te 1", "01.06.2010", "", "",
     "084080000002"],
]  # fmt: skip
NAMES = [r[0] for r in ROWS]


def _text(sep: str) -> str:
    return "\r\n".join(sep.join(row) for row in [HEADERS, *ROWS]) + "\r\n"


FILES = {
    "utf8.csv": lambda: _text(",").encode("utf-8"),
    "utf8-bom.csv": lambda: codecs.BOM_UTF8 + _text(",").encode("utf-8"),
    "unicode.txt": lambda: _text("\t").encode("utf-16"),
    "cp1258.csv": lambda: cp1258(_text(";")),
    "tcvn3.csv": lambda: encoder("tcvn3")(_text(",")),
    "vni.csv": lambda: encoder("vni")(_text(";")),
    "nfd.csv": lambda: unicodedata.normalize("NFD", _text(",")).encode("utf-8"),
}


@pytest.fixture
def two_branches(run: Run) -> None:
    assert run("branch", "add", "Ấp Chợ").exit_code == 0
    assert run("branch", "add", "Ấp Te Te 1").exit_code == 0


def _stored_names(run: Run) -> list[str]:
    result = run("member", "list", "--format", "json")
    return sorted(m["full_name"] for m in json.loads(result.stdout))


@pytest.mark.parametrize("name", list(FILES))
def test_each_encoding_imports_exact_names(
    run: Run, two_branches: None, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_bytes(FILES[name]())
    result = run("import", "members", str(path))
    assert result.exit_code == 0, result.output
    assert f"{name}: thêm 3, cập nhật 0, không đổi 0, bị từ chối 0" in result.stdout
    names = _stored_names(run)
    assert names == sorted(NAMES)
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    shown = json.loads(run("member", "show", "01234567", "--format", "json").stdout)
    assert (shown["card_no"], shown["national_id"], shown["birth_date"]) == (
        "01234567",
        "084175000123",
        "1975-03-12",
    )


def test_xlsx_with_date_cells_and_numbers_as_text(
    run: Run, two_branches: None, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["STT", *HEADERS])
    sheet.append([1, "Nguyễn Thị Kiều Diễm", "Nữ", dt.datetime(1975, 3, 12), "Kinh", "Ấp Chợ",
                  dt.date(2000, 5, 19), dt.date(2001, 5, 19), "01234567", "084175000123"])  # fmt: skip
    sheet.append([2, "Thạch Thị Sa Rươne", "Nữ", "02/09/1990", 5, "Te Te 1",
                  43864, None, None, "084190000001"])  # fmt: skip
    sheet.append([3, "Lâm Văn Tư", "Nam", dt.date(1980, 1, 1), "Kinh", "Ấp Chợ",
                  dt.date(2010, 6, 1), dt.date(2011, 6, 1), 1234567, None])  # fmt: skip
    path = tmp_path / "Danh sách.xlsx"
    book.save(path)
    result = run("import", "members", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Danh sách.xlsx:1: cột 'STT' không được biết đến; bỏ qua.",
        "Danh sách.xlsx:4: Số thẻ đảng viên: '1234567' có 7 chữ số, cần 8 (Excel có thể đã bỏ số 0"
        " ở đầu: định dạng cột là Văn bản)",
        "Danh sách.xlsx: 1 dòng có lỗi (1 lỗi); không ghi gì vào sổ. Sửa các dòng trên, hoặc dùng"
        " --skip-invalid để chỉ nhập các dòng hợp lệ (--rejects TỆP ghi các dòng lỗi ra tệp).",
    ]
    result = run("import", "members", str(path), "--skip-invalid", lang="en")
    assert result.exit_code == 0
    assert "Danh sách.xlsx: added 2, updated 0, unchanged 0, rejected 1" in result.stdout
    sa = json.loads(run("member", "show", "2", "--format", "json").stdout)
    assert (sa["full_name"], sa["ethnicity"], sa["admitted_on"]) == (
        "Thạch Thị Sa Rươne",
        "Khmer",
        "2020-02-03",  # the serial number 43864 of a date cell stored as a number
    )


def test_forced_encoding_and_bad_encoding_option(
    run: Run, two_branches: None, tmp_path: Path
) -> None:
    path = tmp_path / "vni.txt"
    path.write_bytes(FILES["vni.csv"]())
    assert run("import", "members", str(path), "--encoding", "vni", "--dry-run").exit_code == 0
    result = run("import", "members", str(path), "--encoding", "klingon")
    assert result.exit_code == 2
    assert "klingon" in result.output


def test_headers_in_any_case_with_or_without_diacritics(
    run: Run, two_branches: None, tmp_path: Path
) -> None:
    heads = ["HO VA TEN", "gioi tinh", "Birth_Date", "DÂN TỘC", "chi bo", "Ngay vao dang",
             "official on", "so the dang vien", "NATIONAL-ID"]  # fmt: skip
    path = tmp_path / "hoa.csv"
    path.write_text(";".join(heads) + "\n" + ";".join(ROWS[0]) + "\n", encoding="utf-8")
    result = run("import", "members", str(path))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert _stored_names(run) == ["Nguyễn Thị Kiều Diễm"]


@pytest.mark.usefixtures("conn")  # an existing registry: no "created" line on stderr
def test_import_branches_duplicates_and_kind_updates(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "chi-bo.csv"
    path.write_text(
        "name,kind\nẤp Chợ,hamlet\nTrường THCS,sector\nChi bộ ấp chợ,hamlet\nCông an,cảnh sát\n",
        encoding="utf-8",
    )
    result = run("import", "branches", str(path), "--skip-invalid", lang="en")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "chi-bo.csv:4: name: 'Ấp chợ' is also on line 2 of the file",
        "chi-bo.csv:5: kind: Unknown branch kind 'cảnh sát': use hamlet (chi bộ ấp) or sector"
        " (chi bộ ngành).",
    ]
    assert "chi-bo.csv: added 2, updated 0, unchanged 0, rejected 2" in result.stdout
    path.write_text("Tên chi bộ,Loại\nẤp Chợ,sector\n", encoding="utf-8")
    assert run("import", "branches", str(path)).exit_code == 1
    result = run("import", "branches", str(path), "--update")
    assert "thêm 0, cập nhật 1, không đổi 0, bị từ chối 0" in result.stdout
    listed = json.loads(run("branch", "list", "--format", "json").stdout)
    assert {b["name"]: b["kind"] for b in listed} == {"Ấp Chợ": "sector", "Trường THCS": "sector"}
