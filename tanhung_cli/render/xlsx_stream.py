"""A one-sheet workbook written row by row as SpreadsheetML, straight into its zip file.

openpyxl's write-only mode makes an object of every cell (~40 us each): a branch of a
national roll (125,000 members, 43 columns) took 108 s (issue #17). This writes the same
workbook as `render.xlsx` did through openpyxl (the sheet's name, the column widths, the
frozen bold header, text cells as inline strings, dates as date cells, text columns
formatted as text), one row of XML at a time, in flat memory. A sheet holds 1,048,576
rows, header included: a longer list is refused (`TooManyRows`) before its file is whole.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from tanhung_cli import vietnamese as vn
from tanhung_cli.csvout import keep_quotes
from tanhung_cli.errors import Invalid

SHEET_ROWS = 1_048_576  # Excel's rows a sheet, the header's included
_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (its 1900 leap year folded in)
# Characters XML 1.0 cannot hold (openpyxl refuses them too).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Cell styles, by their index in styles.xml: 1 the bold header, 2 a date (dd/mm/yyyy),
# 3 text ("@"), 4 a date value given as a date, 5 a date and time.
_HEADER, _DATE, _TEXT, _DAY, _MOMENT = 1, 2, 3, 4, 5
_FLUSH = 512  # rows joined before one write into the compressor
# Text written as it is: no character to escape or refuse, no quote first (`keep_quotes`),
# no space at either end (``xml:space``).
_PLAIN = re.compile("[^'\\s&<>\x00-\x1f][^&<>\x00-\x08\x0b\x0c\x0e-\x1f]*(?<!\\s)")


class TooManyRows(Invalid):
    """More rows than a sheet holds."""

    key = "xlsx.too_many_rows"


def column_letter(index: int) -> str:
    """A, B, …, Z, AA, … for 0, 1, …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str, style: int | None) -> str:
    """An inline string cell's attributes and body (after ``<c r="…"``)."""
    if _ILLEGAL.search(value):
        raise ValueError(f"a character a workbook cannot hold in {value!r}")
    s = f' s="{style}"' if style else ""
    if not value:
        return f'{s} t="inlineStr" />'  # as openpyxl wrote it: read back as no value
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f'{s} t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'


def _cell(value: Any, is_date: bool, is_text: bool) -> str | None:
    """A cell after its reference, as `render.xlsx` typed it; None for no cell."""
    if value is None:
        return None
    if value.__class__ is str:
        if is_date and value:
            if vn.is_partial(value):  # a year or month alone (old records): text
                return _text(vn.format_date(value), _TEXT)
            serial = (dt.date.fromisoformat(value) - _EPOCH).days
            return f' s="{_DATE}" t="n"><v>{serial}</v></c>'
        return _text(keep_quotes(value), _TEXT if is_text else None)
    if isinstance(value, bool):
        return f' t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f' t="n"><v>{value}</v></c>'
    if isinstance(value, dt.datetime):
        days = (value - dt.datetime(1899, 12, 30, tzinfo=value.tzinfo)).total_seconds() / 86400
        return f' s="{_MOMENT}" t="n"><v>{days!r}</v></c>'
    if isinstance(value, dt.date):
        return f' s="{_DAY}" t="n"><v>{(value - _EPOCH).days}</v></c>'
    if isinstance(value, str):
        return _text(keep_quotes(str(value)), _TEXT if is_text else None)
    raise TypeError(f"a workbook cell cannot hold {type(value).__name__}")


