"""Who was in a branch on a day, and who is recorded in it after (`org_changes`: closing,
merging and splitting a branch on a date).

A branch closed on D (giải thể) has no member from D on: it is refused while members were
in it on D (named), as before. A member recorded in it only after D (admitted or
transferred into it, or moved into it, later) is no reason to call the branch still full on
D: that record and the closing contradict each other (a closed branch takes no member),
and the refusal names them with the day they came, so that the clerk corrects one or the
other. A member who was in the branch on D and moved out later is in it on D: refused.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from tanhung_cli import roll
from tanhung_cli import vietnamese as vn
from tanhung_cli.i18n import t

SHOWN = 10  # members named in a message; the rest counted


class Who(tuple[tuple[int, str, str | None], ...]):
    """Members named in a message, ``((id, name, since or None), ...)``: "380 Nguyễn Văn
    Một (từ 01/03/2024)"; a list of ``{"id", "name", "since"}`` in JSON."""

    __slots__ = ()

    def in_lang(self, lang: str) -> str:
        words = [
            t("bugs.org.who_since", lang=lang, id=i, name=n, date=vn.format_date(s, lang))
            if s
            else t("bugs.org.who", lang=lang, id=i, name=n)
            for i, n, s in self[:SHOWN]
        ]
        if len(self) > SHOWN:
            words.append(t("bugs.org.who_more", lang=lang, count=len(self) - SHOWN))
        return ", ".join(words)

    def data(self) -> Any:
        return [{"id": i, "name": n, "since": s} for i, n, s in self]


def on_day(conn: sqlite3.Connection, branch_id: int, day: str) -> list[sqlite3.Row]:
    """Members in the branch on ``day`` (its members then, moved away since or not), on the
    roll that day (not yet left)."""
    return conn.execute(
        f"SELECT m.* FROM members m WHERE {roll.in_branch(':as_of', 'm', ':branch_id')}"
        f" AND {roll.PRESENT} ORDER BY m.id",
        {"as_of": day, "branch_id": branch_id},
    ).fetchall()


def later(conn: sqlite3.Connection, branch_id: int, day: str) -> list[sqlite3.Row]:
    """Members whose branch today is ``branch_id`` and who had not left by ``day`` but were
    not in it on ``day``: they joined the roll, or moved into it, after ``day``."""
    there = {r["id"] for r in on_day(conn, branch_id, day)}
    rows = conn.execute(
        f"SELECT * FROM members m WHERE m.branch_id = ? AND {roll.LIVE}"
        " AND (m.left_on IS NULL OR m.left_on > ?) ORDER BY m.id",
        (branch_id, day),
    ).fetchall()
    return [r for r in rows if r["id"] not in there]


def came_after(conn: sqlite3.Connection, branch_id: int, day: str) -> Who:
    """Members recorded in the branch only after ``day``, each with the day they came: today's
    members who came later (`later`) and those who came later and moved on again."""
    found: dict[int, tuple[str, str | None]] = {}
    for row in later(conn, branch_id, day):
        moved = conn.execute(
            "SELECT max(to_on) FROM branch_spells WHERE member_id = ?", (row["id"],)
        ).fetchone()[0]
        found[row["id"]] = (row["full_name"], max(row["joined_roll_on"], moved or ""))
    for row in conn.execute(
        "SELECT m.id, m.full_name, min(s.from_on) AS since FROM branch_spells s"
        f" JOIN members m ON m.id = s.member_id WHERE s.branch_id = ? AND {roll.LIVE}"
        " AND s.from_on > ? GROUP BY m.id",
        (branch_id, day),
    ):
        found.setdefault(row["id"], (row["full_name"], row["since"]))
    return Who((i, n, s) for i, (n, s) in sorted(found.items()))


def named(rows: list[sqlite3.Row]) -> Who:
    return Who((r["id"], r["full_name"], None) for r in rows)
