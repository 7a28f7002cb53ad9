"""`import enrolments`: who took which course, and who completed it.

Rows are checked cell by cell first, then against the registry: the course and the
member a row names, whether the member could take part, duplicates in the file and
enrolments already stored. A completion never turns back into "not completed".
"""

from __future__ import annotations

import sqlite3
from typing import Any

from tanhung_cli import courses, enrolments
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
from tanhung_cli.problems import Problem, dated

ENROLMENT_COLUMNS = (
    Column("course", "Khóa học", required=True),
    *MEMBER_REF_COLUMNS,
    Column("completed", "Hoàn thành"),
    Column("completed_on", "Ngày hoàn thành", kind="date"),
)
YES = {"x", "1", "co", "yes", "y", "true", "hoan thanh", "dat", "da hoan thanh", "v", "✓"}
NO = {"", "0", "khong", "no", "n", "false", "chua", "chua hoan thanh"}


def completed_cell(raw: dict[str, Any], problems: Problems) -> bool | None:
    text = vn.fold(cell_text(raw.get("completed")))
    if text in YES:
        return True
    if text in NO:
        return None if not text else False
    value = cell_text(raw.get("completed"))
    problems.append(Problem("life.import.bad_completed", {"value": value}, "completed"))
    return None


class EnrolmentImport:
    """Enrolment rows: a course (id or name), a member, and whether they completed it."""

    entity = "enrolment"
    columns = ENROLMENT_COLUMNS
    ignored = ("branch", "Chi bộ", *REASON_HEADERS)
    file = ""

    def begin(self, conn: sqlite3.Connection, options: Options, sink: ProblemSink) -> None:
        self.options, self.sink = options, sink
        self.rows: list[tuple[Any, ...]] = []
        self.new: list[tuple[int, int, int, str | None]] = []
        self.completions: list[tuple[str, int, int]] = []

    def validate(self, raw: dict[str, Any]) -> tuple[tuple[Any, ...] | None, Problems]:
        problems: Problems = []
        course = cell_text(raw.get("course"))
        if not course:
            problems.append(Problem("rule.required", column="course"))
        ref = member_ref(raw, problems)
        completed = completed_cell(raw, problems)
        on = cell_date(raw.get("completed_on"), "completed_on", problems)
        if on is not None and completed is None:
            completed = True
        if problems or ref is None:
            return None, problems
        return (course, *ref, bool(completed), on.isoformat() if on else None), []

    def stage(self, conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
        self.rows.extend(rows)

    def finish(self, conn: sqlite3.Connection) -> Summary:
        sink = self.sink
        summary = Summary(file="")
        finder = MemberFinder(conn)
        found_courses: dict[str, sqlite3.Row | TanhungError] = {}
        first: dict[tuple[int, int], int] = {}
        for line, course_ref, *ref, completed, on in self.rows:
            if course_ref not in found_courses:
                try:
                    found_courses[course_ref] = courses.get_course(conn, course_ref)
                except TanhungError as exc:
                    found_courses[course_ref] = exc
            course = found_courses[course_ref]
            if isinstance(course, TanhungError):
                sink.add_problems(line, [course.problem("course")])
                continue
            member, problem = finder.find(tuple(ref))
            if member is None:
                assert problem is not None
                sink.add(line, MemberFinder.column(tuple(ref)), problem.key, **problem.params)
                continue
            refusal = enrolments.refusal(conn, course, member)
            day = on or course["end_on"]
            if refusal is not None:
                sink.add_problems(line, [refusal.problem("id")])
                continue
            if completed and day < course["start_on"]:
                start = dated(course["start_on"])
                sink.add(line, "completed_on", "course.completed_before_start", date=start)
                continue
            pair = (course["id"], member["id"])
            if pair in first:
                sink.add(
                    line,
                    "id",
                    "import.duplicate_in_file",
                    value=member["full_name"],
                    lines=first[pair],
                )
                continue
            first[pair] = line
            stored = enrolments.enrolment(conn, *pair)
            if stored is None:
                self.new.append((*pair, int(completed), day if completed else None))
            elif completed and not stored["completed"]:
                summary.updated += 1
            else:
                summary.unchanged += 1
                continue
            if completed:
                self.completions.append((day, *pair))
        summary.added = len(self.new)
        return summary

    def write(self, conn: sqlite3.Connection, change: Change) -> None:
        conn.executemany(
            "INSERT INTO enrolments (course_id, member_id, completed, completed_on)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (course_id, member_id)"
            " DO UPDATE SET completed = excluded.completed, completed_on = excluded.completed_on",
            self.new + [(c, m, 1, day) for day, c, m in self.completions],
        )
        for day, course_id, member_id in sorted(self.completions):
            course = courses.get_course(conn, course_id)
            member = conn.execute("SELECT * FROM members WHERE id = ?", (member_id,)).fetchone()
            enrolments.raise_theory(change, course, member, day, enrolments.Enrolment(course_id))
