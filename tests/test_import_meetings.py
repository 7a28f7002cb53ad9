"""`import meetings` and `import attendance` (issue #13): the members' import machinery,
problems located, all or nothing, every encoding; exports that import back."""

from __future__ import annotations

import codecs
import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from conftest import DIEM, Run, option_list
from test_tabular import cp1258

from tanhung_cli.legacy_encodings import encoder

# Every import here runs both ways: in this process, and as a large file in workers.
pytestmark = pytest.mark.usefixtures("either_import_path")

MEETINGS = [
    ["Ngày họp", "Loại", "Tên cuộc họp", "Đơn vị tổ chức", "Ghi chú", "Khách mời"],
    ["15/03/2025", "Giao ban", "Giao ban quý I", "", "Quán triệt", "2"],
    ["05/04/2025", "Thường kỳ", "Sinh hoạt tháng 4", "Ấp Chợ", "", ""],
]
ATTENDANCE = [
    ["Ngày họp", "Loại", "Đơn vị tổ chức", "Họ và tên", "Số CCCD", "Tham dự", "Lý do vắng"],
    ["15/03/2025", "Giao ban", "", "Nguyễn Thị Kiều Diễm", "084175000123", "Có mặt", ""],
    ["15/03/2025", "", "Đảng ủy", "Lý Văn Tư", "", "x", ""],
    ["05/04/2025", "", "Ấp Chợ", "Nguyễn Thị Kiều Diễm", "", "vắng có lý do", "ốm"],
]


