"""`import badges`: the register of Party badges (sổ Huy hiệu Đảng) from a list.

A row names a member (id, card or CCCD; the name checked), a level in years, the
presentation date, and optionally the badge number, decision, kind (regular, early,
posthumous, or their Vietnamese words) and note (the illness of an early award). Each row
is checked as `badge award` checks it (`badges.check`); a level the register already
holds with the same date and number is passed over (importing a list again adds nothing),
one that differs is refused.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from tanhung_cli import badges
from tanhung_cli import vietnamese as vn
from tanhung_cli.columns import Column
from tanhung_cli.errors import TanhungError
from tanhung_cli.history import Change
from tanhung_cli.importer import Options, Problems, ProblemSink, Summary
from tanhung_cli.importer.rejects import REASON_HEADERS
from tanhung_cli.importer.training import (
    MEMBER_REF_COLUMNS,
    MemberFinder,
    cell_date,
    cell_text,
    member_ref,
)
from tanhung_cli.problems import Label, Problem

BADGE_COLUMNS = (
    *MEMBER_REF_COLUMNS,
    Column("years", "Huy hiệu", required=True, also=("Số năm tuổi đảng",)),
    Column("presented_on", "Ngày trao", required=True, kind="date"),
    Column("badge_no", "Số huy hiệu"),
    Column("decision", "Quyết định"),
    Column("kind", "Loại"),
    Column("note", "Ghi chú"),
)


class BadgeImport:
    """Badge rows: a member, a level, a date; number, decision, kind and note optional."""

    entity = "badge"
    columns = BADGE_COLUMNS
    ignored = ("branch", "Chi bộ", *REASON_HEADERS)
    file = ""

    def begin(self, conn: sqlite3.Connection, options: Options, sink: ProblemSink) -> None:
        self.options, self.sink = options, sink
        self.rows: list[tuple[Any, ...]] = []
        self.writes: list[badges.Award] = []

    def validate(self, raw: dict[str, Any]) -> tuple[tuple[Any, ...] | None, Problems]:
        problems: Problems = []
        years_text = cell_text(raw.get("years"))
        years = vn.parse_number(years_text)
        if years is None:
            problems.append(
                Problem("badge.import.bad_years", {"value": years_text[:20]}, "years")
                if years_text
                else Problem("rule.required", column="years")
            )
        on = cell_date(raw.get("presented_on"), "presented_on", problems)
        if on is None and not any(p.column == "presented_on" for p in problems):
            problems.append(Problem("rule.required", column="presented_on"))
        kind = "regular"
        try:
            kind = badges.kind_of(cell_text(raw.get("kind")))
        except TanhungError as exc:
            problems.append(exc.problem("kind"))
        note = cell_text(raw.get("note")) or None
        if kind == "early" and not note:
            problems.append(Problem("badge.early_reason_required", column="note"))
        ref = member_ref(raw, problems)
        if problems or ref is None:
            return None, problems
        extra = (cell_text(raw.get("badge_no")) or None, cell_text(raw.get("decision")) or None)
        return (*ref, years, on, *extra, kind, note), []

    def stage(self, conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
        self.rows.extend(rows)

    def finish(self, conn: sqlite3.Connection) -> Summary:
        summary = Summary(file="")
        finder = MemberFinder(conn)
        first: dict[tuple[int, int], int] = {}
        numbers: dict[str, int] = {}
        for line, *rest in self.rows:
            ref, (years, on, number, decision, kind, note) = tuple(rest[:-6]), rest[-6:]
            member, problem = finder.find(ref)
            if member is None:
                assert problem is not None
                self.sink.add(line, MemberFinder.column(ref), problem.key, **problem.params)
                continue
            key = (member["id"], years)
            if key in first or (number and number in numbers):
                lines = first[key] if key in first else numbers[number]
                self.sink.add(
                    line,
                    "years" if key in first else "badge_no",
                    "import.duplicate_in_file",
                    value=member["full_name"],
                    lines=lines,
                )
                continue
            first[key] = line
            if number:
                numbers[number] = line
            award = badges.Award(
                member["id"], member["full_name"], years, on, number, decision, kind, note
            )
            stored = badges.awarded(conn, member["id"]).get(member["id"], {}).get(years)
            if stored is not None:
                if (stored["presented_on"], stored["badge_no"]) == (on.isoformat(), number):
                    summary.unchanged += 1
                else:
                    self.sink.add(
                        line,
                        "years",
                        "import.differs",
                        id=member["id"],
                        name=member["full_name"],
                        fields=Label("badge.col.years"),
                    )
                continue
            try:
                badges.check(conn, member, award)  # warnings (a presentation day) not told
            except TanhungError as exc:
                found = exc.problem(_column(exc.key))
                self.sink.add(line, _column(exc.key), found.key, **found.params)
                continue
            summary.added += 1
            self.writes.append(award)
        return summary

    def write(self, conn: sqlite3.Connection, change: Change) -> None:
        badges.write(conn, change, self.writes)


def _column(key: str) -> str:
    return "badge_no" if key == "badge.number_taken" else "presented_on"
