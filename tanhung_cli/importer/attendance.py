"""`import attendance`: who attended which meeting, present or absent and why.

Rows are checked cell by cell in ``validate`` (no database: it may run in worker
processes), then against the registry in ``finish``: the meeting (day, kind, holder) and
member a row names, whether the member was on the roll that day (`meetings.refusal`),
duplicates in the file and marks already stored: the same mark again is unchanged, a
different one refused unless --update.
"""

from __future__ import annotations

import sqlite3
from typing import Any, cast

from tanhung_cli import meetings
from tanhung_cli.columns import Column
from tanhung_cli.errors import TanhungError
from tanhung_cli.history import Change
from tanhung_cli.importer import Options, Problems, ProblemSink, Summary
from tanhung_cli.importer.meetings import Holders, holder_of, kind_of
from tanhung_cli.importer.rejects import REASON_HEADERS
from tanhung_cli.importer.training import (
    MEMBER_REF_COLUMNS,
    MemberFinder,
    MemberRef,
    cell_date,
    cell_text,
    member_ref,
)
from tanhung_cli.problems import Label, Problem, dated

ATTENDANCE_COLUMNS = (
    Column("on_date", "Ngày họp", required=True, kind="date", also=("date",)),
    Column("kind", "Loại", kind="vocab:meeting_kind", also=("Loại cuộc họp",)),
    Column("held_by", "Đơn vị tổ chức", also=("Chi bộ tổ chức",)),
    *MEMBER_REF_COLUMNS,
    Column("attendance", "Tham dự", also=("status", "Điểm danh")),
    Column("absence_reason", "Lý do vắng", also=("Lý do",)),
)
# What a meeting's holder is while a file is checked: the committee (None) or a branch name.
MeetingKey = tuple[str, str, str | None]


class AttendanceImport:
    """Attendance rows: the meeting (day, kind, holder), a member, present or absent, why."""

    entity = "attendance"
    columns = ATTENDANCE_COLUMNS
    ignored = ("meeting_id", "Mã cuộc họp", "branch", "Chi bộ", *REASON_HEADERS)
    file = ""

    def begin(self, conn: sqlite3.Connection, options: Options, sink: ProblemSink) -> None:
        self.sink, self.update = sink, options.update
        self.rows: list[tuple[Any, ...]] = []
        self.new: list[tuple[Any, ...]] = []
        self.changes: list[tuple[Any, ...]] = []

    def validate(self, raw: dict[str, Any]) -> tuple[tuple[Any, ...] | None, Problems]:
        problems: Problems = []
        on = cell_date(raw.get("on_date"), "on_date", problems)
        if on is None and not cell_text(raw.get("on_date")):
            problems.append(Problem("rule.required", column="on_date"))
        kind = kind_of(raw, problems, required=False)
        ref = member_ref(raw, problems)
        status, reason = "present", cell_text(raw.get("absence_reason")) or None
        text = cell_text(raw.get("attendance"))
        if text:
            try:
                status = meetings.attendance_status(text)
            except TanhungError as exc:
                problems.append(exc.problem("attendance"))
        if reason and status == "present":
            problems.append(Problem("meeting.reason_when_present", column="absence_reason"))
        if problems or ref is None or on is None:
            return None, problems
        return (on.isoformat(), kind, holder_of(raw), *ref, status, reason), []

    def stage(self, conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
        self.rows.extend(rows)

    def _meeting(
        self, conn: sqlite3.Connection, holders: Holders, key: MeetingKey
    ) -> sqlite3.Row | Problem:
        on, kind, holder = key
        branch_id = holders.find(holder)
        if isinstance(branch_id, Problem):
            return branch_id
        found = conn.execute(
            "SELECT * FROM meetings WHERE on_date = ? AND ifnull(branch_id, 0) = ?"
            " AND (? IS NULL OR kind = ?) ORDER BY id",
            (on, branch_id or 0, kind, kind),
        ).fetchall()
        if len(found) == 1:
            return cast(sqlite3.Row, found[0])
        held = holder or Label("meeting.committee")
        if not found:
            return Problem("meeting.import.no_meeting", {"date": dated(on), "held": held})
        kinds = ", ".join(r["kind"] for r in found)
        return Problem("meeting.import.which_meeting", {"date": dated(on), "kinds": kinds})

    def finish(self, conn: sqlite3.Connection) -> Summary:
        summary, holders, finder = Summary(file=""), Holders(conn), MemberFinder(conn)
        found: dict[MeetingKey, sqlite3.Row | Problem] = {}
        first: dict[tuple[int, int], int] = {}
        for line, on, kind, holder, *ref, status, reason in self.rows:
            key = (on, kind, holder)
            if key not in found:
                found[key] = self._meeting(conn, holders, key)
            meeting = found[key]
            if isinstance(meeting, Problem):
                column = "held_by" if meeting.key == "meeting.import.no_branch" else "on_date"
                self.sink.add(line, column, meeting.key, **meeting.params)
                continue
            who = cast(MemberRef, tuple(ref))
            member, problem = finder.find(who)
            if member is None:
                assert problem is not None
                self.sink.add(line, MemberFinder.column(who), problem.key, **problem.params)
                continue
            refusal = meetings.refusal(conn, meeting, member) or meetings.mark_refusal(
                conn, meeting, member, status
            )
            if refusal is not None:
                self.sink.add_problems(line, [refusal.problem(MemberFinder.column(who))])
                continue
            pair = (meeting["id"], member["id"])
            if pair in first:
                name = member["full_name"]
                column = MemberFinder.column(who)
                self.sink.add(
                    line, column, "import.duplicate_in_file", value=name, lines=first[pair]
                )
                continue
            first[pair] = line
            stored = conn.execute(
                "SELECT status, reason FROM attendance WHERE meeting_id = ? AND member_id = ?", pair
            ).fetchone()
            if stored is None:
                self.new.append((*pair, status, reason))
            elif (stored["status"], stored["reason"]) == (status, reason):
                summary.unchanged += 1
            elif self.update:
                self.changes.append((status, reason, *pair))
            else:
                params = {"name": member["full_name"], "id": member["id"], "meeting": pair[0]}
                self.sink.add(line, "attendance", "meeting.import.differs", **params)
        summary.added, summary.updated = len(self.new), len(self.changes)
        return summary

    def write(self, conn: sqlite3.Connection, change: Change) -> None:
        conn.executemany(
            "INSERT INTO attendance (meeting_id, member_id, status, reason) VALUES (?, ?, ?, ?)",
            self.new,
        )
        conn.executemany(
            "UPDATE attendance SET status = ?, reason = ? WHERE meeting_id = ? AND member_id = ?",
            self.changes,
        )
