"""Vietnamese text, names, dates and numbers."""

from __future__ import annotations

import random
import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tanhung_cli import cells
from tanhung_cli.vietnamese import (
    DateError,
    add_months,
    clean,
    fold,
    format_date,
    format_decimal,
    format_int,
    format_money,
    format_percent,
    months_between,
    name_sort_key,
    parse_date,
    split_name,
    years_between,
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- clean and fold ------------------------------------------------------------------------


def test_clean_composes_nfd_into_nfc():
    assert clean(nfd("Nguyễn Thị Kiều Diễm")) == "Nguyễn Thị Kiều Diễm"
    assert len(clean(nfd("ệ"))) == 1


@pytest.mark.parametrize(
    "mark", ["\x00", "\x07", "\x7f", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f"]
)
def test_clean_drops_controls_and_zero_width(mark):
    assert clean(f"Ng{mark}uyễn") == "Nguyễn"


@pytest.mark.parametrize("mark", ["\u202a", "\u202e", "\u2066", "\u2069", "\ufeff"])
def test_clean_drops_bidi_marks_and_bom(mark):
    assert clean(f"{mark}Trần Văn An{mark}") == "Trần Văn An"


def test_clean_collapses_whitespace():
    assert clean("  Lê\u00a0\u00a0Thị \t\n Hoa \u3000") == "Lê Thị Hoa"
    assert clean("") == ""
    assert clean(" \u00a0\u200b ") == ""


def test_clean_composes_across_a_removed_mark():
    assert clean("e\u200b\u0302\u0301") == "ế"


@pytest.mark.parametrize(
    "variant",
    [
        "NGUYỄN THỊ KIỀU DIỄM",
        "nguyen thi kieu diem",
        nfd("Nguyễn Thị Kiều Diễm"),
        " Nguyễn  Thị Kiều Diễm",
    ],
)
def test_fold_matches_every_spelling(variant):
    assert fold(variant) == "nguyen thi kieu diem"


def test_fold_tone_placement_and_d():
    assert fold("Hoà") == fold("Hòa") == "hoa"
    assert fold("Thuý") == fold("Thúy") == "thuy"
    assert fold("ĐẶNG Văn Đức") == fold("đặng văn đức") == "dang van duc"
    assert fold("Ưng Ơn Ấn") == "ung on an"


def test_fold_keeps_other_scripts_and_drops_stray_marks():
    assert fold("Thạch Sa Rươne ស") == "thach sa ruone ស"
    assert fold("An \u0301 Bình") == "an binh"


@pytest.mark.parametrize(
    "code", [*range(0xC0, 0x250), *range(0x1E00, 0x1F00), *range(0x300, 0x370)]
)
def test_fold_agrees_with_the_textbook_recipe_on_latin(code):
    text = chr(code)
    recipe = "".join(c for c in nfd(text.casefold()) if unicodedata.category(c) != "Mn")
    assert fold(text) == recipe.replace("đ", "d").replace("ð", "d").strip()


_TEXT = st.text(
    st.characters(exclude_categories=("Cs",))
    | st.sampled_from(
        "aăâeêioôơuưyđĐ \u00a0\u200b\ufeff\u0300\u0301\u0303\u0309\u0323\u0302\u0306"
    ),
    max_size=40,
)


@settings(max_examples=200)
@given(_TEXT)
def test_fold_ignores_normal_form_and_clean_is_idempotent(text):
    assert fold(text) == fold(nfd(text))
    assert clean(clean(text)) == clean(text)
    assert fold(fold(text)) == fold(text)


# --- names ---------------------------------------------------------------------------------


def test_split_name():
    assert split_name("Nguyễn Văn An") == ("Nguyễn", "Văn", "An")
    assert split_name(" Trần  Thị Kim Ngọc ") == ("Trần", "Thị Kim", "Ngọc")
    assert split_name("Lê An") == ("Lê", "", "An")
    assert split_name("An") == ("", "", "An")
    assert split_name("") == ("", "", "")


def test_split_name_with_a_khmer_given_name():
    assert split_name("Thạch Thị Sa Rươne", "Sa Rươne") == ("Thạch", "Thị", "Sa Rươne")
    assert split_name("Thạch Thị Sa Rươne", "SA RUONE") == ("Thạch", "Thị", "Sa Rươne")
    assert split_name("Thạch Sa Rươne", "Sa Rươne") == ("Thạch", "", "Sa Rươne")
    assert split_name("Sa Rươne", "Sa Rươne") == ("", "", "Sa Rươne")
    # A given name that is not the end of the full name is ignored.
    assert split_name("Thạch Thị Sa Rươne", "Sa Pha") == ("Thạch", "Thị Sa", "Rươne")
    assert split_name("Thạch Thị Sa Rươne", "") == ("Thạch", "Thị Sa", "Rươne")


# Given name first, then middle (none before any), then family, each part whole (letters,
# tones, case) before the next: every Dung before every Dũng, whatever the family name.
SORTED_NAMES: list[tuple[str, str | None]] = [
    ("Lê An", None),
    ("Trần Thị An", None),
    ("Nguyễn Văn An", None),
    ("Phạm Thị Ánh", None),
    ("Đặng Văn Ân", None),
    ("Thạch Bình", None),
    ("Đỗ Thị Bình", None),
    ("Kim Văn Cường", None),
    ("Nguyễn Văn Dung", None),
    ("Danh Dũng", None),
    ("Nguyên Văn Dũng", None),
    ("Lâm Văn Đức", None),
    ("Lê Thị Hoa", None),
    ("Nguyễn Thị Hoa", None),
    ("Lê Thị Hòa", None),
    ("Nguyễn Văn Hòa", None),
    ("Trần Văn Hoà", None),
    ("Trần Văn Hùng", None),
    ("Phạm Văn Hưng", None),
    ("Danh Ơn", None),
    ("Thạch Thị Sa Rươne", "Sa Rươne"),
    ("Kim Thị Thúy", None),
    ("Sơn Thị Thuý", None),
    ("Sơn Văn Ưng", None),
    ("Sơn Thị Sa Vi", None),  # no given name supplied: sorted under Vi
    ("Lâm Thị Ý", None),
]


def _key(entry: tuple[str, str | None]) -> str:
    return name_sort_key(*entry)


def test_name_sort_key_orders_a_hand_sorted_list():
    for seed in range(5):
        shuffled = SORTED_NAMES[:]
        random.Random(seed).shuffle(shuffled)
        assert sorted(shuffled, key=_key) == SORTED_NAMES


def test_name_sort_key_agrees_with_icu():
    icu = pytest.importorskip("icu")
    collator = icu.Collator.createInstance(icu.Locale("vi"))

    def by_parts(entry: tuple[str, str | None]) -> tuple[bytes, ...]:
        # Each part compared whole before the next; ICU tells Hoà from Hòa (where the mark
        # sits), which we take as one name: the oracle sees one spelling.
        parts = reversed(split_name(*entry))
        return tuple(collator.getSortKey(p.replace("oà", "òa").replace("uý", "úy")) for p in parts)

    by_icu = sorted(SORTED_NAMES, key=lambda entry: by_parts(entry))
    assert by_icu == SORTED_NAMES
    letters = list("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
    assert sorted(letters, key=name_sort_key) == sorted(letters, key=collator.getSortKey)
    tones = ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]
    assert sorted(tones[::-1], key=name_sort_key) == tones == sorted(tones, key=collator.getSortKey)


def test_name_sort_key_ignores_tone_placement_and_normal_form():
    assert name_sort_key("Nguyễn Văn Hòa") == name_sort_key("Nguyễn Văn Hoà")
    assert name_sort_key("Kim Thị Thúy") == name_sort_key("Kim Thị Thuý")
    assert name_sort_key(nfd("Đặng Thị Ánh")) == name_sort_key("Đặng  Thị Ánh\u200b")


def test_name_sort_key_is_total_and_puts_lower_case_first():
    assert name_sort_key("Nguyễn Văn An") < name_sort_key("NGUYỄN VĂN AN")
    assert name_sort_key("Nguyễn Văn An") != name_sort_key("Nguyễn Văn Ân")
    assert name_sort_key("Lê Văn Tám") < name_sort_key("Lê Văn Tám2") < name_sort_key("Lê Văn Tâm")


def test_name_sort_key_places_foreign_letters_in_latin_order():
    names = ["Ê Fa", "Ê Gia", "Ê Jon", "Ê Kiên", "Ê Wăn", "Ê Xuân", "Ê Yến", "Ê Zô"]
    assert sorted(reversed(names), key=name_sort_key) == names


# --- dates ---------------------------------------------------------------------------------

TODAY = date(2025, 6, 1)


@pytest.mark.parametrize(
    "text",
    [
        "03/02/1980",
        "3/2/1980",
        "03-02-1980",
        "03.02.1980",
        "1980-02-03",
        "  03/02/1980\u00a0",
        "1980-02-03 00:00:00",
        "29254",
        "29254.0",
    ],
)
def test_parse_date_forms(text):
    assert parse_date(text, today=TODAY) == date(1980, 2, 3)


def test_parse_date_edges():
    assert parse_date("29/02/2020", today=TODAY) == date(2020, 2, 29)
    assert parse_date("01/01/1900", today=TODAY) == date(1900, 1, 1)
    assert parse_date("01/06/2025", today=TODAY) == TODAY
    assert parse_date("01/01/2030", allow_future=True, today=TODAY) == date(2030, 1, 1)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("  \u200b ", "empty"),
        ("abc", "format"),
        ("03/02/80", "format"),
        ("03/02-1980", "format"),
        ("1980-02", "format"),
        ("123", "format"),
        ("1975", "year_only"),
        ("31/02/1980", "impossible"),
        ("29/02/2019", "impossible"),
        ("00/01/1980", "impossible"),
        ("12/13/1980", "impossible"),
        ("02/06/2025", "future"),
        ("80000", "future"),
        ("31/12/1899", "too_old"),
        ("1850-05-01", "too_old"),
    ],
)
def test_parse_date_refusals(text, reason):
    with pytest.raises(DateError) as caught:
        parse_date(text, today=TODAY)
    assert caught.value.reason == reason
    assert caught.value.text == text
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2020, 2, 29), 12, date(2021, 2, 28)),
        (date(2020, 2, 29), 48, date(2024, 2, 29)),
        (date(2019, 1, 31), 1, date(2019, 2, 28)),
        (date(2020, 1, 31), 1, date(2020, 2, 29)),
        (date(2019, 3, 31), -1, date(2019, 2, 28)),
        (date(2019, 12, 15), 1, date(2020, 1, 15)),
        (date(2019, 5, 31), 0, date(2019, 5, 31)),
    ],
)
def test_add_months(start, months, end):
    assert add_months(start, months) == end


