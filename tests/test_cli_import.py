"""`tanhung import members` / `import branches`: bad files, re-imports, updates, rejects."""

from __future__ import annotations

import codecs
import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from conftest import DIEM, Run

# Every import here runs both ways: in this process, and as a large file in workers.
pytestmark = pytest.mark.usefixtures("either_import_path")

HEADER = "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chi bộ,Ngày vào Đảng,Ngày chính thức,Số thẻ đảng viên,Số CCCD"
GOOD = (
    "Thạch Thị Sa Rươne,Nữ,12/03/1990,Khmer,Ấp Te Te 1,19/05/2016,19/05/2017,00112233,084190000001"
)
HUNG = (
    "--name", "Đặng Văn Hùng", "--gender", "Nam", "--born", "02/09/1980", "--ethnicity", "Kinh",
    "--branch", "Te Te 1", "--admitted", "03/02/2005", "--official", "03/02/2006",
    "--cccd", "084080000999",
)  # fmt: skip
# One row per kind of problem; the line numbers are those the messages name.
BAD_ROWS = [
    GOOD,  # 2
    "Lê Văn Tám,Nam,31/02/1980,Kinh,Ấp Chợ,19/05/2005,,,",  # 3 impossible date
    "Lê Văn Chín,Nam,01/01/1980,Kinh,Ấp Chợ,01/01/2999,,,",  # 4 future date
    "Lê Văn Mười,X,01/01/1980,Kinh,Ấp Chợ,19/05/2005,,,",  # 5 unknown gender
    "Lê Thị Một,Nữ,01/01/1980,Sao Hỏa,Ấp Chợ,19/05/2005,,,",  # 6 unknown ethnicity
    "Lê Thị Hai,Nữ,01/01/1980,Kinh,Ấp Mười Hai,19/05/2005,,,",  # 7 unknown branch
    "Lê Thị Ba,Nữ,01/01/2000,Kinh,Ấp Chợ,01/06/2017,,,",  # 8 under 18 at admission
    "Lê Thị Bốn,Nữ,01/01/1980,Kinh,Ấp Chợ,01/01/2010,01/06/2010,,",  # 9 official too early
    "Lê Thị Năm,Nữ,01/01/1980,Kinh,Ấp Chợ,01/01/2010,01/01/2011,123456789,",  # 10 card length
    "Kim Văn Sáu,Nam,01/01/1981,Khmer,Ấp Chợ,01/01/2010,01/01/2011,00112233,",  # 11 dup in file
    "Nguyễn Thị Kiều Diễm,Nữ,13/03/1975,Kinh,Ấp Chợ,19/05/2000,,,084175000123",  # 12 stored
    ",Nam,01/01/1980,Kinh,Ấp Chợ,19/05/2005,,,",  # 13 empty required cell
    "Lê Văn Bảy,Nam,01/01/1980,Kinh,Ấp Chợ,19/05/2005,,,,thừa,ô",  # 14 too many fields
    "Lê Văn Tám,Nam,01/01/1980,Kinh,Ấp Chợ,19/05/2005,,,",  # 15 garbage (bytes added below)
    "Đặng Văn Hùng,Nam,02/09/1980,Kinh,Ấp Chợ,03/02/2005,03/02/2006,01234567,084080000999",  # 16
]
EXPECTED = [
    "bad.csv:3: Ngày sinh: '31/02/1980' là ngày không có thật",
    "bad.csv:4: Ngày vào Đảng: '01/01/2999' là ngày trong tương lai",
    "bad.csv:5: Giới tính: 'X' không có trong danh mục",
    "bad.csv:6: Dân tộc: 'Sao Hỏa' không có trong danh mục",
    "bad.csv:7: Chi bộ: không có chi bộ 'Ấp Mười Hai'",
    "bad.csv:8: Ngày vào Đảng: khi kết nạp mới 17 tuổi 5 tháng, chưa đủ 18 tuổi",
    "bad.csv:9: Ngày chính thức: sớm hơn 12 tháng dự bị; sớm nhất là 01/01/2011",
    "bad.csv:10: Số thẻ đảng viên: '123456789' có 9 chữ số, cần 8",
    "bad.csv:11: Số thẻ đảng viên: '00112233' trùng với dòng 2 của tệp",
    # One number, another birth date: a conflict to resolve, never an update (issue #10).
    "bad.csv:12: Số CCCD: 084175000123 là số của Nguyễn Thị Kiều Diễm (mã 1, sinh 12/03/1975,"
    " Nữ), không phải của Nguyễn Thị Kiều Diễm (sinh 13/03/1975, Nữ)",
    "bad.csv:13: Họ và tên: bắt buộc, đang để trống",
    "bad.csv:14: dòng có 11 ô, nhiều hơn 10 cột của tiêu đề",
    "bad.csv:15: dòng chứa ký tự không đọc được hoặc dữ liệu nhị phân",
    "bad.csv:16: các số trên dòng thuộc về những đảng viên khác nhau (Số thẻ đảng viên → 1, Số CCCD → 2)",
]


