"""Reading the tables clerks have: CSV, TSV, TXT and XLSX, in the encodings Vietnamese offices use.

Text files may be UTF-8 (with or without BOM), UTF-16 (BOM), Windows-1258, TCVN3 (ABC) or
VNI-Windows. The encoding is chosen by which decoding yields valid Vietnamese syllables,
not by a generic charset detector (they call Windows-1258 "cp1250"). The separator
(``,`` ``;`` or tab) is read off the header line. Rows are streamed, never all held.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

# A spreadsheet runs some cells as formulas; every CSV written puts a quote in front
# (csvout.neutralise), and reading takes it away again.
from tanhung_cli.csvout import unneutralise
from tanhung_cli.errors import FileProblem
from tanhung_cli.legacy_encodings import decoder as legacy_decoder

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1258", "tcvn3", "vni")
# Encodings in which the bytes of `"` and a newline only ever mean those characters, so a
# file can be cut into blocks of whole records without decoding it (see `blocks`).
BLOCK_SAFE = ("utf-8", "utf-8-sig", "cp1258", "tcvn3", "vni")
# No real record is this long: a block without an end of record this size has a quote
# that never closes, and only the csv reader knows where its records end.
MAX_RECORD_BYTES = 16 << 20
SAMPLE_BYTES = 1 << 20
# A workbook of a commune's roll unpacks to tens of MB (200,000 members: ~250 MB); XML
# packs 5-20 times. A zip bomb packs 1,000 times: 1.2 MB that openpyxl inflates to 1.3 GB.
# (A cell is bounded by openpyxl, which reads at most Excel's 32,767 characters of one.)
MAX_XLSX_UNPACKED = 512 << 20
SEPARATORS = (",", ";", "\t")

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_WORD = re.compile(r"[^\W\d_]+")
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_SYLLABLE = re.compile(
    "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
    "[aăâeêioôơuưy]{1,3}(?:ch|ng|nh|[cmnpt])?"
)


class Row(NamedTuple):
    line: int  # the row number Excel shows; the header is line 1
    cells: list[Any]
    problem: str | None = None  # message key: the line itself is unreadable


@dataclass
class Table:
    """An open table: its headers, then its rows one at a time."""

    path: Path
    encoding: str
    separator: str | None
    headers: list[str]
    rows: Iterator[Row]
    size: int
    position: Callable[[], int] = field(default=lambda: 0)
    header_line: int = 1
    # Where the rows start in the file, for a text file that `blocks` can cut (else None).
    data_start: int | None = None

    @property
    def name(self) -> str:
        return self.path.name


class BadRecord(Exception):
    """The csv reader cannot read the record on this line (its number is the argument)."""


class NoRecordEnd(Exception):
    """A block of the file holds no end of a record (an unbalanced quote): read it whole."""


def record_end(block: bytes) -> int:
    """Where the last whole record in ``block`` ends: after a newline outside quotes; -1 if none.

    A cell with a quote or a line break in it is quoted, and its quotes doubled, so a
    newline outside quotes is one with an even number of quotes before it.
    """
    end = block.rfind(b"\n")
    quotes = block.count(b'"', 0, end + 1)
    while end >= 0 and quotes % 2:
        before = block.rfind(b"\n", 0, end)
        quotes -= block.count(b'"', before + 1, end + 1)
        end = before
    return end + 1 if end >= 0 else -1


def blocks(table: Table, size: int) -> Iterator[tuple[bytes, int]]:
    """The rows of ``table`` as blocks of about ``size`` bytes, each a run of whole records,
    with how far into the file each ends.

    Each block can be read on its own with `block_rows`; its lines count from 1.
    """
    if table.data_start is None:
        raise ValueError("this table cannot be read in blocks")
    with table.path.open("rb") as fh:
        fh.seek(table.data_start)
        rest = b""
        while data := fh.read(size):
            block = rest + data
            end = record_end(block)
            if end < 0:
                if len(block) > MAX_RECORD_BYTES:
                    raise NoRecordEnd
                rest = block
                continue
            rest = block[end:]
            yield block[:end], fh.tell() - len(rest)
        if rest:
            yield rest, table.size


def block_rows(
    block: bytes, encoding: str, separator: str, tally: Tally | None = None
) -> Iterator[Row]:
    """The records of one block from `blocks`, numbered from 1 within it; see `Tally`."""
    bad: set[int] = set()
    if encoding in ("utf-8", "utf-8-sig"):  # the usual block decodes at once, and is clean
        try:
            text = block.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if not _CONTROL.search(text):
                lines = io.StringIO(text, newline="\n")  # split at "\n" only, as bytes are
                return _records(lines, separator, bad, tally, quotes="'" in text)
    return _records(_lines(io.BytesIO(block), encoding, bad), separator, bad, tally)


def vietnamese_score(text: str) -> int:
    """How much ``text`` reads as Vietnamese: valid syllables minus impossible words."""
    score = 0
    for word in _WORD.findall(unicodedata.normalize("NFC", text)):
        if word.isascii():
            continue
        decomposed = unicodedata.normalize("NFD", word.lower())
        tones = sum(ch in _TONES for ch in decomposed)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        score += 1 if tones <= 1 and _SYLLABLE.fullmatch(base) else -1
    return score


def _decode_with(encoding: str) -> Callable[[bytes], str]:
    if encoding in ("tcvn3", "vni"):
        return legacy_decoder(encoding)
    if encoding == "cp1258":
        # Windows-1258 writes tone marks as separate combining characters.
        return lambda data: unicodedata.normalize("NFC", data.decode("cp1258"))
    return lambda data: data.decode(encoding)


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(sample: bytes, path: Path) -> str:
    """The encoding of a text file, judged from its first bytes."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # Binary data: Excel never writes NUL or control bytes into a text file. A few of them
    # are a damaged line, reported where it is; many of them, not a table at all.
    if len(_CONTROL.findall(sample.decode("latin-1"))) > len(sample) // 20:
        raise FileProblem("import.not_text", file=path.name)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    text = sample[: sample.rfind(b"\n") + 1] or sample
    # Mostly UTF-8 with a few damaged lines: still UTF-8 (the damaged lines get reported).
    utf8 = [_is_utf8(line) for line in text.splitlines() if not line.isascii()]
    if utf8.count(True) > utf8.count(False):
        return "utf-8"
    scores = {}
    for encoding in ("cp1258", "vni", "tcvn3"):
        try:
            scores[encoding] = vietnamese_score(_decode_with(encoding)(text))
        except UnicodeDecodeError:
            continue
    return max(scores, key=lambda e: scores[e]) if scores else "tcvn3"