def test_months_and_years_between():
    assert months_between(date(2000, 3, 15), date(2018, 3, 14)) == 215
    assert months_between(date(2000, 3, 15), date(2018, 3, 15)) == 216
    assert months_between(date(2024, 1, 10), date(2025, 1, 9)) == 11  # probation not over
    assert months_between(date(2024, 1, 10), date(2025, 1, 10)) == 12
    assert months_between(date(2019, 1, 31), date(2019, 2, 28)) == 1
    assert months_between(date(2000, 2, 29), date(2001, 2, 28)) == 12
    assert months_between(date(2018, 3, 15), date(2000, 3, 15)) == -216
    assert years_between(date(2000, 3, 15), date(2018, 3, 14)) == 17
    assert years_between(date(2000, 3, 15), date(2018, 3, 15)) == 18
    assert years_between(date(2018, 3, 15), date(2000, 3, 16)) == -17


@settings(max_examples=200)
@given(st.dates(date(1900, 1, 1), date(2100, 12, 31)), st.integers(-600, 600))
def test_months_between_undoes_add_months(start, months):
    counted = months_between(start, add_months(start, months))
    assert counted >= months
    if start.day <= 28:
        assert counted == months


# --- numbers -------------------------------------------------------------------------------


def test_format_int():
    assert format_int(1_145_000_000) == "1.145.000.000"
    assert format_int(1_145_000_000, "en") == "1,145,000,000"
    assert format_int(-1234) == "-1.234"
    assert format_int(0) == "0"
    assert format_int(999) == "999"


