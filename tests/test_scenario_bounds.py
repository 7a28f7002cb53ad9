"""Bounds on what is typed or read (issue #10, items 11 and 15): numbers too long for
SQLite, encodings that are codecs, paths that name no file, FIFOs, zip bombs, and a column
named in English in a Vietnamese message. Each was a traceback, a hang or a leak."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from conftest import DIEM, Run, option_list
from openpyxl import Workbook

from tanhung_cli import vietnamese as vn
from tanhung_cli.i18n import t
from tanhung_cli.tabular import ENCODINGS

TWENTY = "12345678901234567890"


@pytest.fixture
def registry(run: Run, branches: None) -> None:
    assert run("member", "add", *DIEM).exit_code == 0
    assert run("course", "add", "Sơ cấp LLCT 2022", "--kind", "theory-elementary",
               "--start", "01/03/2022", "--end", "30/04/2022").exit_code == 0  # fmt: skip


def refused(result, code: int = 1) -> str:  # type: ignore[no-untyped-def]
    """The refusal's message; no traceback behind it."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return str(result.stderr)


# --- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["0", "12", " 012 ", "12.0", "999999999999999"])
def test_a_number_within_bounds_is_read(text: str) -> None:
    assert vn.parse_number(text) == int(float(text))


@pytest.mark.parametrize(
    "value",
    [
        TWENTY,
        "9223372036854775808",
        "1000000000000000",
        "-1",
        "²",
        "١٢",
        "1e3",
        "",
        " ",
        "12a",
        10**20,
        -5,
        1e300,
        float("nan"),
        True,
        None,
    ],  # fmt: skip
)
def test_a_number_out_of_bounds_or_not_ascii_is_none(value: object) -> None:
    assert vn.parse_number(value) is None


@pytest.mark.usefixtures("registry")
@pytest.mark.parametrize(
    ("words", "key"),
    [
        (["member", "list", "--branch", TWENTY], "Không có chi bộ '12345678901234567890'"),
        (["report", "roster", "--branch", TWENTY], "Không có chi bộ '12345678901234567890'"),
        (["course", "show", TWENTY], "Không có khóa học '12345678901234567890'"),
        (["member", "show", TWENTY], "Không có đảng viên mã hoặc số thẻ '12345678901234567890'"),
        (["member", "show", "²"], "Không có đảng viên mã hoặc số thẻ '²'"),
        (["member", "edit", TWENTY, "--name", "An"], "Không có đảng viên mã hoặc số thẻ"),
        (["course", "show", "²"], "Không có khóa học '²'"),
    ],
)
def test_twenty_digits_as_a_reference_are_not_found(run: Run, words: list[str], key: str) -> None:
    assert key in refused(run(*words))


@pytest.mark.usefixtures("registry")
def test_twenty_digits_as_a_year_are_a_usage_error(run: Run) -> None:
    assert "9999" in refused(run("rating", "list", TWENTY), code=2)
    assert "9999" in refused(run("rating", "set", TWENTY, "1", "HTTNV"), code=2)


@pytest.mark.usefixtures("registry", "either_import_path")
def test_twenty_digits_as_an_id_cell_are_no_id(run: Run, tmp_path: Path) -> None:
    people = tmp_path / "ds.csv"
    people.write_text(
        "id,full_name,gender,birth_date,ethnicity,branch,admitted_on\n"
        f"{TWENTY},Cường Thị C,Nữ,02/02/1980,Kinh,Ấp Chợ,01/01/2010\n",
        encoding="utf-8",
    )
    result = run("import", "members", str(people))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), result.output
    listed = run("member", "list", "--format", "csv")
    assert TWENTY not in listed.stdout


@pytest.mark.usefixtures("registry", "either_import_path")
def test_a_year_cell_of_a_superscript_is_refused_with_its_line(run: Run, tmp_path: Path) -> None:
    sheet = tmp_path / "xl.csv"
    sheet.write_text(f"year,id,rating\n²,1,HTTNV\n{TWENTY},1,HTTNV\n", encoding="utf-8")
    message = refused(run("import", "ratings", str(sheet)))
    assert "xl.csv:2: year:" in message and "xl.csv:3: year:" in message


