"""Dates as Vietnamese offices write them, old rolls' partial dates, month arithmetic."""

from __future__ import annotations

import re
from datetime import date, timedelta

from tanhung_cli.vietnamese.text import clean, fold

_DATE = re.compile(
    r"(?:(?P<d>\d{1,2})(?P<s1>[/.-])(?P<m>\d{1,2})(?P=s1)(?P<y>\d{4})"
    r"|(?P<Y>\d{4})(?P<s2>[/.-])(?P<M>\d{1,2})(?P=s2)(?P<D>\d{1,2}))"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
    r"|(?P<year>[1-9]\d{3})|(?P<serial>[1-9]\d{4})(?:\.\d+)?"
)
_EXCEL_EPOCH = date(1899, 12, 30)
_OLDEST = date(1900, 1, 1)


class DateError(ValueError):
    """A text that is not an acceptable date; ``reason`` says why."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"{text!r} is not a date ({reason})")
        self.text = text
        self.reason = reason


def parse_date(text: str, *, allow_future: bool = False, today: date | None = None) -> date:
    """The date written as dd/mm/yyyy, yyyy-mm-dd or an Excel serial number."""
    cleaned = clean(text)
    if not cleaned:
        raise DateError(text, "empty")
    match = _DATE.fullmatch(cleaned)
    if match is None:
        raise DateError(text, "format")
    found = match.groupdict()
    if found["year"]:
        raise DateError(text, "year_only")
    if found["serial"]:
        result = _EXCEL_EPOCH + timedelta(days=int(found["serial"]))
    else:
        if found["d"]:
            day, month, year = found["d"], found["m"], found["y"]
        else:
            year, month, day = found["Y"], found["M"], found["D"]
        if int(year) < 1900:
            raise DateError(text, "too_old")
        try:
            result = date(int(year), int(month), int(day))
        except ValueError:
            raise DateError(text, "impossible") from None
    if result < _OLDEST:
        raise DateError(text, "too_old")
    if not allow_future and result > (today or date.today()):
        raise DateError(text, "future")
    return result


# A year alone, or a month and year, as old rolls write them (matched folded):
# 1960, năm 1960, 3/1960, 03-1960, 03.1960, 1960-03, tháng 3/1960, tháng 3 năm 1960, T3/1960.
_PARTIAL = re.compile(
    r"(?:nam\s*)?(?P<year>\d{4})"
    r"|(?:(?:thang|th|t)\s*\.?\s*)?(?P<m>\d{1,2})\s*(?:[/.-]|nam)\s*(?P<y>\d{4})"
    r"|(?P<Y>\d{4})[/.-](?P<M>\d{1,2})"
)


def parse_partial_date(text: str, *, today: date | None = None) -> date | str:
    """A day, as `parse_date` reads it, or a date known only by its year or month, kept as
    ISO text ("1960", "1960-03") and never made a day: old rolls have such dates."""
    try:
        return parse_date(text, today=today)  # the usual case first, as fast as ever
    except DateError as exc:
        match = _PARTIAL.fullmatch(fold(text)) if exc.reason in ("format", "year_only") else None
        if match is None:
            raise
    year, month = match["year"] or match["y"] or match["Y"], match["m"] or match["M"]
    if int(year) < 1900:
        raise DateError(text, "too_old")
    if month is not None and not 1 <= int(month) <= 12:
        raise DateError(text, "impossible")
    iso = year if month is None else f"{year}-{int(month):02d}"
    if iso > (today or date.today()).isoformat()[: len(iso)]:
        raise DateError(text, "future")
    return iso


def is_partial(iso: str | None) -> bool:
    """Whether a stored date is a year ("1960") or a month ("1960-03") alone."""
    return iso is not None and 0 < len(iso) < 10


def date_bounds(iso: str) -> tuple[date, date]:
    """The first and the last day a stored date may be: one day, or its year's or month's."""
    if len(iso) == 4:
        return date(int(iso), 1, 1), date(int(iso), 12, 31)
    if len(iso) == 7:
        first = date(int(iso[:4]), int(iso[5:]), 1)
        return first, add_months(first, 1) - timedelta(days=1)
    day = date.fromisoformat(iso)
    return day, day


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(d: date, months: int) -> date:
    """``d`` moved by calendar months, clamped to the end of a shorter month."""
    year, month0 = divmod(d.month - 1 + months, 12)
    year += d.year
    last = _MONTH_DAYS[month0]
    if month0 == 1 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        last = 29
    return d.replace(year=year, month=month0 + 1, day=min(d.day, last))


def months_between(start: date, end: date) -> int:
    """Whole months completed from ``start`` to ``end``; negative when ``end`` comes first."""
    if end < start:
        return -months_between(end, start)
    months = (end.year - start.year) * 12 + end.month - start.month
    # Counting via add_months keeps 31 Jan + 1 month = 28 Feb a completed month.
    return months - 1 if add_months(start, months) > end else months


def years_between(start: date, end: date) -> int:
    """Whole years completed from ``start`` to ``end``; negative when ``end`` comes first."""
    months = months_between(start, end)
    return months // 12 if months >= 0 else -(-months // 12)


def format_date(d: date | str | None, lang: str = "vi") -> str:
    """dd/mm/yyyy (vi) or yyyy-mm-dd (en); nothing for no date. A stored (ISO) date may be
    given as text: a year alone shows as 1960, a month as 03/1960 (vi) or 1960-03 (en)."""
    if not d:
        return ""
    if isinstance(d, str):
        if lang == "en" or len(d) == 4:
            return d
        if len(d) == 7:
            return f"{d[5:]}/{d[:4]}"
        d = date.fromisoformat(d)
    return d.isoformat() if lang == "en" else f"{d.day:02d}/{d.month:02d}/{d.year:04d}"