def test_format_decimal():
    assert format_decimal(115.4) == "115,4"
    assert format_decimal(115.4, lang="en") == "115.4"
    assert format_decimal(1234.5) == "1.234,5"
    assert format_decimal(1234.5, lang="en") == "1,234.5"
    assert format_decimal(2.675, 2) == "2,68"
    assert format_decimal(2.5, 0) == "3"
    assert format_decimal(-1234.56) == "-1.234,6"
    assert format_decimal(-0.04) == "0,0"
    assert format_decimal(7) == "7,0"


def test_format_percent_money_and_date():
    assert format_percent(115.4) == "115,4 %"
    assert format_percent(115.4, lang="en") == "115.4%"
    assert format_percent(20, 0) == "20 %"
    assert format_money(1_145_000_000) == "1.145.000.000 đ"
    assert format_money(1_145_000_000, "en") == "1,145,000,000 VND"
    assert format_date(date(1980, 2, 3)) == "03/02/1980"
    assert format_date(date(1980, 2, 3), "en") == "1980-02-03"
    assert format_date(None) == ""


# The validator counts months between DateCells (tanhung_cli.cells) without building dates;
# it must agree with months_between and add_months here, month ends and leap days included.
MONTH_ENDS = st.sampled_from([date(2000, 1, 31), date(2000, 2, 29), date(2001, 2, 28),
                              date(1999, 4, 30), date(2020, 12, 31)])  # fmt: skip
DAYS = st.one_of(st.dates(date(1900, 1, 1), date(2100, 12, 31)), MONTH_ENDS)


@settings(max_examples=300, derandomize=True, database=None)
@given(DAYS, DAYS, st.integers(0, 24))
def test_date_cells_count_months_as_dates_do(a: date, b: date, months: int) -> None:
    start, end = cells.DateCell(a), cells.DateCell(b)
    assert cells.months_between(start, end) == months_between(a, b)
    assert cells.before_months_after(end, start, months) == (b < add_months(a, months))