@pytest.fixture
def registry(run: Run, tmp_path: Path) -> None:
    """Two branches (imported) and two stored members."""
    branches = tmp_path / "chi-bo.csv"
    branches.write_text("Tên chi bộ;Loại\nChi bộ Ấp Chợ;ấp\nẤp Te Te 1;hamlet\n", encoding="utf-8")
    result = run("import", "branches", str(branches))
    assert result.exit_code == 0, result.output
    assert "chi-bo.csv: thêm 2, cập nhật 0, không đổi 0, bị từ chối 0" in result.stdout
    assert run("member", "add", *DIEM).exit_code == 0
    assert run("member", "add", *HUNG).exit_code == 0


def _bad_file(tmp_path: Path) -> Path:
    text = "\r\n".join([HEADER + ",Cột lạ", *BAD_ROWS]) + "\r\n"
    data = codecs.BOM_UTF8 + text.encode("utf-8")
    data = data.replace("Lê Văn Tám,Nam,01/01/1980".encode(), b"L\xff\x01\xfe,Nam,01/01/1980")
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    return path


def _count(db_path: Path, table: str = "members") -> int:
    with sqlite3.connect(db_path) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_bad_file_is_refused_with_one_located_message_per_problem(
    run: Run, registry: None, tmp_path: Path, db_path: Path
) -> None:
    before = (_count(db_path), _count(db_path, "events"), _count(db_path, "audit"))
    result = run("import", "members", str(_bad_file(tmp_path)))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "bad.csv:1: cột 'Cột lạ' không được biết đến; bỏ qua."
    problems = lines[1:-1]
    assert len(problems) == len(EXPECTED)
    for line, expected in zip(problems, EXPECTED, strict=True):
        assert line.startswith(expected), (line, expected)
    assert lines[-1].startswith("bad.csv: 14 dòng có lỗi (14 lỗi); không ghi gì vào sổ.")
    assert (_count(db_path), _count(db_path, "events"), _count(db_path, "audit")) == before


def test_missing_column_stops_before_any_row(run: Run, registry: None, tmp_path: Path) -> None:
    path = tmp_path / "thieu.csv"
    path.write_text("Họ và tên,Giới tính,Dân tộc,Chi bộ\nAn,Nam,Kinh,Ấp Chợ\n", encoding="utf-8")
    result = run("import", "members", str(path), lang="en")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "thieu.csv:1: required column(s) missing: birth_date (Ngày sinh), admitted_on"
        " (Ngày vào Đảng). No row was imported."
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty.csv: tệp rỗng, không có dòng tiêu đề nào."),
        (bytes(range(256)) * 40, "empty.csv: không phải tệp bảng (CSV, TSV, TXT hoặc XLSX)"),
    ],
)
def test_empty_and_binary_files(run: Run, registry: None, tmp_path: Path, content, message) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    result = run("import", "members", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.output


def test_skip_invalid_writes_good_rows_and_rejects_round_trip(
    run: Run, registry: None, tmp_path: Path, db_path: Path
) -> None:
    rejects = tmp_path / "loi.csv"
    result = run(
        "import", "members", str(_bad_file(tmp_path)), "--skip-invalid", "--rejects", str(rejects)
    )
    assert result.exit_code == 0, result.output
    assert "bad.csv: thêm 1, cập nhật 0, không đổi 0, bị từ chối 14" in result.stdout
    assert _count(db_path) == 3
    raw = rejects.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["Lý do bị từ chối", *HEADER.split(","), "Cột lạ"]
    assert len(rows) == 15
    assert rows[1][0] == "Ngày sinh: '31/02/1980' là ngày không có thật"
    assert rows[1][1:10] == BAD_ROWS[1].split(",")
    assert rows[12][1:] == BAD_ROWS[12].split(",")  # line 14 keeps its extra cells
    # Fix one row in the rejects file and import it again: it lands, the rest stay rejected.
    rows[1][3] = "28/02/1980"
    with rejects.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    again = tmp_path / "loi2.csv"
    result = run("import", "members", str(rejects), "--skip-invalid", "--rejects", str(again))
    assert result.exit_code == 0, result.output
    assert "Lý do bị từ chối" not in result.stderr  # the reason column is not "unknown"
    assert "loi.csv: thêm 1, cập nhật 0, không đổi 0, bị từ chối 13" in result.stdout
    second = list(csv.reader(io.StringIO(again.read_text(encoding="utf-8-sig"))))
    assert [r[1:] for r in second[1:]] == [r[1:] for r in rows[2:]]


def test_importing_twice_adds_nobody_and_update_records_history(
    run: Run, registry: None, tmp_path: Path, db_path: Path
) -> None:
    path = tmp_path / "ds.csv"
    path.write_text(f"{HEADER}\n{GOOD}\n", encoding="utf-8")
    assert run("import", "members", str(path)).exit_code == 0
    result = run("import", "members", str(path))
    assert result.exit_code == 0
    assert "ds.csv: thêm 0, cập nhật 0, không đổi 1, bị từ chối 0" in result.stdout
    assert _count(db_path) == 3
    # Same card, a new CCCD and a different branch; empty cells keep what is stored.
    changed = "Thạch Thị Sa Rươne,,,,Ấp Chợ,,,00112233,084190000777"
    path.write_text(f"{HEADER}\n{changed}\n", encoding="utf-8")
    refused = run("import", "members", str(path))
    assert refused.exit_code == 1
    assert (
        "ds.csv:2: đã có trong sổ là Thạch Thị Sa Rươne (mã 3) nhưng khác ở: Chi bộ, Số CCCD"
        in refused.stderr
    )
    dry = run("import", "members", str(path), "--update", "--dry-run", lang="en")
    assert dry.exit_code == 0
    assert "would add 0, update 1, leave 0 unchanged, reject 0" in dry.stdout
    result = run("import", "members", str(path), "--update")
    assert result.exit_code == 0, result.output
    assert "ds.csv: thêm 0, cập nhật 1, không đổi 0, bị từ chối 0" in result.stdout
    history = run("member", "history", "3", "--format", "json", lang="en")
    events = [
        (e["kind"], e["field"], e["old"], e["new"]) for e in json.loads(history.stdout)["events"]
    ]
    assert events == [
        ("imported", None, None, None),
        ("edited", "branch_id", "2", "1"),
        ("edited", "national_id", "084190000001", "084190000777"),
    ]
    shown = run("member", "show", "3", "--format", "json")
    assert '"birth_date": "1990-03-12"' in shown.stdout  # not blanked by the empty cell
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "SELECT entity, json_extract(detail, '$.added'), json_extract(detail, '$.updated')"
            " FROM audit WHERE action = 'import' ORDER BY id"
        ).fetchall()
    # One audit row per import that wrote: branches, then the three member imports.
    assert rows == [("branch", 2, 0), ("member", 1, 0), ("member", 0, 0), ("member", 0, 1)]


