"""Periods not counted in party age (thời gian không tính tuổi đảng).

Party age runs from the first admission decision minus the time a member was out of the
Party (`party_age`), and minus the time out of contact with the Party organisation (mất
liên lạc) or an interruption of party life during a transfer (gián đoạn sinh hoạt khi
chuyển): DOMAIN.md §7, after QĐ 294-QĐ/TW (2025) and HD 12-HD/BTCTW (2022). Such a gap
is a dated period of one member, ``from_on`` to ``to_on``, both days out. It must fall
inside one membership (after the admission, before the member left the Party or this
roll, not after today) and not overlap another gap. Adding or removing one is a recorded
change with its history entries; a mistake is corrected by removing it and adding it again.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from tanhung_cli import history, party_age
from tanhung_cli.errors import Conflict, Invalid, NotFound, TanhungError
from tanhung_cli.lifecycle import Result, past_spells, text
from tanhung_cli.members import member_by_id, member_for_update
from tanhung_cli.problems import Problem, dated
from tanhung_cli.vocab import UnknownValue, vocabulary


@dataclass(frozen=True)
class Gap:
    """A period of a member not counted in party age."""

    id: int
    member_id: int
    kind: str
    from_on: dt.date
    to_on: dt.date
    decision: str | None = None
    note: str | None = None

    @property
    def days(self) -> int:
        return (self.to_on - self.from_on).days + 1


def gap_kind(value: str) -> str:
    """lost-contact, transfer-interruption or other, from any spelling."""
    try:
        return vocabulary("gap_kind").resolve(value).code
    except UnknownValue:
        raise Invalid("gaps.bad_kind", value=value[:40]) from None


def _gap(row: sqlite3.Row) -> Gap:
    return Gap(
        row["id"],
        row["member_id"],
        row["kind"],
        dt.date.fromisoformat(row["from_on"]),
        dt.date.fromisoformat(row["to_on"]),
        row["decision"],
        row["note"],
    )


def gaps_of(conn: sqlite3.Connection, member_id: int) -> list[Gap]:
    """The member's gaps, oldest first."""
    rows = conn.execute(
        "SELECT * FROM gaps WHERE member_id = ? ORDER BY from_on, id", (member_id,)
    ).fetchall()
    return [_gap(r) for r in rows]


def gaps_by_member(conn: sqlite3.Connection) -> dict[int, list[Gap]]:
    """Every member's gaps, oldest first (few members have any)."""
    out: dict[int, list[Gap]] = {}
    for row in conn.execute("SELECT * FROM gaps ORDER BY from_on, id"):
        out.setdefault(row["member_id"], []).append(_gap(row))
    return out


def spans(gaps: Iterable[Gap]) -> list[tuple[dt.date, dt.date]]:
    """The (first, last) days of ``gaps``, as `party_age.memberships` takes them."""
    return [(g.from_on, g.to_on) for g in gaps]


def _refuse(
    row: sqlite3.Row,
    spells: list[sqlite3.Row],
    start: dt.date,
    end: dt.date,
    others: Iterable[Gap],
) -> None:
    if end < start:
        raise Invalid("gaps.ends_before_start", start=start, end=end)
    member = party_age.memberships(row, spells)
    first = member[0].admitted_on
    if start < first:
        raise Invalid("gaps.before_admission", date=dated(member[0].admitted_as))
    if row["left_on"] and end.isoformat() >= row["left_on"]:
        raise Invalid("gaps.after_leaving", date=dated(row["left_on"]))
    inside = any(
        m.admitted_on <= start and (m.ended_on is None or end < m.ended_on) for m in member
    )
    if not inside:
        raise Invalid("gaps.out_of_party", start=start, end=end)
    for other in others:
        if other.from_on <= end and start <= other.to_on:
            raise Conflict("gaps.overlaps", gap=other.id, start=other.from_on, end=other.to_on)


