"""Reading tables in every encoding and layout clerks have (tabular.py and its readers:
text_encoding, csv_records, xlsx_table, json_table; legacy_encodings)."""

from __future__ import annotations

import codecs
import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from tanhung_cli.csvout import unneutralise
from tanhung_cli.errors import FileProblem
from tanhung_cli.legacy_encodings import decoder, encoder
from tanhung_cli.tabular import open_table
from tanhung_cli.text_encoding import vietnamese_score

NAMES = ["Nguyễn Thị Kiều Diễm", "Trương Thạch Sa Rươne", "Đặng Văn Hùng", "Huỳnh Thị Mỹ Lệ"]
HEADER = ["Họ và tên", "Ngày sinh", "Số thẻ đảng viên"]


def cp1258(text: str) -> bytes:
    """Text as Windows writes it in Windows-1258: tone marks as separate combining bytes."""
    out = []
    for ch in text:
        marks = unicodedata.normalize("NFD", ch)
        tones = "".join(m for m in marks if m in "\u0300\u0301\u0303\u0309\u0323")
        out.append(
            unicodedata.normalize("NFC", "".join(m for m in marks if m not in tones)) + tones
        )
    return "".join(out).encode("cp1258")


def _lines(sep: str) -> str:
    rows = [sep.join(HEADER)]
    rows += [sep.join([n, f"0{i + 1}/03/1975", f"0123456{i}"]) for i, n in enumerate(NAMES)]
    return "\r\n".join(rows) + "\r\n"


def _read(path: Path, encoding: str | None = None) -> tuple[str, str | None, list[str], list]:
    table = open_table(path, encoding)
    return table.encoding, table.separator, table.headers, [r.cells for r in table.rows]


@pytest.mark.parametrize(
    ("label", "encode", "sep", "expected"),
    [
        ("utf-8", lambda s: s.encode("utf-8"), ",", "utf-8"),
        ("utf-8 BOM", lambda s: codecs.BOM_UTF8 + s.encode("utf-8"), ",", "utf-8-sig"),
        ("utf-16 tsv", lambda s: s.encode("utf-16"), "\t", "utf-16"),
        ("cp1258 ;", cp1258, ";", "cp1258"),
        ("tcvn3", lambda s: encoder("tcvn3")(s), ",", "tcvn3"),
        ("vni", lambda s: encoder("vni")(s), ";", "vni"),
        ("decomposed utf-8", lambda s: unicodedata.normalize("NFD", s).encode(), ",", "utf-8"),
    ],
)
def test_every_encoding_reads_back_as_nfc(tmp_path: Path, label, encode, sep, expected) -> None:
    path = tmp_path / "ds.csv"
    path.write_bytes(encode(_lines(sep)))
    encoding, separator, headers, rows = _read(path)
    assert (encoding, separator) == (expected, sep)
    assert headers == HEADER
    names = [unicodedata.normalize("NFC", r[0]) for r in rows]
    assert names == NAMES
    assert [r[2] for r in rows] == ["01234560", "01234561", "01234562", "01234563"]


def test_windows_1258_is_decided_by_vietnamese_not_by_a_charset_guess(tmp_path: Path) -> None:
    path = tmp_path / "cp.csv"
    path.write_bytes(cp1258(_lines(",")))
    _, _, _, rows = _read(path)
    assert rows[0][0] == "Nguyễn Thị Kiều Diễm"  # combining marks composed (NFC)
    assert unicodedata.is_normalized("NFC", rows[0][0])


def test_legacy_tables_are_exact() -> None:
    assert decoder("tcvn3")("ViÖt §¶ng".encode("latin-1")) == "Việt Đảng"
    assert decoder("vni")("Nguyeãn Ñaûng Tröông".encode("latin-1")) == "Nguyễn Đảng Trương"
    text = "Đặng Thị Ngọc Ánh, ĐẢNG ỦY Xã Tân Hùng"
    assert decoder("vni")(encoder("vni")(text)) == text