def sniff_separator(header_line: str) -> str:
    """The separator the header line uses most, outside quotes; a comma if none."""
    outside = re.sub(r'"[^"]*"', "", header_line)
    counts = {sep: outside.count(sep) for sep in SEPARATORS}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else ","


def open_table(path: Path, encoding: str | None = None) -> Table:
    """Open ``path`` for reading; refuse (FileProblem) what is not a readable table."""
    try:
        found = path.stat()
    except (FileNotFoundError, NotADirectoryError, ValueError):  # ValueError: a NUL in it
        raise FileProblem("import.no_file", file=str(path)) from None
    if not stat.S_ISREG(found.st_mode):
        # A folder, a FIFO, a device: opening a FIFO to read waits for a writer forever.
        raise FileProblem("bounds.not_a_file", file=str(path))
    size = found.st_size
    with path.open("rb") as fh:
        sample = fh.read(SAMPLE_BYTES)
    if not sample.strip(b" \t\r\n\x00" + codecs.BOM_UTF8 + codecs.BOM_UTF16_LE):
        raise FileProblem("import.empty_file", file=path.name)
    if sample.startswith(b"PK\x03\x04") or path.suffix.lower() in (".xlsx", ".xlsm"):
        return _open_xlsx(path, size)
    if sample.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem("import.old_excel", file=path.name)
    from tanhung_cli import json_table  # a member list as `export --format json` writes it

    if json_table.looks_like_json(path, sample):
        return json_table.open_json(path, size)
    if encoding is None:
        encoding = detect_encoding(sample, path)
    if encoding == "utf-16" or encoding.startswith("utf-16"):
        return _open_utf16(path, encoding, size)
    return _open_text(path, encoding, size)


