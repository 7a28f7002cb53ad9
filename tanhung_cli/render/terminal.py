"""Tables on the terminal: rich's for short ones, a one-pass grid for long lists."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO


def table(
    rows: Sequence[Sequence[Any]],
    headers: Sequence[str],
    *,
    title: str | None = None,
    caption: str | None = None,
    justify: Sequence[str] | None = None,
) -> None:
    """A rich table on the terminal, fitted to its width (`fit`); with no rows, only its
    title and caption."""
    if not rows:
        sys.stdout.write("".join(f"{line}\n" for line in (title, caption) if line))
        return
    from rich.console import Console

    console = Console(width=terminal_width())
    text = [["" if cell is None else str(cell) for cell in row] for row in rows]
    parts = rich_tables(text, headers, console.width, title=title, caption=caption, justify=justify)
    for part in parts:
        console.print(part)


def rich_tables(
    rows: Sequence[Sequence[str]],
    headers: Sequence[str],
    room: int,
    *,
    title: str | None = None,
    caption: str | None = None,
    justify: Sequence[str] | None = None,
    whole: Sequence[bool] = (),
    title_justify: str = "center",
) -> list[Any]:
    """Rich tables showing ``rows`` in ``room`` cells: one, or the parts of a split."""
    from rich.table import Table
    from rich.text import Text

    from tanhung_cli.i18n import t
    from tanhung_cli.render.fit import plan

    layout = plan(headers, rows, room, per_column=3, fixed=1, whole=whole)
    tables = []
    for number, part in enumerate(layout.parts):
        head = title if number == 0 or not title else t("render.continued", title=title)
        last = number == len(layout.parts) - 1
        # Texts from the registry go in as Text, never as markup: a branch named "[/b]" is
        # a name.
        grid = Table(
            title=Text(head, "table.title") if head else None,
            caption=Text(caption, "table.caption") if caption and last else None,
            header_style="bold",
            show_lines=False,
            title_justify=title_justify,  # type: ignore[arg-type]
        )
        for i in part:
            how = justify[i] if justify else "left"
            width = layout.widths[i]
            grid.add_column(Text(headers[i]), justify=how, width=width, overflow="fold")  # type: ignore[arg-type]
        for row in rows:
            grid.add_row(*(Text(row[i]) for i in part))
        tables.append(grid)
    return tables


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


def message_lines(text: str, width: int) -> str:
    """``text`` laid out for a terminal ``width`` columns wide: each line broken between
    words, never inside one (a terminal breaks "kiểm tra" as "kiểm t|ra"), later parts of a
    line indented two spaces; a word longer than the width (a path) keeps its own line."""
    out: list[str] = []
    for line in text.split("\n"):
        parts = _wrap(line, width) if line.strip() else [line]
        out += [parts[0], *(_wrap_indent(p) for p in parts[1:])]
    return "\n".join(out)


def _wrap_indent(part: str) -> str:
    return "  " + part


def say(text: str, *, err: bool = False) -> None:
    """A message for the clerk: on a terminal, broken between words at its width (less
    two columns for the indent); piped or redirected, one line as written, for grep."""
    stream = sys.stderr if err else sys.stdout
    isatty = getattr(stream, "isatty", None)
    if callable(isatty) and isatty():
        text = message_lines(text, max(20, terminal_width() - 2))
    stream.write(text + "\n")
    stream.flush()


def say_lines(texts: Iterable[str], *, err: bool = False) -> None:
    """Messages for the clerk, each as `say` writes it; piped or redirected, in one write
    (`check` on a national roll tells a hundred thousand lines)."""
    stream = sys.stderr if err else sys.stdout
    isatty = getattr(stream, "isatty", None)
    if callable(isatty) and isatty():
        for text in texts:
            say(text, err=err)
        return
    stream.write("".join(f"{text}\n" for text in texts))
    stream.flush()


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
    cell widths (wide and combining characters count right), fitted to the terminal
    as `fit` lays it out: text columns wrap between words, and a list still too wide
    is printed in parts, each repeating the columns that identify a row.
    """
    out = out or sys.stdout
    if not rows:
        # No header over nothing: the title and the count say it all.
        out.write("".join(f"{line}\n" for line in (title, caption) if line))
        return
    from tanhung_cli.i18n import t
    from tanhung_cli.render.fit import plan

    text = [["" if cell is None else str(cell) for cell in row] for row in rows]
    # One leading space, two between columns: n columns take their widths + 2n - 1.
    layout = plan(headers, text, terminal_width() - 1, per_column=2, fixed=-1)
    align = justify or ["left"] * len(headers)
    for number, part in enumerate(layout.parts):
        if number:
            out.write("\n")
        head = title if number == 0 or not title else t("render.continued", title=title)
        last = number == len(layout.parts) - 1
        _grid_part(
            text,
            [headers[i] for i in part],
            [layout.widths[i] for i in part],
            [align[i] for i in part],
            part,
            head,
            caption if last else None,
            out,
        )


def _grid_part(
    text: list[list[str]],
    headers: list[str],
    widths: list[int],
    align: list[str],
    columns: list[int],
    title: str | None,
    caption: str | None,
    out: TextIO,
) -> None:
    from tanhung_cli.render.fit import cells as cell_len

    total = sum(widths) + 2 * len(widths) - 1

    right = [how == "right" for how in align]

    def line(cells: Sequence[str], sizes: Sequence[int] | None = None) -> str:
        sizes = sizes or [cell_len(cell) for cell in cells]
        parts = []
        for cell, size, width, at_right in zip(cells, sizes, widths, right, strict=True):
            pad = " " * (width - size)
            parts.append(pad + cell if at_right else cell + pad)
        return " " + "  ".join(parts).rstrip()

    wrapped = [_wrap(h, w) for h, w in zip(headers, widths, strict=True)]
    depth = max(len(lines) for lines in wrapped)
    if title:  # a title longer than the table wraps, each line centred over it
        for part in _wrap(title, max(total, 20)):
            out.write(part.center(total).rstrip() + "\n")
    for level in range(depth):
        # Headers sit on the rule, as in a printed form: pad short ones from above.
        heads = [
            lines[level - depth + len(lines)] if level >= depth - len(lines) else ""
            for lines in wrapped
        ]
        out.write(line(heads) + "\n")
    out.write(" " + "  ".join("─" * w for w in widths) + "\n")
    for full in text:
        row = [full[i] for i in columns]
        sizes = [cell_len(cell) for cell in row]
        if all(size <= width for size, width in zip(sizes, widths, strict=True)):
            out.write(line(row, sizes) + "\n")  # each cell on one line: most rows
            continue
        parts = [_wrap(cell, w) for cell, w in zip(row, widths, strict=True)]
        for level in range(max(len(p) for p in parts)):
            out.write(line([p[level] if level < len(p) else "" for p in parts]) + "\n")
    if caption:
        for part in _wrap(caption, max(total, 20)):
            out.write(part.center(total).rstrip() + "\n")


def _wrap(text: str, width: int) -> list[str]:
    from tanhung_cli.render.fit import cells as cell_len

    if cell_len(text) <= width:
        return [text]
    lines: list[str] = []
    for word in text.split():
        if lines and cell_len(lines[-1]) + 1 + cell_len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]
