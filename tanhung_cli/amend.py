"""Editing what was typed wrongly (issue #15): a course and a term, checked as when added,
each change audited with its old and new values. A target is changed by `terms.set_target`
(`tanhung target set` again), which audits the old value."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from tanhung_cli import history
from tanhung_cli import vietnamese as vn
from tanhung_cli.errors import Conflict, Invalid
from tanhung_cli.history import write_transaction
from tanhung_cli.problems import dated


def _iso(day: dt.date | None, stored: str) -> str:
    return day.isoformat() if day else stored


def edit_course(
    conn: sqlite3.Connection,
    ref: str | int,
    *,
    name: str | None = None,
    kind: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    organiser: str | None = None,
) -> tuple[str, dict[str, tuple[Any, Any]]]:
    """Change a course's name, kind, dates or organiser ("" clears it); the enrolled must
    still have been on the roll during it, and no completion may come before it."""
    from tanhung_cli import courses, enrolments

    with write_transaction(conn):
        course = courses.get_course(conn, ref)
        new = dict(course)
        if name is not None:
            new["name"] = vn.clean(name)
            new["name_key"] = vn.fold(new["name"])
        if kind is not None:
            new["kind"] = courses.course_kind(kind)
        new["start_on"], new["end_on"] = (
            _iso(start, course["start_on"]),
            _iso(end, course["end_on"]),
        )
        if organiser is not None:
            new["organiser"] = vn.clean(organiser) or None
        first, last = dt.date.fromisoformat(new["start_on"]), dt.date.fromisoformat(new["end_on"])
        for problem in courses.check_course(new["name"], first, last):
            raise Invalid(problem.key, **problem.params)
        other = conn.execute(
            "SELECT id FROM courses WHERE name_key = ? AND start_on = ? AND id != ?",
            (new["name_key"], new["start_on"], course["id"]),
        ).fetchone()
        if other:
            raise Conflict("course.exists", name=new["name"], start=dated(first), id=other["id"])
        changes = {k: (course[k], new[k]) for k in course.keys() if course[k] != new[k]}  # noqa: SIM118
        if not changes:
            return course["name"], {}
        _refuse_enrolled(conn, new, enrolments.refusal)
        sets = ", ".join(f"{k} = :{k}" for k in changes)
        conn.execute(f"UPDATE courses SET {sets} WHERE id = :id", new)
        shown = {k: v for k, v in changes.items() if k != "name_key"}
        history.record(conn, "edit", "course", course["id"], shown)
    return new["name"], shown


def _refuse_enrolled(conn: sqlite3.Connection, course: dict[str, Any], refusal: Any) -> None:
    rows = conn.execute(
        "SELECT m.*, e.completed_on FROM enrolments e JOIN members m ON m.id = e.member_id"
        " WHERE e.course_id = ? AND m.voided_at IS NULL ORDER BY m.id",
        (course["id"],),
    ).fetchall()
    for member in rows:
        problem = refusal(conn, course, member, temporary=True)
        if problem is not None:
            raise problem
        if member["completed_on"] and member["completed_on"] < course["start_on"]:
            raise Invalid(
                "void.completed_before_start", id=member["id"], date=dated(member["completed_on"])
            )


def edit_term(
    conn: sqlite3.Connection,
    name: str,
    *,
    new_name: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> tuple[str, dict[str, tuple[Any, Any]]]:
    """Change a term's name or dates, refused as `term add` refuses (an overlap too)."""
    from tanhung_cli.terms import get_term, term_name

    with write_transaction(conn):
        term = get_term(conn, name)
        renamed = term_name(new_name) if new_name is not None else term.name
        if not renamed or len(renamed) > 60:
            raise Invalid("term.bad_name")
        first, last = start or term.start, end or term.end
        if last <= first:
            raise Invalid("term.bad_dates", start=first.isoformat(), end=last.isoformat())
        if conn.execute(
            "SELECT 1 FROM terms WHERE name = ? AND id != ?", (renamed, term.id)
        ).fetchone():
            raise Conflict("term.exists", name=renamed)
        other = conn.execute(
            "SELECT name FROM terms WHERE start_on <= ? AND end_on >= ? AND id != ?",
            (last.isoformat(), first.isoformat(), term.id),
        ).fetchone()
        if other:
            raise Conflict("term.overlaps", name=renamed, other=other["name"])
        old = {
            "name": term.name,
            "start_on": term.start.isoformat(),
            "end_on": term.end.isoformat(),
        }
        new = {"name": renamed, "start_on": first.isoformat(), "end_on": last.isoformat()}
        changes = {k: (old[k], new[k]) for k in old if old[k] != new[k]}
        if not changes:
            return term.name, {}
        conn.execute(
            "UPDATE terms SET name = :name, start_on = :start_on, end_on = :end_on WHERE id = :id",
            {**new, "id": term.id},
        )
        history.record(conn, "edit", "term", term.id, changes)
    return renamed, changes
