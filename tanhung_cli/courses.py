"""Training (đào tạo, bồi dưỡng): courses, enrolments, completions.

A member's political-theory level (lý luận chính trị) follows the highest
theory course they completed, unless it was set explicitly from their file
(``member add/edit --theory`` or an import): that value is kept.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tanhung_cli import audit
from tanhung_cli import vietnamese as vn
from tanhung_cli.db import write_transaction
from tanhung_cli.errors import Conflict, Invalid, NotFound
from tanhung_cli.i18n import get_lang
from tanhung_cli.members import get_member
from tanhung_cli.vocab import UnknownValue, vocabulary

THEORY_OF_COURSE = {
    "theory-elementary": "elementary",
    "theory-intermediate": "intermediate",
    "theory-advanced": "advanced",
}
THEORY_RANK = {"none": 0, "elementary": 1, "intermediate": 2, "advanced": 3, "bachelor": 4}
NEW_MEMBER = "new-member"


def shown(day: dt.date | str) -> str:
    """A date as the clerk reads it in the current language."""
    return vn.format_date(dt.date.fromisoformat(str(day)), get_lang())


def course_kind(value: str) -> str:
    """The course kind code of ``value`` (code, Vietnamese or English name, alias)."""
    try:
        return vocabulary("course_kind").resolve(value).code
    except UnknownValue as exc:
        codes = ", ".join(vocabulary("course_kind").codes())
        raise Invalid("course.bad_kind", value=vn.clean(value)[:40], codes=codes) from exc


def check_course(name: str, start: dt.date | None, end: dt.date | None) -> list[str]:
    """The message keys of what is wrong with a course's name and dates."""
    problems = []
    if not name or len(name) > 200:
        problems.append("course.bad_name")
    if start and end and end < start:
        problems.append("course.ends_before_start")
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
    for key in check_course(name, start, end):
        raise Invalid(key, start=shown(start), end=shown(end))
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
        raise Conflict("course.exists", name=name, start=shown(start), id=other["id"])
    cur = conn.execute(
        "INSERT INTO courses (name, name_key, kind, organiser, start_on, end_on)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (name, key, kind, org, start.isoformat(), end.isoformat()),
    )
    course_id = int(cur.lastrowid or 0)
    audit.record(conn, "add", "course", course_id, {"name": name, "kind": kind})
    return course_id


def get_course(conn: sqlite3.Connection, ref: str | int) -> sqlite3.Row:
    """The course numbered ``ref``, or the one course named ``ref`` (accents ignored)."""
    text = vn.clean(str(ref))
    if text.isdigit():
        row = conn.execute("SELECT * FROM courses WHERE id = ?", (int(text),)).fetchone()
        if row:
            return row
    rows = conn.execute("SELECT * FROM courses WHERE name_key = ?", (vn.fold(text),)).fetchall()
    if len(rows) > 1:
        ids = ", ".join(str(r["id"]) for r in rows)
        raise Conflict("course.ambiguous", name=text[:60], ids=ids)
    if not rows:
        raise NotFound("course.not_found", ref=text[:60])
    return rows[0]


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
        " JOIN branches b ON b.id = m.branch_id WHERE e.course_id = ? ORDER BY m.sort_key, m.id",
        (course["id"],),
    ).fetchall()
    people = [dict(r) | {"completed": bool(r["completed"])} for r in rows]
    done = sum(1 for p in people if p["completed"])
    return public(course) | {"enrolled": len(people), "completed": done, "members": people}


@dataclass
class Enrolment:
    course_id: int
    added: list[int] = field(default_factory=list)
    already: list[int] = field(default_factory=list)
    completed: list[int] = field(default_factory=list)
    theory: dict[int, tuple[str | None, str]] = field(default_factory=dict)
    warnings: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def refusal(course: sqlite3.Row, member: sqlite3.Row) -> Invalid | None:
    """Why ``member`` cannot take part in ``course`` (left before it, joined after it)."""
    if member["left_on"] and member["left_on"] <= course["start_on"]:
        return Invalid("course.member_left", id=member["id"], name=member["full_name"],
                       date=shown(member["left_on"]))  # fmt: skip
    if member["admitted_on"] > course["end_on"]:
        return Invalid("course.member_not_yet", id=member["id"], name=member["full_name"])
    return None


def _members(conn: sqlite3.Connection, course: sqlite3.Row, refs: Iterable[str | int]) -> list:
    found = {}
    for ref in refs:
        member = get_member(conn, ref)
        problem = refusal(course, member)
        if problem is not None:
            raise problem
        found[member["id"]] = member
    if not found:
        raise Invalid("course.no_members")
    return list(found.values())


