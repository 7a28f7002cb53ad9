"""Terminal widths as `render.fit.cells` counts them: rich's, without loading rich's tables
for text of one-cell letters (a member list is mostly Vietnamese names, dates and numbers)."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tanhung_cli.render.fit import SINGLE_CELLS, cells


def test_every_letter_taken_as_one_cell_is_one_cell_for_rich() -> None:
    assert {ch for ch in SINGLE_CELLS if cell_len(ch) != 1} == set()
    assert {"ễ", "ạ", "ờ", "ự", "Đ", "ơ", "ư", "é"} <= SINGLE_CELLS


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Thạch Thị Sa Rươne",
        "Nguyễn Văn Đức",
        "12/03/1990",
        "Ấp Te Te 1",
        "Nguye\u0302\u0303n",  # decomposed marks: combining, zero cells
        "日本語",  # wide
        "tab\there",
        "soft\u00adhyphen",
        "👍 ok",
    ],
)
def test_cells_are_rich_cells(text: str) -> None:
    assert cells(text) == cell_len(text)
