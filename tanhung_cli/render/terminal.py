"""Tables on the terminal: rich's for short ones, a one-pass grid for long lists."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO


def table(
    rows: Sequence[Sequence[Any]],
    headers: Sequence[str],
    *,
    title: str | None = None,
    caption: str | None = None,
    justify: Sequence[str] | None = None,
) -> None:
    """A rich table on the terminal; with no rows, only its title and caption."""
    if not rows:
        sys.stdout.write("".join(f"{line}\n" for line in (title, caption) if line))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # Texts from the registry go in as Text, never as markup: a branch named "[/b]" is a name.
    grid = Table(
        title=Text(title, "table.title") if title else None,
        caption=Text(caption, "table.caption") if caption else None,
        header_style="bold",
        show_lines=False,
    )
    for i, head in enumerate(headers):
        how = justify[i] if justify else "left"
        grid.add_column(Text(head), justify=how, overflow="fold")  # type: ignore[arg-type]
    for row in rows:
        grid.add_row(*(Text("" if cell is None else str(cell)) for cell in row))
    Console().print(grid)


def terminal_width(default: int = 100) -> int:
    """The clerk's terminal width, even when the output is piped (to `head`, `less`)."""
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    for fd in (1, 2, 0):
        try:
            return os.get_terminal_size(fd).columns
        except OSError:
            continue
    return default


def grid(
    rows: Sequence[Sequence[Any]],
    headers: Sequence[str],
    *,
    title: str | None = None,
    caption: str | None = None,
    justify: Sequence[str] | None = None,
    out: TextIO | None = None,
) -> None:
    """A long list as aligned columns under a ruled header.

    Rich's Table measures and wraps every cell, about 0.5 ms a row: 150 ms for a
    300-member branch list, more than Python and Typer take to start. A list of
    records needs no wrapping, so it is laid out here in one pass, with rich's
    cell widths (wide and combining characters count right). A list wider than
    the terminal wraps its widest column (the names) to fit.
    """
    from rich.cells import cell_len

    out = out or sys.stdout
    if not rows:
        # No header over nothing: the title and the count say it all.
        out.write("".join(f"{line}\n" for line in (title, caption) if line))
        return
    text = [["" if cell is None else str(cell) for cell in row] for row in rows]
    # A column is as wide as its widest cell or its header's longest word; a
    # longer header ("Ngày chính thức" over dates) wraps onto more lines.
    widths = [max(cell_len(word) for word in (h.split() or [""])) for h in headers]
    for row in text:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], cell_len(cell))
    room = terminal_width() - 1
    total = sum(widths) + 2 * len(widths)
    if total > room:
        # Too wide: the widest column (the names) gives way and its cells wrap.
        widest = widths.index(max(widths))
        widths[widest] = max(12, widths[widest] - (total - room))
        total = sum(widths) + 2 * len(widths)
    align = justify or ["left"] * len(headers)

    def line(cells: Sequence[str]) -> str:
        parts = []
        for cell, width, how in zip(cells, widths, align, strict=True):
            pad = " " * (width - cell_len(cell))
            parts.append(pad + cell if how == "right" else cell + pad)
        return " " + "  ".join(parts).rstrip()

    wrapped = [_wrap(h, w) for h, w in zip(headers, widths, strict=True)]
    depth = max(len(lines) for lines in wrapped)
    if title:
        out.write(title.center(total).rstrip() + "\n")
    for level in range(depth):
        # Headers sit on the rule, as in a printed form: pad short ones from above.
        heads = [
            lines[level - depth + len(lines)] if level >= depth - len(lines) else ""
            for lines in wrapped
        ]
        out.write(line(heads) + "\n")
    out.write(" " + "  ".join("─" * w for w in widths) + "\n")
    for row in text:
        parts = [_wrap(cell, w) for cell, w in zip(row, widths, strict=True)]
        for level in range(max(len(p) for p in parts)):
            out.write(line([p[level] if level < len(p) else "" for p in parts]) + "\n")
    if caption:
        out.write(caption.center(total).rstrip() + "\n")


def _wrap(text: str, width: int) -> list[str]:
    from rich.cells import cell_len

    if cell_len(text) <= width:
        return [text]
    lines: list[str] = []
    for word in text.split():
        if lines and cell_len(lines[-1]) + 1 + cell_len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]
