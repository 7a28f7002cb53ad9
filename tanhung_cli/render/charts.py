"""Charts of a report for the terminal and the HTML page: bars and an age pyramid."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from tanhung_cli.render.values import cell


def bar_chart(
    title: str,
    bars: Sequence[tuple[str, int]],
    width: int = 40,
    target: float | None = None,
    target_label: str = "",
) -> Callable[[], Any]:
    """Horizontal bars, one per label, scaled to the largest value, or to the ``target``
    when there is one: a mark (┃) stands where the target is on every bar, so that a bar
    at 115 % of it visibly passes the mark and one short of it stops before."""

    def draw() -> Any:
        return _Bars(title, bars, width, target, target_label)

    return draw


class _Bars:
    """The bars, as wide as the console leaves room for (at most ``width`` cells)."""

    def __init__(
        self,
        title: str,
        bars: Sequence[tuple[str, int]],
        width: int,
        target: float | None,
        target_label: str,
    ) -> None:
        self.title, self.bars, self.width = title, bars, width
        self.target, self.target_label = target, target_label

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.cells import cell_len
        from rich.table import Table as RichTable
        from rich.text import Text

        bars, target = self.bars, self.target
        label = max((cell_len(name) for name, _ in bars), default=0)
        number = max((cell_len(cell(v)) for _, v in bars), default=0)
        width = max(10, min(self.width, options.max_width - label - number - 4))
        top = max([v for _, v in bars] + ([target] if target else []), default=0) or 1
        mark = round(target * width / top) if target else None
        grid = RichTable.grid(padding=(0, 1))
        grid.title, grid.title_justify = Text(self.title, "table.title"), "left"
        if mark is not None and self.target_label:
            grid.caption, grid.caption_justify = Text(f"┃ {self.target_label}"), "left"
        grid.add_column(justify="right")
        grid.add_column()
        for name, value in bars:
            size = round(value * width / top)
            line = Text()
            for i in range(max(size, mark + 1) if mark is not None else size):
                if i == mark:
                    line.append("┃", "bold red")
                else:
                    line.append("█" if i < size else " ", "green")
            line.append(f" {cell(value)}")
            grid.add_row(Text(name), line)
        yield grid


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
