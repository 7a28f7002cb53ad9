"""Vietnamese text, names, dates and numbers: the places where naive code goes wrong.

The package's names are its API (``from tanhung_cli import vietnamese as vn``):
`text` (Unicode forms, folding, capitals, alphabetical order of names), `dates` (dates
as offices write them, old rolls' partial dates, month arithmetic) and `numbers` (whole
numbers read from cells; numbers, percentages and money written the Vietnamese way).
"""

from tanhung_cli.vietnamese.dates import (
    DateError,
    add_months,
    date_bounds,
    format_date,
    is_partial,
    months_between,
    parse_date,
    parse_partial_date,
    years_between,
)
from tanhung_cli.vietnamese.numbers import (
    MAX_NUMBER_DIGITS,
    format_decimal,
    format_int,
    format_money,
    format_percent,
    parse_number,
)
from tanhung_cli.vietnamese.text import (
    capitalised,
    clean,
    fold,
    name_sort_key,
    split_name,
    text_sort_key,
)

__all__ = [
    "MAX_NUMBER_DIGITS",
    "DateError",
    "add_months",
    "capitalised",
    "clean",
    "date_bounds",
    "fold",
    "format_date",
    "format_decimal",
    "format_int",
    "format_money",
    "format_percent",
    "is_partial",
    "months_between",
    "name_sort_key",
    "parse_date",
    "parse_number",
    "parse_partial_date",
    "split_name",
    "text_sort_key",
    "years_between",
]