def write_sheet(
    out: IO[bytes],
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    texts: set[int],
    dates: set[int],
    sheet: str,
    widths: Sequence[float],
) -> int:
    """The workbook of one sheet named ``sheet``; returns the number of rows written."""
    letters = [column_letter(i) for i in range(len(headers))]
    count = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, part in _parts(sheet).items():
            book.writestr(name, part)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as xml:
            xml.write(_sheet_head(widths).encode())
            head = "".join(
                f'<c r="{letter}1"{_text(keep_quotes(str(h)), _HEADER)}'
                for letter, h in zip(letters, headers, strict=False)
            )
            chunk = [f'<row r="1">{head}</row>']
            plan = [
                (letters[i], i in dates, i in texts, f' s="{_TEXT}"' if i in texts else "")
                for i in range(len(headers))
            ]
            serials: dict[str, int] = {}  # a day's number, by its ISO date (~36,500 a century)
            plain = _PLAIN.fullmatch
            for row in rows:
                count += 1
                if count >= SHEET_ROWS:
                    raise TooManyRows(limit=SHEET_ROWS - 1)
                r = str(count + 1)
                cells = []
                # Millions of cells: the common ones (plain text, a whole date, an int) are
                # written here; `_cell` types the rest, as openpyxl did.
                for (letter, is_date, is_text, style), value in zip(plan, row, strict=False):
                    if value is None:
                        continue
                    kind = value.__class__
                    if kind is str and is_date and len(value) == 10:
                        serial = serials.get(value)
                        if serial is None:
                            serial = serials[value] = (dt.date.fromisoformat(value) - _EPOCH).days
                        cells.append(f'<c r="{letter}{r}" s="{_DATE}" t="n"><v>{serial}</v></c>')
                    elif kind is str and not is_date and plain(value):
                        cells.append(
                            f'<c r="{letter}{r}"{style} t="inlineStr"><is><t>{value}</t></is></c>'
                        )
                    elif kind is int:
                        cells.append(f'<c r="{letter}{r}" t="n"><v>{value}</v></c>')
                    else:
                        cells.append(f'<c r="{letter}{r}"{_cell(value, is_date, is_text)}')
                chunk.append(f'<row r="{r}">{"".join(cells)}</row>')
                if len(chunk) >= _FLUSH:
                    xml.write("".join(chunk).encode())
                    chunk.clear()
            chunk.append(_SHEET_TAIL)
            xml.write("".join(chunk).encode())
    return count


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_SHEET_TAIL = (
    '</sheetData><pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5"'
    ' footer="0.5" /></worksheet>'
)


def _sheet_head(widths: Sequence[float]) -> str:
    """The sheet's start: the frozen header row, the columns' widths (written as openpyxl
    wrote them: the goldens of `tests/test_render_golden.py` hold the sheet's bytes)."""
    cols = "".join(
        f'<col width="{w:g}" customWidth="1" min="{i}" max="{i}" />'
        for i, w in enumerate(widths, start=1)
    )
    return (
        f'<worksheet xmlns="{_MAIN}">'
        '<sheetPr><outlinePr summaryBelow="1" summaryRight="1" /><pageSetUpPr /></sheetPr>'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2"'
        ' activePane="bottomLeft" state="frozen" /><selection pane="bottomLeft" activeCell="A1"'
        ' sqref="A1" /></sheetView></sheetViews><sheetFormatPr baseColWidth="8"'
        f' defaultRowHeight="15" />{f"<cols>{cols}</cols>" if cols else ""}<sheetData>'
    )


_STYLES = (
    f'<styleSheet xmlns="{_MAIN}"><numFmts count="3"><numFmt numFmtId="164"'
    ' formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="DD/MM/YYYY"/>'
    '<numFmt numFmtId="166" formatCode="yyyy-mm-dd h:mm:ss"/></numFmts>'
    '<fonts count="2"><font><name val="Calibri"/><family val="2"/><color theme="1"/>'
    '<sz val="11"/><scheme val="minor"/></font><font><b val="1"/></font></fonts>'
    '<fills count="2"><fill><patternFill/></fill><fill><patternFill patternType="gray125"/>'
    '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/>'
    '</border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0"'
    ' borderId="0"/></cellStyleXfs><cellXfs count="6">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" applyNumberFormat="1" xfId="0"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" applyNumberFormat="1" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" applyNumberFormat="1" xfId="0"/>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" applyNumberFormat="1" xfId="0"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)


def _parts(sheet: str) -> dict[str, str]:
    """Every part of the workbook but its sheet."""
    decl = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    over = "application/vnd.openxmlformats-officedocument"
    return {
        "[Content_Types].xml": decl
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
        f'<Override PartName="/docProps/app.xml" ContentType="{over}.extended-properties+xml"/>'
        "</Types>",
        "_rels/.rels": decl + f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1"'
        f' Type="{_REL}/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2"'
        f' Type="{_REL}/extended-properties" Target="docProps/app.xml"/></Relationships>',
        "docProps/app.xml": decl + '<Properties xmlns="http://schemas.openxmlformats.org/'
        'officeDocument/2006/extended-properties"><Application>tanhung</Application>'
        "</Properties>",
        "xl/workbook.xml": decl + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews>'
        '<workbookView activeTab="0"/></bookViews><sheets>'
        f'<sheet name={quoteattr(sheet)} sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": decl + f'<Relationships xmlns="{_PKG}"><Relationship'
        f' Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship'
        f' Id="rId2" Type="{_REL}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": decl + _STYLES,
    }
