"""Meetings (cuộc họp, hội nghị) of the committee and of its branches, and who attended.

A meeting is held by the committee (``branch_id`` NULL: a briefing of branch secretaries,
a review conference, a committee meeting) or by one branch (its regular monthly meeting,
a thematic one). Each attendee is marked present, absent with a reason or absent without
one, and must be on the roll on the meeting's date: the committee's for its meetings, that
branch's for a branch meeting. Guests who are not on the roll are a count on the meeting.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from tanhung_cli import audit, history, roll
from tanhung_cli import vietnamese as vn
from tanhung_cli.branches import get_branch
from tanhung_cli.errors import Conflict, Invalid, NotFound
from tanhung_cli.history import write_transaction
from tanhung_cli.members import live_member
from tanhung_cli.problems import dated
from tanhung_cli.vocab import UnknownValue, vocabulary

# Who may hold a meeting of each kind (the kinds themselves are data: vocab.toml).
COMMITTEE_KINDS = frozenset({"briefing", "review", "committee", "thematic"})
BRANCH_KINDS = frozenset({"regular", "thematic"})
BRIEFING = "briefing"
MAX_GUESTS = 10_000


def _code(name: str, value: str, key: str) -> str:
    try:
        return vocabulary(name).resolve(value).code
    except UnknownValue as exc:
        codes = ", ".join(vocabulary(name).codes())
        raise Invalid(key, value=vn.clean(value)[:40], codes=codes) from exc


def meeting_kind(value: str) -> str:
    """The meeting kind code of ``value`` (code, Vietnamese or English name, alias)."""
    return _code("meeting_kind", value, "meeting.bad_kind")


def attendance_status(value: str) -> str:
    """present, excused or absent, from any of their spellings."""
    return _code("attendance", value, "meeting.bad_status")


def held_problem(kind: str, branch_held: bool) -> str | None:
    """The message key of why a meeting of ``kind`` cannot be held so, if it cannot."""
    if branch_held and kind not in BRANCH_KINDS:
        return "meeting.kind_not_branch"
    if not branch_held and kind not in COMMITTEE_KINDS:
        return "meeting.kind_not_committee"
    return None


@dataclass(frozen=True)
class NewMeeting:
    on: dt.date
    kind: str
    title: str
    branch_id: int | None = None
    note: str | None = None
    guests: int = 0


def check_meeting(m: NewMeeting, today: dt.date) -> list[tuple[str, str]]:
    """(column, message key) of what is wrong with a meeting before it is stored."""
    problems = []
    if not m.title or len(m.title) > 200:
        problems.append(("title", "meeting.bad_title"))
    if m.on > today:
        problems.append(("on_date", "meeting.in_future"))
    key = held_problem(m.kind, m.branch_id is not None)
    if key:
        problems.append(("kind", key))
    if not 0 <= m.guests <= MAX_GUESTS:
        problems.append(("guests", "meeting.bad_guests"))
    return problems


def add_meeting(
    conn: sqlite3.Connection,
    on: dt.date,
    kind: str,
    title: str | None = None,
    branch: str | None = None,
    note: str | None = None,
    guests: int = 0,
    *,
    today: dt.date | None = None,
) -> int:
    """Record a meeting held on ``on`` by the committee, or by ``branch``."""
    code = meeting_kind(kind)
    branch_id = get_branch(conn, branch)["id"] if branch else None
    text = vn.clean(title or "") or vocabulary("meeting_kind").label(code)
    new = NewMeeting(on, code, text, branch_id, vn.clean(note or "") or None, guests)
    for _, key in check_meeting(new, today or dt.date.today()):
        raise Invalid(key, date=dated(on.isoformat()), guests=guests, max=MAX_GUESTS)
    with write_transaction(conn):
        other = same_meeting(conn, new.on.isoformat(), code, branch_id)
        if other is not None:
            raise Conflict("meeting.exists", id=other, date=dated(on.isoformat()))
        cur = conn.execute(
            "INSERT INTO meetings (on_date, kind, title, branch_id, note, guests, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (on.isoformat(), code, text, branch_id, new.note, guests, audit.now()),
        )
        meeting_id = int(cur.lastrowid or 0)
        detail = {"on": on.isoformat(), "kind": code, "branch_id": branch_id, "guests": guests}
        history.record(conn, "add", "meeting", meeting_id, detail)
    return meeting_id


def same_meeting(conn: sqlite3.Connection, on: str, kind: str, branch_id: int | None) -> int | None:
    """The id of the meeting of ``kind`` held on ``on`` by the same body, if there is one."""
    row = conn.execute(
        "SELECT id FROM meetings WHERE on_date = ? AND kind = ? AND ifnull(branch_id, 0) = ?",
        (on, kind, branch_id or 0),
    ).fetchone()
    return int(row[0]) if row else None


def get_meeting(conn: sqlite3.Connection, ref: str | int) -> sqlite3.Row:
    """The meeting numbered ``ref``."""
    number = vn.parse_number(vn.clean(str(ref)))
    row = conn.execute("SELECT * FROM meetings WHERE id = ?", (number,)).fetchone()
    if row is None:
        raise NotFound("meeting.not_found", ref=vn.clean(str(ref))[:40])
    return cast(sqlite3.Row, row)


def refusal(conn: sqlite3.Connection, meeting: Any, member: Any) -> Invalid | None:
    """Why ``member`` cannot be marked at ``meeting``: not on the roll on its date (left,
    not yet joined, attending here only temporarily, away on a temporary transfer), or,
    for a branch meeting, on another branch's roll."""
    day = meeting["on_date"]
    spells = conn.execute(
        "SELECT * FROM past_spells WHERE member_id = ? ORDER BY joined_roll_on", (member["id"],)
    ).fetchall()
    status = roll.status(member, day, spells)
    who = {"id": member["id"], "name": member["full_name"], "date": dated(day)}
    if status == "not-yet":
        return Invalid("meeting.member_not_yet", **who)
    period = roll.period_at(member, day, spells)
    assert period is not None
    if status == "left":
        return Invalid("meeting.member_left", **who, left=dated(period["left_on"]))
    if status == "temporary":
        return Invalid("meeting.member_temporary", **who)
    away = conn.execute(
        f"SELECT {roll.AWAY} FROM members m WHERE m.id = :id", {"id": member["id"], "as_of": day}
    ).fetchone()[0]
    if away:
        return Invalid("meeting.member_away", **who)
    branch_id = meeting["branch_id"]
    if branch_id is not None and branch_at(conn, member, period, day) != branch_id:
        return Invalid("meeting.member_other_branch", **who)
    return None


