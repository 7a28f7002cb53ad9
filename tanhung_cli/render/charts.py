"""Charts of a report for the terminal and the HTML page: bars and an age pyramid."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from tanhung_cli.render.values import cell


def bar_chart(title: str, bars: Sequence[tuple[str, int]], width: int = 40) -> Callable[[], Any]:
    """Horizontal bars, one per label, scaled to the largest value."""

    def draw() -> Any:
        from rich.table import Table as RichTable
        from rich.text import Text

        top = max((v for _, v in bars), default=0) or 1
        grid = RichTable.grid(padding=(0, 1))
        grid.title, grid.title_justify = Text(title, "table.title"), "left"
        grid.add_column(justify="right")
        grid.add_column()
        for label, value in bars:
            size = round(value * width / top)
            grid.add_row(Text(label), f"[green]{'█' * size}[/green] {cell(value)}")
        return grid

    return draw


def pyramid(
    title: str, bands: Sequence[tuple[str, int, int]], width: int = 30
) -> Callable[[], Any]:
    """An age pyramid: men to the left, women to the right, the oldest band on top."""

    def draw() -> Any:
        from rich.table import Table as RichTable
        from rich.text import Text

        top = max((max(m, w) for _, m, w in bands), default=0) or 1
        grid = RichTable.grid(padding=(0, 1))
        grid.title, grid.title_justify = Text(title, "table.title"), "left"
        grid.add_column(justify="right")
        grid.add_column(justify="center")
        grid.add_column()
        for label, men, women in reversed(bands):
            left = f"{cell(men)} [blue]{'█' * round(men * width / top)}[/blue]"
            right = f"[magenta]{'█' * round(women * width / top)}[/magenta] {cell(women)}"
            grid.add_row(left, Text(label), right)
        return grid

    return draw