@pytest.mark.usefixtures("registry")
@pytest.mark.parametrize("ref", [TWENTY, "²", "1.0"])
def test_an_id_cell_of_an_enrolment_is_bounded_too(run: Run, tmp_path: Path, ref: str) -> None:
    sheet = tmp_path / "hv.csv"
    sheet.write_text(f"course,id,completed\n1,{ref},x\n", encoding="utf-8")
    result = run("import", "enrolments", str(sheet))
    if ref == "1.0":  # a workbook's number cell: member 1
        assert result.exit_code == 0, result.output
    else:
        assert "hv.csv:2: id:" in refused(result)


# --- encodings -----------------------------------------------------------------------------


@pytest.fixture
def utf8_file(tmp_path: Path) -> Path:
    path = tmp_path / "ds.csv"
    path.write_text(
        "full_name,gender,birth_date,ethnicity,branch,admitted_on\n"
        "Cường Thị C,Nữ,02/02/1980,Kinh,Ấp Chợ,01/01/2010\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.usefixtures("branches")
@pytest.mark.parametrize("codec", ["rot13", "base64", "idna", "hex", "zlib", "latin-1", "utf-32"])
def test_a_codec_that_is_no_file_encoding_is_a_usage_error(
    run: Run, utf8_file: Path, codec: str
) -> None:
    message = refused(run("import", "members", str(utf8_file), "--encoding", codec), code=2)
    assert "utf-8, utf-8-sig, utf-16, cp1258, tcvn3" in message
    assert run("member", "list", "--format", "csv").stdout.count("\n") == 1


@pytest.mark.usefixtures("branches")
def test_utf16_forced_on_a_utf8_file_is_refused_located(run: Run, utf8_file: Path) -> None:
    message = refused(run("import", "members", str(utf8_file), "--encoding", "utf-16"))
    assert t("import.bad_header", file="ds.csv") in message


@pytest.mark.usefixtures("branches")
@pytest.mark.parametrize("spelling", ["utf8", "UTF_8", "utf-8"])
def test_other_spellings_of_the_listed_encodings_still_work(
    run: Run, utf8_file: Path, spelling: str
) -> None:
    result = run("import", "members", str(utf8_file), "--encoding", spelling)
    assert result.exit_code == 0, result.output


@pytest.mark.usefixtures("branches")
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_listed_encoding_is_offered(run: Run, utf8_file: Path, encoding: str) -> None:
    """Exactly tabular.ENCODINGS: each is accepted (read right or refused located, exit 0/1)."""
    result = run("import", "members", str(utf8_file), "--encoding", encoding, "--dry-run")
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert ", ".join(ENCODINGS) in run("import", "members", "--help").stdout.replace("\n", "")


@pytest.mark.usefixtures("branches")
def test_windows_1258_is_cp1258(run: Run, utf8_file: Path) -> None:
    """Accepted as an encoding (not exit 2): the UTF-8 bytes then read as cp1258 are wrong."""
    result = run("import", "members", str(utf8_file), "--encoding", "windows-1258")
    assert "dòng chứa ký tự không đọc được" in refused(result)


# --- paths that name no file ---------------------------------------------------------------


@pytest.mark.usefixtures("registry")
@pytest.mark.parametrize("name", ["", ".", "..", "/"])
def test_backup_to_no_file_name_is_a_usage_error(run: Run, name: str) -> None:
    message = refused(run("backup", name), code=2)
    assert "không phải là tên tệp" in message


@pytest.mark.usefixtures("registry")
def test_import_from_a_path_with_a_nul_is_a_usage_error(run: Run) -> None:
    assert "embedded null byte" in refused(run("import", "members", "ds\x00.csv"), code=2)


@pytest.mark.usefixtures("registry")
def test_import_from_a_folder_is_not_a_file(run: Run, tmp_path: Path) -> None:
    message = refused(run("import", "members", str(tmp_path)))
    assert message.strip() == t("bounds.not_a_file", file=str(tmp_path))


@pytest.mark.usefixtures("registry")
def test_import_from_a_fifo_is_refused_without_opening_it(db_path: Path, tmp_path: Path) -> None:
    """Opening a FIFO to read blocks until a writer comes: run in a process, bounded."""
    fifo = tmp_path / "ds.csv"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "tanhung_cli", "--db", str(db_path), "import", "members", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip() == t("bounds.not_a_file", file=str(fifo))


# --- workbooks -----------------------------------------------------------------------------


def _zip(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip of (name, deflated bytes, crc, unpacked size, packed size) entries."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, data, crc, size, packed in entries:
        offset, raw = out.tell(), name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, packed, size,
                              len(raw), 0) + raw + data)  # fmt: skip
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc,
                                  packed, size, len(raw), 0, 0, 0, 0, 0, offset) + raw)  # fmt: skip
    directory = central.getvalue()
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory),
                      out.tell(), 0)  # fmt: skip
    return out.getvalue() + directory + end


