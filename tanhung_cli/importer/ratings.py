"""`import ratings`: the annual ratings (xếp loại chất lượng) a branch sends as a list.

A stored rating that differs from the file's is refused unless ``--update``;
after the import the command warns about the 20 % cap and repeat failures. A row has a
grade, a score out of 100 (Quy định 366-QĐ/TW) or both; the grade follows the score's
band. A row the list exported for a member not rated (its "not_rated" column filled and
no grade nor score) is passed over; a member QĐ 366 leaves unrated is refused.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from tanhung_cli import rating_rules, ratings
from tanhung_cli import vietnamese as vn
from tanhung_cli.columns import Column
from tanhung_cli.errors import TanhungError
from tanhung_cli.history import Change
from tanhung_cli.importer import Options, Problems, ProblemSink, Summary
from tanhung_cli.importer.rejects import REASON_HEADERS
from tanhung_cli.importer.training import MEMBER_REF_COLUMNS, MemberFinder, cell_text, member_ref
from tanhung_cli.problems import Label, Problem

RATING_COLUMNS = (
    Column("year", "Năm", required=True),
    *MEMBER_REF_COLUMNS,
    Column("rating", "Xếp loại", kind="vocab:rating"),
    Column("score", "Điểm", also=("Tổng điểm",)),
    Column("not_rated", "Không xếp loại"),
)


class RatingImport:
    """Rating rows: a year, a member and a level (code, Vietnamese name or HTXSNV…)."""

    entity = "rating"
    columns = RATING_COLUMNS
    ignored = ("branch", "Chi bộ", "level", *REASON_HEADERS)
    file = ""

    def __init__(self, today: dt.date | None = None) -> None:
        self.today = today or dt.date.today()
        self.years: set[int] = set()

    def begin(self, conn: sqlite3.Connection, options: Options, sink: ProblemSink) -> None:
        self.options, self.sink = options, sink
        self.rows: list[tuple[Any, ...]] = []
        self.writes: list[tuple[int, int, str, int, float | None, str | None]] = []
        self.rules = rating_rules.rules(conn)

    def validate(self, raw: dict[str, Any]) -> tuple[tuple[Any, ...] | None, Problems]:
        problems: Problems = []
        year_text = cell_text(raw.get("year"))
        year = vn.parse_number(year_text)
        if year is None:
            problems.append(
                Problem("life.import.bad_year", {"value": year_text[:20]}, "year")
                if year_text
                else Problem("rule.required", column="year")
            )
        else:
            try:
                ratings.check_year(year, self.today)
            except TanhungError as exc:
                problems.append(exc.problem("year"))
        level_text = cell_text(raw.get("rating"))
        level, score = None, None
        score_cell = raw.get("score")
        try:
            score = rating_rules.parse_score(
                score_cell if isinstance(score_cell, int | float) else cell_text(score_cell)
            )
        except TanhungError as exc:
            problems.append(exc.problem("score"))
        if not level_text and score is None and not problems:
            if cell_text(raw.get("not_rated")):
                return None, []  # a member the exported list shows not rated
            problems.append(Problem("rule.required", column="rating"))
        elif level_text:
            try:
                level = ratings.rating_level(level_text)
            except TanhungError as exc:
                problems.append(exc.problem("rating"))
        ref = member_ref(raw, problems)
        if problems or ref is None:
            return None, problems
        return (year, *ref, level, score), []

    def stage(self, conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
        self.rows.extend(rows)

    def finish(self, conn: sqlite3.Connection) -> Summary:
        options, sink = self.options, self.sink
        summary = Summary(file="")
        finder = MemberFinder(conn)
        first: dict[tuple[int, int], int] = {}
        for line, year, *ref, typed, score in self.rows:
            member, problem = finder.find(tuple(ref))
            if member is None:
                assert problem is not None
                sink.add(line, MemberFinder.column(tuple(ref)), problem.key, **problem.params)
                continue
            if not ratings.on_roll_in_year(conn, member, year):
                sink.add(
                    line,
                    "year",
                    "rating.not_on_roll",
                    id=member["id"],
                    name=member["full_name"],
                    year=year,
                )
                continue
            try:
                level = rating_rules.grade_of(self.rules, year, typed, score)
                ratings.refuse_not_rated(conn, member, year)
            except TanhungError as exc:
                column = "year" if exc.key == "rating.not_rated" else "score"
                problem = exc.problem(column)
                sink.add(line, column, problem.key, **problem.params)
                continue
            key = (member["id"], year)
            if key in first:
                sink.add(
                    line,
                    "id",
                    "import.duplicate_in_file",
                    value=member["full_name"],
                    lines=first[key],
                )
                continue
            first[key] = line
            stored = conn.execute(
                "SELECT level, score FROM ratings WHERE member_id = ? AND year = ?", key
            ).fetchone()
            if stored is None:
                summary.added += 1
            elif (stored["level"], stored["score"]) == (level, score):
                summary.unchanged += 1
                continue
            elif options.update:
                summary.updated += 1
            else:
                sink.add(
                    line,
                    "rating",
                    "import.differs",
                    id=member["id"],
                    name=member["full_name"],
                    fields=Label("column.rating"),
                )
                continue
            old = stored["level"] if stored else None
            self.writes.append((member["id"], year, level, member["branch_id"], score, old))
        return summary

    def write(self, conn: sqlite3.Connection, change: Change) -> None:
        conn.executemany(
            "INSERT INTO ratings (member_id, year, level, branch_id, score) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (member_id, year) DO UPDATE SET level = excluded.level,"
            " branch_id = excluded.branch_id, score = excluded.score",
            [w[:5] for w in self.writes],
        )
        on = {year: ratings.rated_on(year, self.today) for _, year, *_ in self.writes}
        change.events(
            (member, on[year], "rated", "rating", old, new, None, str(year))
            for member, year, new, _, _, old in self.writes
        )
        self.years = {w[1] for w in self.writes}
