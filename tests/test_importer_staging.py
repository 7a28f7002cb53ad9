"""Large files checked on every core (`importer.staging`) give exactly what one process gives.

The parallel path cuts a text file into blocks of whole records without decoding it and
stages each block's records in a worker's own database. Here it is forced onto small
files (tiny blocks, tiny row chunks) and compared with the one-process path: the same
messages, the same summary, the same registry, row for row.
"""

from __future__ import annotations

import codecs
import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tanhung_cli import csv_records, legacy_encodings, tabular
from tanhung_cli.cli import app
from tanhung_cli.importer import machinery, pool, staging, worker
from tanhung_cli.table import Table

CORPUS = Path(__file__).parent / "fixtures" / "malformed"
GIVEN = "An Bình Cường Dũng Hùng Phúc Tài Thắng Khải Lợi Nghĩa Quang Sơn Tuấn Việt".split()
NAMES = [f"Lê {middle} {given}" for middle in ("Văn", "Hữu", "Minh", "Quốc") for given in GIVEN]
HEADER = (
    "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chi bộ,Ngày vào Đảng,Ngày chính thức,"
    "Số thẻ đảng viên,Số CCCD,Ghi chú"
)


@pytest.mark.parametrize(
    ("block", "end"),
    [
        (b"a,b\nc,d\n", 8),
        (b"a,b\nc,d", 4),
        (b'a,"b\nc",d\n', 10),  # a line break inside a quoted cell
        (b'a,"b\nc,d\n', 0),  # the quote is still open at the end: the last cut is before it
        (b'x\na,"b\nc,d\n', 2),
        (b'a,"say ""hi""\n",b\n', 18),  # doubled quotes inside a quoted cell
        (b"no newline at all", -1),
        (b"", -1),
    ],
)
def test_record_end_is_after_a_newline_outside_quotes(block: bytes, end: int) -> None:
    assert csv_records.record_end(block) == (end if end else -1)


def _rows_in_blocks(table: Table, size: int) -> list[tuple[int, list[str], str | None]]:
    """The table's rows read block by block, numbered as the file numbers them."""
    out, shift = [], table.header_line
    for block, _ in csv_records.blocks(table, size):
        tally = csv_records.Tally()
        for line, cells, problem in csv_records.block_rows(
            block, table.encoding, table.separator or ",", tally
        ):
            out.append((shift + line, cells, problem))
        shift += tally.records
    return out


AWKWARD = [
    "\n\n" + HEADER,  # blank lines above the header
    'Lê Văn "Tí",Nam,01/01/1980,Kinh,Ấp Chợ,19/05/2005,,,,"hai\ndòng"',
    "",
    "Lê Thị Ba,Nữ,01/01/1980,Kinh,Ấp Chợ,19/05/2005,,,,'=1+1",
    '"Lê Thị Bốn",Nữ,01/01/1980,Kinh,"Ấp Chợ",19/05/2005,,,,"a ""b"" c"',
    "Lê Thị Năm,Nữ,01/01/1980,Kinh,Ấp Chợ,19/05/2005,,,,\x01ctrl",
    *[f"{name},Nam,01/01/1980,Kinh,Ấp Chợ,19/05/2005,,,," for name in NAMES[:30]],
]


@pytest.mark.parametrize("size", [1, 7, 64, 300, 1 << 20])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258", "tcvn3", "vni"])
def test_blocks_read_the_rows_the_reader_reads(tmp_path: Path, encoding: str, size: int) -> None:
    text = "\r\n".join(AWKWARD) + "\r\n"
    if encoding in ("tcvn3", "vni"):
        data = legacy_encodings.encoder(encoding)(text)
    elif encoding == "cp1258":
        data = text.encode("cp1258", errors="replace")
    else:
        data = codecs.encode(text, encoding)
    path = tmp_path / "f.csv"
    path.write_bytes(data + b"L\xea V\xff\xfe,Nam\r\n")  # a last line that does not decode
    table = tabular.open_table(path, encoding)
    assert table.data_start is not None
    blocks = _rows_in_blocks(table, size)
    assert blocks == [tuple(row) for row in tabular.open_table(path, encoding).rows]
    assert blocks[0][0] == 4 and any(problem == "import.bad_bytes" for *_, problem in blocks)


def test_utf16_and_workbooks_are_not_cut_into_blocks(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + (HEADER + "\r\n").encode("utf-16-le"))
    assert tabular.open_table(path).data_start is None


# --- the whole import, both ways ----------------------------------------------------------


