"""Every list to a file (issue #16, "Every list and report to .xlsx"): `due`, `course list`,
`branch list`, `rating list`, `badge list`, `term list`, `audit`, `member birthdays` and
`member voided`, `member history`, `member gaps` and `course show` take `--output FILE`
as the reports do (`cli/outputs.emit`): a workbook with the form's title rows, a frozen
header, dates as Excel dates and counts as numbers; a document headed as an office heads
it; Markdown, CSV, JSON; any other ending refused before anything is read."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from tanhung_cli import i18n
from tanhung_cli.cli import app


def run(db: Path, *args: str, lang: str = "vi") -> Result:
    result = CliRunner().invoke(app, ["--db", str(db), "--lang", lang, *args])
    i18n.set_lang("vi")
    return result


@pytest.fixture(scope="module")
def registry(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample, with what it lacks for these lists: two badges presented
    (HD 01-HD/TW: 30 and 40 years), the ratings of 2025 (QĐ 366-QĐ/TW, scored) and a
    record voided as a mistake."""
    path = tmp_path_factory.mktemp("lists") / "tanhung.db"
    shutil.copy(sample_db, path)
    for args in (
        ("badge", "award", "81", "--years", "30", "--on", "03/02/2012", "--number", "A1"),
        ("badge", "award", "81", "--years", "40", "--on", "03/02/2022", "--number", "A2"),
        ("rating", "set", "2025", "81", "--score", "92,5"),
        ("rating", "set", "2025", "12", "--score", "75"),
        ("member", "void", "369", "--reason", "nhập trùng"),
    ):
        done = run(path, *args)
        assert done.exit_code == 0, done.output
    return path


GAPS_TITLE = "Thời gian không tính tuổi đảng: Trần Văn Thành (mã 113)"
# command, the title row, the header's first cells, a date column, a count column
LISTS: dict[str, tuple[tuple[str, ...], str, tuple[str, ...], str | None, str | None]] = {
    "due": (("due", "--as-of", "03/12/2026"), "Danh sách đến hạn từ 03/12/2026 đến 02/04/2027",
            ("STT", "Chi bộ", "Mã", "Họ và tên", "Ngày vào Đảng"), "Ngày vào Đảng", "Mã"),
    "course": (("course", "list"), "Các khóa đào tạo, bồi dưỡng",
               ("Mã", "Tên khóa", "Loại"), "Bắt đầu", "Học viên"),
    "branch": (("branch", "list", "--as-of", "31/12/2020"), "Các chi bộ, ngày 31/12/2020",
               ("Mã", "Chi bộ", "Loại", "Số đảng viên"), None, "Số đảng viên"),
    "rating": (("rating", "list", "2025"), "Xếp loại chất lượng đảng viên năm 2025",
               ("STT", "Mã", "Họ và tên", "Chi bộ", "Điểm", "Xếp loại"), None, "Điểm"),
    "badge": (("badge", "list"), "Sổ Huy hiệu Đảng",
              ("STT", "Mã", "Họ và tên", "Chi bộ", "Huy hiệu (năm)", "Ngày trao"),
              "Ngày trao", "Huy hiệu (năm)"),
    "term": (("term", "list"), "Các nhiệm kỳ", ("Nhiệm kỳ", "Bắt đầu", "Kết thúc"),
             "Bắt đầu", None),
    "audit": (("audit", "--limit", "12"), "Nhật ký thay đổi",
              ("Mã", "Thời điểm", "Người ghi", "Thao tác"), None, "Mã"),
    "birthdays": (("member", "birthdays", "--month", "3", "--as-of", "03/12/2026"),
                  "Đảng viên có sinh nhật trong tháng 3/2026", ("Sinh nhật", "Mã", "Họ và tên"),
                  "Sinh nhật", "Tròn tuổi"),
    "voided": (("member", "voided"), "Bản ghi đảng viên đã hủy (nhập nhầm)",
               ("Mã", "Họ và tên", "Ngày sinh"), "Ngày sinh", "Mã"),
    "history": (("member", "history", "12"), "Lịch sử của đảng viên Đoàn Minh Lực (mã 12)",
                ("Mã", "Ngày", "Loại"), "Ngày", "Mã"),
    "gaps": (("member", "gaps", "113"), GAPS_TITLE, ("Số", "Loại"), "Từ ngày", "Số ngày"),
    "course-show": (("course", "show", "27"), "Sơ cấp lý luận chính trị khóa 2026",
                    ("STT", "Mã", "Họ và tên", "Chi bộ"), "Ngày", "Mã"),
}  # fmt: skip


def frozen_header(ws: Any) -> int:
    assert ws.freeze_panes and ws.freeze_panes.startswith("A"), ws.freeze_panes
    return int(ws.freeze_panes[1:]) - 1


def data_rows(ws: Any, head: int) -> list[list[Any]]:
    """The rows under the header, up to the first blank row (the caption follows it)."""
    rows = []
    for row in ws.iter_rows(min_row=head + 1, values_only=True):
        if all(v is None for v in row):
            break
        rows.append(list(row))
    return rows


def table_rows(db: Path, args: tuple[str, ...]) -> int:
    """How many rows the command's JSON lists (what the workbook must hold)."""
    shown = run(db, *args, "--format", "json")
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    if args[0] == "due":
        return len(data["probation"])  # the first sheet: probationary members
    if args[:2] == ("member", "history"):
        return len(data["events"])
    if args[:2] == ("member", "gaps"):
        return len(data["gaps"])
    if args[:2] == ("course", "show"):
        return len(data["members"])
    return len(data)


