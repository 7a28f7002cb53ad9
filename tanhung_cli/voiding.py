"""Mistakes undone (issue #15): a record entered by mistake, voided with a reason.

A voided member keeps their row, marked (``voided_at``, ``void_reason``): the roll's one
predicate (`roll.LIVE`) leaves them out of every count, list, report, export, due and
check, and `member show` still shows them, marked. Voiding is never leaving the Party
(xóa tên is `member leave … removed`): a voided record was never on the roll. A void can
be undone (`unvoid_member`).

A wrong enrolment, a course or a term typed wrongly leave their tables: the audit row of
the void keeps every value and the reason, and each member concerned gets a ``voided``
entry in their history (`void_enrolment`, `void_course`, `void_term`). A life event on
the wrong person: `void_events.py`.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from tanhung_cli import audit, history
from tanhung_cli import vietnamese as vn
from tanhung_cli.errors import Conflict, Invalid, NotFound
from tanhung_cli.history import write_transaction
from tanhung_cli.members import get_member, live_member

REASON_LIMIT = 200
# What a member's activity left that a void would hide (table: its label key).
ACTIVITY = {
    "ratings": "void.records.ratings",
    "attendance": "void.records.attendance",
    "loans": "void.records.loans",
}


def reason_text(reason: str | None) -> str:
    """The clerk's reason, required: one line, at most REASON_LIMIT characters."""
    text = vn.clean(reason or "")
    if not text:
        raise Invalid("void.reason_required")
    if len(text) > REASON_LIMIT:
        raise Invalid("void.reason_too_long", limit=REASON_LIMIT)
    return text


def today_iso() -> str:
    return dt.date.today().isoformat()


def void_member(conn: sqlite3.Connection, ref: str | int, reason: str | None) -> sqlite3.Row:
    """Void a member entered by mistake (a duplicate): out of every count, kept and marked."""
    text = reason_text(reason)
    with write_transaction(conn):
        row = live_member(conn, ref)
        found = {
            key: conn.execute(
                f"SELECT count(*) FROM {table} WHERE member_id = ?", (row["id"],)
            ).fetchone()[0]
            for table, key in ACTIVITY.items()
        }
        held = {key: n for key, n in found.items() if n}
        if held:
            from tanhung_cli.i18n import t

            listed = ", ".join(f"{t(key)}: {n}" for key, n in held.items())
            raise Conflict(
                "void.member_has_records", id=row["id"], name=row["full_name"], records=listed
            )
        history.update_member(conn, row["id"], {"voided_at": audit.now(), "void_reason": text})
        change = history.record(
            conn, "void", "member", row["id"], {"name": row["full_name"], "reason": text}
        )
        change.event(row["id"], "voided", today_iso(), field="record", note=text)
    return get_member(conn, row["id"])


def unvoid_member(conn: sqlite3.Connection, ref: str | int, reason: str | None) -> sqlite3.Row:
    """Undo a void: the record counts again as it did before."""
    text = reason_text(reason)
    with write_transaction(conn):
        row = get_member(conn, ref)
        if not row["voided_at"]:
            raise Conflict("void.member_not_voided", id=row["id"], name=row["full_name"])
        history.update_member(conn, row["id"], {"voided_at": None, "void_reason": None})
        detail = {"name": row["full_name"], "reason": text, "voided": row["void_reason"]}
        change = history.record(conn, "unvoid", "member", row["id"], detail)
        change.event(row["id"], "unvoided", today_iso(), field="record", note=text)
    return get_member(conn, row["id"])