def _import(db: Path, path: Path, *args: str, parallel: bool) -> tuple[int, str, str]:
    runner = CliRunner()
    if not db.exists():
        for name in ("Ấp Chợ", "Ấp Te Te 1"):
            runner.invoke(app, ["--db", str(db), "branch", "add", name])
    result = runner.invoke(app, ["--db", str(db), "import", "members", str(path), *args])
    assert "Traceback" not in result.output
    # The summary ends with the time taken: leave it out.
    return result.exit_code, result.stdout.split(" (")[0], result.stderr


def _registry(db: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(db)) as conn:
        cursor = conn.execute("SELECT * FROM members ORDER BY id")
        stamps = [i for i, d in enumerate(cursor.description) if d[0].endswith("ed_at")]
        members = [tuple(v for i, v in enumerate(m) if i not in stamps) for m in cursor]
        events = conn.execute(
            "SELECT member_id, kind, field, old, new, note FROM events ORDER BY id"
        ).fetchall()
    return members + events  # not created_at / updated_at


@pytest.fixture(params=["bulk", "row by row"])
def both_ways(request, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run an import in one process, then on the parallel path with tiny blocks.

    Either way as a large file (loaded without indexes into an empty registry) and as a
    small one (each row inserted with the indexes in place).
    """
    monkeypatch.setattr(machinery, "LARGE_BYTES", 0 if request.param == "bulk" else 1 << 40)

    def run(path: Path, *args: str, before: Path | None = None) -> tuple[object, object]:
        results = []
        for parallel in (False, True):
            monkeypatch.setattr(machinery, "PARALLEL_BYTES", 0 if parallel else 1 << 40)
            monkeypatch.setattr(staging, "BLOCK_BYTES", 200)
            monkeypatch.setattr(staging, "CHUNK_ROWS", 3)
            db = tmp_path / f"{parallel}.db"
            if before is not None:
                _import(db, before, parallel=False)
            outcome = _import(db, path, *args, parallel=parallel)
            results.append((outcome, _registry(db)))
        assert results[0] == results[1]
        return results[0]

    return run


@pytest.mark.parametrize(
    "name", sorted(p.name for p in CORPUS.iterdir() if p.name.startswith("import-"))
)
def test_the_malformed_corpus_gives_the_same_messages(both_ways, name: str) -> None:  # type: ignore[no-untyped-def]
    both_ways(CORPUS / name)
    both_ways(CORPUS / name, "--skip-invalid")


ROWS = [
    "Thạch Thị Sa Rươne,Nữ,12/03/1990,Khmer,Ấp Te Te 1,19/05/2016,19/05/2017,00112233,084190000001,",
    "Lê Văn Tám,Nam,31/02/1980,Kinh,Ấp Chợ,19/05/2005,,,,",
    ",Nam,01/01/1980,Kinh,Ấp Chợ,19/05/2005,,,084080000002,",  # empty name
    "Kim Văn Sáu,Nam,01/01/1981,Khmer,Ấp Chợ,01/01/2010,01/01/2011,00112233,,",  # card twice
    "Lâm Thị Tư,Nữ,01/01/1982,Kinh,Ấp Chợ,01/01/2010,,,,",
    'Lâm Thị Tư,Nữ,01/01/1982,Kinh,Ấp Chợ,01/01/2011,,,,"ghi\nchú"',  # twin without numbers
    "Lê Văn Bảy,Nam,01/01/1980,Kinh,Ấp Chợ,19/05/2005,,,,,thừa",
    "Lê Văn Tám,Nam,01/01/1980,Kinh,Ấp Chợ,19/05/2005,,,,có ghi chú",  # a longer record
]


def test_a_file_with_every_kind_of_row_gives_the_same_registry(both_ways, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "m.csv"
    many = [
        f"{n},Nam,01/01/1980,Kinh,Ấp Chợ,19/05/2005,,,0840800{i:05d}," for i, n in enumerate(NAMES)
    ]
    path.write_text("\n".join([HEADER, *ROWS, *many, *ROWS]) + "\n", encoding="utf-8")
    outcome, registry = both_ways(path)
    assert outcome[0] == 1 and registry == []  # refused: nothing written
    outcome, registry = both_ways(path, "--skip-invalid")
    assert outcome[0] == 0
    assert "thêm 63, cập nhật 0, không đổi 0, bị từ chối 13" in outcome[1]
    # Into a filled registry the rows are matched one by one: the same both ways too.
    outcome, _ = both_ways(path, "--skip-invalid", before=path)
    assert "thêm 0, cập nhật 0, không đổi 68, bị từ chối 8" in outcome[1]


def test_exported_ids_are_kept_both_ways(both_ways, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "ids.csv"
    rows = [
        f"{100 + i},{n},Nam,01/01/1980,Kinh,Ấp Chợ,19/05/2005" for i, n in enumerate(NAMES[:20])
    ]
    rows.append("107,Lê Văn Trùng,Nam,01/01/1980,Kinh,Ấp Chợ,19/05/2005")  # an id twice
    path.write_text(
        "Mã,Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chi bộ,Ngày vào Đảng\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    outcome, registry = both_ways(path, "--skip-invalid")
    assert outcome[0] == 0 and "bị từ chối 1" in outcome[1]
    assert [r[0] for r in registry[:20]] == list(range(100, 120))


def test_an_unclosed_quote_is_read_whole(tmp_path: Path, both_ways) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "q.csv"
    rows = [f"{name},Nam,01/01/1980,Kinh,Ấp Chợ,19/05/2005,,,," for name in NAMES[:40]]
    rows[3] = 'Lê Văn "Ba,Nam,01/01/1980,Kinh,Ấp Chợ,19/05/2005,,,,'
    rows[5] = '"Lê Văn Năm,Nam,01/01/1980,Kinh,Ấp Chợ,19/05/2005,,,,'  # opened, never closed
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    outcome, _ = both_ways(path, "--skip-invalid")
    assert outcome[0] == 0


def test_staging_files_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(machinery, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(staging.tempfile, "tempdir", str(tmp_path))
    path = tmp_path / "m.csv"
    path.write_text(HEADER + "\n" + ROWS[0] + "\n", encoding="utf-8")
    assert _import(tmp_path / "r.db", path, parallel=True)[0] == 0
    assert not list(tmp_path.glob("tanhung-import-*"))


def test_a_full_scratch_folder_is_told_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(machinery, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(staging.tempfile, "tempdir", str(tmp_path))

    def full() -> sqlite3.Connection:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(worker, "_staging_db", full)  # in the workers, forked after this
    path = tmp_path / "m.csv"
    path.write_text(HEADER + "\n" + ROWS[0] + "\n", encoding="utf-8")
    code, out, err = _import(tmp_path / "r.db", path, parallel=True)
    assert (code, out) == (1, "")
    assert err == (
        f"Không ghi được tệp tạm để kiểm tra tệp lớn vào {tmp_path} (database or disk is"
        " full). Không có gì bị thay đổi; hãy giải phóng dung lượng ở đó, hoặc đặt biến"
        " TMPDIR sang một thư mục khác, rồi thử lại.\n"
    )
    assert _registry(tmp_path / "r.db") == []
    assert not list(tmp_path.glob("tanhung-import-*"))


def test_workers_that_never_answer_are_stopped_and_the_file_checked_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker stuck before its first block (seen rarely under heavy load) hung the import
    for ever: after pool.STUCK_S without an answer the workers are killed and the file is
    checked in this process, with the same outcome as one process gives."""
    import time

    def stuck() -> None:
        time.sleep(3600)

    good = tmp_path / "good.csv"
    good.write_text(HEADER + "\n" + "\n".join(ROWS) + "\n", encoding="utf-8")
    expected = _import(tmp_path / "one.db", good, "--skip-invalid", parallel=False)
    monkeypatch.setattr(machinery, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(staging.tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(pool, "STUCK_S", 0.5)
    monkeypatch.setattr(worker, "start_worker", stuck)  # each worker, forked after this
    code, out, err = _import(tmp_path / "r.db", good, "--skip-invalid", parallel=True)
    assert err.startswith(
        "Các tiến trình kiểm tra song song không trả lời sau 0 giây; đã dừng chúng và kiểm"
        " tra tệp trong tiến trình này (chậm hơn, kết quả như nhau).\n"
    )
    assert (code, out, err.split("\n", 1)[1]) == expected
    assert _registry(tmp_path / "r.db") == _registry(tmp_path / "one.db")
    assert not list(tmp_path.glob("tanhung-import-*"))


def test_a_line_the_csv_reader_cannot_read_stops_the_import_located(
    both_ways, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "big.csv"
    rows = [f"{name},Nam,01/01/1980,Kinh,Ấp Chợ,19/05/2005,,,," for name in NAMES[:30]]
    rows[4] = '"Lê Văn Tư,Nam,01/01/1980,Kinh,Ấp Chợ,19/05/2005,,,,' + "x" * 140_000  # never closed
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    (code, out, err), registry = both_ways(path, "--skip-invalid")
    assert (code, out, registry) == (1, "", [])
    assert err.startswith("big.csv:6: không đọc được dòng này thành các ô (một ô quá dài,")


def test_exported_ids_stop_at_the_first_row_without_one(both_ways, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "ids.csv"
    rows = [
        f"{100 + 7 * i},{n},Nam,01/01/1980,Kinh,Ấp Chợ,19/05/2005" for i, n in enumerate(NAMES[:12])
    ]
    rows[4] = f"9,{NAMES[4]},,01/01/1980,Kinh,Ấp Chợ,19/05/2005"  # gender left empty: refused
    rows[6] = f",{NAMES[40]},Nam,01/01/1980,Kinh,Ấp Chợ,19/05/2005"  # a person the clerk added
    path.write_text(
        "Mã,Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chi bộ,Ngày vào Đảng\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    (code, out, _), registry = both_ways(path, "--skip-invalid")
    assert code == 0 and "thêm 11, cập nhật 0, không đổi 0, bị từ chối 1" in out
    # The rows before the one without an id keep theirs; from it on, the next ids.
    assert [r[0] for r in registry[:11]] == [100, 107, 114, 121, 135, 136, 137, 138, 139, 140, 141]


def test_more_cores_than_sqlite_attaches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(machinery, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(machinery.os, "cpu_count", lambda: 16)
    monkeypatch.setattr(staging, "BLOCK_BYTES", 100)
    path = tmp_path / "m.csv"
    rows = [f"{name},Nam,01/01/1980,Kinh,Ấp Chợ,19/05/2005,,,," for name in NAMES]
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    code, out, err = _import(tmp_path / "r.db", path, parallel=True)
    assert (code, err) == (0, "") and "thêm 60," in out


def test_folders_left_by_killed_imports_are_swept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(machinery, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(staging.tempfile, "tempdir", str(tmp_path))
    dead, alive = (
        tmp_path / "tanhung-import-999999999-x",
        tmp_path / f"tanhung-import-{os.getpid()}-y",
    )
    for folder in (dead, alive):
        folder.mkdir()
        (folder / "w1.db").write_bytes(b"personal data")
    path = tmp_path / "m.csv"
    path.write_text(HEADER + "\n" + ROWS[0] + "\n", encoding="utf-8")
    assert _import(tmp_path / "r.db", path, parallel=True)[0] == 0
    assert not dead.exists() and alive.exists()  # an import still running keeps its own


def test_a_branch_gone_while_the_file_was_checked_refuses_the_bulk_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bulk load does not look foreign keys up row by row; it checks them before it
    commits (here a branch is removed behind the import's back, between the phases)."""
    monkeypatch.setattr(machinery, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(machinery, "LARGE_BYTES", 0)
    db = tmp_path / "r.db"
    checked = staging.stage_file

    def then_remove_a_branch(*args, **kwargs):  # type: ignore[no-untyped-def]
        staged = checked(*args, **kwargs)
        with closing(sqlite3.connect(db)) as other, other:
            other.execute("DELETE FROM branches WHERE name = 'Ấp Chợ'")
        return staged

    monkeypatch.setattr(staging, "stage_file", then_remove_a_branch)
    path = tmp_path / "m.csv"
    path.write_text(HEADER + "\n" + ROWS[1].replace("31/02", "01/02") + "\n", encoding="utf-8")
    code, out, err = _import(db, path, parallel=True)
    assert (code, out) == (1, "")
    assert err == (
        "m.csv: các chi bộ đã thay đổi trong lúc kiểm tra tệp (một chi bộ không còn nữa)."
        " Không có gì bị thay đổi; hãy nhập lại.\n"
    )
    assert _registry(db) == []
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_sweeping_passes_over_what_is_not_a_leftover_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(machinery, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(staging.tempfile, "tempdir", str(tmp_path))
    (tmp_path / "tanhung-import-999999998-x").symlink_to(tmp_path / "nowhere")  # dangling
    (tmp_path / "tanhung-import-999999997-y").write_text("a file")
    path = tmp_path / "m.csv"
    path.write_text(HEADER + "\n" + ROWS[0] + "\n", encoding="utf-8")
    assert _import(tmp_path / "r.db", path, parallel=True)[0] == 0
    assert (tmp_path / "tanhung-import-999999997-y").exists()


def _one_worker_stuck(marker: Path) -> None:
    """The first worker never starts, and will not end on SIGTERM: as one stuck on a lock it
    inherited at the fork did. The others do the work."""
    import signal
    import time

    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL))
    except FileExistsError:
        return
    while True:
        time.sleep(1)


def test_a_worker_stuck_and_deaf_to_sigterm_is_killed_not_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(machinery, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(machinery, "_workers", lambda table: 3)
    marker = tmp_path / "stuck"
    monkeypatch.setattr(worker, "start_worker", lambda: _one_worker_stuck(marker))
    monkeypatch.setattr(pool, "TERMINATE_GRACE_S", 0.3, raising=False)  # absent before
    path = tmp_path / "m.csv"
    path.write_text(HEADER + "\n" + ROWS[0] + "\n", encoding="utf-8")
    assert _import(tmp_path / "r.db", path, parallel=True)[0] == 0
    assert marker.exists()
    with closing(sqlite3.connect(tmp_path / "r.db")) as conn:
        assert conn.execute("SELECT count(*) FROM members").fetchone()[0] == 1