def enrol(conn: sqlite3.Connection, ref: str | int, refs: Sequence[str | int]) -> Enrolment:
    """Enrol members in a course: all of them, or none when one cannot take part."""
    course = get_course(conn, ref)
    people = _members(conn, course, refs)
    out = Enrolment(course["id"])
    with write_transaction(conn):
        for member in people:
            if enrolment(conn, course["id"], member["id"]) is not None:
                out.already.append(member["id"])
                continue
            conn.execute(
                "INSERT INTO enrolments (course_id, member_id, completed) VALUES (?, ?, 0)",
                (course["id"], member["id"]),
            )
            out.added.append(member["id"])
        if out.added:
            audit.record(conn, "enrol", "course", course["id"], {"members": out.added})
    return out


def enrolment(conn: sqlite3.Connection, course_id: int, member_id: int) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT * FROM enrolments WHERE course_id = ? AND member_id = ?", (course_id, member_id)
    ).fetchone()


def complete(
    conn: sqlite3.Connection,
    ref: str | int,
    refs: Sequence[str | int],
    on: dt.date | None = None,
) -> Enrolment:
    """Record that members completed a course (enrolling them if needed); raise theory levels."""
    course = get_course(conn, ref)
    day = (on.isoformat() if on else None) or course["end_on"]
    if day < course["start_on"]:
        raise Invalid("course.completed_before_start", date=shown(course["start_on"]))
    people = _members(conn, course, refs)
    out = Enrolment(course["id"])
    with write_transaction(conn):
        audit_id = audit.record(conn, "complete", "course", course["id"],
                                {"members": [m["id"] for m in people], "on": day})  # fmt: skip
        for member in people:
            row = enrolment(conn, course["id"], member["id"])
            if row is not None and row["completed"]:
                out.already.append(member["id"])
                continue
            conn.execute(
                "INSERT INTO enrolments (course_id, member_id, completed, completed_on)"
                " VALUES (?, ?, 1, ?) ON CONFLICT (course_id, member_id)"
                " DO UPDATE SET completed = 1, completed_on = excluded.completed_on",
                (course["id"], member["id"], day),
            )
            out.completed.append(member["id"])
            raise_theory(conn, course, member, day, audit_id, out)
    return out


def raise_theory(
    conn: sqlite3.Connection,
    course: sqlite3.Row,
    member: sqlite3.Row,
    day: str,
    audit_id: int,
    out: Enrolment,
) -> None:
    level = THEORY_OF_COURSE.get(course["kind"])
    current = member["theory_level"]
    if level is None or THEORY_RANK.get(current or "none", 0) >= THEORY_RANK[level]:
        return
    if current and explicit_theory(conn, member["id"], current):
        out.warnings.append(("course.theory_kept", {"id": member["id"], "level": current}))
        return
    conn.execute(
        "UPDATE members SET theory_level = ?, updated_at = ? WHERE id = ?",
        (level, audit.now(), member["id"]),
    )
    conn.execute(
        "INSERT INTO events (member_id, on_date, kind, field, old, new, note, audit_id)"
        " VALUES (?, ?, 'course_completed', 'theory_level', ?, ?, ?, ?)",
        (member["id"], day, current, level, course["name"], audit_id),
    )
    out.theory[member["id"]] = (current, level)


def explicit_theory(conn: sqlite3.Connection, member_id: int, current: str) -> bool:
    """Whether the member's theory level came from their file rather than from a course."""
    last = conn.execute(
        "SELECT kind, new FROM events WHERE member_id = ? AND field = 'theory_level'"
        " ORDER BY on_date DESC, id DESC LIMIT 1",
        (member_id,),
    ).fetchone()
    return not (last and last["kind"] == "course_completed" and last["new"] == current)


def has_new_member_class(conn: sqlite3.Connection, member_id: int) -> bool:
    """Whether the member completed the new members' class (lớp đảng viên mới)."""
    return (
        conn.execute(
            "SELECT 1 FROM enrolments e JOIN courses c ON c.id = e.course_id"
            " WHERE e.member_id = ? AND e.completed = 1 AND c.kind = ?",
            (member_id, NEW_MEMBER),
        ).fetchone()
        is not None
    )


def without_new_member_class(conn: sqlite3.Connection, member_ids: Iterable[int]) -> set[int]:
    """Those of ``member_ids`` who have not completed the new members' class."""
    ids = set(member_ids)
    done = {
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT e.member_id FROM enrolments e JOIN courses c ON c.id = e.course_id"
            " WHERE e.completed = 1 AND c.kind = ?",
            (NEW_MEMBER,),
        )
    }
    return ids - done
