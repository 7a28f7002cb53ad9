"""`tanhung member …` and `tanhung branch …` through the command line."""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from pathlib import Path

import pytest
from conftest import DIEM, Run, option_list


def snapshot(db_path: Path) -> list[tuple]:
    with sqlite3.connect(db_path) as c:
        return [
            *c.execute("SELECT * FROM members ORDER BY id").fetchall(),
            *c.execute("SELECT * FROM events ORDER BY id").fetchall(),
            *c.execute("SELECT * FROM branches ORDER BY id").fetchall(),
        ]


@pytest.mark.usefixtures("branches")
def test_add_show_and_list(run: Run) -> None:
    added = run("member", "add", *DIEM)
    assert added.exit_code == 0, added.output
    assert added.stdout == "Đã thêm đảng viên Nguyễn Thị Kiều Diễm (mã 1).\n"
    shown = json.loads(run("member", "show", "1", "--format", "json").stdout)
    assert shown["full_name"] == "Nguyễn Thị Kiều Diễm"
    assert shown["gender"] == "Nữ"
    assert shown["card_no"] == "01234567"
    assert shown["national_id"] == "084175000123"
    assert shown["birth_date"] == "1975-03-12"
    assert shown["status"] == "official"
    by_card = json.loads(run("member", "show", "01234567", "--format", "json").stdout)
    assert by_card["id"] == 1