def _deflated(name: str, data: bytes) -> tuple[str, bytes, int, int, int]:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(data) + packer.flush()
    return name, packed, zlib.crc32(data), len(data), len(packed)


def zip_bomb(path: Path, chunks: int = 77) -> None:
    """A real workbook whose sheet has 16 MB of blank space ``chunks`` times over between
    two rows: 1.2 MB on disk, 1.29 GB unpacked. Built from one deflated chunk repeated
    (a full flush makes each the same bytes), so that the test does not deflate 1.29 GB."""
    book = Workbook()
    book.active.append(["full_name", "gender"])
    book.active.append(["An Văn A", "Nam"])
    buffer = io.BytesIO()
    book.save(buffer)
    import zipfile

    with zipfile.ZipFile(buffer) as real:
        parts = {i.filename: real.read(i) for i in real.infolist()}
    sheet_name = "xl/worksheets/sheet1.xml"
    head, _, tail = parts.pop(sheet_name).partition(b"<sheetData>")
    blank = b" " * (16 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(head + b"<sheetData>") + packer.flush(zlib.Z_FULL_FLUSH)
    chunk = packer.compress(blank) + packer.flush(zlib.Z_FULL_FLUSH)
    last = packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head + b"<sheetData>")
    for _ in range(chunks):
        crc = zlib.crc32(blank, crc)
    crc = zlib.crc32(tail, crc)
    data = first + chunk * chunks + last
    size = len(head) + 11 + len(blank) * chunks + len(tail)
    entries = [_deflated(name, body) for name, body in parts.items()]
    path.write_bytes(_zip([*entries, (sheet_name, data, crc, size, len(data))]))


@pytest.mark.usefixtures("registry")
def test_a_zip_bomb_is_refused_before_openpyxl_inflates_it(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = tmp_path / "bom.xlsx"
    zip_bomb(bomb)
    assert 1_100_000 < bomb.stat().st_size < 1_400_000
    import openpyxl

    def never(*args: object, **kw: object) -> None:
        raise AssertionError("openpyxl opened the zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    message = refused(run("import", "members", str(bomb)))
    assert message.strip() == t("bounds.xlsx_too_big", file="bom.xlsx", size=1232)


@pytest.mark.usefixtures("registry")
def test_the_bomb_helper_builds_a_workbook_openpyxl_reads(run: Run, tmp_path: Path) -> None:
    """The same construction, small: a sound workbook, so the refusal above is the bound's."""
    small = tmp_path / "nho.xlsx"
    zip_bomb(small, chunks=0)
    result = run("import", "members", str(small), "--dry-run")
    assert "thiếu cột bắt buộc" in refused(result)


@pytest.mark.usefixtures("registry")
def test_a_cell_longer_than_excel_allows_is_cut_by_openpyxl_and_refused(
    run: Run, tmp_path: Path
) -> None:
    """openpyxl reads at most Excel's 32,767 characters of a cell; the rules refuse the rest."""
    book = Workbook()
    book.active.append(["full_name", "gender", "birth_date", "ethnicity", "branch",
                        "admitted_on"])  # fmt: skip
    book.active.append(["x" * 40_000, "Nam", "01/01/1970", "Kinh", "Ấp Chợ", "01/01/2000"])
    path = tmp_path / "dai.xlsx"
    book.save(path)
    message = refused(run("import", "members", str(path)))
    assert message.startswith("dai.xlsx:2: full_name: 'xxxx")
    assert len(message) < 1000


# --- a column named in a Vietnamese message ------------------------------------------------


@pytest.mark.usefixtures("registry")
def test_the_duplicate_card_message_names_the_column_in_vietnamese(run: Run) -> None:
    other = option_list(DIEM, name="Trần Văn Bình", cccd=None)
    message = refused(run("member", "add", *other))
    assert message.startswith("Số thẻ đảng viên 01234567 đã thuộc về đảng viên")
    assert "card_no" not in message
    english = refused(run("member", "add", *other, lang="en"))
    assert english.startswith("card_no 01234567 already belongs to")
