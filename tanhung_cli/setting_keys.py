"""Every setting a clerk may change, declared once: its key, kind, default and source.

The registry keeps the rules that offices read differently, and the names printed on
documents, in its ``settings`` table (key, value as text). Each module still reads its own
keys (``settings.limits``, ``rating_rules``, ``transfer_rules``, ``party_age``,
``education``, ``letterhead``); the defaults here are theirs, and
``tests/test_setting_keys.py`` checks that they agree and that every key read from the
table anywhere in the package is declared here. What each setting means is worded in the
catalogue (``setting.about.<key>`` in ``i18n/settings.toml``). ``parse`` turns what a clerk
types into the stored text, or refuses it with ``errors.Invalid``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from tanhung_cli import vietnamese as vn
from tanhung_cli.errors import Invalid

TEXT_MAX = 200  # characters of a name printed on documents
LIST_MAX = 40  # items of a list setting


@dataclass(frozen=True)
class Setting:
    key: str
    kind: str  # int, year, bool, score, percent, date, month_day, choice, years, days, text
    default: str  # as stored: what is in force when the key is not set
    source: str = ""  # the regulation it comes from, where there is one
    low: float = 0
    high: float = 0
    choices: tuple[str, ...] = ()
    settable: bool = True  # False: kept by the registry itself (a migration's record)


QD294 = "Quy định 294-QĐ/TW"
QD366 = "Quy định 366-QĐ/TW"
HD01 = "Hướng dẫn 01-HD/TW (2021), điểm 18"
HD36 = "Hướng dẫn 36-HD/VPTW"
_S = Setting
SETTINGS: tuple[Setting, ...] = (
    # Admission and probation (settings.limits, rules.Limits).
    _S("min_age_months", "int", "216", "Điều lệ Đảng, Điều 1 (đủ 18 tuổi)", 120, 600),
    _S("max_age_months", "int", "720", f"{QD294}, Điều 1", 216, 1200),
    _S("age_by_calendar_month", "bool", "0", "Hướng dẫn 12-HD/BTCTW"),
    _S("probation_months", "int", "12", "Điều lệ Đảng, Điều 5", 1, 60),
    _S("partial_dates_before", "year", "2000", "", 1930, 2199),
    # The year's rating (rating_rules).
    _S("rating_score_from", "year", "2025", f"{QD366}, Điều 10", 1930, 2199),
    _S("rating_band_excellent", "score", "90.0", f"{QD366}, Điều 11", 0, 100),
    _S("rating_band_good", "score", "70.0", f"{QD366}, Điều 11", 0, 100),
    _S("rating_band_done", "score", "50.0", f"{QD366}, Điều 11", 0, 100),
    _S("rating_new_months", "int", "6", QD366, 0, 60),
    _S("rating_transfer_months", "int", "6", QD366, 0, 60),
    _S("rating_day", "month_day", "12-31", QD366),
    _S("rating_cap_unit", "choice", "committee", QD366, choices=("committee", "branch")),
    _S("excellent_cap_percent", "percent", "20.0", QD366, 0, 100),
    # Education at admission (education).
    _S("education_checked_from", "date", "2025-01-20", f"{QD294}, Điều 1, điểm 1.2"),
    # Transfers (transfer_rules).
    _S("temporary_min_months", "int", "3", f"{QD294}, điểm 6.3.2", 1, 60),
    _S("temporary_under_months", "int", "12", f"{QD294}, điểm 6.3.2", 1, 120),
    _S("study_max_months", "int", "24", f"{QD294}, điểm 6.3.2", 1, 120),
    _S("letter_within_days", "int", "30", f"{QD294}, điểm 6.3.1", 1, 365),
    _S("follow_letters_out", "bool", "1", f"{QD294}, điểm 6.3.1"),
    # Party badges (party_age).
    _S("badge_years", "years", "30,40,45,50,55,60,65,70,75,80,85,90", HD01, 1, 120),
    _S("badge_dates", "days", "03/02,19/05,02/09,07/11", HD01),
    _S("early_award_months", "int", "12", HD01, 0, 60),
    _S("early_award_months_long", "int", "24", HD01, 0, 60),
    _S("early_award_long_from_years", "int", "70", HD01, 1, 120),
    # The heading and signature of printed documents (letterhead); "" leaves a line to fill.
    _S("document_committee", "text", "", HD36),
    _S("document_upper", "text", "", HD36),
    _S("document_place", "text", "", HD36),
    _S("document_on_behalf", "text", "", HD36),
    _S("document_signer_title", "text", "", HD36),
    _S("document_signer_name", "text", "", HD36),
    # Kept by the registry itself: the last audit row of the dated-values migration.
    _S("dated_values_assumed_through", "int", "", settable=False),
)  # fmt: skip
BY_KEY = {s.key: s for s in SETTINGS}
SETTABLE = tuple(s for s in SETTINGS if s.settable)


def find(key: str) -> Setting:
    """The declared setting a clerk may change; an unknown key suggests close ones."""
    typed = vn.clean(key).lower().replace("-", "_")
    found = BY_KEY.get(typed)
    if found is not None and not found.settable:
        raise Invalid("setting.internal", key=typed)
    if found is None:
        close = difflib.get_close_matches(typed, [s.key for s in SETTABLE], n=3, cutoff=0.6)
        if close:
            raise Invalid("setting.unknown_close", key=key[:60], close=" / ".join(close))
        raise Invalid("setting.unknown", key=key[:60])
    return found


def _number(s: Setting, text: str, *, whole: bool) -> str:
    pattern = r"-?\d{1,5}" if whole else r"-?\d{1,5}([.,]\d{1,2})?"
    if re.fullmatch(pattern, text) is None or not s.low <= float(text.replace(",", ".")) <= s.high:
        key = "setting.bad_int" if whole else "setting.bad_decimal"
        raise Invalid(key, key=s.key, value=text[:40], low=int(s.low), high=int(s.high))
    return str(int(text)) if whole else str(float(text.replace(",", ".")))


def _day_month(text: str) -> tuple[int, int]:
    """A day of the year as dd/mm (29/02 included); ValueError otherwise."""
    match = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})", text.strip())
    if match is None:
        raise ValueError(text)
    day, month = int(match[1]), int(match[2])
    dt.date(2000, month, day)
    return day, month


def _listed(s: Setting, text: str) -> str:
    items = [part.strip() for part in text.split(",") if part.strip()]
    try:
        if not 0 < len(items) <= LIST_MAX:
            raise ValueError(text)
        if s.kind == "years":
            years = sorted({int(y) for y in items if re.fullmatch(r"\d{1,3}", y)})
            if len(years) != len(set(items)) or not all(s.low <= y <= s.high for y in years):
                raise ValueError(text)
            return ",".join(map(str, years))
        days = sorted({_day_month(d)[::-1] for d in items})
        return ",".join(f"{d:02d}/{m:02d}" for m, d in days)
    except ValueError:
        raise Invalid(f"setting.bad_{s.kind}", key=s.key, value=text[:60]) from None


def parse(s: Setting, typed: str) -> str:
    """The stored text of ``typed`` for setting ``s``; ``Invalid`` when it is not one."""
    text = vn.clean(typed)
    if s.kind in ("int", "year"):
        return _number(s, text, whole=True)
    if s.kind in ("score", "percent"):
        return _number(s, text.rstrip("%").strip(), whole=False)
    if s.kind == "bool":
        answer = {"1": "1", "0": "0", "có": "1", "không": "0", "yes": "1", "no": "0"}
        if text.lower() not in answer:
            raise Invalid("setting.bad_bool", key=s.key, value=text[:40])
        return answer[text.lower()]
    if s.kind == "date":
        try:
            return vn.parse_date(text, allow_future=True).isoformat()
        except ValueError:
            raise Invalid("setting.bad_date", key=s.key, value=text[:40]) from None
    if s.kind == "month_day":
        iso = re.fullmatch(r"(\d{2})-(\d{2})", text)  # as stored: MM-DD
        try:
            day, month = (int(iso[2]), int(iso[1])) if iso else _day_month(text)
            dt.date(2000, month, day)
        except ValueError:
            raise Invalid("setting.bad_month_day", key=s.key, value=text[:40]) from None
        return f"{month:02d}-{day:02d}"
    if s.kind == "choice":
        if text.lower() not in s.choices:
            choices = " / ".join(s.choices)
            raise Invalid("setting.bad_choice", key=s.key, value=text[:40], choices=choices)
        return text.lower()
    if s.kind in ("years", "days"):
        return _listed(s, text)
    if len(text) > TEXT_MAX:
        raise Invalid("setting.bad_text", key=s.key, high=TEXT_MAX)
    return text


# Pairs whose first must stay below the second, whichever of them is set.
BELOW = (
    ("min_age_months", "max_age_months"),
    ("rating_band_done", "rating_band_good"),
    ("rating_band_good", "rating_band_excellent"),
    ("temporary_min_months", "temporary_under_months"),
    ("temporary_min_months", "study_max_months"),
)


def check_order(key: str, in_force: dict[str, str]) -> None:
    """Refuse a value of ``key`` that puts a pair of ``BELOW`` out of order."""
    for low, high in BELOW:
        if key in (low, high) and float(in_force[low]) >= float(in_force[high]):
            raise Invalid(
                "setting.out_of_order",
                key=key,
                value=in_force[key],
                low=low,
                low_value=in_force[low],
                high=high,
                high_value=in_force[high],
                other=low if key == high else high,
            )