@pytest.mark.usefixtures("branches")
def test_nfd_input_is_stored_as_nfc(run: Run, db_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Kiều Diễm")
    assert run("member", "add", *option_list(DIEM, name=nfd)).exit_code == 0
    with sqlite3.connect(db_path) as c:
        (stored,) = c.execute("SELECT full_name FROM members").fetchone()
    assert stored == unicodedata.normalize("NFC", stored) == "Nguyễn Thị Kiều Diễm"


@pytest.mark.usefixtures("branches")
@pytest.mark.parametrize(
    "query",
    ["nguyen thi kieu diem", "NGUYỄN THỊ KIỀU DIỄM", "nguyen diem", "Diễm", "DIEM",
     unicodedata.normalize("NFD", "Kiều Diễm"), "01234567", "084175000123"],
)  # fmt: skip
def test_find_ignores_accents_case_and_form(run: Run, query: str) -> None:
    run("member", "add", *DIEM)
    found = json.loads(run("member", "find", query, "--format", "json").stdout)
    assert [m["id"] for m in found] == [1]


@pytest.mark.usefixtures("branches")
def test_find_hoa_spellings(run: Run) -> None:
    extra = option_list(DIEM, name="Lê Văn Hoà", card=None, cccd=None, official=None, gender="Nam")
    assert run("member", "add", *extra).exit_code == 0
    for query in ("Hòa", "hoà", "HOA", "le van hoa"):
        found = json.loads(run("member", "find", query, "--format", "json").stdout)
        assert [m["full_name"] for m in found] == ["Lê Văn Hoà"], query
    missing = run("member", "find", "Hùng")
    assert missing.exit_code == 1
    assert missing.stderr == "Không tìm thấy đảng viên nào khớp 'Hùng'.\n"


REFUSALS = [
    ({"born": "31/02/1980"}, "Ngày sinh: '31/02/1980' là ngày không có thật"),
    ({"born": "12/13/1980"}, "Ngày sinh: '12/13/1980' là ngày không có thật"),
    ({"born": "hôm qua"}, "Ngày sinh: 'hôm qua' không phải ngày (dùng dd/mm/yyyy, ví dụ 19/05/1990)"),
    ({"admitted": "01/01/2099", "official": None, "card": None},
     "Ngày vào Đảng: '01/01/2099' là ngày trong tương lai"),
    ({"born": "01/06/1990", "admitted": "01/01/2008", "official": None, "card": None},
     "Ngày vào Đảng: khi kết nạp mới 17 tuổi 7 tháng, chưa đủ 18 tuổi"
     " (ngoại lệ: --age-exception LÝ DO)"),
    ({"born": "01/01/1930", "official": None, "card": None},
     "Ngày vào Đảng: khi kết nạp đã 70 tuổi 4 tháng, quá 60 tuổi (ngoại lệ: --age-exception LÝ DO)"),
    ({"official": "18/05/2001"},
     "Ngày chính thức: sớm hơn 12 tháng dự bị; sớm nhất là 19/05/2001"),
    ({"card": "1234567"},
     "Số thẻ đảng viên: '1234567' có 7 chữ số, cần 8 (Excel có thể đã bỏ số 0 ở đầu:"
     " định dạng cột là Văn bản)"),
    ({"card": "12A45678"}, "Số thẻ đảng viên: '12A45678' phải là dãy chữ số"),
    ({"cccd": "84175000123"},
     "Số CCCD: '84175000123' có 11 chữ số, cần 12 (Excel có thể đã bỏ số 0 ở đầu:"
     " định dạng cột là Văn bản)"),
    ({"official": None}, "Số thẻ đảng viên: chỉ đảng viên chính thức mới có thẻ đảng"
     " (thiếu ngày chính thức)"),
    ({"gender": "X"}, "Giới tính: 'X' không có trong danh mục"),
    ({"ethnicity": "Khmerr"}, "Dân tộc: 'Khmerr' không có trong danh mục (có phải: Khmer"),
    ({"branch": "Ấp Chọp"}, "Chi bộ: không có chi bộ 'Ấp Chọp' (có phải: Ấp Chợ"),
    ({"name": "Robert'); DROP TABLE members;--"}, "Họ và tên: 'Robert'); DROP TABLE members;--'"
     " không phải họ tên hợp lệ"),
    ({"name": "   "}, "Họ và tên: bắt buộc, đang để trống"),
]  # fmt: skip


@pytest.mark.usefixtures("branches")
@pytest.mark.parametrize(("changes", "message"), REFUSALS)
def test_refusals_change_nothing(
    run: Run, db_path: Path, changes: dict[str, str | None], message: str
) -> None:
    before = snapshot(db_path)
    result = run("member", "add", *option_list(DIEM, **changes))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(message), result.stderr
    assert result.stdout == ""
    assert snapshot(db_path) == before


@pytest.mark.usefixtures("branches")
def test_age_exception_is_recorded(run: Run) -> None:
    old = option_list(DIEM, born="01/01/1930", official=None, card=None, cccd="084130000123")
    result = run("member", "add", *old, "--age-exception", "Quyết định đặc biệt 12-QĐ/TU")
    assert result.exit_code == 0, result.output
    shown = json.loads(run("member", "show", "1", "--format", "json").stdout)
    assert shown["age_exception"] == "Quyết định đặc biệt 12-QĐ/TU"


@pytest.mark.usefixtures("branches")
def test_duplicate_card_and_cccd_refused(run: Run, db_path: Path) -> None:
    run("member", "add", *DIEM)
    before = snapshot(db_path)
    other = option_list(DIEM, name="Trần Văn Bình", gender="Nam", cccd=None)
    result = run("member", "add", *other)
    assert result.exit_code == 1
    assert result.stderr == (
        "Số thẻ đảng viên 01234567 đã thuộc về đảng viên Nguyễn Thị Kiều Diễm (mã 1).\n"
    )
    other = option_list(DIEM, name="Trần Thị Bình", card=None)
    result = run("member", "add", *other)
    assert result.exit_code == 1
    assert "Số CCCD 084175000123 đã thuộc về" in result.stderr
    assert snapshot(db_path) == before


@pytest.mark.usefixtures("branches")
def test_same_name_and_birth_is_a_warning(run: Run) -> None:
    run("member", "add", *DIEM)
    twin = run("member", "add", *option_list(DIEM, card=None, cccd=None))
    assert twin.exit_code == 0
    assert "cùng họ tên và ngày sinh" in twin.stderr


@pytest.mark.usefixtures("branches")
def test_edit_records_history(run: Run) -> None:
    run("member", "add", *DIEM)
    result = run("member", "edit", "1", "--phone", "0912 345 678",
                 "--decision", "15-QĐ/ĐU")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Điện thoại: — → 0912345678",
        "Đã sửa 1 thông tin của đảng viên mã 1.",
    ]
    again = run("member", "edit", "1", "--phone", "0912345678")
    assert again.stdout == "Đảng viên mã 1: không có gì thay đổi.\n"
    history = json.loads(run("member", "history", "1", "--format", "json").stdout)
    kinds = [(e["kind"], e["field"], e["old"], e["new"]) for e in history["events"]]
    assert kinds == [
        ("admitted", None, None, None),
        ("edited", "phone", None, "0912345678"),
    ]
    assert history["events"][1]["decision_no"] == "15-QĐ/ĐU"
    assert history["events"][1]["command"].startswith("tanhung --db")


