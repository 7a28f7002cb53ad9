"""Bar charts scaled to the target when there is one (issue #16, "The rest of what a clerk
reads"): a bar at 115 % of the target visibly passes the target's mark."""

from __future__ import annotations

import io

from rich.console import Console

from tanhung_cli.render.charts import bar_chart


def _draw(chart) -> list[str]:  # type: ignore[no-untyped-def]
    console = Console(file=io.StringIO(), width=100, color_system=None)
    console.print(chart())
    return [line.rstrip() for line in console.file.getvalue().splitlines()]  # type: ignore[attr-defined]


def test_a_bar_above_the_target_passes_its_mark() -> None:
    lines = _draw(bar_chart("Kết nạp", [("Kết nạp", 46), ("Chỉ tiêu", 40)], 40, 40, "chỉ tiêu: 40"))
    above, at = lines[1], lines[2]
    # 46 is 115 % of 40: the scale is 46 to 40 cells, the mark at 40/46 of them (35).
    assert above.endswith("█" * 35 + "┃" + "█" * 4 + " 46")
    assert at.endswith("█" * 35 + "┃ 40")
    assert lines[-1].strip() == "┃ chỉ tiêu: 40"


def test_a_bar_below_the_target_stops_before_its_mark() -> None:
    lines = _draw(bar_chart("Kết nạp", [("2017", 20)], 40, 40))
    assert lines[1].endswith("█" * 20 + " " * 20 + "┃ 20")  # the target fills the width


def test_without_a_target_the_largest_bar_fills_the_width() -> None:
    lines = _draw(bar_chart("Kết nạp", [("2019", 10), ("2020", 4)], 40))
    assert lines[1].endswith("█" * 40 + " 10") and lines[2].endswith("█" * 16 + " 4")
    assert not any("┃" in line for line in lines)