def voided_members(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every voided member, by when they were voided, with the reason."""
    rows = conn.execute(
        "SELECT m.id, m.full_name, m.birth_date, b.name AS branch, m.voided_at, m.void_reason"
        " FROM members m JOIN branches b ON b.id = m.branch_id"
        " WHERE m.voided_at IS NOT NULL ORDER BY m.voided_at, m.id"
    ).fetchall()
    return [dict(r) for r in rows]


def _theory_back(change: history.Change, member: sqlite3.Row, course: sqlite3.Row) -> None:
    """The theory level a completion of ``course`` raised, put back when nothing changed it
    since (`enrolments.raise_theory`)."""
    last = change.conn.execute(
        "SELECT kind, old, new, note FROM events WHERE member_id = ? AND field = 'theory_level'"
        " ORDER BY on_date DESC, id DESC LIMIT 1",
        (member["id"],),
    ).fetchone()
    if (
        last
        and last["kind"] == "course_completed"
        and last["note"] == course["name"]
        and last["new"] == member["theory_level"]
    ):
        history.update_member(change.conn, member["id"], {"theory_level": last["old"]})
        change.event(
            member["id"],
            "voided",
            today_iso(),
            field="theory_level",
            old=last["new"],
            new=last["old"],
            note=course["name"],
        )


def _enrolment_voided(
    change: history.Change, course: sqlite3.Row, member: sqlite3.Row, text: str
) -> None:
    change.event(
        member["id"], "voided", today_iso(), field="enrolment", old=course["name"], note=text
    )
    _theory_back(change, member, course)
    change.conn.execute(
        "DELETE FROM enrolments WHERE course_id = ? AND member_id = ?",
        (course["id"], member["id"]),
    )


def void_enrolment(
    conn: sqlite3.Connection, course_ref: str | int, member_ref: str | int, reason: str | None
) -> tuple[sqlite3.Row, sqlite3.Row]:
    """Void a wrong enrolment: out of the course and the training counts, in the audit."""
    from tanhung_cli.courses import get_course

    text = reason_text(reason)
    with write_transaction(conn):
        course, member = get_course(conn, course_ref), get_member(conn, member_ref)
        enrolled = conn.execute(
            "SELECT * FROM enrolments WHERE course_id = ? AND member_id = ?",
            (course["id"], member["id"]),
        ).fetchone()
        if enrolled is None:
            raise NotFound(
                "void.not_enrolled",
                id=member["id"],
                name=member["full_name"],
                course=course["name"],
            )
        detail = {
            "course": course["name"],
            "member_id": member["id"],
            "reason": text,
            "completed": enrolled["completed"],
            "completed_on": enrolled["completed_on"],
        }
        change = history.record(conn, "void", "enrolment", course["id"], detail)
        _enrolment_voided(change, course, member, text)
    return course, member


def void_course(conn: sqlite3.Connection, ref: str | int, reason: str | None) -> tuple[str, int]:
    """Void a course typed wrongly, with its enrolments (they were enrolments in nothing).
    Returns the course's name and how many enrolments went with it."""
    from tanhung_cli.courses import get_course

    text = reason_text(reason)
    with write_transaction(conn):
        course = get_course(conn, ref)
        people = conn.execute(
            "SELECT m.* FROM enrolments e JOIN members m ON m.id = e.member_id"
            " WHERE e.course_id = ? ORDER BY m.id",
            (course["id"],),
        ).fetchall()
        keys = ("name", "kind", "organiser", "start_on", "end_on")
        detail = {k: course[k] for k in keys} | {
            "reason": text,
            "enrolled": [p["id"] for p in people],
        }
        change = history.record(conn, "void", "course", course["id"], detail)
        for member in people:
            _enrolment_voided(change, course, member, text)
        conn.execute("DELETE FROM courses WHERE id = ?", (course["id"],))
    return course["name"], len(people)


def void_term(conn: sqlite3.Connection, name: str, reason: str | None) -> str:
    """Void a term typed wrongly, with its targets (the audit row keeps them)."""
    from tanhung_cli.terms import get_term

    text = reason_text(reason)
    with write_transaction(conn):
        term = get_term(conn, name)
        targets = conn.execute(
            "SELECT metric, value FROM targets WHERE term_id = ? ORDER BY metric", (term.id,)
        ).fetchall()
        branch_targets = conn.execute(
            "SELECT branch_id, metric, value FROM branch_targets WHERE term_id = ?"
            " ORDER BY branch_id, metric",
            (term.id,),
        ).fetchall()
        detail = term.as_json() | {
            "reason": text,
            "targets": {r["metric"]: r["value"] for r in targets},
            "branch_targets": [dict(r) for r in branch_targets],
        }
        history.record(conn, "void", "term", term.id, detail)
        for table in ("targets", "branch_targets"):
            conn.execute(f"DELETE FROM {table} WHERE term_id = ?", (term.id,))
        conn.execute("DELETE FROM terms WHERE id = ?", (term.id,))
    return term.name