def _header(table_rows: Iterator[Row], path: Path) -> tuple[list[str], int]:
    """The first row that says anything, as headers, and its line."""
    for row in table_rows:
        if any(str(c).strip() for c in row.cells if c is not None):
            if row.problem:
                raise FileProblem("import.bad_header", file=path.name)
            return [
                "" if c is None else unicodedata.normalize("NFC", str(c)).strip() for c in row.cells
            ], row.line
    raise FileProblem("import.empty_file", file=path.name)


def _lines(raw_lines: Iterable[bytes], encoding: str, bad: set[int]) -> Iterator[str]:
    """Decoded lines; an undecodable or damaged line is kept (cleaned) and noted in ``bad``."""
    decode = _decode_with("utf-8" if encoding == "utf-8-sig" else encoding)
    for number, raw in enumerate(raw_lines, 1):
        try:
            text = decode(raw)
        except UnicodeDecodeError:
            bad.add(number)
            text = raw.decode(encoding.split("-sig")[0], "replace")
        if _CONTROL.search(text):
            bad.add(number)
            text = _CONTROL.sub("", text)
        yield text


@dataclass
class Tally:
    """What reading a block found: its records, and whether the last one ran off its end."""

    records: int = 0
    open_quote: bool = False
    broken: bool = False  # the csv reader could not read a record: the block stops there


def _records(
    lines: Iterator[str],
    separator: str,
    bad: set[int],
    tally: Tally | None = None,
    quotes: bool = True,
) -> Iterator[Row]:
    """csv records numbered as Excel shows them; lines of ``bad`` make their record unreadable.

    ``quotes``: whether a cell may start with the quote an export puts before a formula.
    """
    reader = csv.reader(lines, delimiter=separator)
    seen = 0  # the last line of the record before (kept up once a line has been bad)
    number = 0
    cells: list[str] = []
    row = tuple.__new__  # Row(...) without the named tuple's Python-level __new__
    try:
        for cells in reader:
            number += 1
            problem = None
            if bad:
                # The lines before this record were all good until ``bad`` filled: a
                # stale ``seen`` only adds good lines to the range.
                if any(n in bad for n in range(seen + 1, reader.line_num + 1)):
                    problem = "import.bad_bytes"
                seen = reader.line_num
            if not cells:
                continue
            if quotes and "'" in "".join(cells):
                cells = [unneutralise(cell) for cell in cells]
            yield row(Row, (number, cells, problem))
    except csv.Error:  # a cell over the csv module's size limit, a stray line break
        # Where the next record starts is anyone's guess: read no further.
        if tally is None:
            raise BadRecord(number + 1) from None
        tally.broken = True
        return
    if tally is not None:
        # A block ends after a line break: a last cell that still holds one was a quoted
        # cell left open, which the next block goes on with (or a cell ending in a break).
        tally.records = number
        tally.open_quote = bool(cells) and cells[-1].endswith(("\n", "\r"))


def _located(rows: Iterator[Row], path: Path) -> Iterator[Row]:
    """The rows of a file; a record the csv reader cannot read stops the import, located."""
    try:
        yield from rows
    except BadRecord as exc:
        raise FileProblem("import.bad_record", file=path.name, line=exc.args[0]) from None