def _text(rows: list[list[str]], sep: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _write(path: Path, rows: list[list[str]]) -> Path:
    path.write_text(_text(rows), encoding="utf-8")
    return path


@pytest.fixture
def roll(run: Run, branches: None) -> None:
    """Diễm (1, Ấp Chợ) and Tư (2, Ấp Te Te 1), on the roll since 2000 and 2005."""
    assert run("member", "add", *DIEM).exit_code == 0
    tu = option_list(DIEM, name="Lý Văn Tư", branch="Ấp Te Te 1", card=None, cccd=None,
                     admitted="01/03/2005", official="01/03/2006")  # fmt: skip
    assert run("member", "add", *tu).exit_code == 0


def _marks(db_path: Path) -> list[tuple]:
    with sqlite3.connect(db_path) as c:
        return c.execute(
            "SELECT g.on_date, g.kind, g.branch_id, a.member_id, a.status, a.reason"
            " FROM attendance a JOIN meetings g ON g.id = a.meeting_id ORDER BY 1, 4"
        ).fetchall()


ENCODED = {
    "utf8.csv": lambda rows: _text(rows).encode("utf-8"),
    "utf8-bom.csv": lambda rows: codecs.BOM_UTF8 + _text(rows).encode("utf-8"),
    "unicode.txt": lambda rows: _text(rows, "\t").encode("utf-16"),
    "cp1258.csv": lambda rows: cp1258(_text(rows, ";")),
    "tcvn3.csv": lambda rows: encoder("tcvn3")(_text(rows)),
    "vni.csv": lambda rows: encoder("vni")(_text(rows, ";")),
}


@pytest.mark.usefixtures("roll")
@pytest.mark.parametrize("name", list(ENCODED))
def test_each_encoding_and_again_adds_nothing_twice(
    run: Run, db_path: Path, tmp_path: Path, name: str
) -> None:
    held, marked = tmp_path / f"m-{name}", tmp_path / f"a-{name}"
    held.write_bytes(ENCODED[name](MEETINGS))
    marked.write_bytes(ENCODED[name](ATTENDANCE))
    first = run("import", "meetings", str(held))
    assert first.exit_code == 0, first.output
    assert f"m-{name}: thêm 2, cập nhật 0, không đổi 0, bị từ chối 0" in first.stdout
    second = run("import", "attendance", str(marked))
    assert second.exit_code == 0, second.output
    assert f"a-{name}: thêm 3, cập nhật 0, không đổi 0, bị từ chối 0" in second.stdout
    assert _marks(db_path) == [
        ("2025-03-15", "briefing", None, 1, "present", None),
        ("2025-03-15", "briefing", None, 2, "present", None),
        ("2025-04-05", "regular", 1, 1, "excused", "ốm"),
    ]
    again = [
        run("import", what, str(p)) for what, p in (("meetings", held), ("attendance", marked))
    ]
    assert "thêm 0, cập nhật 0, không đổi 2" in again[0].stdout
    assert "thêm 0, cập nhật 0, không đổi 3" in again[1].stdout
    assert len(_marks(db_path)) == 3


@pytest.mark.usefixtures("roll")
def test_english_headers(run: Run, db_path: Path, tmp_path: Path) -> None:
    held = _write(tmp_path / "m.csv", [["on_date", "kind", "held_by", "guests"],
                                       ["2025-03-15", "briefing", "committee", "0"]])  # fmt: skip
    assert run("import", "meetings", str(held)).exit_code == 0
    marked = _write(tmp_path / "a.csv", [["on_date", "id", "attendance", "absence_reason"],
                                         ["2025-03-15", "2", "absent", ""]])  # fmt: skip
    result = run("import", "attendance", str(marked))
    assert result.exit_code == 0, result.output
    assert _marks(db_path) == [("2025-03-15", "briefing", None, 2, "absent", None)]


@pytest.mark.usefixtures("roll")
def test_problems_are_located_and_nothing_is_written(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    held = _write(tmp_path / "m.csv", [
        *MEETINGS,
        ["31/02/2025", "Giao ban", "", "", "", ""],
        ["06/04/2025", "Thường kỳ", "", "", "", ""],
        ["07/04/2025", "tiệc", "", "Ấp Zed", "", "ba"],
        ["08/04/2025", "Giao ban", "", "Ấp Chợ", "", ""],
        ["15/03/2025", "Giao ban", "lặp lại", "", "", ""],
        ["09/04/2025", "Thường kỳ", "", "Ấp Zed", "", ""],
    ])  # fmt: skip
    refused = run("import", "meetings", str(held))
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[:7] == [
        "m.csv:4: Ngày họp: '31/02/2025' là ngày không có thật",
        "m.csv:5: Loại: Đảng ủy không tổ chức loại cuộc họp này; sinh hoạt thường kỳ là của chi"
        " bộ (ghi --branch).",
        "m.csv:6: Loại: Không có loại cuộc họp 'tiệc'; dùng một trong: briefing, review,"
        " committee, thematic, regular.",
        "m.csv:6: Khách mời: Số khách mời ba không hợp lệ: từ 0 đến 10000.",
        "m.csv:7: Loại: Chi bộ không tổ chức loại cuộc họp này; chi bộ họp thường kỳ hoặc chuyên"
        " đề.",
        "m.csv:8: Ngày họp: '15/03/2025' trùng với dòng 2 của tệp",
        "m.csv:9: Đơn vị tổ chức: Không có chi bộ 'Ấp Zed' (để trống hoặc ghi Đảng ủy cho cuộc họp"
        " của Đảng ủy).",
    ]
    assert "6 dòng có lỗi (7 lỗi); không ghi gì vào sổ" in refused.stderr
    assert _marks(db_path) == []
    with sqlite3.connect(db_path) as c:
        assert c.execute("SELECT count(*) FROM meetings").fetchone() == (0,)
    dry = run("import", "meetings", str(held), "--dry-run", "--skip-invalid")
    assert "(thử) m.csv: thêm 2" in dry.stdout or "thêm 2" in dry.stdout
    with sqlite3.connect(db_path) as c:
        assert c.execute("SELECT count(*) FROM meetings").fetchone() == (0,)
    rejects = tmp_path / "rejected.csv"
    kept = run("import", "meetings", str(held), "--skip-invalid", "--rejects", str(rejects))
    assert kept.exit_code == 0 and "thêm 2" in kept.stdout
    assert len(rejects.read_text(encoding="utf-8-sig").splitlines()) == 7  # header + 6 rows


@pytest.mark.usefixtures("roll")
def test_attendance_problems_are_located(run: Run, db_path: Path, tmp_path: Path) -> None:
    assert run("import", "meetings", str(_write(tmp_path / "m.csv", MEETINGS))).exit_code == 0
    assert run("member", "add", *option_list(DIEM, name="Trần Văn Mới", card=None, cccd=None,
               admitted="01/05/2025", official=None)).exit_code == 0  # fmt: skip
    marked = _write(tmp_path / "a.csv", [
        *ATTENDANCE,
        ["05/04/2025", "", "Ấp Chợ", "Lý Văn Tư", "", "", ""],
        ["15/03/2025", "", "", "Trần Văn Mới", "", "", ""],
        ["16/03/2025", "", "", "Nguyễn Thị Kiều Diễm", "", "", ""],
        ["15/03/2025", "", "", "Không Có Ai", "", "", ""],
        ["15/03/2025", "", "", "Nguyễn Thị Kiều Diễm", "", "đến muộn", ""],
        ["15/03/2025", "", "", "Nguyễn Thị Kiều Diễm", "", "có mặt", "ốm"],
        ["15/03/2025", "", "", "Nguyễn Thị Kiều Diễm", "", "", ""],
    ])  # fmt: skip
    refused = run("import", "attendance", str(marked))
    assert refused.exit_code == 1
    lines = refused.stderr.splitlines()
    assert lines[0] == (
        "a.csv:5: Họ và tên: Đảng viên 2 (Lý Văn Tư) không thuộc chi bộ tổ chức cuộc họp vào"
        " ngày 05/04/2025."
    )
    assert lines[1] == (
        "a.csv:6: Họ và tên: Đảng viên 3 (Trần Văn Mới) chưa có tên trong danh sách vào ngày"
        " họp 15/03/2025."
    )
    assert lines[2].startswith("a.csv:7: Ngày họp: Không có cuộc họp ngày 16/03/2025 do Đảng ủy")
    assert lines[3].startswith("a.csv:8: Họ và tên: ")
    assert lines[4].startswith("a.csv:9: Tham dự: Không hiểu 'đến muộn'")
    assert (
        lines[5]
        == "a.csv:10: Lý do vắng: Chỉ ghi lý do cho người vắng (--status excused hoặc absent)."
    )
    assert lines[6] == "a.csv:11: Họ và tên: 'Nguyễn Thị Kiều Diễm' trùng với dòng 2 của tệp"
    assert _marks(db_path) == []


def _export(run: Run, tmp_path: Path, suffix: str, headers: str) -> tuple[Path, Path]:
    held, marked = tmp_path / f"held{suffix}", tmp_path / f"marked{suffix}"
    for what, path in (("meetings", held), ("attendance", marked)):
        result = run("export", what, "-o", str(path), "--headers", headers)
        assert result.exit_code == 0, result.output
    return held, marked


@pytest.mark.usefixtures("roll")
@pytest.mark.parametrize(("suffix", "headers"), [(".csv", "en"), (".csv", "vi"), (".xlsx", "vi")])
def test_an_export_imports_back(
    run: Run, db_path: Path, tmp_path: Path, suffix: str, headers: str
) -> None:
    assert run("import", "meetings", str(_write(tmp_path / "m.csv", MEETINGS))).exit_code == 0
    assert run("import", "attendance", str(_write(tmp_path / "a.csv", ATTENDANCE))).exit_code == 0
    before = _marks(db_path)
    report = run("report", "activity", "--since", "01/01/2025", "-f", "json").stdout
    held, marked = _export(run, tmp_path, suffix, headers)
    again = [
        run("import", what, str(p)) for what, p in (("meetings", held), ("attendance", marked))
    ]
    assert "thêm 0, cập nhật 0, không đổi 2, bị từ chối 0" in again[0].stdout, again[0].output
    assert "thêm 0, cập nhật 0, không đổi 3, bị từ chối 0" in again[1].stdout, again[1].output
    # Into another registry holding the same roll: the same records, the same report.
    other = tmp_path / "other.db"
    for args in (["branch", "add", "Ấp Chợ"], ["branch", "add", "Ấp Te Te 1"],
                 ["branch", "add", "Trường THCS", "--kind", "sector"]):  # fmt: skip
        assert run("--db", str(other), *args).exit_code == 0
    members = tmp_path / "members.csv"
    assert run("export", "members", "-o", str(members)).exit_code == 0
    assert run("--db", str(other), "import", "members", str(members)).exit_code == 0
    for what, path in (("meetings", held), ("attendance", marked)):
        result = run("--db", str(other), "import", what, str(path))
        assert result.exit_code == 0, result.output
    assert _marks(other) == before
    assert run("--db", str(other), "report", "activity", "--since", "01/01/2025",
               "-f", "json").stdout == report  # fmt: skip
    if suffix == ".csv":
        rows = json.loads(run("export", "attendance", "-f", "json").stdout)
        assert rows[0] == {"meeting_id": 1, "on_date": "2025-03-15", "kind": "briefing",
                           "held_by": None, "id": 1, "full_name": "Nguyễn Thị Kiều Diễm",
                           "attendance": "present", "absence_reason": None}  # fmt: skip


@pytest.mark.usefixtures("roll")
def test_a_different_mark_is_refused_unless_update(run: Run, db_path: Path, tmp_path: Path) -> None:
    assert run("import", "meetings", str(_write(tmp_path / "m.csv", MEETINGS))).exit_code == 0
    assert run("import", "attendance", str(_write(tmp_path / "a.csv", ATTENDANCE))).exit_code == 0
    changed = [ATTENDANCE[0], ["15/03/2025", "", "", "Lý Văn Tư", "", "vắng không lý do", ""]]
    path = _write(tmp_path / "b.csv", changed)
    refused = run("import", "attendance", str(path))
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[0] == (
        "b.csv:2: Tham dự: Đảng viên 2 (Lý Văn Tư) đã được điểm danh khác ở cuộc họp số 1;"
        " dùng --update để sửa theo tệp."
    )
    updated = run("import", "attendance", str(path), "--update")
    assert "b.csv: thêm 0, cập nhật 1, không đổi 0, bị từ chối 0" in updated.stdout
    assert ("2025-03-15", "briefing", None, 2, "absent", None) in _marks(db_path)


@pytest.mark.usefixtures("roll")
def test_a_meeting_imported_again_with_other_details(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    assert run("import", "meetings", str(_write(tmp_path / "m.csv", MEETINGS))).exit_code == 0
    changed = [MEETINGS[0], ["15/03/2025", "giao ban", "Giao ban quý I", "", "Quán triệt", "5"]]
    path = _write(tmp_path / "n.csv", changed)
    refused = run("import", "meetings", str(path))
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[0] == (
        "n.csv:2: Khách mời: đã có trong sổ là Giao ban quý I (mã 1) nhưng khác ở: Khách mời;"
        " dùng --update để cập nhật"
    )
    updated = run("import", "meetings", str(path), "--update")
    assert "n.csv: thêm 0, cập nhật 1, không đổi 0, bị từ chối 0" in updated.stdout
    assert json.loads(run("meeting", "show", "1", "-f", "json").stdout)["guests"] == 5