def test_bulk_path_finds_the_same_duplicates(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large files into an empty registry load without indexes, in worker processes."""
    from typer.testing import CliRunner

    from tanhung_cli.cli import app
    from tanhung_cli.importer import machinery

    rows = [
        GOOD,
        "Kim Văn Sáu,Nam,01/01/1981,Khmer,Ấp Chợ,01/01/2010,01/01/2011,00112233,",
        "Lâm Thị Tư,Nữ,01/01/1982,Kinh,Ấp Chợ,01/01/2010,,,",
        "Lâm Thị Tư,Nữ,01/01/1982,Kinh,Ấp Chợ,01/01/2011,,,",
        "Lâm Thị Năm,Nữ,01/01/1982,Kinh,Ấp Chợ,01/01/2011,,,",
    ]
    path = tmp_path / "dup.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    outputs = []
    for large in (False, True):
        monkeypatch.setattr(machinery, "PARALLEL_BYTES", 0 if large else 1 << 30)
        monkeypatch.setattr(machinery, "LARGE_BYTES", 0 if large else 1 << 30)
        db = tmp_path / f"{large}.db"
        runner = CliRunner()
        for name in ("Ấp Chợ", "Ấp Te Te 1"):
            runner.invoke(app, ["--db", str(db), "branch", "add", name])
        result = runner.invoke(
            app, ["--db", str(db), "import", "members", str(path), "--skip-invalid"]
        )
        assert result.exit_code == 0, result.output
        outputs.append((result.stderr, result.stdout.split(" (")[0]))
        with sqlite3.connect(db) as conn:
            indexes = conn.execute("SELECT count(*) FROM sqlite_master WHERE tbl_name = 'members'"
                                   " AND type = 'index'").fetchone()[0]  # fmt: skip
            assert conn.execute("SELECT count(*) FROM members").fetchone()[0] == 3
            assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 3
        outputs.append(indexes)
    assert outputs[0] == outputs[2]
    assert outputs[1] == outputs[3]  # every index is back
    assert outputs[0] == (
        "dup.csv:3: Số thẻ đảng viên: '00112233' trùng với dòng 2 của tệp\n"
        "dup.csv:5: Họ và tên: 'Lâm Thị Tư' trùng với dòng 4 của tệp\n",
        "dup.csv: thêm 3, cập nhật 0, không đổi 0, bị từ chối 2",
    )