def _open_text(path: Path, encoding: str, size: int) -> Table:
    if encoding not in ENCODINGS:  # rot13, base64, idna… are codecs, not encodings of files
        raise FileProblem("import.bad_encoding", encoding=encoding[:40])
    fh: BinaryIO = path.open("rb")
    start = 3 if encoding == "utf-8-sig" else 0
    fh.read(start)
    bad: set[int] = set()
    read = 0  # bytes the csv reader has taken: csv reads no further than the record it is on

    def counted() -> Iterator[bytes]:
        nonlocal read
        for raw in fh:
            read += len(raw)
            yield raw

    stream = _lines(counted(), encoding, bad)
    head = []  # up to the header: blank lines above it say nothing of the separator
    for text in stream:
        head.append(text)
        if text.strip():
            break
    separator = sniff_separator(head[-1] if head else "")

    def chained() -> Iterator[str]:
        yield from head
        yield from stream
        fh.close()

    rows = _located(_records(chained(), separator, bad), path)
    headers, header_line = _header(rows, path)
    return Table(
        path,
        encoding,
        separator,
        headers,
        rows,
        size,
        lambda: size if fh.closed else fh.tell(),
        header_line,
        start + read if encoding in BLOCK_SAFE else None,
    )


def _open_utf16(path: Path, encoding: str, size: int) -> Table:
    raw = path.open("rb")
    fh = io.TextIOWrapper(raw, encoding=encoding, newline="")
    try:
        first = fh.readline()
    except UnicodeError:  # also "UTF-16 stream does not start with BOM"
        fh.close()
        raise FileProblem("import.bad_header", file=path.name) from None
    separator = sniff_separator(first)

    def lines() -> Iterator[str]:
        yield first
        number = 1
        try:
            for number, text in enumerate(fh, 2):  # noqa: B007 - reported below
                yield _CONTROL.sub("", text)
        except UnicodeError:
            raise FileProblem("import.bad_bytes_at", file=path.name, line=number + 1) from None
        finally:
            fh.close()

    rows = _located(_records(lines(), separator, set()), path)
    headers, header_line = _header(rows, path)
    return Table(
        path,
        encoding,
        separator,
        headers,
        rows,
        size,
        lambda: size if raw.closed else raw.tell(),
        header_line,
    )


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return unneutralise(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    return value


def _check_unpacked(path: Path) -> None:
    """Refuse a workbook that would unpack to more than the importer reads (a zip bomb),
    from the sizes its zip directory declares, before openpyxl inflates anything; the
    zip reader stops at a declared size, so a member cannot lie its way past this."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileProblem("import.bad_xlsx", file=path.name) from None
    total = sum(m.file_size for m in members)
    packed = max(1, sum(m.compress_size for m in members))
    if total > MAX_XLSX_UNPACKED or (total > MAX_XLSX_UNPACKED // 64 and total / packed > 100):
        raise FileProblem("bounds.xlsx_too_big", file=path.name, size=total >> 20)


def _open_xlsx(path: Path, size: int) -> Table:
    import zipfile

    _check_unpacked(path)
    from openpyxl import load_workbook  # only when a workbook is read: it is slow to import

    try:
        book = load_workbook(path, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows_iter = sheet.iter_rows(values_only=True)
    except (zipfile.BadZipFile, Exception):  # openpyxl has its own class for each damage
        raise FileProblem("import.bad_xlsx", file=path.name) from None

    def rows() -> Iterator[Row]:
        try:
            for number, values in enumerate(rows_iter, 1):
                cells = [_cell(v) for v in values]
                while cells and cells[-1] in (None, ""):
                    cells.pop()
                if cells:
                    yield Row(number, cells)
        except Exception:
            raise FileProblem("import.bad_xlsx", file=path.name) from None
        finally:
            book.close()

    stream = rows()
    headers, header_line = _header(stream, path)
    return Table(path, "xlsx", None, headers, stream, size, header_line=header_line)
