"""`import loans` / `import repayments`: every encoding, both header languages, located
problems, all or nothing, --dry-run, --skip-invalid, --rejects; and export → import."""

from __future__ import annotations

import codecs
import csv
import io
import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from conftest import Run
from test_cli_support import FUND, POOR, snapshot
from test_cli_support import setup as setup  # noqa: PLC0414 (the fixture, shared)
from test_tabular import cp1258

from tanhung_cli.legacy_encodings import encoder

pytestmark = pytest.mark.usefixtures("setup", "either_import_path")

VI = ["Quỹ", "Mã", "Họ và tên", "Hình thức", "Số tiền", "Ngày vay", "Hạn trả", "Mục đích"]
ROWS = [
    [FUND, "2", "Nguyễn Văn An", "Vay", "20 triệu", "01/02/2017", "01/02/2018", "Nuôi bò"],
    [POOR, "1", "Nguyễn Thị Kiều Diễm", "Hỗ trợ", "1,5 triệu", "20/01/2016", "", "Sửa nhà"],
    [FUND, "3", "Trần Văn Bảy", "vay", "10.000.000", "01/03/2017", "", ""],
]


def text(rows: list[list[str]], headers: list[str] = VI, sep: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\r\n").writerows([headers, *rows])
    return out.getvalue()


ENCODED = {
    "utf8.csv": lambda s: s.encode("utf-8"),
    "utf8-bom.csv": lambda s: codecs.BOM_UTF8 + s.encode("utf-8"),
    "unicode.txt": lambda s: s.encode("utf-16"),
    "cp1258.csv": cp1258,
    "tcvn3.csv": lambda s: encoder("tcvn3")(s),
    "vni.csv": lambda s: encoder("vni")(s),
}


def imported(run: Run, what: str, path: Path, *options: str) -> tuple[int, str, str]:
    result = run("import", what, str(path), *options)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("name", list(ENCODED))
def test_loans_in_every_encoding_and_again(run: Run, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    sep = "\t" if name.endswith(".txt") else ";" if name.startswith(("cp", "vni")) else ","
    path.write_bytes(ENCODED[name](text(ROWS, sep=sep)))
    code, out, err = imported(run, "loans", path)
    assert (code, err) == (0, ""), out
    assert out.startswith(f"{name}: thêm 3, cập nhật 0, không đổi 0, bị từ chối 0")
    loans = json.loads(run("support", "list", "-f", "json").stdout)
    assert [(x["full_name"], x["kind"], x["amount"]) for x in loans] == [
        ("Nguyễn Thị Kiều Diễm", "grant", 1_500_000),
        ("Nguyễn Văn An", "loan", 20_000_000),
        ("Trần Văn Bảy", "loan", 10_000_000),
    ]
    assert loans[1]["purpose"] == "Nuôi bò"
    code, out, _ = imported(run, "loans", path)  # again: nothing twice
    assert out.startswith(f"{name}: thêm 0, cập nhật 0, không đổi 3, bị từ chối 0")


def test_english_headers_and_repayments(run: Run, tmp_path: Path) -> None:
    english = ["fund", "id", "full_name", "loan_kind", "amount", "lent_on", "due_on", "purpose"]
    loans = tmp_path / "loans.csv"
    loans.write_text(text(ROWS, english), encoding="utf-8")
    assert imported(run, "loans", loans)[0] == 0
    paid = tmp_path / "paid.csv"
    paid.write_text(
        text(
            [[FUND, "2", "01/02/2017", "01/06/2017", "5tr"], ["", "", "", "01/07/2017", "5 triệu"]],
            ["fund", "id", "lent_on", "paid_on", "amount"],
        ).replace("\r\n,,,01/07", "\r\n,,,01/07"),  # fmt: skip
        encoding="utf-8",
    )
    by_id = tmp_path / "by-id.csv"
    by_id.write_text(text([["1", "01/08/2017", "2.000.000"]], ["Khoản vay", "Ngày trả", "Số tiền"]))
    code, out, err = imported(run, "repayments", paid)
    assert code == 1  # the second row names no loan
    assert err.splitlines()[0] == "paid.csv:3: fund: bắt buộc, đang để trống"
    paid.write_text(text([[FUND, "2", "01/02/2017", "01/06/2017", "5tr"]],
                         ["fund", "id", "lent_on", "paid_on", "amount"]))  # fmt: skip
    assert imported(run, "repayments", paid)[0] == 0
    assert imported(run, "repayments", by_id)[0] == 0
    shown = json.loads(run("support", "show", "1", "-f", "json").stdout)
    assert [r["amount"] for r in shown["repayments"]] == [5_000_000, 2_000_000]
    assert shown["owed"] == 13_000_000


def test_problems_located_and_nothing_written(run: Run, tmp_path: Path, db_path: Path) -> None:
    bad = [
        ROWS[0],
        [FUND, "2", "Nguyễn Văn An", "Vay", "1.5", "01/03/2017", "", ""],  # line 3
        [FUND, "3", "Trần Văn Bảy", "Vay", "5 triệu", "01/03/2019", "", ""],  # left in 2018
        [FUND, "3", "Trần Văn Bảy", "Vay", "15 triệu", "01/03/2017", "", ""],  # 10 left
        [FUND, "2", "Nguyễn Văn An", "Vay", "1 triệu", "01/02/2017", "", ""],  # twice
        ["Quỹ không có", "2", "Nguyễn Văn An", "Vay", "1 triệu", "01/02/2017", "", ""],
        [POOR, "1", "Nguyễn Thị Kiều Diễm", "Hỗ trợ", "0", "01/02/2017", "", ""],
        [POOR, "1", "Nguyễn Thị Kiều Diễm", "Hỗ trợ", "1 triệu", "01/02/2017", "01/02/2018", ""],
        [POOR, "1", "Nguyễn Thị Diễm", "Hỗ trợ", "1 triệu", "01/02/2017", "", ""],
    ]
    path = tmp_path / "loans.csv"
    path.write_text(text(bad), encoding="utf-8")
    before = snapshot(db_path)
    code, out, err = imported(run, "loans", path)
    assert code == 1
    assert err.splitlines() == [
        "loans.csv:3: Số tiền: '1.5' không rõ: số lẻ cần có đơn vị (1,5 triệu) hoặc viết đủ số"
        " đồng (1.500.000).",
        "loans.csv:4: Mã: Đảng viên Trần Văn Bảy (mã 3) không còn trong danh sách Đảng bộ ngày"
        " 01/03/2019.",
        f"loans.csv:5: Số tiền: {FUND} chỉ còn 10.000.000 đ cho vay từ ngày 01/03/2017 (vốn +"
        " thu hồi − đã cho vay); không thể cho vay 15.000.000 đ. Ghi thêm vốn trước: tanhung"
        " support capital.",
        "loans.csv:6: Ngày vay: 'Nguyễn Văn An' trùng với dòng 2 của tệp",
        "loans.csv:7: Quỹ: Không có quỹ 'Quỹ không có'. Xem: tanhung support funds.",
        "loans.csv:8: Số tiền: Số tiền phải lớn hơn 0 ('0').",
        "loans.csv:9: Hạn trả: Khoản hỗ trợ không hoàn lại không có hạn trả.",
        "loans.csv:10: Mã: tên 'Nguyễn Thị Diễm' không khớp với đảng viên mã 1 trong sổ"
        " (Nguyễn Thị Kiều Diễm)",
        "loans.csv: 8 dòng có lỗi (8 lỗi); không ghi gì vào sổ. Sửa các dòng trên, hoặc dùng"
        " --skip-invalid để chỉ nhập các dòng hợp lệ (--rejects TỆP ghi các dòng lỗi ra tệp).",
    ]
    assert snapshot(db_path) == before
    assert imported(run, "loans", path, "--dry-run", "--skip-invalid")[0] == 0
    assert snapshot(db_path) == before
    rejects = tmp_path / "rejects.csv"
    code, out, err = imported(run, "loans", path, "--skip-invalid", "--rejects", str(rejects))
    assert code == 0 and out.startswith("loans.csv: thêm 1, cập nhật 0, không đổi 0, bị từ chối 8")
    rows = list(csv.reader(rejects.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 9 and rows[1][rows[0].index("Số tiền")] == "1.5"


def test_repayment_problems_located(run: Run, tmp_path: Path) -> None:
    assert run("support", "add", FUND, "2", "20 triệu", "--on", "01/02/2017").exit_code == 0
    assert (
        run("support", "add", POOR, "1", "5 triệu", "--on", "01/02/2017", "--grant").exit_code == 0
    )
    path = tmp_path / "paid.csv"
    path.write_text(text([
        ["1", "01/06/2017", "15 triệu"],
        ["1", "01/07/2017", "6 triệu"],  # 5 left after the row above
        ["1", "01/01/2017", "1 triệu"],  # before the loan
        ["2", "01/07/2017", "1 triệu"],  # a grant
        ["7", "01/07/2017", "1 triệu"],
    ], ["Khoản vay", "Ngày trả", "Số tiền"]))  # fmt: skip
    code, _, err = imported(run, "repayments", path)
    assert code == 1
    assert err.splitlines()[:4] == [
        "paid.csv:3: Số tiền: Trả 6.000.000 đ nhiều hơn số còn nợ của khoản 1 (5.000.000 đ).",
        "paid.csv:4: Ngày trả: Ngày trả 01/01/2017 trước ngày vay 01/02/2017.",
        "paid.csv:5: Ngày trả: Khoản 2 là hỗ trợ không hoàn lại: không có trả nợ.",
        "paid.csv:6: Khoản vay: Không có khoản vay mã '7'.",
    ]


def test_export_imports_back(run: Run, tmp_path: Path, sample_db: Path) -> None:
    """The sample's loans and repayments, exported, land in a registry holding only its
    roll and funds as the same records, and export again byte for byte."""
    first = ["--db", str(sample_db)]
    other = tmp_path / "other.db"  # the same roll and funds, without loans (a test's shortcut)
    shutil.copy(sample_db, other)
    with closing(sqlite3.connect(other)) as conn, conn:
        conn.execute("DELETE FROM repayments")
        conn.execute("DELETE FROM loans")
    second = ["--db", str(other)]
    for what, ending in (("loans", ".xlsx"), ("repayments", ".csv")):
        out = tmp_path / f"{what}{ending}"
        assert run(*first, "export", what, "-o", str(out), "--headers", "vi").exit_code == 0
        result = run(*second, "import", what, str(out))
        assert result.exit_code == 0, result.output
        assert "thêm 53" in result.stdout or "thêm 71" in result.stdout
    for what in ("loans", "repayments"):
        assert run(*first, "export", what).stdout == run(*second, "export", what).stdout
    summary = run(*second, "report", "support", "--from", "01/07/2015", "--to", "30/06/2020",
                  "-f", "json")  # fmt: skip
    assert json.loads(summary.stdout)["amount_vnd"] == 1_145_000_000
