"""Every report and list written to Excel (issue #16, "Excel in both directions"): the form's
title rows, the header row bold and frozen, columns as wide as their contents, numbers and
dates as Excel values, each table on a sheet of its own."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from tanhung_cli import i18n
from tanhung_cli.cli import app
from tanhung_cli.render.xlsx_report import excel_value, sheet_names

TERM = ("-t", "2015-2020")
AT = ("--as-of", "30/06/2020")
COMMANDS = {
    "summary": ("report", "summary", *TERM),
    "branches": ("report", "branches", *TERM),
    "admissions": ("report", "admissions", *TERM),
    "training": ("report", "training", *TERM),
    "leavings": ("report", "leavings", *TERM),
    "composition": ("report", "composition", *AT),
    "roster": ("report", "roster", *AT),
    "changes": ("report", "changes", "--from", "01/07/2015", "--to", "30/06/2020"),
    "activity": ("report", "activity", *TERM),
    "support-report": ("report", "support", *TERM),
    "support-list": ("support", "list"),
    "funds": ("support", "funds"),
    "meetings": ("meeting", "list"),
    "member-list": ("member", "list", "-b", "Ấp Chợ", *AT, "--all"),
}


def run(db: Path, *args: str, lang: str = "vi") -> Result:
    result = CliRunner().invoke(app, ["--db", str(db), "--lang", lang, *args])
    i18n.set_lang("vi")
    return result


def book(path: Path) -> Any:
    from openpyxl import load_workbook

    return load_workbook(path)


def header_row(ws: Any) -> int:
    """The header's row, as the frozen pane says (the rows above it stay in view)."""
    assert ws.freeze_panes and ws.freeze_panes.startswith("A"), ws.freeze_panes
    return int(ws.freeze_panes[1:]) - 1


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_report_writes_a_workbook(sample_db: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / f"{name}.xlsx"
    result = run(sample_db, *COMMANDS[name], "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Đã ghi báo cáo vào {out}.\n"
    assert out.stat().st_mode & 0o077 == 0  # personal data: owner-only
    wb = book(out)
    for ws in wb.worksheets:
        assert ws["A2"].font.bold and ws["A2"].value  # the title
        assert str(ws["A3"].value).startswith("Lập ngày ")
        assert ws.cell(1, max(ws.max_column, 2)).value == "ĐẢNG CỘNG SẢN VIỆT NAM"
        head = header_row(ws)
        assert ws.print_title_rows == f"${head}:${head}"  # repeated on every printed page
        cells = [c for c in ws[head] if c.value is not None]
        assert cells and all(c.font.bold for c in cells)
        assert all(ws.column_dimensions[c.column_letter].width >= 6 for c in cells)
        assert ws.page_setup.paperSize in (9, "9")


def test_figures_are_numbers_and_dates_are_dates(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "branches.xlsx"
    assert run(sample_db, *COMMANDS["branches"], "-o", str(out)).exit_code == 0
    ws = book(out).worksheets[0]
    head = header_row(ws)
    assert [c.value for c in ws[head]][:5] == ["Chi bộ", "Tổng số", "Chính thức", "Dự bị", "Nữ"]
    last = [c.value for c in ws[ws.max_row]]
    assert last[:5] == ["Cộng", 301, 292, 9, 78]  # numbers, not text
    assert ws.cell(ws.max_row, 2).number_format == "#,##0"
    # The roster: dates as Excel dates, shown dd/mm/yyyy; card numbers stay text.
    out = tmp_path / "roster.xlsx"
    assert run(sample_db, "report", "roster", "-b", "Ấp Chợ", *AT, "-o", str(out)).exit_code == 0
    ws = book(out).worksheets[0]
    head = header_row(ws)
    titles = [c.value for c in ws[head]]
    first = {t: c for t, c in zip(titles, ws[head + 1], strict=True)}
    assert first["STT"].value == 1
    assert isinstance(first["Ngày sinh"].value, dt.datetime)
    assert first["Ngày sinh"].number_format == "DD/MM/YYYY"
    card = next(c for t, c in first.items() if t and "thẻ" in t)
    assert isinstance(card.value, str) and len(card.value) == 8
    numbers = [r[0].value for r in ws.iter_rows(min_row=head + 1)]
    assert [n for n in numbers if isinstance(n, int)] == list(range(1, 39))  # Ấp Chợ, 2020


def test_the_summary_sheet_holds_its_sentences_and_figures(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "summary.xlsx"
    assert run(sample_db, *COMMANDS["summary"], "-o", str(out)).exit_code == 0
    ws = book(out).worksheets[0]
    assert ws["A2"].value == "Tổng hợp tình hình đảng viên đến ngày 30/06/2020"
    assert ws["A4"].value.startswith("Toàn Đảng bộ có 301 đảng viên")
    figures = {r[0].value: r[1].value for r in ws.iter_rows(min_row=header_row(ws) + 1)}
    assert figures["Tổng số đảng viên"] == 301
    assert figures["Tỷ lệ đạt chỉ tiêu kết nạp"] == 115.4
    assert figures["Hỗ trợ đảng viên khó khăn (số tiền)"] == 1145000000


def test_a_report_of_many_tables_has_a_sheet_for_each(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "admissions.xlsx"
    assert run(sample_db, *COMMANDS["admissions"], "-o", str(out)).exit_code == 0
    wb = book(out)
    assert wb.sheetnames == ["Theo năm", "Theo chi bộ"]
    years = wb["Theo năm"]
    rows = [[c.value for c in r] for r in years.iter_rows(min_row=header_row(years) + 1)]
    assert sum(r[1] for r in rows) == 45


def test_english_workbook(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "branches.xlsx"
    assert run(sample_db, *COMMANDS["branches"], "-o", str(out), lang="en").exit_code == 0
    ws = book(out).worksheets[0]
    assert ws.cell(1, ws.max_column).value == "COMMUNIST PARTY OF VIETNAM"
    assert str(ws["A3"].value).startswith("Made on ")
    assert [c.value for c in ws[header_row(ws)]][:2] == ["Branch", "Total"]


def test_the_committee_setting_heads_the_workbook(sample_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    db.write_bytes(sample_db.read_bytes())
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "INSERT OR REPLACE INTO settings VALUES ('document_committee', 'Đảng bộ xã Tân Hùng')"
        )
    conn.close()
    out = tmp_path / "summary.xlsx"
    assert run(db, *COMMANDS["summary"], "-o", str(out)).exit_code == 0
    assert book(out).worksheets[0]["A1"].value == "ĐẢNG BỘ XÃ TÂN HÙNG"


def test_an_existing_workbook_is_not_replaced_without_force(
    sample_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "summary.xlsx"
    out.write_bytes(b"keep")
    result = run(sample_db, *COMMANDS["summary"], "-o", str(out))
    assert result.exit_code == 1 and out.read_bytes() == b"keep"
    assert run(sample_db, *COMMANDS["summary"], "-o", str(out), "--force").exit_code == 0


@pytest.mark.parametrize(
    ("value", "column", "expected"),
    [
        (1145, "total", (1145, "#,##0")),
        (2020, "year", (2020, "0")),
        (115.4, "percent_of_target", (pytest.approx(1.154), "0.0%")),
        ("2020-06-30", "as_of", (dt.date(2020, 6, 30), "DD/MM/YYYY")),
        ("1960-03", "born_on", ("03/1960", "@")),
        ("=1+1", "note", ("=1+1", None)),
        ("01234567", "card_no", ("01234567", None)),
        (None, "x", (None, None)),
    ],
)
def test_excel_values(value: Any, column: str, expected: tuple[Any, Any]) -> None:
    assert excel_value(value, column) == expected


def test_sheet_names_excel_accepts() -> None:
    names = sheet_names(["Theo năm", "Theo năm", "a/b:c*d?", "x" * 40, ""])
    assert names == ["Theo năm", "Theo năm (2)", "a b c d", "x" * 31, "5"]
    assert sheet_names(["Đảng viên theo chi bộ, ngày 30/06/2020"]) == ["Đảng viên theo chi bộ"]
    assert sheet_names(["Tổng hợp tình hình đảng viên đến ngày 30/06/2020"]) == [
        "Tổng hợp tình hình đảng viên"
    ]


def test_a_name_like_a_formula_stays_text(db_path: Path, tmp_path: Path) -> None:
    assert run(db_path, "branch", "add", '=HYPERLINK("http://x","y")').exit_code == 0
    out = tmp_path / "branches.xlsx"
    result = run(db_path, "report", "branches", "-o", str(out))
    assert result.exit_code == 0, result.output
    ws = book(out).worksheets[0]
    cell = ws.cell(header_row(ws) + 1, 1)
    assert cell.value == '=HYPERLINK("http://x","y")' and cell.data_type == "s"


# (`member list -f csv` is a member file: its headers are the contract's column names.)
CSV_COMMANDS = {k: v for k, v in COMMANDS.items() if k != "member-list"}
CSV_COMMANDS |= {"rating": ("rating", "summary", "2019"), "show": ("meeting", "show", "1")}


@pytest.mark.parametrize("name", list(CSV_COMMANDS))
def test_report_csv_headers_speak_the_clerks_language(sample_db: Path, name: str) -> None:
    """Issue #16: a report's CSV is headed in Vietnamese by default (no column's code left
    showing); --lang en heads it with the stable column names, as JSON's keys."""
    import csv
    import io

    vi = next(csv.reader(io.StringIO(run(sample_db, *CSV_COMMANDS[name], "-f", "csv").stdout)))
    assert [h for h in vi if re.fullmatch(r"[a-z_]+", h)] == [], vi
    en = run(sample_db, *CSV_COMMANDS[name], "-f", "csv", lang="en").stdout
    head = next(csv.reader(io.StringIO(en)))
    codes = [h for h in head if not re.fullmatch(r"[a-z_]+", h)]
    assert set(codes) <= {"Kinh", "Khmer", "Hoa"}, head  # ethnic groups are named as such


def test_member_list_to_a_workbook(sample_db: Path, tmp_path: Path) -> None:
    """The list a clerk prints: the members counted, then those held apart, a sheet each."""
    out = tmp_path / "ap-cho.xlsx"
    result = run(sample_db, "member", "list", "-b", "Ấp Chợ", *AT, "--all", "-o", str(out))
    assert result.exit_code == 0, result.output
    wb = book(out)
    assert wb.sheetnames[0] == "Danh sách đảng viên"
    ws = wb.worksheets[0]
    head = header_row(ws)
    assert [c.value for c in ws[head]][:3] == ["STT", "Mã", "Họ và tên"]
    numbers = [r[0].value for r in ws.iter_rows(min_row=head + 1) if isinstance(r[0].value, int)]
    assert numbers == list(range(1, 39))  # Ấp Chợ's 38 at the end of the term
    assert isinstance(ws.cell(head + 1, 5).value, dt.datetime)  # Ngày sinh, a date
    assert "Đã ra khỏi danh sách" in wb.sheetnames
    refused = run(sample_db, "member", "list", "-o", str(out))
    assert refused.exit_code == 1 and "--force" in refused.output