@pytest.mark.usefixtures("branches")
def test_edit_refusal_changes_nothing(run: Run, db_path: Path) -> None:
    run("member", "add", *DIEM)
    before = snapshot(db_path)
    result = run("member", "edit", "1", "--official", "01/01/2001")
    assert result.exit_code == 1
    assert result.stderr.startswith("Ngày chính thức: sớm hơn 12 tháng dự bị")
    assert run("member", "edit", "1").exit_code == 1
    assert run("member", "edit", "77", "--phone", "0912345678").exit_code == 1
    assert snapshot(db_path) == before


@pytest.mark.usefixtures("branches")
def test_list_filters_and_order(run: Run) -> None:
    people = [
        ("Trần Văn Bình", "Nam", "Kinh", "Ấp Chợ", "19/05/2015", "19/05/2016"),
        ("Thạch Thị Sa Rươne", "Nữ", "Khmer", "Ấp Te Te 1", "03/02/2016", "03/02/2017"),
        ("Lê Thị Ánh", "Nữ", "Kinh", "Ấp Chợ", "02/09/2024", ""),
        ("Đặng Văn An", "Nam", "Hoa", "Trường THCS", "07/11/2014", "07/11/2015"),
    ]
    for name, gender, ethnicity, branch, admitted, official in people:
        args = ["--name", name, "--gender", gender, "--born", "01/01/1985", "--ethnicity",
                ethnicity, "--branch", branch, "--admitted", admitted, "--official", official]  # fmt: skip
        assert run("member", "add", *args).exit_code == 0
    run("member", "edit", "2", "--given-name", "Sa Rươne")

    def names(*args: str) -> list[str]:
        out = run("member", "list", "--as-of", "01/10/2025", *args, "--format", "json")
        assert out.exit_code == 0, out.output
        return [m["full_name"] for m in json.loads(out.stdout)]

    assert names() == ["Đặng Văn An", "Lê Thị Ánh", "Trần Văn Bình", "Thạch Thị Sa Rươne"]
    assert names("--status", "dự bị") == ["Lê Thị Ánh"]
    assert names("--status", "official") == ["Đặng Văn An", "Trần Văn Bình", "Thạch Thị Sa Rươne"]
    assert names("--gender", "nu") == ["Lê Thị Ánh", "Thạch Thị Sa Rươne"]
    assert names("--ethnicity", "Khơ-me") == ["Thạch Thị Sa Rươne"]
    assert names("--branch", "Chi bộ ấp Chợ") == ["Lê Thị Ánh", "Trần Văn Bình"]
    assert (
        run("member", "list", "--as-of", "01/01/2016", "--format", "json").stdout.count("full_name")
        == 2
    )
    bad = run("member", "list", "--status", "bận")  # ("vắng" now means away)
    assert bad.exit_code == 2
    unknown_branch = run("member", "list", "--branch", "Phụng Sa")
    assert unknown_branch.exit_code == 1
    assert unknown_branch.stderr.startswith("Không có chi bộ 'Phụng Sa'")