def add_gap(
    conn: sqlite3.Connection,
    ref: str | int,
    kind: str,
    start: dt.date,
    end: dt.date,
    decision: str | None = None,
    note: str | None = None,
    *,
    today: dt.date,
) -> Result:
    """Record a period of the member not counted in party age (both days out)."""
    code = gap_kind(kind)
    if end > today:
        raise Invalid("gaps.in_future", date=end)
    with member_for_update(conn, ref) as row:
        _refuse(row, past_spells(conn, row["id"]), start, end, gaps_of(conn, row["id"]))
        cur = conn.execute(
            "INSERT INTO gaps (member_id, kind, from_on, to_on, decision, note)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (row["id"], code, start.isoformat(), end.isoformat(), text(decision), text(note)),
        )
        gap_id = int(cur.lastrowid or 0)
        detail = {"gap": gap_id, "kind": code, "from": start, "to": end}
        change = history.record(conn, "gap_add", "member", row["id"], detail)
        change.events(
            [
                (
                    row["id"],
                    start.isoformat(),
                    "gap_added",
                    "gap_kind",
                    None,
                    code,
                    text(decision),
                    text(note),
                ),
                (
                    row["id"],
                    start.isoformat(),
                    "gap_added",
                    "gap_to_on",
                    None,
                    end.isoformat(),
                    None,
                    None,
                ),
            ]
        )
    return Result(row["id"], row["full_name"], start.isoformat(), event=str(gap_id))


def remove_gap(
    conn: sqlite3.Connection, gap_id: int, note: str | None = None
) -> tuple[Result, Gap]:
    """Remove a gap recorded by mistake; the history keeps both its entry and the removal."""
    found = conn.execute("SELECT member_id FROM gaps WHERE id = ?", (gap_id,)).fetchone()
    if found is None:
        raise NotFound("gaps.not_found", gap=gap_id)
    with member_for_update(conn, found["member_id"]) as row:
        current = conn.execute("SELECT * FROM gaps WHERE id = ?", (gap_id,)).fetchone()
        if current is None:  # removed by another clerk meanwhile
            raise NotFound("gaps.not_found", gap=gap_id)
        gap = _gap(current)
        conn.execute("DELETE FROM gaps WHERE id = ?", (gap_id,))
        detail = {"gap": gap_id, "kind": gap.kind, "from": gap.from_on, "to": gap.to_on}
        change = history.record(conn, "gap_remove", "member", row["id"], detail)
        change.events(
            [
                (
                    row["id"],
                    gap.from_on.isoformat(),
                    "gap_removed",
                    "gap_kind",
                    gap.kind,
                    None,
                    None,
                    text(note),
                ),
                (
                    row["id"],
                    gap.from_on.isoformat(),
                    "gap_removed",
                    "gap_to_on",
                    gap.to_on.isoformat(),
                    None,
                    None,
                    None,
                ),
            ]
        )
    return Result(row["id"], row["full_name"], gap.from_on.isoformat()), gap


def public(gap: Gap) -> dict[str, Any]:
    """A gap as JSON and the member's standing show it."""
    return {
        "id": gap.id,
        "kind": gap.kind,
        "from_on": gap.from_on.isoformat(),
        "to_on": gap.to_on.isoformat(),
        "days": gap.days,
        "decision": gap.decision,
        "note": gap.note,
    }


def findings(conn: sqlite3.Connection) -> list[Problem]:
    """Gaps that no longer fit the member's dates (`tanhung check`): an admission or a
    leaving corrected after the gap was recorded."""
    out = []
    for member_id, found in gaps_by_member(conn).items():
        row = member_by_id(conn, member_id)
        if row["voided_at"]:  # entered by mistake: out of every check
            continue
        spells = past_spells(conn, member_id)
        for gap in found:
            others = [g for g in found if g.id != gap.id]
            try:
                _refuse(row, spells, gap.from_on, gap.to_on, others)
            except TanhungError as exc:
                params = {"gap": gap.id, "start": gap.from_on, "end": gap.to_on}
                problem = Problem("gaps.misfit", {**params, "reason": exc.message()})
                out.append(replace(problem, member=member_id, member_name=row["full_name"]))
    return out
