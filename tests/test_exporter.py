"""`tanhung export members`: CSV with BOM, XLSX with text and date cells, JSON, round trips."""

from __future__ import annotations

import codecs
import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import DIEM, Run, option_list
from typer.testing import CliRunner

from tanhung_cli import i18n
from tanhung_cli.cli import app

# Every import here runs both ways: in this process, and as a large file in workers.
pytestmark = pytest.mark.usefixtures("either_import_path")


@pytest.fixture
def filled(run: Run, branches: None) -> None:
    """Three members, one with a note a spreadsheet would run as a formula."""
    assert run("member", "add", *DIEM).exit_code == 0
    sa = option_list(
        DIEM, name="Thạch Thị Sa Rươne", given_name="Sa Rươne", born="02/09/1990",
        ethnicity="Khmer", branch="Te Te 1", admitted="03/02/2015", official=None, card=None,
        cccd="084190000001", note="=HYPERLINK(\"http://x\")",
    )  # fmt: skip
    assert run("member", "add", *sa).exit_code == 0, run("member", "add", *sa).output
    tu = option_list(
        DIEM, name="Lâm Văn Tư", gender="Nam", born="01/01/1980", card="00012345",
        cccd="084080000009", phone="0912345678", note="-5 điểm; +1 @ tổ",
    )  # fmt: skip
    assert run("member", "add", *tu).exit_code == 0


def test_csv_has_bom_headers_and_neutralised_formulas(
    run: Run, filled: None, tmp_path: Path
) -> None:
    out = tmp_path / "ds.csv"
    result = run("export", "members", "-o", str(out), "--headers", "vi")
    assert result.exit_code == 0, result.output
    assert "Đã xuất 3 đảng viên ra" in result.stderr
    data = out.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("Mã,Họ và tên,Tên gọi,Giới tính,Ngày sinh,Dân tộc,Tôn giáo,Chi bộ,")
    assert lines[0].endswith(",Ghi chú,Trạng thái")
    text = data.decode("utf-8-sig")
    assert '\'=HYPERLINK(""http://x"")' in text
    assert "'-5 điểm; +1 @ tổ" in text
    assert ",01234567,084175000123," in text  # leading zeros kept


def test_stdout_csv_and_json_keys(run: Run, filled: None) -> None:
    result = run("export", "members")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("id,full_name,given_name,gender,birth_date")
    records = json.loads(run("export", "members", "--format", "json").stdout)
    assert len(records) == 3
    assert set(records[0]) == {
        "id", "full_name", "given_name", "gender", "birth_date", "ethnicity", "religion",
        "branch", "branch_met_on", "committee_met_on", "admitted_on", "ceremony_on",
        "official_on", "card_no", "national_id", "file_no",
        "home_town", "general_education", "professional_level", "theory_level",
        "foreign_language", "profession", "phone", "age_exception", "education_exception",
        "left_on", "left_reason", "removal_reason", "readmitted_on", "transferred_in_on", "temporary", "exempt_since",
        "away_since", "away_to", "away_until", "away_purpose", "away_extension", "came_from",
        "temporary_until", "letter_on", "letter_presented_on", "note", "status",
    }  # fmt: skip
    by_name = {r["full_name"]: r for r in records}
    assert by_name["Thạch Thị Sa Rươne"]["status"] == "probationary"
    assert by_name["Thạch Thị Sa Rươne"]["note"] == '=HYPERLINK("http://x")'  # JSON is data
    only = json.loads(run("export", "members", "-f", "json", "--branch", "Te Te 1").stdout)
    assert [r["full_name"] for r in only] == ["Thạch Thị Sa Rươne"]


def test_xlsx_keeps_numbers_as_text_and_dates_as_dates(
    run: Run, filled: None, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "ds.xlsx"
    assert run("export", "members", "-o", str(out), "-f", "xlsx").exit_code == 0
    sheet = load_workbook(out).worksheets[0]
    header = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(header, sheet[2], strict=True)}  # Diễm sorts first
    assert row["full_name"].value == "Nguyễn Thị Kiều Diễm"
    assert row["card_no"].value == "01234567" and row["card_no"].data_type == "s"
    assert row["birth_date"].value == dt.datetime(1975, 3, 12)
    at = header.index("note")
    notes = [r[at].value for r in sheet.iter_rows(min_row=2)]
    assert '=HYPERLINK("http://x")' in notes  # a text cell, never a formula
    assert all(c.data_type == "s" for c in (r[at] for r in sheet.iter_rows(min_row=2)) if c.value)


def test_xlsx_needs_a_file_and_bad_options_are_usage_errors(run: Run, filled: None) -> None:
    assert run("export", "members", "-f", "xlsx").exit_code == 2
    assert run("export", "members", "-f", "pdf").exit_code == 2
    assert run("export", "members", "--headers", "fr").exit_code == 2


@pytest.mark.parametrize(("fmt", "headers"), [("csv", "en"), ("csv", "vi"), ("json", "en")])
def test_round_trip_is_byte_identical(
    run: Run, filled: None, tmp_path: Path, fmt: str, headers: str
) -> None:
    first = tmp_path / f"first.{fmt}"
    assert (
        run("export", "members", "-o", str(first), "-f", fmt, "--headers", headers).exit_code == 0
    )
    source = first  # JSON imports as CSV does
    other = tmp_path / "other.db"
    runner = CliRunner()
    for name, kind in (("Ấp Chợ", "hamlet"), ("Ấp Te Te 1", "hamlet"), ("Trường THCS", "sector")):
        runner.invoke(app, ["--db", str(other), "branch", "add", name, "--kind", kind])
    result = runner.invoke(app, ["--db", str(other), "import", "members", str(source)])
    i18n.set_lang("vi")
    assert result.exit_code == 0, result.output
    assert "thêm 3, cập nhật 0, không đổi 0, bị từ chối 0" in result.stdout
    second = tmp_path / f"second.{fmt}"
    args = [
        "--db",
        str(other),
        "export",
        "members",
        "-o",
        str(second),
        "-f",
        fmt,
        "--headers",
        headers,
    ]
    assert runner.invoke(app, args).exit_code == 0
    assert second.read_bytes() == first.read_bytes()
    # And importing the export into the registry it came from changes nothing.
    again = run("import", "members", str(source))
    assert "thêm 0, cập nhật 0, không đổi 3, bị từ chối 0" in again.stdout
