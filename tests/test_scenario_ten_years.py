"""Done when (issue #15): a small committee built over ten years by the clerk's commands
(moves, a merge of two hamlets, a split, a rename, badges, ratings, voided mistakes);
every report at five dates is captured, later edits are made, and the five dates' reports
are asserted identical: the past does not change.

To extend the scenario, add commands to ``LATER`` (edits made after the five dates): each
is a tuple of the command's words. Dated attributes (theory, religion, professional level, profession) change in both.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Run
from reports_at import reports_at

from tanhung_cli import org
from tanhung_cli.db import open_db

GIVEN = ("An", "Bình", "Cường", "Dũng", "Em", "Giang", "Hải", "Khang", "Lâm", "Minh", "Nam",
         "Phúc", "Quang", "Sơn", "Tâm")  # fmt: skip


def member(
    no: int, branch: str, admitted: str, official: str | None = "", *, woman: bool = False
) -> tuple[str, ...]:
    """``member add`` of the member numbered ``no`` (their id, in order of adding)."""
    born = f"01/01/{int(admitted[-4:]) - 30}"
    words = (
        "member",
        "add",
        "--name",
        f"Nguyễn Văn {GIVEN[no - 1]}",
        "--born",
        born,
        "--ethnicity",
        "Kinh",
        "--gender",
        "Nữ" if woman else "Nam",
        "--branch",
        branch,
        "--admitted",
        admitted,
    )
    if official is not None:
        year = int(admitted[-4:]) + 1
        words += ("--official", official or f"{admitted[:6]}{year}")
    return words


# Ten years of the committee, in the order a clerk entered them.
HISTORY: tuple[tuple[str, ...], ...] = (
    ("term", "add", "2015-2020", "--start", "01/07/2015", "--end", "30/06/2020"),
    ("term", "add", "2020-2025", "--start", "01/07/2020", "--end", "30/06/2025"),
    ("term", "add", "2025-2030", "--start", "01/07/2025", "--end", "30/06/2030"),
    ("branch", "add", "Ấp Một"),
    ("branch", "add", "Ấp Hai"),
    ("branch", "add", "Ấp Ba"),
    ("branch", "add", "Trường Tiểu học", "--kind", "sector"),
    ("branch", "level-above", "Huyện ủy Càng Long", "--from", "01/01/1990"),
    ("branch", "level-above", "Tỉnh ủy Vĩnh Long", "--from", "01/07/2025"),
    member(1, "Ấp Một", "03/02/1986"),
    member(2, "Ấp Một", "19/05/1995", woman=True),
    member(3, "Ấp Hai", "02/09/2005"),
    member(4, "Ấp Hai", "03/02/2008", woman=True),
    member(5, "Ấp Ba", "19/05/2010"),
    member(6, "Trường Tiểu học", "02/09/2012", woman=True),
    member(7, "Ấp Ba", "03/02/2014"),
    member(8, "Ấp Một", "10/03/2016", None),  # admitted in the term, confirmed below
    ("member", "confirm", "8", "--on", "10/03/2017"),
    ("badge", "award", "1", "--years", "30", "--on", "03/02/2017", "--number", "100001"),
    ("member", "move", "2", "--to", "Ấp Hai", "--on", "01/03/2017", "--decision", "5-QĐ/ĐU"),
    member(9, "Ấp Ba", "19/05/2010"),  # a duplicate of member 5, entered by mistake
    ("member", "void", "9", "--reason", "Nhập trùng đảng viên mã 5"),
    ("member", "leave", "4", "--reason", "died", "--on", "12/08/2018"),
    ("rating", "set", "2018", "1", "good"),
    ("rating", "set", "2018", "2", "excellent"),
    ("rating", "set", "2018", "3", "good"),
    ("branch", "rename", "Ấp Ba", "--to", "Ấp Ba Mới", "--on", "01/01/2019", "--decision", "9-QĐ"),
    ("member", "transfer-out", "7", "--to", "Đảng bộ xã Tân Hòa", "--on", "15/06/2019"),
    member(10, "Ấp Hai", "19/05/2019", None),
    ("member", "confirm", "10", "--on", "19/05/2020"),
    (
        "branch",
        "merge",
        "Ấp Một",
        "Ấp Hai",
        "--into",
        "Ấp Một Hai",
        "--on",
        "01/01/2021",
        "--decision",
        "15-QĐ/ĐU",
    ),
    ("rating", "set", "2021", "1", "good"),
    ("rating", "set", "2021", "2", "good"),
    ("rating", "set", "2021", "10", "excellent"),
    member(11, "Ấp Một Hai", "02/09/2021", None),
    ("member", "confirm", "11", "--on", "02/09/2022"),
    (
        "branch",
        "split",
        "Ấp Một Hai",
        "--into",
        "Ấp Hai B",
        "--members",
        "2,10",
        "--on",
        "01/07/2023",
        "--decision",
        "21-QĐ/ĐU",
    ),
    member(12, "Ấp Hai B", "03/02/2024", None),
    ("badge", "award", "2", "--years", "30", "--on", "02/09/2025", "--number", "200001"),
    ("member", "move", "5", "--to", "Ấp Một Hai", "--on", "01/03/2025"),
    # The attributes reports break down by, changed on their dates (`dated_values`).
    ("member", "edit", "3", "--theory", "Sơ cấp", "--on", "15/05/2017"),
    ("member", "edit", "3", "--theory", "Trung cấp", "--on", "20/11/2021"),
    ("member", "edit", "4", "--religion", "Phật giáo", "--on", "01/02/2019"),
    ("member", "edit", "7", "--professional", "Đại học", "--on", "10/06/2022"),
)

# (the date, the first day of its period of changes): the five dates of the reports.
DATES = (("31/12/2016", "01/07/2015"), ("31/12/2018", "01/01/2018"), ("30/06/2020", "01/07/2015"),
         ("31/12/2022", "01/01/2021"), ("31/12/2025", "01/07/2025"))  # fmt: skip
# Branches reported alone too (by id: names change): Ấp Một, Ấp Hai, Ấp Ba, Ấp Một Hai.
ALONE = ("1", "2", "3", "5")

# Edits made after the five dates: none may change a report at those dates.
LATER: list[tuple[str, ...]] = [
    ("branch", "merge", "Ấp Ba Mới", "Ấp Hai B", "--into", "Ấp Tân", "--on", "01/06/2026"),
    ("branch", "rename", "Ấp Một Hai", "--to", "Ấp Một Hai Mới", "--on", "01/07/2026"),
    member(13, "Ấp Tân", "01/08/2026", None),  # a new admission
    member(14, "Ấp Tân", "02/08/2026", None),  # entered by mistake…
    ("member", "void", "14", "--reason", "Nhập nhầm"),  # …and voided
    ("member", "leave", "6", "--reason", "died", "--on", "01/09/2026"),
    ("member", "move", "11", "--to", "Ấp Tân"),  # a move today
    # Attributes changed today, and one dated inside the last period.
    ("member", "edit", "3", "--theory", "Cao cấp"),
    ("member", "edit", "4", "--religion", "Không"),
    ("member", "edit", "7", "--professional", "Thạc sĩ"),
    ("member", "edit", "8", "--profession", "Hưu trí", "--on", "01/03/2026"),
    ("member", "edit", "10", "--education", "12/12"),
]


def _do(run: Run, words: tuple[str, ...]) -> None:
    result = run(*words)
    assert result.exit_code == 0, (words, result.output)


# Registers of past years, beside the reports at a date.
REGISTERS = (("rating", "summary", "2018"), ("rating", "summary", "2021"),
             ("rating", "list", "2021"), ("badge", "list"))  # fmt: skip


def _reports(run: Run) -> dict[str, object]:
    out: dict[str, object] = {
        day: reports_at(run, day, first, branches=ALONE) for day, first in DATES
    }
    for words in REGISTERS:
        result = run(*words, "--format", "json")
        assert result.exit_code == 0, (words, result.output)
        out[" ".join(words)] = json.loads(result.stdout)
    return out


def test_ten_years_of_a_committee_and_the_past_does_not_change(run: Run) -> None:
    for words in HISTORY:
        _do(run, words)
    before = _reports(run)
    # A few figures a clerk would check by hand.
    at_2016 = {b["branch"]: b["total"] for b in before["31/12/2016"]["branches"]}
    assert at_2016 == {"Ấp Ba": 2, "Ấp Hai": 2, "Ấp Một": 3, "Trường Tiểu học": 1}
    at_2018 = {b["branch"]: b["total"] for b in before["31/12/2018"]["branches"]}
    assert at_2018 == {"Ấp Ba": 2, "Ấp Hai": 2, "Ấp Một": 2, "Trường Tiểu học": 1}
    at_2022 = {b["branch"]: b["total"] for b in before["31/12/2022"]["branches"]}
    assert at_2022 == {"Ấp Ba Mới": 1, "Ấp Một Hai": 6, "Trường Tiểu học": 1}
    at_2025 = {b["branch"]: b["total"] for b in before["31/12/2025"]["branches"]}
    assert at_2025 == {"Ấp Ba Mới": 0, "Ấp Hai B": 3, "Ấp Một Hai": 5, "Trường Tiểu học": 1}
    merged = before["31/12/2022"]["changes"]
    assert (merged["start"], merged["moved_in"], merged["end"]) == (7, 5, 8)
    assert merged["reconciles"] is True
    assert all(
        r["start"]
        + r["increases"]["total"]
        - r["decreases"]["total"]
        + r["moved_in"]
        - r["moved_out"]
        == r["end"]
        for r in merged["by_branch"]
    )
    for words in LATER:
        _do(run, words)
    after = _reports(run)
    for day, _ in DATES:
        for name, report in before[day].items():
            assert after[day][name] == report, (day, name)
    for words in REGISTERS:
        assert after[" ".join(words)] == before[" ".join(words)], words
    now = {b["name"]: b["members"] for b in _list(run)}
    assert now == {"Ấp Một Hai Mới": 4, "Ấp Tân": 5, "Trường Tiểu học": 0}


def _list(run: Run) -> list[dict[str, object]]:
    listed = run("branch", "list", "--format", "json")
    assert listed.exit_code == 0, listed.output
    return list(json.loads(listed.stdout))


def test_the_level_above_is_dated(run: Run, db_path: Path) -> None:
    """The district level was abolished in 2025: the Huyện ủy until 30/06/2025, then the
    Tỉnh ủy (Kết luận 127-KL/TW, Nghị quyết 60-NQ/TW 2025)."""
    for words in HISTORY[:9]:
        _do(run, words)
    conn = open_db(db_path)
    try:
        assert org.level_above(conn, "2025-06-30") == "Huyện ủy Càng Long"
        assert org.level_above(conn, "2025-07-01") == "Tỉnh ủy Vĩnh Long"
        assert org.level_above(conn, "1980-01-01") is None
    finally:
        conn.close()