@pytest.mark.parametrize("name", list(LISTS))
def test_list_writes_a_workbook(registry: Path, tmp_path: Path, name: str) -> None:
    from openpyxl import load_workbook

    args, title, heads, date_column, count_column = LISTS[name]
    out = tmp_path / f"{name}.xlsx"
    result = run(registry, *args, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Đã ghi báo cáo vào {out}.\n"
    assert out.stat().st_mode & 0o077 == 0  # personal data: owner-only
    ws = load_workbook(out).worksheets[0]
    assert ws["A2"].value == title and ws["A2"].font.bold
    assert str(ws["A3"].value).startswith("Lập ngày ")
    assert ws.cell(1, max(ws.max_column, 2)).value == "ĐẢNG CỘNG SẢN VIỆT NAM"
    head = frozen_header(ws)
    header = [c.value for c in ws[head]]
    assert tuple(header[: len(heads)]) == heads
    assert all(c.font.bold for c in ws[head] if c.value is not None)
    rows = data_rows(ws, head)
    assert rows and len(rows) == table_rows(registry, args)
    if date_column is not None:
        dates = [r[header.index(date_column)] for r in rows]
        assert all(isinstance(d, dt.datetime) for d in dates), dates[:3]
        cell = ws.cell(head + 1, header.index(date_column) + 1)
        assert cell.number_format == "DD/MM/YYYY"
    if count_column is not None:
        counts = [r[header.index(count_column)] for r in rows]
        assert any(isinstance(c, (int, float)) for c in counts), counts[:3]
        assert all(isinstance(c, (int, float)) or c is None for c in counts)


def test_due_workbook_has_a_sheet_per_list(registry: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "due.xlsx"
    assert run(registry, "due", "--as-of", "03/12/2026", "-o", str(out)).exit_code == 0
    lists = json.loads(run(registry, "due", "--as-of", "03/12/2026", "-f", "json").stdout)
    shown = [k for k in ("probation", "badges", "posthumous", "missed", "returns") if lists[k]]
    wb = load_workbook(out)
    assert len(wb.worksheets) >= len(shown) >= 2
    badges = wb.worksheets[shown.index("badges")]
    head = frozen_header(badges)
    header = [c.value for c in badges[head]]
    rows = data_rows(badges, head)
    assert len(rows) == len(lists["badges"])
    years = [r[header.index("Huy hiệu (năm)")] for r in rows]
    assert {type(y) for y in years} == {int} and set(years) <= {30, 40, 45, 50, 55, 60, 65, 70}


def test_audit_workbook_is_newest_first(registry: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "audit.xlsx"
    assert run(registry, "audit", "--limit", "5", "-o", str(out)).exit_code == 0
    ws = load_workbook(out).worksheets[0]
    ids = [r[0] for r in data_rows(ws, frozen_header(ws))]
    assert len(ids) == 5 and ids == sorted(ids, reverse=True)
    assert all(isinstance(i, int) for i in ids)
    at = ws.cell(frozen_header(ws) + 1, 2)  # "Thời điểm": a date-time, to the minute
    assert isinstance(at.value, dt.datetime) and at.number_format == "DD/MM/YYYY HH:MM"
    printed = run(registry, "audit", "--limit", "1").stdout
    assert at.value.strftime("%d/%m/%Y %H:%M") in printed


@pytest.mark.parametrize("name", list(LISTS))
def test_list_writes_a_document(registry: Path, tmp_path: Path, name: str) -> None:
    args, title, heads, _, _ = LISTS[name]
    out = tmp_path / f"{name}.html"
    result = run(registry, *args, "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in page  # the office's heading, right
    assert "<table" in page and f"<th>{heads[1]}</th>" in page.replace(' scope="col"', "")
    assert title.split(",")[0] in page


@pytest.mark.parametrize("name", ["course", "branch", "term", "badge", "birthdays", "voided"])
def test_list_writes_markdown_csv_and_json(registry: Path, tmp_path: Path, name: str) -> None:
    args, title, heads, _, _ = LISTS[name]
    md, csv, js = (tmp_path / f"{name}{e}" for e in (".md", ".csv", ".json"))
    for out in (md, csv, js):
        assert run(registry, *args, "-o", str(out)).exit_code == 0
    assert md.read_text(encoding="utf-8").startswith(f"# {title}\n")
    first = csv.read_text(encoding="utf-8-sig").splitlines()[0]
    assert first.split(",")[: len(heads)] == list(heads)
    printed = run(registry, *args, "--format", "json").stdout
    assert json.loads(js.read_text(encoding="utf-8")) == json.loads(printed)


@pytest.mark.parametrize("name", list(LISTS))
def test_list_refuses_an_unknown_ending(registry: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / f"{name}.txt"
    result = run(registry, *LISTS[name][0], "-o", str(out))
    assert result.exit_code == 2
    assert "Không biết ghi tệp" in result.output and ".xlsx" in result.output
    assert not out.exists()


def test_list_never_writes_over_the_registry(registry: Path) -> None:
    before = registry.read_bytes()
    result = run(registry, "course", "list", "-o", str(registry.with_suffix(".db")), "--force")
    assert result.exit_code != 0
    assert registry.read_bytes() == before


def test_terminal_lists_unchanged_by_the_option(registry: Path) -> None:
    """Without --output the lists print as before: the table, and JSON as it was."""
    shown = run(registry, "term", "list")
    assert shown.exit_code == 0 and "01/07/2015" in shown.stdout and "Các nhiệm kỳ" in shown.stdout
    rated = run(registry, "rating", "list", "2025")
    assert "92,5" in rated.stdout and rated.exit_code == 0
