"""`export members -o FILE` writes what the file's ending says, unless --format says otherwise."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from conftest import DIEM, Run


@pytest.mark.usefixtures("branches")
@pytest.mark.parametrize(
    ("name", "fmt", "kind"),
    [("ds.xlsx", None, "xlsx"), ("ds.JSON", None, "json"), ("ds.csv", None, "csv"),
     ("ds.txt", None, "csv"), ("ds.txt", "json", "json")],
)  # fmt: skip
def test_format_follows_the_ending(
    run: Run, tmp_path: Path, name: str, fmt: str | None, kind: str
) -> None:
    assert run("member", "add", *DIEM).exit_code == 0
    target = tmp_path / name
    result = run("export", "members", "-o", str(target), *(["--format", fmt] if fmt else []))
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    if kind == "xlsx":
        assert zipfile.is_zipfile(target)
    elif kind == "json":
        assert json.loads(data)[0]["full_name"] == "Nguyễn Thị Kiều Diễm"
    else:
        assert data.startswith(b"\xef\xbb\xbfid,full_name,")


@pytest.mark.usefixtures("branches")
def test_vietnamese_sheet_shows_status_in_vietnamese(run: Run, tmp_path: Path) -> None:
    assert run("member", "add", *DIEM).exit_code == 0
    vi = run("export", "members", "--headers", "vi").stdout.splitlines()
    assert vi[0].endswith(",Trạng thái") and vi[1].endswith(",Chính thức")
    en = run("export", "members").stdout.splitlines()
    assert en[1].endswith(",official")
    as_json = json.loads(run("export", "members", "--format", "json", "--headers", "vi").stdout)
    assert as_json[0]["status"] == "official"


@pytest.mark.usefixtures("branches")
@pytest.mark.parametrize(("headers", "sheet"), [("vi", "Danh sách đảng viên"), ("en", "Members")])
def test_a_member_workbook_is_laid_out(run: Run, tmp_path: Path, headers: str, sheet: str) -> None:
    """Issue #16: the sheet named, the header bold and frozen, columns wide enough."""
    from openpyxl import load_workbook

    assert run("member", "add", *DIEM).exit_code == 0
    target = tmp_path / "ds.xlsx"
    assert run("export", "members", "-o", str(target), "--headers", headers).exit_code == 0
    book = load_workbook(target)
    assert book.sheetnames == [sheet]
    ws = book[sheet]
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    width = {c.value: ws.column_dimensions[c.column_letter].width for c in ws[1]}
    name = "Họ và tên" if headers == "vi" else "full_name"
    born = "Ngày sinh" if headers == "vi" else "birth_date"
    assert width[name] >= 26 and width[born] >= 12
    assert all(w >= 8 for w in width.values())


def test_a_large_workbook_is_written_in_flat_memory(tmp_path: Path) -> None:
    """Rows are streamed: ten times the rows, not ten times the memory."""
    import tracemalloc

    from tanhung_cli.render.xlsx import write_xlsx

    def peak(count: int) -> int:
        rows = ([i, f"Nguyễn Văn {i}", "1980-01-01", "01234567"] for i in range(count))
        tracemalloc.start()
        with (tmp_path / f"{count}.xlsx").open("wb") as out:
            write_xlsx(out, ["id", "name", "born", "card"], rows, [3], [2], sheet="x")
        size = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return size

    small, large = peak(5_000), peak(50_000)
    assert large < small * 2, (small, large)
