"""Reading the first sheet of a workbook (XLSX) as a table, after checking that it does not
unpack to more than a commune's roll ever needs (a zip bomb)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tanhung_cli.csvout import unneutralise
from tanhung_cli.errors import FileProblem
from tanhung_cli.table import Row, Table, read_header

# A workbook of a commune's roll unpacks to tens of MB (200,000 members: ~250 MB); XML
# packs 5-20 times. A zip bomb packs 1,000 times: 1.2 MB that openpyxl inflates to 1.3 GB.
# (A cell is bounded by openpyxl, which reads at most Excel's 32,767 characters of one.)
MAX_XLSX_UNPACKED = 512 << 20


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


def open_xlsx(path: Path, size: int) -> Table:
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
    headers, header_line = read_header(stream, path)
    return Table(path, "xlsx", None, headers, stream, size, header_line=header_line)
