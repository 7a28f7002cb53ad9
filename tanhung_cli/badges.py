"""The register of Party badges (sổ Huy hiệu Đảng): badges awarded and who is owed one.

A badge of N years is awarded once the member's party age (`party_age`) reaches N, at a
presentation date (3/2, 19/5, 2/9, 7/11 by default; another day is warned about, since
offices do present on other days). Hướng dẫn 01-HD/TW (2021) point 18 allows an early
award for serious illness, up to 12 months early (24 from the 70-year badge; settings
``early_award_months*``), and a posthumous award (truy tặng) to a member who died with the
party age or within 12 months before reaching it. The register only keeps badges; the
levels owed are computed (`due`, `posthumous_due`, `missed`).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field, replace
from typing import Any

from tanhung_cli import gaps, history, org, party_age, roll
from tanhung_cli import vietnamese as vn
from tanhung_cli.errors import Conflict, Invalid
from tanhung_cli.lifecycle import past_spells
from tanhung_cli.members import member_for_update
from tanhung_cli.problems import Problem, dated

KINDS = ("regular", "early", "posthumous")
POSTHUMOUS_MONTHS = 12  # HD 01-HD/TW point 18: truy tặng up to 12 months early
LIVE = "b.void_reason IS NULL"
# The words a file may give for a kind (the codes, and Vietnamese).
KIND_WORDS = {
    "regular": "regular",
    "thường": "regular",
    "đúng hạn": "regular",
    "early": "early",
    "sớm": "early",
    "tặng sớm": "early",
    "posthumous": "posthumous",
    "truy tặng": "posthumous",
}


@dataclass
class Award:
    member_id: int
    name: str
    years: int
    presented_on: dt.date
    badge_no: str | None = None
    decision: str | None = None
    kind: str = "regular"
    note: str | None = None
    warnings: list[Problem] = field(default_factory=list)


def died_on(member: sqlite3.Row) -> dt.date | None:
    if member["left_reason"] != "died" or not member["left_on"]:
        return None
    return vn.date_bounds(member["left_on"])[0]


def spans_of(conn: sqlite3.Connection, member: sqlite3.Row) -> list[party_age.Membership]:
    recorded = gaps.spans(gaps.gaps_of(conn, member["id"]))
    return party_age.memberships(member, past_spells(conn, member["id"]), gaps=recorded)


def reaches(
    spans: list[party_age.Membership], years: int, *, alive: bool = False
) -> dt.date | None:
    """The day party age reaches ``years``; with ``alive``, as if the last membership had
    not ended (a member who died: the day a posthumous award is measured against)."""
    if alive and spans and spans[-1].ended_on is not None:
        spans = [*spans[:-1], replace(spans[-1], ended_on=None)]
    return party_age.reaches_on(spans, years, dt.date(2199, 12, 31))


def awarded(conn: sqlite3.Connection, member_id: int | None = None) -> dict[int, dict[int, Any]]:
    """The live badges by member then level: {member: {years: row}}."""
    where = f"{LIVE}" + (" AND b.member_id = ?" if member_id is not None else "")
    out: dict[int, dict[int, Any]] = {}
    for row in conn.execute(
        f"SELECT * FROM badges b WHERE {where} ORDER BY b.years",
        () if member_id is None else (member_id,),
    ):
        out.setdefault(row["member_id"], {})[row["years"]] = row
    return out


def check(conn: sqlite3.Connection, member: sqlite3.Row, award: Award) -> list[Problem]:
    """Refuse an award the rules do not allow (raising); the warnings of one they allow."""
    rules = party_age.badge_rules(conn)
    who = {"id": member["id"], "name": member["full_name"], "years": award.years}
    if award.years not in rules.years:
        levels = ", ".join(str(y) for y in rules.years)
        raise Invalid("badge.bad_level", years=award.years, levels=levels)
    held = awarded(conn, member["id"]).get(member["id"], {})
    if award.years in held:
        raise Conflict("badge.already", **who, on=dated(held[award.years]["presented_on"]))
    if award.badge_no:
        other = conn.execute(
            "SELECT b.member_id, m.full_name FROM badges b JOIN members m ON m.id = b.member_id"
            f" WHERE b.badge_no = ? AND {LIVE}",
            (award.badge_no,),
        ).fetchone()
        if other:
            raise Conflict("badge.number_taken", number=award.badge_no, name=other["full_name"])
    spans = spans_of(conn, member)
    on, death = award.presented_on, died_on(member)
    day = on
    if award.kind == "posthumous":
        reach = reaches(spans, award.years, alive=True)
        if death is None:
            raise Invalid("badge.not_dead", **who)
        if on < death:
            raise Invalid("badge.before_death", **who, on=day, died=dated(death))
        if reach is None or vn.add_months(reach, -POSTHUMOUS_MONTHS) > death:
            raise Invalid(
                "badge.posthumous_too_early",
                **who,
                months=POSTHUMOUS_MONTHS,
                died=dated(death),
                reach=_day(reach),
            )
    else:
        if death is not None and death <= on:
            raise Invalid("badge.dead_use_posthumous", **who, died=dated(death))
        reach = reaches(spans, award.years)
        if award.kind == "early":
            months = rules.early(award.years)
            if reach is None or vn.add_months(reach, -months) > on:
                raise Invalid(
                    "badge.early_too_early", **who, months=months, on=day, reach=_day(reach)
                )
            if reach <= on:
                raise Invalid("badge.not_early", **who, reach=_day(reach))
        elif reach is None or reach > on:
            raise Invalid("badge.not_reached", **who, on=day, reach=_day(reach))
    warnings = []
    if on != party_age.next_presentation(on, rules):
        warnings.append(Problem("badge.not_presentation_day", {"on": day}))
    return warnings


def _day(value: dt.date | None) -> dt.date | str:
    return value or "—"


def award(conn: sqlite3.Connection, ref: str | int, award: Award) -> Award:
    """Record a badge awarded to member ``ref``, refusing what the rules do not allow."""
    if award.kind == "early" and not (award.note or "").strip():
        raise Invalid("badge.early_reason_required")
    with member_for_update(conn, ref) as member:
        award.member_id, award.name = member["id"], member["full_name"]
        award.warnings = check(conn, member, award)
        change = history.record(conn, "award_badge", "member", member["id"], public(award))
        write(conn, change, [award])
    return award


def public(award: Award) -> dict[str, Any]:
    keys = ("years", "presented_on", "badge_no", "decision", "kind", "note")
    return {k: getattr(award, k) for k in keys if getattr(award, k) is not None}


def write(conn: sqlite3.Connection, change: history.Change, awards: list[Award]) -> None:
    conn.executemany(
        "INSERT INTO badges (member_id, years, presented_on, badge_no, decision, kind, note)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                a.member_id,
                a.years,
                a.presented_on.isoformat(),
                a.badge_no,
                a.decision,
                a.kind,
                a.note,
            )
            for a in awards
        ],
    )
    change.events(
        (
            a.member_id,
            a.presented_on.isoformat(),
            "badge",
            "badge",
            None,
            a.years,
            a.decision,
            a.badge_no,
        )
        for a in awards
    )


def void(conn: sqlite3.Connection, ref: str | int, years: int, reason: str) -> sqlite3.Row:
    """Void a badge entered by mistake: it stays in the register, marked, with ``reason``."""
    if not reason.strip():
        raise Invalid("badge.void_reason_required")
    with member_for_update(conn, ref) as member:
        row = awarded(conn, member["id"]).get(member["id"], {}).get(years)
        if row is None:
            raise Invalid("badge.none", id=member["id"], name=member["full_name"], years=years)
        conn.execute("UPDATE badges SET void_reason = ? WHERE id = ?", (reason.strip(), row["id"]))
        details = {"years": years, "reason": reason.strip(), "badge_no": row["badge_no"]}
        history.record(conn, "void_badge", "member", member["id"], details)
    return member


def register(
    conn: sqlite3.Connection, year: int | None = None, branch_id: int | None = None
) -> list[dict[str, Any]]:
    """The live badges, by presentation date then Vietnamese name order."""
    where, params = [LIVE], []
    if year is not None:
        where.append("substr(b.presented_on, 1, 4) = ?")
        params.append(f"{year:04d}")
    # A badge is listed under the member's branch on its presentation date, named as then.
    if branch_id is not None:
        where.append("br.id = ?")
        params.append(str(branch_id))
    rows = conn.execute(
        "SELECT b.member_id AS id, b.member_id, b.years, b.presented_on, b.badge_no,"
        " b.decision, b.kind, b.note, m.full_name, m.national_id,"
        f" {org.name_at('b.presented_on', 'br')} AS branch FROM badges b"
        " JOIN members m ON m.id = b.member_id"
        f" JOIN branches br ON br.id = {roll.branch_at('b.presented_on')}"
        f" WHERE {' AND '.join(where)} ORDER BY b.presented_on, m.sort_key, b.years",
        params,
    ).fetchall()
    return [dict(r) for r in rows]


def kind_of(value: str) -> str:
    """The kind code of ``value``: a code or its Vietnamese word; empty is regular."""
    text = vn.clean(value).lower()
    if not text:
        return "regular"
    if text not in KIND_WORDS:
        raise Invalid("badge.bad_kind", value=text[:40])
    return KIND_WORDS[text]


def held(
    conn: sqlite3.Connection, member_ids: list[int] | None = None, as_of: dt.date | None = None
) -> dict[int, list[sqlite3.Row]]:
    """The live badges presented by ``as_of`` (all without it), by member, lowest first."""
    where, params = [LIVE], []
    if as_of is not None:
        where.append("b.presented_on <= ?")
        params.append(as_of.isoformat())
    out: dict[int, list[sqlite3.Row]] = {}
    wanted = None if member_ids is None else set(member_ids)
    for row in conn.execute(
        f"SELECT * FROM badges b WHERE {' AND '.join(where)} ORDER BY b.member_id, b.years",
        params,
    ):
        if wanted is None or row["member_id"] in wanted:
            out.setdefault(row["member_id"], []).append(row)
    return out
