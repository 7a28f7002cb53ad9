"""Fitting a table to the terminal: column widths, and a split when even that is too wide.

No column is ever cut ("…") nor squeezed to nothing: a column is at least as wide as its
longest word (a date, a number, a code is one word, so it is never broken), and the
columns that identify a row (the leading numbers and the name, `keys_of`) wrap last. Text columns give way first, wrapping between words, the widest first.
When the narrowest layout is still too wide, the table is split into parts, each
repeating the identifying columns, as a wide form is printed on several pages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

KEY_CAP = 40  # an identifying column wider than this wraps between words after all
KEY_WRAPPED = 16  # … and narrower than this it never wraps, even to avoid a split
NAME_HEADER = re.compile(r"\b(tên|name)\b", re.IGNORECASE)
COMFORTABLE = 12  # other text columns wrap below this only when the keys cannot give


@dataclass(frozen=True)
class Layout:
    widths: list[int]  # every column's width, in terminal cells
    parts: list[list[int]]  # the columns of each part, in order (the keys in each)


# Letters one terminal cell wide, whatever the Unicode version: printable ASCII, Latin-1,
# Latin Extended-A/B, IPA, spacing modifiers, and Latin Extended Additional (the Vietnamese
# letters with two marks: ễ, ạ, ờ…). A text of these alone is as wide as it is long, and
# rich's width tables need not be loaded for it (a test checks each against rich).
SINGLE_CELLS = frozenset(
    map(chr, [*range(0x20, 0x7F), *range(0xA0, 0xAD), *range(0xAE, 0x300), *range(0x1E00, 0x1F00)])
)


def cells(text: str) -> int:
    """The terminal cells ``text`` takes (rich's `cell_len`: wide and combining characters
    count right)."""
    if SINGLE_CELLS.issuperset(text):
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def _longest_word(text: str) -> int:
    return max((cells(word) for word in text.split()), default=0)


# Each column's widths, measured once: its header's widest line, its widest line of a
# cell (natural), its longest word, header included.
Measures = tuple[list[int], list[int], list[int]]


def measure(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> Measures:
    """The `Measures` of a table, each distinct text measured once: a list of 300 members
    repeats its genders, ethnic groups and branches, and most of its texts are one word
    (a date, a number), whose width is the word's."""
    full, natural, words = [], [], []
    for i, header in enumerate(headers):
        full.append(max(cells(line) for line in header.split("\n")))
        widest, longest = 0, max(1, _longest_word(header))
        for text in {row[i] for row in rows}:
            lines = text.split("\n") if "\n" in text else (text,)
            size = max(cells(line) for line in lines)
            widest = max(widest, size)
            parts = text.split()
            if len(parts) == 1 and parts[0] == text:
                longest = max(longest, size)
            else:
                longest = max(longest, *(cells(word) for word in parts), 0)
        natural.append(widest)
        words.append(longest)
    return full, natural, words


