"""`import meetings` and `import attendance`: meetings held, and who attended them.

Rows are checked cell by cell in ``validate`` (no database: it may run in worker
processes), then against the registry in ``finish``: the branch holding a meeting, the
meeting and member an attendance row names, whether the member was on the roll that day,
duplicates in the file and what is already stored. Importing a file again adds nothing
twice; a meeting is the same meeting when its day, kind and holder are.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any, cast

from tanhung_cli import audit, meetings
from tanhung_cli import vietnamese as vn
from tanhung_cli.branches import BranchIndex
from tanhung_cli.columns import Column
from tanhung_cli.errors import TanhungError
from tanhung_cli.history import Change
from tanhung_cli.importer import Options, Problems, ProblemSink, Summary
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
from tanhung_cli.vocab import vocabulary

MEETING_COLUMNS = (
    Column("on_date", "Ngày họp", required=True, kind="date", also=("date", "Ngày")),
    Column("kind", "Loại", required=True, kind="vocab:meeting_kind", also=("Loại cuộc họp",)),
    Column("title", "Tên cuộc họp", also=("Nội dung", "Tên hội nghị")),
    Column("held_by", "Đơn vị tổ chức", also=("branch", "Chi bộ")),
    Column("note", "Ghi chú", also=("decision", "Kết luận")),
    Column("guests", "Khách mời", also=("Số khách mời",)),
)
ATTENDANCE_COLUMNS = (
    Column("on_date", "Ngày họp", required=True, kind="date", also=("date",)),
    Column("kind", "Loại", kind="vocab:meeting_kind", also=("Loại cuộc họp",)),
    Column("held_by", "Đơn vị tổ chức", also=("Chi bộ tổ chức",)),
    *MEMBER_REF_COLUMNS,
    Column("attendance", "Tham dự", also=("status", "Điểm danh")),
    Column("absence_reason", "Lý do vắng", also=("Lý do",)),
)
# What the committee is called in a "held by" cell: it holds the meeting, no branch.
COMMITTEE = frozenset(vn.fold(w) for w in ("", "Đảng ủy", "Đảng bộ", "committee", "Đảng ủy xã"))
# What a meeting's holder is while a file is checked: the committee (None) or a branch name.
MeetingKey = tuple[str, str, str | None]


def _holder(raw: dict[str, Any]) -> str | None:
    text = cell_text(raw.get("held_by"))
    return None if vn.fold(text) in COMMITTEE else text


def _kind(raw: dict[str, Any], problems: Problems, required: bool) -> str | None:
    text = cell_text(raw.get("kind"))
    if not text:
        if required:
            problems.append(Problem("rule.required", column="kind"))
        return None
    try:
        return meetings.meeting_kind(text)
    except TanhungError as exc:
        problems.append(exc.problem("kind"))
        return None


class _Holders:
    """Branch names of a file resolved once each, as `import members` resolves them."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.index = BranchIndex(conn)
        self.found: dict[str, int | Problem] = {}

    def find(self, name: str | None) -> int | None | Problem:
        if name is None:
            return None
        if name not in self.found:
            try:
                self.found[name] = self.index.resolve(name)[0]
            except LookupError:
                self.found[name] = Problem("meeting.import.no_branch", {"name": name[:60]})
        return self.found[name]


