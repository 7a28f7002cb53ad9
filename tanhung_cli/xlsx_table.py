"""Reading a sheet of a workbook (XLSX) as a table, after checking that it does not
unpack to more than a commune's roll ever needs (a zip bomb).

The sheet is the first, or the one ``--sheet`` names (by name or number). Offices put the
form's title rows above the header ("ĐẢNG BỘ XÃ …", "DANH SÁCH ĐẢNG VIÊN", a date): the
header is the first of the first ``HEADER_ROWS`` rows naming two of the import's columns
(else one), and a sheet where none names any says so.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tanhung_cli.csvout import unneutralise
from tanhung_cli.errors import FileProblem
from tanhung_cli.table import HeaderTest, Row, Table, read_header

# A workbook of a commune's roll unpacks to tens of MB (200,000 members: ~250 MB); XML
# packs 5-20 times. A zip bomb packs 1,000 times: 1.2 MB that openpyxl inflates to 1.3 GB.
# (A cell is bounded by openpyxl, which reads at most Excel's 32,767 characters of one.)
MAX_XLSX_UNPACKED = 512 << 20
HEADER_ROWS = 10  # the header is looked for in this many rows at the top of the sheet


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


def _sheet(book: Any, wanted: str | None, path: Path) -> Any:
    """The sheet ``wanted`` names (its name, any case and diacritics, or its number from
    1), else the first; an unknown one is refused with the sheets the workbook has."""
    from tanhung_cli.vietnamese import fold

    sheets = book.worksheets
    if wanted is None:
        return sheets[0]
    text = wanted.strip()
    for sheet in sheets:
        if sheet.title == text:
            return sheet
    for sheet in sheets:
        if fold(sheet.title).strip() == fold(text):
            return sheet
    if text.isdecimal() and len(text) < 6 and 1 <= int(text) <= len(sheets):
        return sheets[int(text) - 1]
    names = ", ".join(f"{n}. {s.title}" for n, s in enumerate(sheets, 1))
    book.close()
    raise FileProblem("import.no_sheet", file=path.name, sheet=text[:40], sheets=names)


def open_xlsx(
    path: Path, size: int, sheet_name: str | None = None, header: HeaderTest | None = None
) -> Table:
    import zipfile

    _check_unpacked(path)
    from openpyxl import load_workbook  # only when a workbook is read: it is slow to import

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, Exception):  # openpyxl has its own class for each damage
        raise FileProblem("import.bad_xlsx", file=path.name) from None
    sheet = _sheet(book, sheet_name, path)
    try:
        rows_iter = sheet.iter_rows(values_only=True)
    except Exception:
        book.close()
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
    if header is None:
        headers, header_line = read_header(stream, path)
    else:
        headers, header_line, stream = find_header(stream, path, header, sheet.title)
    return Table(path, "xlsx", None, headers, stream, size, header_line=header_line)


def find_header(
    stream: Iterator[Row], path: Path, header: HeaderTest, sheet: str
) -> tuple[list[str], int, Iterator[Row]]:
    """The header row among the first ``HEADER_ROWS``: the first naming two of the import's
    columns, else the first naming one; the rows after it. None: refused, saying so."""
    import unicodedata

    seen: list[Row] = []
    beyond: list[Row] = []
    for row in stream:
        if row.line > HEADER_ROWS:
            beyond.append(row)
            break
        seen.append(row)
        if header.score(row.cells) >= 2:
            break
    scores = [header.score(row.cells) for row in seen]
    chosen = next((i for i, s in enumerate(scores) if s >= 2), None)
    if chosen is None:
        chosen = next((i for i, s in enumerate(scores) if s >= 1), None)
    if chosen is None:
        close = getattr(stream, "close", None)
        if close is not None:
            close()  # the workbook, now
        if not seen and not beyond:
            raise FileProblem("import.empty_file", file=path.name)
        last = HEADER_ROWS if beyond or not seen else seen[-1].line
        raise FileProblem(
            "import.no_header", file=path.name, sheet=sheet, last=last, columns=header.required
        )
    cells = seen[chosen].cells
    headers = ["" if c is None else unicodedata.normalize("NFC", str(c)).strip() for c in cells]
    return headers, seen[chosen].line, itertools.chain(seen[chosen + 1 :], beyond, stream)
