"""Enrolments (học viên) in training courses, completions, and what follows from them.

A member's political-theory level (lý luận chính trị) follows the highest
theory course they completed, unless it was set explicitly from their file
(``member add/edit --theory`` or an import): that value is kept. The new
members' class (lớp đảng viên mới) is expected before confirmation.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tanhung_cli import history
from tanhung_cli.courses import get_course
from tanhung_cli.dated_values import latest_change
from tanhung_cli.errors import Invalid
from tanhung_cli.history import write_transaction
from tanhung_cli.members import get_member, live_member
from tanhung_cli.problems import Problem, dated

THEORY_OF_COURSE = {
    "theory-elementary": "elementary",
    "theory-intermediate": "intermediate",
    "theory-advanced": "advanced",
}
THEORY_RANK = {"none": 0, "elementary": 1, "intermediate": 2, "advanced": 3, "bachelor": 4}
NEW_MEMBER = "new-member"


@dataclass
class Enrolment:
    course_id: int
    added: list[int] = field(default_factory=list)
    already: list[int] = field(default_factory=list)
    completed: list[int] = field(default_factory=list)
    theory: dict[int, tuple[str | None, str]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)


def refusal(
    conn: sqlite3.Connection, course: sqlite3.Row, member: sqlite3.Row, *, temporary: bool = False
) -> Invalid | None:
    """Why ``member`` cannot count as attending ``course`` here: not on this committee's roll
    at any time during it (left before it, admitted or received after it), or attending here
    only temporarily (sinh hoạt tạm thời) without the clerk saying so (``temporary``)."""
    start, end = course["start_on"], course["end_on"]
    periods = [
        member,
        *conn.execute(
            "SELECT joined_roll_on, left_on, presence FROM past_spells WHERE member_id = ?",
            (member["id"],),
        ),
    ]
    during = [
        p
        for p in periods
        if p["joined_roll_on"] <= end and not (p["left_on"] and p["left_on"] <= start)
    ]
    who = {"id": member["id"], "name": member["full_name"]}
    if not during:
        if member["left_on"] and member["left_on"] <= start:
            return Invalid("course.member_left", **who, date=dated(member["left_on"]))
        if member["admitted_on"] > end:
            return Invalid("course.member_not_yet", **who)
        return Invalid("course.member_not_on_roll", **who, date=dated(member["joined_roll_on"]))
    if not temporary and all(p["presence"] == "temporary" for p in during):
        return Invalid("course.member_temporary", **who)
    return None


def _members(
    conn: sqlite3.Connection, course: sqlite3.Row, refs: Iterable[str | int], temporary: bool
) -> list[Any]:
    found = {}
    for ref in refs:
        member = live_member(conn, ref)
        problem = refusal(conn, course, member, temporary=temporary)
        if problem is not None:
            raise problem
        found[member["id"]] = member
    if not found:
        raise Invalid("course.no_members")
    return list(found.values())


def enrol(
    conn: sqlite3.Connection,
    ref: str | int,
    refs: Sequence[str | int],
    *,
    temporary: bool = False,
) -> Enrolment:
    """Enrol members in a course: all of them, or none when one cannot take part."""
    with write_transaction(conn):  # who has left is read with the lock held
        course = get_course(conn, ref)
        people = _members(conn, course, refs, temporary)
        out = Enrolment(course["id"])
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
            history.record(conn, "enrol", "course", course["id"], {"members": out.added})
    return out


def enrolment(conn: sqlite3.Connection, course_id: int, member_id: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM enrolments WHERE course_id = ? AND member_id = ?", (course_id, member_id)
    ).fetchone()
    return row


def complete(
    conn: sqlite3.Connection,
    ref: str | int,
    refs: Sequence[str | int],
    on: dt.date | None = None,
    *,
    today: dt.date | None = None,
) -> Enrolment:
    """Record that enrolled members completed a course; raise theory levels as of that day.

    A completion is a fact of the past: never dated after ``today``, never before the
    course began, and only for members enrolled in it (`enrol` first).
    """
    today = today or dt.date.today()
    with write_transaction(conn):  # who has left, and theory levels, read with the lock held
        course = get_course(conn, ref)
        day = (on.isoformat() if on else None) or course["end_on"]
        if day < course["start_on"]:
            raise Invalid("course.completed_before_start", date=dated(course["start_on"]))
        if day > today.isoformat():
            raise Invalid("course.completed_in_future", date=dated(day), name=course["name"])
        people = [get_member(conn, r) for r in refs]
        strangers = [m for m in people if enrolment(conn, course["id"], m["id"]) is None]
        if strangers:
            ids = " ".join(str(m["id"]) for m in strangers)
            raise Invalid("course.not_enrolled", ids=ids, name=course["name"], course=course["id"])
        out = Enrolment(course["id"])
        change = history.record(
            conn,
            "complete",
            "course",
            course["id"],
            {"members": [m["id"] for m in people], "on": day},
        )
        for member in {m["id"]: m for m in people}.values():
            row = enrolment(conn, course["id"], member["id"])
            if row is not None and row["completed"]:
                out.already.append(member["id"])
                continue
            conn.execute(
                "UPDATE enrolments SET completed = 1, completed_on = ?"
                " WHERE course_id = ? AND member_id = ?",
                (day, course["id"], member["id"]),
            )
            out.completed.append(member["id"])
            raise_theory(change, course, member, day, out)
    return out


def raise_theory(
    change: history.Change,
    course: sqlite3.Row,
    member: sqlite3.Row,
    day: str,
    out: Enrolment,
) -> None:
    level = THEORY_OF_COURSE.get(course["kind"])
    current = member["theory_level"]
    if level is None or THEORY_RANK.get(current or "none", 0) >= THEORY_RANK[level]:
        return
    if current and explicit_theory(change.conn, member["id"], current):
        out.warnings.append(Problem("course.theory_kept", {"id": member["id"], "level": current}))
        return
    later = latest_change(change.conn, member["id"], "theory_level")
    if later and day < later:  # the value at a date is read from changes in order
        params = {"id": member["id"], "level": current, "date": dated(later)}
        out.warnings.append(Problem("dated.course_before_change", params))
        return
    history.update_member(change.conn, member["id"], {"theory_level": level})
    change.event(
        member["id"],
        "course_completed",
        day,
        field="theory_level",
        old=current,
        new=level,
        note=course["name"],
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
