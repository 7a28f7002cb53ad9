"""`import meetings`: meetings held, by the committee or a branch.

Rows are checked cell by cell in ``validate`` (no database: it may run in worker
processes), then against the registry in ``finish``: the branch holding a meeting,
duplicates in the file and what is already stored. Importing a file again adds nothing
twice; a meeting is the same meeting when its day, kind and holder are. Who attended is
`import attendance` (``importer/attendance.py``).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from tanhung_cli import audit, meetings
from tanhung_cli import vietnamese as vn
from tanhung_cli.branches import BranchIndex
from tanhung_cli.columns import Column
from tanhung_cli.errors import TanhungError
from tanhung_cli.history import Change
from tanhung_cli.importer import Options, Problems, ProblemSink, Summary
from tanhung_cli.importer.rejects import REASON_HEADERS
from tanhung_cli.importer.training import cell_date, cell_text
from tanhung_cli.problems import Labels, Problem, dated
from tanhung_cli.vocab import vocabulary

MEETING_COLUMNS = (
    Column("on_date", "Ngày họp", required=True, kind="date", also=("date", "Ngày")),
    Column("kind", "Loại", required=True, kind="vocab:meeting_kind", also=("Loại cuộc họp",)),
    Column("title", "Tên cuộc họp", also=("Nội dung", "Tên hội nghị")),
    Column("held_by", "Đơn vị tổ chức", also=("branch", "Chi bộ")),
    Column("note", "Ghi chú", also=("decision", "Kết luận")),
    Column("guests", "Khách mời", also=("Số khách mời",)),
)
# What the committee is called in a "held by" cell: it holds the meeting, no branch.
COMMITTEE = frozenset(vn.fold(w) for w in ("", "Đảng ủy", "Đảng bộ", "committee", "Đảng ủy xã"))


def holder_of(raw: dict[str, Any]) -> str | None:
    text = cell_text(raw.get("held_by"))
    return None if vn.fold(text) in COMMITTEE else text


def kind_of(raw: dict[str, Any], problems: Problems, required: bool) -> str | None:
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


class Holders:
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
        self.sink, self.update = sink, options.update
        self.rows: list[tuple[Any, ...]] = []
        self.new: list[tuple[Any, ...]] = []
        self.changes: list[tuple[Any, ...]] = []

    def validate(self, raw: dict[str, Any]) -> tuple[tuple[Any, ...] | None, Problems]:
        problems: Problems = []
        on = cell_date(raw.get("on_date"), "on_date", problems)
        if on is None and not cell_text(raw.get("on_date")):
            problems.append(Problem("rule.required", column="on_date"))
        kind = kind_of(raw, problems, required=True)
        guests_text = cell_text(raw.get("guests")) or "0"
        guests = int(guests_text) if guests_text.isdigit() else -1
        if not 0 <= guests <= meetings.MAX_GUESTS:
            params = {"guests": guests_text[:20], "max": meetings.MAX_GUESTS}
            problems.append(Problem("meeting.bad_guests", params, "guests"))
        holder = holder_of(raw)
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
        summary, holders = Summary(file=""), Holders(conn)
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
            stored_id = meetings.same_meeting(conn, on, kind, branch_id)
            if stored_id is None:
                self.new.append((on, kind, title, branch_id, note, guests))
                continue
            old = meetings.get_meeting(conn, stored_id)
            values = {"title": title, "note": note, "guests": guests}
            differs = [c for c, v in values.items() if v != old[c]]
            if not differs:
                summary.unchanged += 1
            elif self.update:
                self.changes.append((title, note, guests, stored_id))
            else:
                fields = Labels(f"column.{c}" for c in differs)
                params = {"id": stored_id, "name": old["title"], "fields": fields}
                self.sink.add(line, differs[0], "import.differs", **params)
        summary.added, summary.updated = len(self.new), len(self.changes)
        return summary

    def write(self, conn: sqlite3.Connection, change: Change) -> None:
        conn.executemany(
            "INSERT INTO meetings (on_date, kind, title, branch_id, note, guests, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(*row, audit.now()) for row in self.new],
        )
        conn.executemany(
            "UPDATE meetings SET title = ?, note = ?, guests = ? WHERE id = ?", self.changes
        )
