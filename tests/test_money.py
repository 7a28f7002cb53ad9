"""Amounts as clerks type them (`money.parse_amount`), and money the Vietnamese way."""

from __future__ import annotations

import pytest

from tanhung_cli import i18n
from tanhung_cli.errors import Invalid
from tanhung_cli.money import Money, parse_amount
from tanhung_cli.problems import Problem, word
from tanhung_cli.render import values


@pytest.mark.parametrize(
    ("typed", "dong"),
    [
        ("356000000", 356_000_000),
        ("356.000.000", 356_000_000),
        ("356,000,000", 356_000_000),
        ("356 000 000", 356_000_000),
        ("356 triệu", 356_000_000),
        ("356 TRIỆU ĐỒNG", 356_000_000),
        ("356 trieu", 356_000_000),
        ("45tr", 45_000_000),
        ("45 tr", 45_000_000),
        ("1,1 tỷ", 1_100_000_000),
        ("1.1 tỷ", 1_100_000_000),
        ("1,1 tỉ", 1_100_000_000),
        ("1 tỷ 145 triệu", 1_145_000_000),
        ("1.145,5 triệu", 1_145_500_000),
        ("1,145.5 million", 1_145_500_000),
        ("500 nghìn", 500_000),
        ("500k", 500_000),
        ("1.145.000.000 đ", 1_145_000_000),
        ("1.145.000.000đ", 1_145_000_000),
        ("356,000,000 VND", 356_000_000),
        ("  20.000.000  ", 20_000_000),
        (20_000_000, 20_000_000),
        (20_000_000.0, 20_000_000),  # a number cell of a workbook
    ],
)
def test_accepted(typed: object, dong: int) -> None:
    assert parse_amount(typed) == dong


@pytest.mark.parametrize(
    ("typed", "reason", "message"),
    [
        (
            "1.5",
            "ambiguous",
            "'1.5' không rõ: số lẻ cần có đơn vị (1,5 triệu) hoặc viết đủ số đồng (1.500.000).",
        ),
        ("1,5", "ambiguous", None),
        ("1,5 đ", "ambiguous", None),
        (
            "1.500 triệu",
            "ambiguous_unit",
            "'1.500 triệu' không rõ: một dấu chấm/phẩy trước ba chữ số có thể là phần lẻ hoặc phân nhóm; viết 1,5 triệu hoặc 1500 triệu.",
        ),
        ("0", "zero", "Số tiền phải lớn hơn 0 ('0')."),
        ("0 triệu", "zero", None),
        ("-5.000.000", "negative", "Số tiền không được âm ('-5.000.000')."),
        (-5, "negative", None),
        ("1,1234567891 tỷ", "fraction", None),
        (1.5, "fraction", None),
        ("9999999999999999", "too_large", "'9999999999999999' quá lớn (tối đa 15 chữ số)."),
        ("2 triệu 1 tỷ", "not_amount", None),  # units out of order
        ("1 tỷ 145", "not_amount", None),  # 145 what?
        ("12.34.567", "not_amount", None),  # groups of three or none
        ("１２", "not_amount", None),  # full-width digits are not ASCII digits
        ("12 abc", "not_amount", None),
        ("45tr.", "not_amount", None),
        ("+5", "not_amount", None),
        (True, "not_amount", None),
        ("", "empty", "Chưa nhập số tiền."),
    ],
)
def test_refused_with_the_reason(typed: object, reason: str, message: str | None) -> None:
    with pytest.raises(Invalid) as refused:
        parse_amount(typed)
    assert refused.value.key == f"money.{reason}"
    if message:
        assert refused.value.message() == message


def test_refusals_read_in_english() -> None:
    with pytest.raises(Invalid) as refused:
        parse_amount("1,5")
    assert refused.value.message("en") == (
        "'1,5' is ambiguous: a decimal needs a unit (1,5 triệu) or write the whole dong (1.500.000)."
    )


def test_money_the_vietnamese_way() -> None:
    assert values.money(1_145_000_000) == "1.145.000.000 đ"
    assert values.money_in(1_145_000_000) == "1.145 triệu đồng"
    assert values.money_in(1_145_000_000, "billion", 1) == "1,1 tỷ đồng"
    assert values.money_over(1_145_000_000) == "trên 1,1 tỷ đồng"
    assert values.money_over(1_199_000_000) == "trên 1,1 tỷ đồng"  # over: never rounded up
    assert values.money_in(1_500_000) == "1,5 triệu đồng"
    assert word(Problem("support.over_repaid", {"amount": Money(25_000_000),
                "owed": Money(20_000_000), "id": 1})) == (
        "Trả 25.000.000 đ nhiều hơn số còn nợ của khoản 1 (20.000.000 đ).")  # fmt: skip
    i18n.set_lang("en")
    assert values.money(1_145_000_000) == "1,145,000,000 VND"
    assert values.money_in(1_145_000_000) == "1,145 million VND"
    assert values.money_in(1_145_000_000, "billion", 1) == "1.1 billion VND"
    assert values.money_over(1_145_000_000) == "over 1.1 billion VND"
