"""Training (đào tạo, bồi dưỡng): courses, enrolments, completions.

Who took part, and the theory levels that follow, are in ``enrolments.py``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any, cast

from tanhung_cli import history
from tanhung_cli import vietnamese as vn
from tanhung_cli.errors import Conflict, Invalid, NotFound
from tanhung_cli.history import write_transaction
from tanhung_cli.problems import Problem, dated
from tanhung_cli.vocab import UnknownValue, vocabulary


def course_kind(value: str) -> str:
    """The course kind code of ``value`` (code, Vietnamese or English name, alias)."""
    try:
        return vocabulary("course_kind").resolve(value).code
    except UnknownValue as exc:
        codes = ", ".join(vocabulary("course_kind").codes())
        raise Invalid("course.bad_kind", value=vn.clean(value)[:40], codes=codes) from exc


def check_course(name: str, start: dt.date | None, end: dt.date | None) -> list[Problem]:
    """What is wrong with a course's name and dates, each problem in its column."""
    problems = []
    if not name or len(name) > 200:
        problems.append(Problem("course.bad_name", {}, "name"))
    if start and end and end < start:
        problems.append(Problem("course.ends_before_start", {"start": start, "end": end}, "end_on"))
    return problems


def add_course(
    conn: sqlite3.Connection,
    name: str,
    kind: str,
    start: dt.date,
    end: dt.date,
    organiser: str | None = None,
) -> int:
    """Create a course; refuse one ending before it starts, or the same name and start twice."""
    name = vn.clean(name)
    kind_code = course_kind(kind)
    for problem in check_course(name, start, end):
        raise Invalid(problem.key, **problem.params)
    with write_transaction(conn):
        return _insert(conn, name, kind_code, start, end, vn.clean(organiser or "") or None)


def _insert(
    conn: sqlite3.Connection, name: str, kind: str, start: dt.date, end: dt.date, org: str | None
) -> int:
    key = vn.fold(name)
    other = conn.execute(
        "SELECT id FROM courses WHERE name_key = ? AND start_on = ?", (key, start.isoformat())
    ).fetchone()
    if other:
        raise Conflict("course.exists", name=name, start=dated(start), id=other["id"])
    cur = conn.execute(
        "INSERT INTO courses (name, name_key, kind, organiser, start_on, end_on)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (name, key, kind, org, start.isoformat(), end.isoformat()),
    )
    course_id = int(cur.lastrowid or 0)
    history.record(conn, "add", "course", course_id, {"name": name, "kind": kind})
    return course_id


def get_course(conn: sqlite3.Connection, ref: str | int) -> sqlite3.Row:
    """The course numbered ``ref``, or the one course named ``ref`` (accents ignored)."""
    text = vn.clean(str(ref))
    number = vn.parse_number(text)
    if number is not None:
        row = conn.execute("SELECT * FROM courses WHERE id = ?", (number,)).fetchone()
        if row:
            return cast(sqlite3.Row, row)
    key = vn.fold(text)
    rows = conn.execute("SELECT * FROM courses WHERE name_key = ?", (key,)).fetchall()
    if not rows and key:
        # Words of the name, as members are found: "lop dang vien moi" names
        # "Lớp bồi dưỡng đảng viên mới đợt 1".
        words = key.split()
        where = " AND ".join(f"instr(' ' || name_key, ' ' || :w{i}) > 0" for i in range(len(words)))
        params = {f"w{i}": w for i, w in enumerate(words)}
        rows = conn.execute(
            f"SELECT * FROM courses WHERE {where} ORDER BY start_on", params
        ).fetchall()
    if len(rows) > 1:
        ids = "; ".join(f"{r['id']} ({r['name']}, {r['start_on'][:4]})" for r in rows)
        raise Conflict("course.ambiguous", name=text[:60], ids=ids)
    if not rows:
        raise NotFound("course.not_found", ref=text[:60])
    return cast(sqlite3.Row, rows[0])


def public(row: sqlite3.Row | dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "name", "kind", "organiser", "start_on", "end_on")
    return {k: row[k] for k in keys} | {
        k: row[k]
        for k in ("enrolled", "completed")
        if k in row.keys()  # noqa: SIM118 (sqlite3.Row)
    }


def list_courses(conn: sqlite3.Connection, kind: str | None = None) -> list[dict[str, Any]]:
    """Every course (of ``kind``), newest first, with its enrolled and completed counts."""
    rows = conn.execute(
        "SELECT c.*, count(e.member_id) AS enrolled, coalesce(sum(e.completed), 0) AS completed"
        " FROM courses c LEFT JOIN enrolments e ON e.course_id = c.id"
        " AND e.member_id NOT IN (SELECT id FROM members WHERE voided_at IS NOT NULL)"
        " WHERE :kind IS NULL OR c.kind = :kind GROUP BY c.id ORDER BY c.start_on DESC, c.id",
        {"kind": course_kind(kind) if kind else None},
    ).fetchall()
    return [public(r) for r in rows]


def course_detail(conn: sqlite3.Connection, ref: str | int) -> dict[str, Any]:
    """A course and its participants in Vietnamese name order."""
    course = get_course(conn, ref)
    rows = conn.execute(
        "SELECT m.id, m.full_name, b.name AS branch, e.completed, e.completed_on"
        " FROM enrolments e JOIN members m ON m.id = e.member_id"
        " JOIN branches b ON b.id = m.branch_id WHERE e.course_id = ? AND m.voided_at IS NULL"
        " ORDER BY m.sort_key, m.id",
        (course["id"],),
    ).fetchall()
    people = [dict(r) | {"completed": bool(r["completed"])} for r in rows]
    done = sum(1 for p in people if p["completed"])
    return public(course) | {"enrolled": len(people), "completed": done, "members": people}