def keys_of(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[int]:
    """The columns that identify a row: the leading number columns (STT, Mã) and the name
    column: of the first four with letters, the first headed by a name ("Họ và tên",
    "Tên khóa", "Full name"), else the one whose values differ most (then the longest),
    a member's name rather than the branch listed before it."""
    count = len(headers)

    def has_letters(i: int) -> bool:
        return any(ch.isalpha() for ch in set("".join(row[i] for row in rows)))

    keys = []
    for i in range(min(count, 2)):
        if has_letters(i) or not any(row[i] for row in rows):
            break
        keys.append(i)
    named = [i for i in range(min(count, 4)) if has_letters(i)]
    titled = [i for i in named if NAME_HEADER.search(headers[i])]
    if titled:
        keys.append(titled[0])
    elif named:

        def spread(i: int) -> tuple[int, float]:
            values = [row[i] for row in rows]
            return len(set(values)), sum(map(cells, values)) / len(values)

        keys.append(max(named, key=spread))
    return sorted(set(keys)) or [0]


def plan(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    room: int,
    *,
    per_column: int,
    fixed: int = 0,
    whole: Sequence[bool] = (),
    keys: Sequence[int] | None = None,
) -> Layout:
    """Widths and parts for a table of ``rows`` (texts) to fit ``room`` cells.

    A table with columns of widths w takes ``sum(w) + per_column * n + fixed`` cells (its
    padding and rules). ``whole`` marks columns never wrapped (besides the keys). When
    the keys kept on one line force a split, they wrap (between words) past a third of
    the room, unless that needs more parts.
    """
    chosen = list(keys) if keys is not None else keys_of(headers, rows)
    measures = measure(headers, rows)
    layout = _plan(measures, room, per_column, fixed, whole, chosen, KEY_CAP)
    if len(layout.parts) > 1:
        cap = max(KEY_WRAPPED, room // 3)  # split, the keys take a third of the room at most
        wrapped = _plan(measures, room, per_column, fixed, whole, chosen, cap)
        if len(wrapped.parts) <= len(layout.parts):
            return wrapped
    return layout


def _plan(
    measures: Measures,
    room: int,
    per_column: int,
    fixed: int,
    whole: Sequence[bool],
    keys: list[int],
    key_cap: int,
) -> Layout:
    full, natural, words = measures
    n = len(full)
    natural, least = natural[:], [0] * n
    for i in range(n):
        keep = i in keys or (i < len(whole) and whole[i])
        least[i] = max(words[i], min(natural[i], key_cap) if keep else 0)
        natural[i] = max(natural[i], least[i])
    comfortable = [
        least[i] if i in keys else max(least[i], min(natural[i], COMFORTABLE)) for i in range(n)
    ]
    parts = _parts(comfortable, keys, room, per_column, fixed)
    widths = natural[:]
    if len(parts) == 1:
        # Text columns give way in turn: the others down to a comfortable width, then
        # the keys down to KEY_WRAPPED, then the others down to their longest word.
        part, room_left = parts[0], room - fixed - per_column * n
        others = [i for i in part if i not in keys]
        soft_keys = [max(words[i], min(natural[i], KEY_WRAPPED)) for i in range(n)]
        for floor, columns in ((comfortable, others), (soft_keys, keys), (least, others)):
            _shrink(widths, floor, columns, room_left - _sum_except(widths, part, columns))
        _widen_headers(widths, full, part, room_left)
        return Layout(widths, parts)
    # Split: the keys are as wide in every part; the other columns share what is left.
    for i in keys:
        widths[i] = least[i]
    for part in parts:
        others = [i for i in part if i not in keys]
        left = room - fixed - per_column * len(part) - sum(widths[i] for i in keys)
        _shrink(widths, comfortable, others, left)
        _shrink(widths, least, others, left)
        _widen_headers(widths, full, others, left)
    return Layout(widths, parts)


def _sum_except(widths: list[int], part: list[int], columns: list[int]) -> int:
    return sum(widths[i] for i in part if i not in columns)


def _parts(
    least: list[int], keys: list[int], room: int, per_column: int, fixed: int
) -> list[list[int]]:
    """The columns in parts that each fit at their narrowest, the keys in every part, each
    part in the table's order."""
    base = sum(least[i] for i in keys) + per_column * len(keys) + fixed
    parts: list[list[int]] = []
    current: list[int] = []
    used = base
    for i in (i for i in range(len(least)) if i not in keys):
        need = least[i] + per_column
        if current and used + need > room:
            parts.append(sorted(keys + current))
            current, used = [], base
        current.append(i)
        used += need
    if current or not parts:
        parts.append(sorted(keys + current))
    return parts


def _shrink(widths: list[int], least: list[int], part: list[int], room: int) -> None:
    """Narrow the widest columns of ``part`` that can give, one cell at a time, to fit."""
    excess = sum(widths[i] for i in part) - room
    while excess > 0:
        give = [i for i in part if widths[i] > least[i]]
        if not give:
            return
        widest = max(give, key=lambda i: widths[i])
        widths[widest] -= 1
        excess -= 1


def _widen_headers(widths: list[int], full: list[int], part: list[int], room: int) -> None:
    """With room to spare, let headers that would wrap sit on one line, shortest first."""
    spare = room - sum(widths[i] for i in part)
    for i in sorted(part, key=lambda i: full[i] - widths[i]):
        grow = full[i] - widths[i]
        if 0 < grow <= spare:
            widths[i] += grow
            spare -= grow
