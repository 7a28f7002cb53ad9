"""`import courses`, and the cells and member references the training imports share.

Rows are checked cell by cell in ``validate`` (no database: it may run in worker
processes), then against the registry in ``finish``: the course and member a row
names, whether the member could take part, duplicates in the file and what is
already stored. Importing the same file again adds nothing twice.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from tanhung_cli import courses
from tanhung_cli import vietnamese as vn
from tanhung_cli.columns import Column
from tanhung_cli.errors import TanhungError
from tanhung_cli.history import Change
from tanhung_cli.importer import Options, Problems, ProblemSink, Summary
from tanhung_cli.importer.rejects import REASON_HEADERS
from tanhung_cli.problems import Candidates, Labels, Problem, dated

COURSE_COLUMNS = (
    Column("id", "Mã", kind="id"),
    Column("name", "Tên khóa học", required=True),
    Column("kind", "Loại", required=True, kind="vocab:course_kind"),
    Column("organiser", "Đơn vị tổ chức"),
    Column("start_on", "Ngày bắt đầu", required=True, kind="date"),
    Column("end_on", "Ngày kết thúc", required=True, kind="date"),
)
# Who a row is about: the registry id, the party card or the CCCD, the name checked; or,
# in a list a branch typed by hand, only the name (and the birth date, if two share it).
MEMBER_REF_COLUMNS = (
    Column("id", "Mã", kind="id"),
    Column("card_no", "Số thẻ đảng viên", kind="digits"),
    Column("national_id", "Số CCCD", kind="digits"),
    Column("full_name", "Họ và tên"),
    Column("birth_date", "Ngày sinh", kind="date"),
)
MemberRef = tuple[str, str, str, str, str | None]


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return vn.clean(str(value))


def cell_date(value: object, column: str, problems: Problems) -> dt.date | None:
    """A date cell (text in any accepted form, or a workbook date); a problem if it is not one."""
    day = _cell_day(value, column, problems, partial=False)
    assert not isinstance(day, str)
    return day


def _cell_day(
    value: object, column: str, problems: Problems, *, partial: bool
) -> dt.date | str | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    try:
        if partial:  # a birth of the old rolls: a year or month alone ("1960", "03/1960")
            return vn.parse_partial_date(text)
        return vn.parse_date(text, allow_future=True)
    except vn.DateError as exc:
        problems.append(Problem(f"rule.date_{exc.reason}", {"value": text[:40]}, column))
        return None


def member_ref(raw: dict[str, Any], problems: Problems) -> MemberRef | None:
    """(id, card, CCCD, name, ISO birth date) as written; a problem when neither a number
    nor a name says who the row is about."""
    ref = tuple(cell_text(raw.get(c)) for c in ("id", "card_no", "national_id", "full_name"))
    born = _cell_day(raw.get("birth_date"), "birth_date", problems, partial=True)
    if not any(ref):
        problems.append(Problem("life.import.member_ref_required", column="id"))
        return None
    born_iso = born.isoformat() if isinstance(born, dt.date) else born
    return (*ref, born_iso)  # type: ignore[return-value]


def _same_birth(written: str, stored: str | None) -> bool:
    """Whether two births agree: equal, or one a year or month that holds the other."""
    return stored is not None and (written.startswith(stored) or stored.startswith(written))


class MemberFinder:
    """Members found by id, card or CCCD, the numbers of one row agreeing, the name checked;
    without a number, by the name (and birth date) alone when only one member has it."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    @staticmethod
    def column(ref: MemberRef) -> str:
        """The column a problem with ``ref`` is told in: the numbers', else the name's."""
        return "id" if any(ref[:3]) else "full_name"

    def find(self, ref: MemberRef) -> tuple[sqlite3.Row | None, Problem | None]:
        found: dict[int, sqlite3.Row] = {}
        for column, value in zip(("id", "card_no", "national_id"), ref[:3], strict=True):
            if not value:
                continue
            # An id is a number within bounds (vn.parse_number), or names no one.
            key = vn.parse_number(value) if column == "id" else value
            row = self.conn.execute(f"SELECT * FROM members WHERE {column} = ?", (key,)).fetchone()
            if row is None:
                return None, Problem("life.import.member_not_found", {"value": value})
            found[row["id"]] = row
        if not found:
            return self._by_name(ref[3], ref[4])
        if len(found) > 1:
            return None, Problem("import.two_members", {"found": ", ".join(map(str, found))})
        row = next(iter(found.values()))
        if ref[3] and vn.fold(ref[3]) != row["name_key"]:
            params = {"name": ref[3], "id": row["id"], "stored": row["full_name"]}
            return None, Problem("life.import.member_name_differs", params)
        if ref[4] and not _same_birth(ref[4], row["birth_date"]):
            params = {"id": row["id"], "stored": row["full_name"], "born": dated(row["birth_date"])}
            return None, Problem("life.import.member_birth_differs", params)
        return row, None

    def _by_name(self, name: str, born: str | None) -> tuple[sqlite3.Row | None, Problem | None]:
        sql = "SELECT * FROM members WHERE name_key = :name"
        params = {"name": vn.fold(name), "born": born}
        if born:
            # A birth known by year or month alone agrees with every day in it.
            sql += (
                " AND (birth_date = :born OR substr(:born, 1, length(birth_date)) = birth_date"
                " OR substr(birth_date, 1, length(:born)) = :born)"
            )
        rows = self.conn.execute(sql + " ORDER BY id", params).fetchall()
        if len(rows) == 1:
            return rows[0], None
        if not rows:
            return None, Problem("life.import.member_name_not_found", {"name": name})
        ids = Candidates((r["id"], r["birth_date"]) for r in rows)
        return None, Problem("life.import.member_name_ambiguous", {"name": name, "ids": ids})