def mark_refusal(conn: sqlite3.Connection, meeting: Any, member: Any, code: str) -> Invalid | None:
    """A member exempt from meetings that day (miễn sinh hoạt) is not absent without reason:
    such absences are the Charter's ground for removal."""
    if code != "absent":
        return None
    from tanhung_cli.standing import member_standing  # only for absences

    day = dt.date.fromisoformat(meeting["on_date"])
    if member_standing(conn, member["id"], day)["exempt"]:
        who = {"id": member["id"], "name": member["full_name"], "date": dated(day)}
        return Invalid("meeting.member_exempt", **who)
    return None


def branch_at(conn: sqlite3.Connection, member: Any, period: Any, day: str) -> int:
    """The member's branch on ``day``: the period's, before any later move between branches
    (`roll.branch_at`: the dated moves of `branch_moves`)."""
    if period is not member:  # an earlier period on the roll keeps its own branch
        return int(period["branch_id"])
    sql = f"SELECT {roll.branch_at(':day', ':id', ':current')}"
    found = conn.execute(sql, {"day": day, "id": member["id"], "current": member["branch_id"]})
    return int(found.fetchone()[0])


@dataclass
class Marked:
    meeting_id: int
    added: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)


def attend(
    conn: sqlite3.Connection,
    ref: str | int,
    refs: Sequence[str | int],
    status: str = "present",
    reason: str | None = None,
) -> Marked:
    """Mark members at a meeting: all of them or, when one cannot be marked, none."""
    code = attendance_status(status)
    text = vn.clean(reason or "") or None
    if text and code == "present":
        raise Invalid("meeting.reason_when_present")
    with write_transaction(conn):  # who is on the roll is read with the lock held
        meeting = get_meeting(conn, ref)
        people = {}
        for member_ref in refs:
            member = live_member(conn, member_ref)
            problem = refusal(conn, meeting, member) or mark_refusal(conn, meeting, member, code)
            if problem is not None:
                raise problem
            people[member["id"]] = member
        if not people:
            raise Invalid("meeting.no_members")
        out = Marked(meeting["id"])
        for member_id in people:
            stored = conn.execute(
                "SELECT status, reason FROM attendance WHERE meeting_id = ? AND member_id = ?",
                (meeting["id"], member_id),
            ).fetchone()
            if stored is not None and (stored["status"], stored["reason"]) == (code, text):
                out.unchanged.append(member_id)
                continue
            (out.added if stored is None else out.changed).append(member_id)
            conn.execute(
                "INSERT INTO attendance (meeting_id, member_id, status, reason) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (meeting_id, member_id)"
                " DO UPDATE SET status = excluded.status, reason = excluded.reason",
                (meeting["id"], member_id, code, text),
            )
        if out.added or out.changed:
            detail = {"members": out.added + out.changed, "status": code, "reason": text}
            history.record(conn, "attend", "meeting", meeting["id"], detail)
    return out
