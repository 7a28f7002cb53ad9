"""The one formatter of values: how a date, a number, a percentage, an amount or a
vocabulary code reads to the clerk, in the current language (``i18n.get_lang``).

Every date shown goes through ``vietnamese.format_date``; raw values go to CSV and JSON
as they are, and only the terminal, Markdown and HTML show them through here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from tanhung_cli import vietnamese as vn
from tanhung_cli.i18n import get_lang, t


def date(value: dt.date | str | None, empty: str = "") -> str:
    """A date, or its ISO text as stored: dd/mm/yyyy (vi), yyyy-mm-dd (en); ``empty``
    for none."""
    if value is None or value == "":
        return empty
    # Stored text goes straight through: a date of the old rolls may be a year or a
    # month alone ("1960", "1960-03"), shown as such.
    return vn.format_date(value, get_lang())


def admission(admitted: str | None, readmitted: str | None = None) -> str:
    """The "Ngày vào Đảng": the first admission, with a re-admission beside it (HD
    12-HD/BTCTW 2022 keeps the first date; "kết nạp lần 2" apart)."""
    if not readmitted:
        return date(admitted)
    return t("value.readmitted_beside", admitted=date(admitted), readmitted=date(readmitted))


def moment(stamp: str | None) -> str:
    """A recorded moment (ISO, UTC) to the second: 2026-12-03 09:46:06, in every language."""
    return (stamp or "")[:19].replace("T", " ")


def when(stamp: str | None) -> str:
    """A recorded moment to the minute, at the clock it was recorded by: 03/12/2026 09:46
    (vi), 2026-12-03 09:46 (en)."""
    text = (stamp or "").replace("T", " ")
    if len(text) < 16 or text[4] != "-":
        return text
    return f"{date(text[:10])} {text[11:16]}"


def integer(value: int) -> str:
    """A count with its thousands grouped: 1.145 (vi), 1,145 (en)."""
    return vn.format_int(value, get_lang())


def decimal(value: float, digits: int = 1) -> str:
    """A decimal rounded half up: 1.234,5 (vi), 1,234.5 (en)."""
    return vn.format_decimal(value, digits, get_lang())


def short_decimal(value: float) -> str:
    """A decimal with one digit, dropped when it is nought: 39 / 12,5 (vi)."""
    text = decimal(value)
    return text[:-2] if text.endswith((",0", ".0")) else text


def percent(value: float, digits: int = 1) -> str:
    """Percentage points: 115,4 % (vi), 115.4% (en)."""
    return vn.format_percent(value, digits, get_lang())


def money(value: int) -> str:
    """An amount of dong: 1.145.000 đ (vi), 1,145,000 VND (en)."""
    return vn.format_money(value, get_lang())


def money_in(value: int, unit: str = "million", digits: int = 3, *, floor: bool = False) -> str:
    """An amount in millions or billions of dong, trailing noughts dropped: 1.145 triệu
    đồng, 1,1 tỷ đồng (vi); 1,145 million VND (en). ``floor``: never more than it is (the
    "trên" of "trên 1,1 tỷ đồng")."""
    from decimal import ROUND_FLOOR, Decimal

    from tanhung_cli.i18n import t

    scaled = Decimal(value) / (10**9 if unit == "billion" else 10**6)
    if floor:
        scaled = scaled.quantize(Decimal(1).scaleb(-digits), ROUND_FLOOR)
    text = decimal(float(scaled), digits)
    if "," in text or "." in text:
        point = "." if get_lang() == "en" else ","
        whole, _, fraction = text.rpartition(point)
        text = f"{whole}{point}{fraction.rstrip('0')}".rstrip(point)
    return t(f"money.{unit}", value=text)


def money_over(value: int) -> str:
    """An amount above a billion the way a report rounds it: trên 1,1 tỷ đồng (vi)."""
    from tanhung_cli.i18n import t

    return t("money.over", value=money_in(value, "billion", 1, floor=True))


def label(vocabulary_name: str, code: str | None) -> str:
    """A vocabulary's code as its label: ``official`` → Chính thức (vi); "" for none."""
    from tanhung_cli.vocab import vocabulary

    return vocabulary(vocabulary_name).label(code, get_lang())


def cell(value: Any, column: str = "") -> str:
    """A report's value as a clerk reads it: ``—`` for none, years and ids as they are,
    counts grouped, ``percent…`` columns as percentages, ISO dates as dates."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value) if column in ("year", "no", "id") else integer(value)
    if isinstance(value, float):
        return percent(value) if column.startswith("percent") else short_decimal(value)
    if isinstance(value, dt.datetime):  # a moment recorded: 03/12/2026 09:46
        return when(value.isoformat())
    if isinstance(value, str) and len(value) == 7 and value[4] == "-":
        with contextlib.suppress(ValueError):  # a month without its day (old records): 03/1960
            vn.date_bounds(value)
            return date(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date(value)
        except ValueError:
            return value
    return str(value)


def score(value: float | None) -> str:
    """A rating's score out of 100 (QĐ 366-QĐ/TW), to two decimals at most: 92,5 (vi); "" for none."""
    if value is None:
        return ""
    text = decimal(value, 2)
    return text.rstrip("0").rstrip(",.") if text[-3] in ",." else text
