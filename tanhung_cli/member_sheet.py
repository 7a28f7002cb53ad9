"""What a member's sheet holds beyond the record `member show` gives: the standing at the
date (party age, next badge, periods on the roll), the courses taken, the ratings and
the recorded history. Data only; ``render/member_sheet.py`` lays it out."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from tanhung_cli import member_lists
from tanhung_cli.standing import member_standing


def sheet_data(conn: sqlite3.Connection, member_id: int, day: dt.date) -> dict[str, Any]:
    training = conn.execute(
        "SELECT c.name, c.kind, c.organiser, c.start_on, c.end_on, e.completed, e.completed_on"
        " FROM enrolments e JOIN courses c ON c.id = e.course_id"
        " WHERE e.member_id = ? ORDER BY c.start_on, c.id",
        (member_id,),
    ).fetchall()
    ratings = conn.execute(
        "SELECT r.year, r.level, r.score, b.name AS branch FROM ratings r"
        " LEFT JOIN branches b ON b.id = r.branch_id WHERE r.member_id = ? ORDER BY r.year",
        (member_id,),
    ).fetchall()
    return {
        "standing": member_standing(conn, member_id, day),
        "training": [dict(r) for r in training],
        "ratings": [dict(r) for r in ratings],
        "history": member_lists.history(conn, member_id)[1],
    }