@pytest.mark.usefixtures("branches")
def test_list_csv_and_table(run: Run) -> None:
    run("member", "add", *DIEM)
    csv_out = run("member", "list", "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("id,full_name,given_name,gender,birth_date,ethnicity")
    assert csv_out[1].startswith("1,Nguyễn Thị Kiều Diễm,,Nữ,1975-03-12,Kinh")
    table = run("member", "list").stdout
    assert "Nguyễn Thị Kiều Diễm" in table and "19/05/2000" in table and "Chính thức" in table
    english = run("member", "list", lang="en").stdout
    assert "2000-05-19" in english and "Official" in english


@pytest.mark.usefixtures("branches")
def test_english_messages(run: Run) -> None:
    result = run("member", "add", *option_list(DIEM, born="31/02/1980"), lang="en")
    assert result.exit_code == 1
    assert result.stderr == "birth_date: '31/02/1980' is not a real date\n"


def test_branches(run: Run) -> None:
    assert (
        run("branch", "add", "Chi bộ ấp Phụng Sa").stdout == "Đã thêm chi bộ Ấp Phụng Sa (mã 1).\n"
    )
    again = run("branch", "add", "ấp phung sa")
    assert again.exit_code == 1
    assert again.stderr == "Đã có chi bộ 'Ấp Phụng Sa'.\n"
    assert run("branch", "add", "Công an xã", "--kind", "ngành").exit_code == 0
    bad_kind = run("branch", "add", "Quân sự", "--kind", "army")
    assert bad_kind.exit_code == 1
    assert bad_kind.stderr.startswith("Loại chi bộ 'army' không hợp lệ")
    listed = json.loads(run("branch", "list", "--format", "json").stdout)
    assert [(b["name"], b["kind"], b["members"]) for b in listed] == [
        ("Ấp Phụng Sa", "hamlet", 0),
        ("Công an xã", "sector", 0),
    ]
    renamed = run("branch", "edit", "Phụng Sa", "--name", "Ấp Phụng Sa A")
    assert renamed.exit_code == 0, renamed.output
    assert (
        run("branch", "edit", "Phung Sa A", "--kind", "hamlet").stdout == "Không có gì thay đổi.\n"
    )
    missing = run("branch", "edit", "Nhứt", "--kind", "sector")
    assert missing.exit_code == 1
    assert missing.stderr == "Không có chi bộ 'Nhứt'. Xem danh sách: tanhung branch list.\n"


HOSTILE = ["", " ", "'", '"', "%", "_", "' OR 1=1 --", "x" * 10_000, "\x00", "\u202e", "1e9999",
           "-1", "0", "99999999999999999999", "../../etc/passwd", "${HOME}", "Ä" * 300]  # fmt: skip


@pytest.mark.usefixtures("branches")
@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_never_crash(run: Run, db_path: Path, value: str) -> None:
    before = snapshot(db_path)
    for option in ("name", "born", "gender", "ethnicity", "branch", "card", "cccd", "admitted"):
        result = run("member", "add", *option_list(DIEM, **{option: value}))
        assert result.exit_code in (0, 1, 2), (option, value, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            option, value, result.exception,
        )  # fmt: skip
        if result.exit_code == 0:
            run("member", "edit", "1", "--note", "")  # keep db consistent for snapshot reuse
            return
    for command in (("member", "show"), ("member", "find"), ("member", "history")):
        result = run(*command, value)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert result.exit_code in (0, 1, 2)
    assert snapshot(db_path) == before


@pytest.mark.usefixtures("branches")
def test_correcting_the_admission_date_moves_the_start_on_the_roll(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    new = option_list(DIEM, official=None, card=None, cccd=None, admitted="01/08/2021")
    assert run("member", "add", *new).exit_code == 0

    def on_roll(day: str) -> int:
        out = run("report", "summary", "--as-of", day, "--format", "json").stdout
        return int(json.loads(out)["members"]["total"])

    assert run("member", "edit", "1", "--admitted", "01/10/2021").exit_code == 0
    assert (on_roll("15/09/2021"), on_roll("01/10/2021")) == (0, 1)
    # The same correction through a file and --update.
    corrected = tmp_path / "ds.csv"
    corrected.write_text(
        "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chi bộ,Ngày vào Đảng\n"
        "Nguyễn Thị Kiều Diễm,Nữ,12/03/1975,Kinh,Ấp Chợ,01/12/2021\n",
        encoding="utf-8",
    )
    result = run("import", "members", str(corrected), "--update")
    assert result.exit_code == 0, result.output
    assert (on_roll("15/11/2021"), on_roll("01/12/2021")) == (0, 1)
    with sqlite3.connect(db_path) as c:
        assert c.execute("SELECT joined_roll_on FROM members").fetchone()[0] == "2021-12-01"


@pytest.mark.usefixtures("conn")  # an empty registry; a missing one is refused
def test_empty_lists_say_so_without_an_empty_table(run: Run) -> None:
    listed = run("member", "list", "--as-of", "01/01/2020")
    assert listed.stdout == "Danh sách đảng viên, ngày 01/01/2020\n0 đảng viên\n"
    due = run("due", "--as-of", "01/01/2020", "--within", "30")
    assert due.stdout == (
        "Đảng viên dự bị đến hạn xét chính thức (01/01/2020 – 31/01/2020)\n0 đảng viên\n"
        "Đảng viên đủ tuổi Đảng nhận Huy hiệu (01/01/2020 – 31/01/2020)\n0 đảng viên\n"
    )
