"""The one validator, called directly with the values a workbook or a clerk gives."""

from __future__ import annotations

import datetime as dt

import pytest

from tanhung_cli.rules import Context, Limits, validate_member

TODAY = dt.date(2026, 11, 29)


def resolve_branch(text: str) -> tuple[int, str]:
    if text.casefold() in ("ấp chợ", "chợ"):
        return 1, "Ấp Chợ"
    raise LookupError(text, ["Ấp Chợ"])


CTX = Context(today=TODAY, resolve_branch=resolve_branch)
GOOD = {
    "full_name": "  Thạch   Thị Sa Rươne ",
    "given_name": "sa rươne",
    "gender": "F",
    "birth_date": dt.datetime(1990, 3, 12),  # a workbook date cell
    "ethnicity": 5.0,  # a code typed as a number
    "branch": "chợ",
    "admitted_on": "19/05/2016",
    "official_on": "2017-05-19",
    "card_no": "01234567",
    "national_id": "084190000123",
    "phone": "+84 912 345 678",
    "file_no": "012345-tv",
}


def problems(**changes: object) -> list[tuple[str, str]]:
    _, found = validate_member({**GOOD, **changes}, CTX)
    return [(p.column, p.key) for p in found]


def test_a_good_record_is_normalised() -> None:
    rec, found = validate_member(GOOD, CTX)
    assert found == []
    assert rec["full_name"] == "Thạch Thị Sa Rươne"
    assert rec["given_name"] == "Sa Rươne"  # typed in small letters: capitalised (#11)
    assert rec["gender"] == "female"
    assert rec["birth_date"] == "1990-03-12"
    assert rec["ethnicity"] == "05"
    assert rec["branch_id"] == 1
    assert rec["phone"] == "0912345678"
    assert rec["file_no"] == "012345TV"
    assert (rec["joined_roll_on"], rec["presence"]) == (None, None)  # the file says nothing
    moved, _ = validate_member({**GOOD, "transferred_in_on": "01/03/2020", "temporary": "X"}, CTX)
    assert (moved["joined_roll_on"], moved["presence"]) == ("2020-03-01", "temporary")
    assert rec["name_key"] == "thach thi sa ruone"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"card_no": 1234567.0}, [("card_no", "rule.digits_leading_zero")]),
        ({"national_id": 84190000123}, [("national_id", "rule.digits_leading_zero")]),
        ({"birth_date": dt.date(2030, 1, 1)}, [("birth_date", "rule.date_future")]),
        ({"birth_date": "29/02/1990"}, [("birth_date", "rule.date_impossible")]),
        # A year alone is a birth date of old rolls (#11.10), not an admission of 2016.
        ({"admitted_on": "2016"}, [("admitted_on", "dates.partial_too_recent")]),
        ({"admitted_on": "", "official_on": "", "card_no": ""}, [("admitted_on", "rule.required")]),
        ({"official_on": "18/05/2017"}, [("official_on", "rule.official_too_early")]),
        ({"given_name": "Hùng"}, [("given_name", "rule.given_not_in_name")]),
        ({"branch": "Ấp Xa"}, [("branch", "rule.unknown_branch_hint")]),
        ({"left_on": "01/01/2020"}, [("left_reason", "rule.left_pair")]),
        (
            {"left_on": "01/01/2015", "left_reason": "từ trần"},
            [("left_on", "rule.left_before_admitted")],
        ),
        ({"file_no": "12345"}, [("file_no", "rule.bad_file_no")]),
        (
            {"transferred_in_on": "01/01/2016"},
            [("transferred_in_on", "rule.moved_in_before_admitted")],
        ),
        ({"temporary": "hay"}, [("temporary", "rule.bad_flag")]),
        (
            {"transferred_in_on": "01/03/2020", "left_on": "01/01/2019", "left_reason": "từ trần"},
            [("left_on", "rule.left_before_moved_in")],
        ),
        ({"note": "x" * 201}, [("note", "rule.too_long")]),
    ],
)
def test_each_rule(changes: dict[str, object], expected: list[tuple[str, str]]) -> None:
    assert problems(**changes) == expected


def test_every_problem_is_reported_at_once() -> None:
    found = problems(full_name="", gender="?", birth_date="x", ethnicity="", branch="")
    assert found == [
        ("full_name", "rule.required"),
        ("gender", "rule.unknown_value"),
        ("ethnicity", "rule.required"),
        ("branch", "rule.required"),
        ("birth_date", "rule.date_format"),
    ]


def test_admission_age_is_counted_in_months_and_limits_are_settings() -> None:
    born = dt.date(1998, 5, 20)
    on_birthday = {
        "birth_date": born,
        "admitted_on": "20/05/2016",
        "official_on": "",
        "card_no": "",
        "national_id": "084198000123",
    }
    day_before = {**on_birthday, "admitted_on": "19/05/2016"}
    assert problems(**on_birthday) == []
    assert problems(**day_before) == [("admitted_on", "rule.too_young")]
    lenient = Context(
        today=TODAY, resolve_branch=resolve_branch, limits=Limits(min_age_months=16 * 12)
    )
    assert validate_member({**GOOD, **day_before}, lenient)[1] == []
    excused = {**day_before, "age_exception": "Quyết định 5-QĐ/TU"}
    assert problems(**excused) == []


def test_remembered_answers_keep_cell_types_apart() -> None:
    # True == 1 in Python: a workbook's TRUE cell must not pass as ethnic group 01.
    for value, code in ((1, "01"), (True, None), (1.0, "01"), ("1", "01")):
        rec, _ = validate_member({**GOOD, "ethnicity": value}, CTX)
        assert rec["ethnicity"] == code, value