class MeetingImport:
    """Meeting rows: day, kind, title, who held it (a branch, or the committee), note."""

    entity = "meeting"
    columns = MEETING_COLUMNS
    ignored = ("id", "Mã", "present", "absent", "Có mặt", "Vắng", *REASON_HEADERS)
    file = ""

    def __init__(self, today: dt.date | None = None) -> None:
        self.today = today or dt.date.today()

    def begin(self, conn: sqlite3.Connection, options: Options, sink: ProblemSink) -> None:
        self.sink = sink
        self.rows: list[tuple[Any, ...]] = []
        self.new: list[tuple[Any, ...]] = []

    def validate(self, raw: dict[str, Any]) -> tuple[tuple[Any, ...] | None, Problems]:
        problems: Problems = []
        on = cell_date(raw.get("on_date"), "on_date", problems)
        if on is None and not cell_text(raw.get("on_date")):
            problems.append(Problem("rule.required", column="on_date"))
        kind = _kind(raw, problems, required=True)
        guests_text = cell_text(raw.get("guests")) or "0"
        guests = int(guests_text) if guests_text.isdigit() else -1
        if not 0 <= guests <= meetings.MAX_GUESTS:
            params = {"guests": guests_text[:20], "max": meetings.MAX_GUESTS}
            problems.append(Problem("meeting.bad_guests", params, "guests"))
        holder = _holder(raw)
        title = cell_text(raw.get("title"))
        if on is not None and kind is not None:
            title = title or vocabulary("meeting_kind").label(kind)
            new = meetings.NewMeeting(on, kind, title, 0 if holder else None, None, 0)
            for column, key in meetings.check_meeting(new, self.today):
                problems.append(Problem(key, {"date": on}, column))
        if problems:
            return None, problems
        assert on is not None and kind is not None
        note = cell_text(raw.get("note")) or None
        return (on.isoformat(), kind, title, holder, note, guests), []

    def stage(self, conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
        self.rows.extend(rows)

    def finish(self, conn: sqlite3.Connection) -> Summary:
        summary, holders = Summary(file=""), _Holders(conn)
        first: dict[tuple[str, str, int | None], int] = {}
        for line, on, kind, title, holder, note, guests in self.rows:
            branch_id = holders.find(holder)
            if isinstance(branch_id, Problem):
                self.sink.add(line, "held_by", branch_id.key, **branch_id.params)
                continue
            key = (on, kind, branch_id)
            if key in first:
                self.sink.add(
                    line, "on_date", "import.duplicate_in_file", value=dated(on), lines=first[key]
                )
                continue
            first[key] = line
            if meetings.same_meeting(conn, on, kind, branch_id) is not None:
                summary.unchanged += 1
                continue
            self.new.append((on, kind, title, branch_id, note, guests))
        summary.added = len(self.new)
        return summary

    def write(self, conn: sqlite3.Connection, change: Change) -> None:
        conn.executemany(
            "INSERT INTO meetings (on_date, kind, title, branch_id, note, guests, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(*row, audit.now()) for row in self.new],
        )


class AttendanceImport:
    """Attendance rows: the meeting (day, kind, holder), a member, present or absent, why."""

    entity = "attendance"
    columns = ATTENDANCE_COLUMNS
    ignored = ("meeting_id", "Mã cuộc họp", "branch", "Chi bộ", *REASON_HEADERS)
    file = ""

    def begin(self, conn: sqlite3.Connection, options: Options, sink: ProblemSink) -> None:
        self.sink = sink
        self.rows: list[tuple[Any, ...]] = []
        self.new: list[tuple[Any, ...]] = []

    def validate(self, raw: dict[str, Any]) -> tuple[tuple[Any, ...] | None, Problems]:
        problems: Problems = []
        on = cell_date(raw.get("on_date"), "on_date", problems)
        if on is None and not cell_text(raw.get("on_date")):
            problems.append(Problem("rule.required", column="on_date"))
        kind = _kind(raw, problems, required=False)
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
        return (on.isoformat(), kind, _holder(raw), *ref, status, reason), []

    def stage(self, conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
        self.rows.extend(rows)

    def _meeting(
        self, conn: sqlite3.Connection, holders: _Holders, key: MeetingKey
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
        summary, holders, finder = Summary(file=""), _Holders(conn), MemberFinder(conn)
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
            refusal = meetings.refusal(conn, meeting, member)
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
            else:
                params = {"name": member["full_name"], "id": member["id"], "meeting": pair[0]}
                self.sink.add(line, "attendance", "meeting.import.differs", **params)
        summary.added = len(self.new)
        return summary

    def write(self, conn: sqlite3.Connection, change: Change) -> None:
        conn.executemany(
            "INSERT INTO attendance (meeting_id, member_id, status, reason) VALUES (?, ?, ?, ?)",
            self.new,
        )
