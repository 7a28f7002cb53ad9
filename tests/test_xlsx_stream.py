"""The streamed workbook (issue #17): what openpyxl wrote before, read back by openpyxl.

The expected cells are those openpyxl's write-only mode gave for the same rows (checked
cell by cell: value, type, number format, bold) when `render.xlsx` used it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import DIEM, Run, option_list
from openpyxl import load_workbook

from tanhung_cli.render import xlsx_stream
from tanhung_cli.render.xlsx import write_xlsx

HEAD = ["id", "name", "born", "card", "note", "when", "day", "flag", "amount"]
ROWS = [
    [1, "Nguyễn Văn A", "1980-01-31", "0012", "=SUM(A1)", None, None, True, 1.5],
    [2, "  Lê <Thị> & B ", "1960", "084", "'=x", dt.datetime(2025, 3, 1, 8, 30), None, False, -3],
    [3, "Hà\nNội", "1960-03", None, "dòng 1\r\ndòng 2", None, dt.date(2020, 2, 29), None, 0],
    [4, "", "", "", "", None, None, None, None],
]


def test_a_workbook_reads_back_as_openpyxl_wrote_it(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    with path.open("wb") as out:
        count = write_xlsx(out, HEAD, ROWS, [3], [2], sheet="Danh sách: đảng viên", widths={1: 26})
    assert count == len(ROWS)
    sheet = load_workbook(path).active
    assert sheet.title == "Danh sách đảng viên"
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == HEAD and all(c.font.b for c in sheet[1])
    assert sheet.column_dimensions["B"].width == 26
    assert sheet.column_dimensions["C"].width == 12  # a date column
    assert sheet.column_dimensions["D"].width == 14  # a text column
    got = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert got[0] == [
        1,
        "Nguyễn Văn A",
        dt.datetime(1980, 1, 31),
        "0012",
        "=SUM(A1)",
        None,
        None,
        True,
        1.5,
    ]
    assert got[1][1:5] == ["  Lê <Thị> & B ", "1960", "084", "''=x"]  # quote kept for imports
    assert got[1][5] == dt.datetime(2025, 3, 1, 8, 30) and got[1][7:] == [False, -3]
    assert got[2][1:7] == [
        "Hà\nNội",
        "03/1960",
        None,
        "dòng 1\ndòng 2",
        None,
        dt.datetime(2020, 2, 29),
    ]
    assert got[3][:5] == [4, None, None, None, None]  # empty text: no value, as before
    born, card, note = sheet["C2"], sheet["D2"], sheet["E2"]
    assert born.number_format == "DD/MM/YYYY" and born.is_date
    assert card.number_format == "@" and card.data_type == "s"
    assert note.data_type == "s"  # never a formula
    assert sheet["C3"].data_type == "s" and sheet["C3"].number_format == "@"  # a year alone


def test_a_sheet_too_long_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_stream, "SHEET_ROWS", 3)
    with (
        (tmp_path / "x.xlsx").open("wb") as out,
        pytest.raises(xlsx_stream.TooManyRows) as refused,
    ):
        write_xlsx(out, ["a"], ([i] for i in range(10)))
    assert refused.value.params == {"limit": 2}


@pytest.mark.usefixtures("branches")
def test_export_refuses_a_roll_longer_than_a_sheet_and_writes_nothing(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sheet holds 1,048,576 rows: a national roll is exported by branch, or to csv."""
    from tanhung_cli import exporter

    for i in range(3):
        person = option_list(DIEM, name=f"Lê Văn {'ABC'[i]}", card=None, cccd=f"08417500000{i}")
        added = run("member", "add", *person)
        assert added.exit_code == 0, added.output
    monkeypatch.setattr(exporter, "SHEET_ROWS", 3)
    out = tmp_path / "ds.xlsx"
    refused = run("--lang", "en", "export", "members", "-o", str(out))
    assert refused.exit_code == 1
    assert "holds 2 rows at most" in refused.output and "--branch" in refused.output
    assert "--format csv" in refused.output and "Traceback" not in refused.output
    assert not out.exists() and list(tmp_path.glob("*.partial*")) == []
    assert run("export", "members", "-o", str(tmp_path / "ds.csv")).exit_code == 0
