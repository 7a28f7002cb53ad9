"""A report or list as an Excel workbook an office files: each table on a sheet of its own,
under the form's title rows (the committee, the title, the date it was made), its header
row bold and frozen, columns as wide as their contents, numbers, percentages and dates as
Excel values (not text), set up to print on A4 with the header repeated on each page.

Text cells are never formulas (``csvout.keep_quotes``). Rows are streamed (openpyxl's
write-only mode): a report's rows are already in memory, the workbook's are not copied.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

from tanhung_cli import scratch
from tanhung_cli.csvout import keep_quotes
from tanhung_cli.i18n import t
from tanhung_cli.render import values
from tanhung_cli.render.xlsx import XLSX_SCRATCH, _abandon

if TYPE_CHECKING:
    from tanhung_cli.render.sheet import Sheet, Table

MAX_WIDTH = 60  # a column wider than this wraps its text (a note, a long name)
MIN_WIDTH = 6
SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
WHOLE_NUMBERS = ("year", "no", "id")  # counts grouped (1.145); these as they are (2020)
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
PARTIAL_DAY = re.compile(r"\d{4}(-\d{2})?")


def excel_value(value: Any, column: str = "") -> tuple[Any, str | None]:
    """A report's raw value as an Excel value and its number format (None: text as is)."""
    if value is None or value == "":
        return None, None
    if isinstance(value, bool):
        return str(value), "@"
    if isinstance(value, int):
        return value, "0" if column in WHOLE_NUMBERS else "#,##0"
    if isinstance(value, float):
        if column.startswith("percent"):
            return value / 100, "0.0%"  # percentage points: 115.4 is 115,4 %
        return value, "#,##0.0#"
    if isinstance(value, dt.datetime):  # a moment recorded (the audit trail), to the minute
        return value.replace(tzinfo=None), "DD/MM/YYYY HH:MM"
    if isinstance(value, dt.date):
        return value, "DD/MM/YYYY"
    if isinstance(value, str) and ISO_DAY.fullmatch(value):
        try:
            return dt.date.fromisoformat(value), "DD/MM/YYYY"
        except ValueError:
            pass
    if isinstance(value, str) and PARTIAL_DAY.fullmatch(value) and column.endswith("_on"):
        return values.date(value), "@"  # a year or a month alone (old records)
    if isinstance(value, (dict, list, tuple)):
        value = (
            ", ".join(f"{k}: {v}" for k, v in value.items())
            if isinstance(value, dict)
            else (", ".join(map(str, value)))
        )
    return keep_quotes(str(value)), None


def _shown_width(value: Any, fmt: str | None) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, (int, float)):
        return len(f"{value:,.1f}") + (1 if fmt == "0.0%" else 0)
    return max((len(line) for line in str(value).split("\n")), default=0)


def sheet_names(titles: Sequence[str]) -> list[str]:
    """Sheet names Excel accepts: 31 characters at most, none of []:*?/\\, each unique."""
    names: list[str] = []
    for number, title in enumerate(titles, 1):
        base = " ".join(SHEET_NAME.sub(" ", title).strip("' ").split())
        if len(base) > 31 and ", " in base[:32]:  # "…, ngày 30/06/2020": the date goes
            base = base.split(", ")[0]
        if len(base) > 31:  # cut between words where it can
            cut = base[:32].rsplit(" ", 1)[0] if " " in base[:32] else ""
            base = cut if 12 <= len(cut) <= 31 else base[:31]
        base = base.strip() or str(number)
        name, n = base, 2
        while name.casefold() in (x.casefold() for x in names):
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        names.append(name)
    return names


def write_report(sheet: Sheet, out: IO[bytes], committee: str = "") -> None:
    """``sheet`` as a workbook: a sheet for each of its tables (one for its lines alone)."""
    from openpyxl import Workbook

    tables: list[Table | None] = list(sheet.tables) or [None]
    titles = [tab.title if tab is not None and tab.title else sheet.title for tab in tables]
    if len(tables) == 1:
        titles = [tables[0].title if tables[0] is not None and tables[0].title else sheet.title]
    with scratch.temporary_files_in(XLSX_SCRATCH):
        book = Workbook(write_only=True)
        for name, tab in zip(sheet_names(titles), tables, strict=True):
            ws = book.create_sheet(name)
            try:
                _fill(ws, sheet, tab, committee, first=tab is tables[0])
            except BaseException:
                _abandon(ws)
                raise
        book.save(out)


def _fill(ws: Any, sheet: Sheet, tab: Table | None, committee: str, first: bool) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    columns = list(tab.columns) if tab is not None else []
    width = max(len(columns), 2)
    converted = [[excel_value(row.get(c), c) for c in columns] for row in (tab.rows if tab else [])]
    # Column widths first: a streamed sheet takes them before its rows.
    headers = list(tab.headers) if tab is not None and tab.headers else columns
    for i in range(len(columns)):
        shown = [_shown_width(v, f) for v, f in (row[i] for row in converted)]
        size = max([len(headers[i]) if i < len(headers) else 0, *shown, MIN_WIDTH - 2])
        ws.column_dimensions[get_column_letter(i + 1)].width = min(size + 2, MAX_WIDTH)

    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.orientation = "landscape" if len(columns) > 6 else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0  # one page wide, as long as it is
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)

    def text(value: str, **style: Any) -> Any:
        cell = WriteOnlyCell(ws, value=keep_quotes(value))
        cell.data_type = "s"
        for key, how in style.items():
            setattr(cell, key, how)
        return cell

    bold, big = Font(bold=True), Font(bold=True, size=14)
    party = t("excel.party")
    top = [text(committee.upper() or t("excel.committee_unset"), font=bold)]
    lines = sheet.lines if first or tab is None else []
    titled = tab is not None and bool(tab.title) and tab.title != sheet.title
    if tab is not None:
        # A streamed sheet writes its view before its first row: the pane is frozen now.
        header_row = 3 + len(lines) + (2 if titled else 0) + 2
        ws.freeze_panes = f"A{header_row + 1}"
        ws.print_title_rows = f"{header_row}:{header_row}"
    ws.append([*top, *([None] * (width - 2)), text(party, font=bold)])
    ws.append([text(sheet.title, font=big)])
    made = t("excel.made_on", date=values.date(dt.date.today()))
    ws.append([text(made, font=Font(italic=True))])
    for line in lines:
        ws.append([text(line)])
    if tab is not None and titled:
        ws.append([])
        ws.append([text(tab.title, font=bold)])
    if tab is not None:
        ws.append([])
        thin = Side(style="thin")
        box = Border(left=thin, right=thin, top=thin, bottom=thin)
        fill = PatternFill("solid", fgColor="DDEBF7")
        wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.append([text(h, font=bold, border=box, fill=fill, alignment=wrap) for h in headers])
        top_left = Alignment(vertical="top", wrap_text=True)
        for row in converted:
            cells = []
            for value, fmt in row:
                cell = WriteOnlyCell(ws, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever its first character
                if fmt:
                    cell.number_format = fmt
                cell.border, cell.alignment = box, top_left
                cells.append(cell)
            ws.append(cells)
    if sheet.caption and (first or tab is None):
        ws.append([])
        ws.append([text(sheet.caption, font=Font(italic=True))])
