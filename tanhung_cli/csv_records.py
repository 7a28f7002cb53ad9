"""The records of a CSV/TSV text, read as a whole or cut into blocks of whole records.

The whole-file readers (`tabular`) and the import's workers (`importer.staging`, one
block each) share one record reader, so a row reads the same either way.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

# A spreadsheet runs some cells as formulas; every CSV written puts a quote in front
# (csvout.neutralise), and reading takes it away again.
from tanhung_cli.csvout import unneutralise
from tanhung_cli.table import Row, Table
from tanhung_cli.text_encoding import CONTROL, decoded_lines

# No real record is this long: a block without an end of record this size has a quote
# that never closes, and only the csv reader knows where its records end.
MAX_RECORD_BYTES = 16 << 20


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
            if not CONTROL.search(text):
                lines = io.StringIO(text, newline="\n")  # split at "\n" only, as bytes are
                return records(lines, separator, bad, tally, quotes="'" in text)
    return records(decoded_lines(io.BytesIO(block), encoding, bad), separator, bad, tally)


@dataclass
class Tally:
    """What reading a block found: its records, and whether the last one ran off its end."""

    records: int = 0
    open_quote: bool = False
    broken: bool = False  # the csv reader could not read a record: the block stops there


def records(
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
