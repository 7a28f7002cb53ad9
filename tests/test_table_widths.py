"""Tables that fit (issue #16): at 60, 80, 100 and 200 columns every list and report keeps
its identifying column, names and numbers whole and dates unbroken, and no line is wider
than the terminal.

Before, at 80 columns `report branches` lost its branch-name column and showed "…" for
counts, and `course list` broke dates across lines (11/05/20 / 26). A table too wide for
the terminal is now split into parts that each repeat the identifying columns.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from rich.cells import cell_len
from test_render_golden import LISTS, REPORTS, _run, registry  # noqa: F401 (a fixture)

MORE = {
    "leavings": ["report", "leavings", "-t", "2015-2020"],
    "activity": ["report", "activity", "-t", "2015-2020"],
    "attendance": ["report", "attendance", "--from", "01/07/2015", "--to", "30/06/2020"],
    "support": ["report", "support", "-t", "2015-2020"],
    "meeting_list": ["meeting", "list"],
    "support_list": ["support", "list"],
    "support_funds": ["support", "funds"],
    "member_list_all": ["member", "list", "--as-of", "30/06/2020", "--all"],
    "report_communes": ["report", "communes", "-t", "2015-2020"],
    "audit": ["audit", "--limit", "40"],
    "setting_list": ["setting", "list"],
}
COMMANDS = {**REPORTS, **LISTS, **MORE}
WIDTHS = (60, 80, 100, 200)
DATE = re.compile(r"\b\d\d/\d\d/\d{4}\b")


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_table_fits_and_keeps_names_numbers_and_dates_whole(
    registry: Path,  # noqa: F811
    name: str,
) -> None:
    wide = _run(registry, COMMANDS[name], width="200")
    assert wide.strip(), name
    dates = Counter(DATE.findall(wide))
    for width in WIDTHS:
        text = _run(registry, COMMANDS[name], width=str(width))
        too_wide = [line for line in text.splitlines() if cell_len(line) > width]
        assert too_wide == [], (name, width, too_wide[:3])
        assert "…" not in text, (name, width)
        # Every date a wide table shows is there whole (a split repeats none but the keys).
        shown = Counter(DATE.findall(text))
        assert shown.keys() == dates.keys(), (name, width, set(dates) ^ set(shown))
        # No broken date: a digit pair followed by a slash at a line's end never appears.
        assert not re.search(r"\d/\s*$", text, re.M), (name, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_identifying_column_stays_on_one_line(registry: Path, width: int) -> None:  # noqa: F811
    """Every member name in `member list` whole on its line at every width (the sample's
    are at most 20 cells); every branch name in `report branches` whole in its column,
    wrapped between words at 60 and 80 columns (up to 29 cells), on one line from 100."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(registry)) as conn:
        branches = [r[0] for r in conn.execute("SELECT name FROM branches")]
        chợ = [
            r[0]
            for r in conn.execute(
                "SELECT full_name FROM members m JOIN branches b ON b.id = m.branch_id"
                " WHERE b.name = 'Ấp Chợ'"
            )
        ]
    text = _run(registry, REPORTS["branches"], width=str(width))
    # The first column, its wrapped lines joined: a long name wraps between words only.
    first = " ".join(line.split("│")[1].strip() for line in text.splitlines() if "│" in line)
    assert [b for b in branches if b not in first] == []
    if width >= 100:
        assert [b for b in branches if b not in text] == []
    text = _run(registry, ["member", "list", "-b", "Ấp Chợ", "--all"], width=str(width))
    assert [m for m in chợ if m not in text] == []


WORDS = ["Ấp", "Te", "Chợ", "30/06/2020", "1.145", "Nguyễn", "Thị", "Hương", "x", "Đảng ủy"]


def _tables():  # type: ignore[no-untyped-def]
    from hypothesis import strategies as st

    cell = st.lists(st.sampled_from(WORDS), min_size=0, max_size=4).map(" ".join)
    return st.integers(1, 9).flatmap(
        lambda n: st.tuples(
            st.lists(cell, min_size=n, max_size=n),
            st.lists(st.lists(cell, min_size=n, max_size=n), min_size=1, max_size=6),
        )
    )


def test_a_layout_never_cuts_a_word_and_fits_when_it_can() -> None:
    """`render.fit.plan`: each column at least its longest word (header included), every
    part fits the room when its keys and one more column can, and the keys lead every
    part while each other column is in exactly one."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from tanhung_cli.render.fit import keys_of, plan

    @settings(max_examples=300, deadline=None)
    @given(_tables(), st.integers(20, 200), st.integers(2, 3))
    def check(table, room: int, per_column: int) -> None:  # type: ignore[no-untyped-def]
        headers, rows = table
        layout = plan(headers, rows, room, per_column=per_column, fixed=1)
        n, keys = len(headers), keys_of(headers, rows)
        for i in range(n):
            words = [headers[i], *(row[i] for row in rows)]
            longest = max((cell_len(w) for c in words for w in c.split()), default=0)
            assert layout.widths[i] >= longest
        rest = [i for part in layout.parts for i in part if i not in keys]
        assert sorted(rest) == [i for i in range(n) if i not in keys]
        for part in layout.parts:
            assert part == sorted(part) and set(keys) <= set(part)
            used = sum(layout.widths[i] for i in part) + per_column * len(part) + 1
            if len(part) > len(keys) + 1:  # the keys and one column may not fit
                assert used <= room, (layout, room)

    check()
