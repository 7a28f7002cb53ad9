"""Reading the tables clerks have: CSV, TSV, TXT and XLSX, in the encodings Vietnamese offices use.

`open_table` tells a workbook, a JSON list and a text file apart and opens each with its
reader: a workbook with `xlsx_table`, a JSON list with `json_table`, a text file here, in
the encoding and with the separator `text_encoding` finds, its records read by
`csv_records`. Rows are streamed, never all held.
"""

from __future__ import annotations

import codecs
import io
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from tanhung_cli import json_table
from tanhung_cli.csv_records import BadRecord, records
from tanhung_cli.errors import FileProblem
from tanhung_cli.table import HeaderTest, Row, Table, read_header
from tanhung_cli.text_encoding import (
    BLOCK_SAFE,
    CONTROL,
    ENCODINGS,
    decoded_lines,
    detect_encoding,
    sniff_separator,
)
from tanhung_cli.xlsx_table import open_xlsx

# ENCODINGS: the encodings `import --encoding` accepts (cli/imports.py).
__all__ = ["ENCODINGS", "open_table"]

SAMPLE_BYTES = 1 << 20


def open_table(
    path: Path,
    encoding: str | None = None,
    sheet: str | None = None,
    header: HeaderTest | None = None,
) -> Table:
    """Open ``path`` for reading; refuse (FileProblem) what is not a readable table.

    A workbook's ``sheet`` (name or number; the first by default), its header found below
    title rows by ``header`` (`xlsx_table`)."""
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
        return open_xlsx(path, size, sheet, header)
    if sheet is not None:
        raise FileProblem("import.sheet_not_workbook", file=path.name)
    if sample.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem("import.old_excel", file=path.name)
    if json_table.looks_like_json(path, sample):
        return json_table.open_json(path, size)
    if encoding is None:
        encoding = detect_encoding(sample, path)
    if encoding == "utf-16" or encoding.startswith("utf-16"):
        return _open_utf16(path, encoding, size)
    return _open_text(path, encoding, size)


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

    stream = decoded_lines(counted(), encoding, bad)
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

    rows = _located(records(chained(), separator, bad), path)
    headers, header_line = read_header(rows, path)
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
                yield CONTROL.sub("", text)
        except UnicodeError:
            raise FileProblem("import.bad_bytes_at", file=path.name, line=number + 1) from None
        finally:
            fh.close()

    rows = _located(records(lines(), separator, set()), path)
    headers, header_line = read_header(rows, path)
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