class CourseImport:
    """Course rows: name, kind (code or Vietnamese name), organiser, start and end."""

    entity = "course"
    columns = COURSE_COLUMNS
    ignored = ("enrolled", "completed", "Học viên", "Hoàn thành", *REASON_HEADERS)
    file = ""

    def begin(self, conn: sqlite3.Connection, options: Options, sink: ProblemSink) -> None:
        self.options, self.sink = options, sink
        self.rows: list[tuple[Any, ...]] = []
        self.new: list[tuple[Any, ...]] = []
        self.changes: list[tuple[Any, ...]] = []

    def validate(self, raw: dict[str, Any]) -> tuple[tuple[Any, ...] | None, Problems]:
        problems: Problems = []
        name, kind_text = cell_text(raw.get("name")), cell_text(raw.get("kind"))
        kind = None
        if not kind_text:
            problems.append(Problem("rule.required", column="kind"))
        else:
            try:
                kind = courses.course_kind(kind_text)
            except TanhungError as exc:
                problems.append(exc.problem("kind"))
        start = cell_date(raw.get("start_on"), "start_on", problems)
        end = cell_date(raw.get("end_on"), "end_on", problems)
        for column, value in (("start_on", start), ("end_on", end)):
            if value is None and not cell_text(raw.get(column)):
                problems.append(Problem("rule.required", column=column))
        problems += courses.check_course(name, start, end)
        if problems:
            return None, problems
        assert start and end
        organiser = cell_text(raw.get("organiser")) or None
        return (name, vn.fold(name), kind, organiser, start.isoformat(), end.isoformat()), []

    def stage(self, conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
        self.rows.extend(rows)

    def finish(self, conn: sqlite3.Connection) -> Summary:
        options, sink = self.options, self.sink
        summary = Summary(file="")
        stored = {
            (r["name_key"], r["start_on"]): r
            for r in conn.execute("SELECT * FROM courses").fetchall()
        }
        first: dict[tuple[str, str], int] = {}
        for line, name, key, kind, organiser, start, end in self.rows:
            if (key, start) in first:
                sink.add(
                    line, "name", "import.duplicate_in_file", value=name, lines=first[(key, start)]
                )
                continue
            first[(key, start)] = line
            old = stored.get((key, start))
            if old is None:
                self.new.append((name, key, kind, organiser, start, end))
                continue
            differs = [
                c
                for c, v in (("kind", kind), ("organiser", organiser), ("end_on", end))
                if v is not None and v != old[c]
            ]
            if not differs:
                summary.unchanged += 1
            elif options.update:
                self.changes.append((kind, organiser or old["organiser"], end, old["id"]))
            else:
                fields = Labels("course.col." + c for c in differs)
                sink.add(
                    line,
                    differs[0],
                    "import.differs",
                    id=old["id"],
                    name=old["name"],
                    fields=fields,
                )
        summary.added, summary.updated = len(self.new), len(self.changes)
        return summary

    def write(self, conn: sqlite3.Connection, change: Change) -> None:
        conn.executemany(
            "INSERT INTO courses (name, name_key, kind, organiser, start_on, end_on)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            self.new,
        )
        conn.executemany(
            "UPDATE courses SET kind = ?, organiser = ?, end_on = ? WHERE id = ?", self.changes
        )