def test_scores_prefer_the_right_decoding() -> None:
    assert vietnamese_score("Nguyễn Văn Hùng") == 3
    assert vietnamese_score("Nguyễn Văn") > vietnamese_score("NguyÔn V¨n")  # TCVN3 as cp1258
    assert vietnamese_score("Nguyeăn") < 0


def test_forced_encoding(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(encoder("vni")(_lines("\t")))
    encoding, separator, _, rows = _read(path, "vni")
    assert (encoding, separator, rows[1][0]) == ("vni", "\t", "Trương Thạch Sa Rươne")


def test_bad_bytes_make_only_their_line_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(
        "Họ và tên,Ngày sinh\nAn,01/01/1970\n".encode() + b"\xff\xfe\x01junk,1\nB\xc3\xacnh,2\n"
    )
    table = open_table(path)
    rows = list(table.rows)
    assert [(r.line, r.problem) for r in rows] == [
        (2, None),
        (3, "import.bad_bytes"),
        (4, None),
    ]
    assert rows[2].cells == ["Bình", "2"]


def test_line_numbers_are_excel_rows(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text('a,b\n1,"two\nlines"\n\n3,4\n', encoding="utf-8")
    rows = list(open_table(path).rows)
    assert [(r.line, r.cells) for r in rows] == [(2, ["1", "two\nlines"]), (4, ["3", "4"])]


@pytest.mark.parametrize(
    ("content", "key"),
    [
        (b"", "import.empty_file"),
        (codecs.BOM_UTF8 + b"\r\n  \r\n", "import.empty_file"),
        (b"\x00\x01\x02\x03garbage\x00" * 50, "import.not_text"),
    ],
)
def test_unreadable_files_are_refused(tmp_path: Path, content: bytes, key: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(FileProblem) as exc:
        open_table(path)
    assert exc.value.key == key


def test_old_excel_and_damaged_workbooks(tmp_path: Path) -> None:
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"x" * 100)
    with pytest.raises(FileProblem) as exc:
        open_table(old)
    assert exc.value.key == "import.old_excel"
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(FileProblem) as exc:
        open_table(broken)
    assert exc.value.key == "import.bad_xlsx"


def test_xlsx_dates_numbers_and_text(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Ngày sinh", "Số thẻ đảng viên", "Số CCCD"])
    sheet.append(["Thạch Thị Sa Rươne", dt.datetime(1990, 3, 12), "01234567", 84190000123])
    sheet.append([None])
    sheet.append(["=cmd", dt.date(1991, 1, 2), 1234567, "'084190000124"])
    book.save(tmp_path / "ds.xlsx")
    table = open_table(tmp_path / "ds.xlsx")
    rows = list(table.rows)
    assert table.headers == ["Họ và tên", "Ngày sinh", "Số thẻ đảng viên", "Số CCCD"]
    assert rows[0] == (
        2,
        ["Thạch Thị Sa Rươne", dt.date(1990, 3, 12), "01234567", 84190000123],
        None,
    )
    assert rows[1].line == 4
    assert rows[1].cells[2] == 1234567  # a number cell: the validator reports the lost zero


def test_unneutralise() -> None:
    assert unneutralise("'=SUM(A1)") == "=SUM(A1)"
    assert unneutralise("'-5") == "-5"
    assert unneutralise("'Ấp") == "'Ấp"
    assert unneutralise("'") == "'"


def test_blank_lines_above_the_header(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("\n\nHọ và tên;Ngày sinh\nAn;01/01/1970\n", encoding="utf-8")
    table = open_table(path)
    assert (table.separator, table.headers) == (";", ["Họ và tên", "Ngày sinh"])
    assert [(r.line, r.cells) for r in table.rows] == [(4, ["An", "01/01/1970"])]


def test_position_after_the_last_row(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    table = open_table(path)
    assert 0 < table.position() <= table.size
    assert list(table.rows)
    assert table.position() == table.size  # the file is closed: progress shows it done
