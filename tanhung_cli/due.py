"""What is due (đến hạn): confirmations of probationary members and Party badges.

``due(conn, as_of, within)`` answers for the window from ``as_of`` to ``within``
days later: probationary members whose probation ends in the window or has
already ended (overdue), and members whose party age reaches a badge level by a
badge presentation date in the window. Both lists are per branch, in
Vietnamese name order.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from tanhung_cli import enrolments, gaps, org, party_age, probation, roll, settings, transfer_due
from tanhung_cli import vietnamese as vn
from tanhung_cli.branches import sort_key as branch_sort_key

_SLACK = dt.timedelta(days=3)  # month clamping (29 Feb) moves a date by up to 3 days


# The member's branch at :as_of, its name then and its id (issue #15: `roll.BRANCH_AT`).
_BRANCH = (
    f"{org.name_at()} AS branch, b.id AS branch_at FROM members m"
    f" JOIN branches b ON b.id = {roll.BRANCH_AT}"
)


def _branch_order(conn: sqlite3.Connection) -> dict[int, tuple[bool, str]]:
    rows = conn.execute("SELECT id, name, kind FROM branches").fetchall()
    return {r["id"]: branch_sort_key(r["kind"], r["name"]) for r in rows}


# What probation's dates are worked out from (`probation.start`, `probation.ends`), and
# what the list shows.
_PROBATION_COLUMNS = "m.id, m.full_name, m.admitted_on, m.ceremony_on, m.readmitted_on, m.sort_key"


def _probation_dates(row: sqlite3.Row, months: int) -> tuple[dt.date, str, dt.date, bool]:
    """(probation's end, as ISO; the last day to confirm; whether a date is approximate).
    From the ceremony (the decision when not recorded); a date known by year or month alone
    (old records) ends probation at the earliest. Overdue only once the branch's 30 working
    days after it have passed (`probation.confirm_by`)."""
    ends = probation.ends(row, months)
    deadline = probation.confirm_by(row, months).day
    return ends, ends.isoformat(), deadline, vn.is_partial(probation.start(row))


def probation_due(conn: sqlite3.Connection, as_of: dt.date, until: dt.date) -> list[dict[str, Any]]:
    """Probationary members on the roll whose probation ends by ``until`` (overdue included)."""
    months = settings.limits(conn).probation_months
    limit = vn.add_months(until, -months) + _SLACK
    rows = conn.execute(
        f"SELECT {_PROBATION_COLUMNS}, {_BRANCH}"
        # Probationary now means no official date yet, or a later one: that prefilter
        # reads the roll's index; `+` keeps SQLite off the admission index (most rows).
        " WHERE (m.official_on IS NULL OR m.official_on > :as_of)"
        " AND +coalesce(m.readmitted_on, m.admitted_on) <= :limit"
        f" AND {roll.ON_ROLL} AND {roll.PROBATIONARY}",
        {"as_of": as_of.isoformat(), "limit": limit.isoformat()},
    )
    out = []
    # The dates depend on the admission's dates alone, which many members share.
    known: dict[tuple[str | None, ...], tuple[dt.date, str, dt.date, bool]] = {}
    for row in rows:
        key = (row["ceremony_on"], row["readmitted_on"], row["admitted_on"])
        dates = known.get(key)
        if dates is None:
            dates = known[key] = _probation_dates(row, months)
        ends, due_on, deadline, approximate = dates
        if ends > until:
            continue
        out.append(
            {
                "id": row["id"],
                "full_name": row["full_name"],
                "branch": row["branch"],
                "admitted_on": row["admitted_on"],
                "ceremony_on": row["ceremony_on"],
                "readmitted_on": row["readmitted_on"],  # the new probation runs from it
                "due_on": due_on,
                "confirm_by": deadline.isoformat(),
                "overdue_days": max(0, (as_of - deadline).days),
                "new_member_class": True,
                "approximate": approximate,
                "_sort": (row["branch_at"], row["sort_key"], row["id"]),
            }
        )
    missing = enrolments.without_new_member_class(conn, [r["id"] for r in out])
    for item in out:
        item["new_member_class"] = item["id"] not in missing
    return out


def _ranges(
    rules: party_age.BadgeRules, since: dt.date, last: dt.date, early: bool
) -> dict[int, tuple[str, str]]:
    """For each badge level, the admission dates that reach it after ``since``, by ``last``."""
    out = {}
    for years in rules.years:
        ahead = rules.early(years) if early else 0
        lo = vn.add_months(since, -12 * years) - _SLACK
        hi = vn.add_months(vn.add_months(last, ahead), -12 * years) + _SLACK
        out[years] = (lo.isoformat(), hi.isoformat())
    return out


# What party age is worked out from (`party_age.memberships`), and what the list shows.
_BADGE_DATES = (
    "admitted_on",
    "readmitted_on",
    "official_on",
    "joined_roll_on",
    "left_on",
    "left_reason",
)
_BADGE_COLUMNS = "m.id, m.full_name, m.sort_key, " + ", ".join(f"m.{c}" for c in _BADGE_DATES)


def badges_due(
    conn: sqlite3.Connection, as_of: dt.date, until: dt.date, *, early: bool = False
) -> list[dict[str, Any]]:
    """Members on the roll due a badge at a presentation date from ``as_of`` to ``until``."""
    rules = party_age.badge_rules(conn)
    dates = party_age.presentations(as_of, until, rules)
    if not dates:
        return []
    ranges = _ranges(rules, party_age.previous_presentation(dates[0], rules), dates[-1], early)
    params: dict[str, Any] = {"as_of": as_of.isoformat()}
    where = []
    for years, (lo, hi) in ranges.items():
        where.append(f"m.admitted_on BETWEEN :lo{years} AND :hi{years}")
        params |= {f"lo{years}": lo, f"hi{years}": hi}
    select = f"SELECT {_BADGE_COLUMNS}, {_BRANCH}"
    # Admission dates narrow the roll down through their index; members with earlier
    # periods (rare) are read apart, since gaps move their badges, and so are those admitted
    # on a date known by year or month alone (old records: "1965" sorts before its days),
    # found by the admissions' index, not the table.
    rows = conn.execute(f"{select} WHERE ({' OR '.join(where)}) AND {roll.ON_ROLL}", params)
    spelled = conn.execute(
        f"{select} WHERE (m.id IN (SELECT member_id FROM past_spells)"
        " OR m.id IN (SELECT member_id FROM gaps) OR m.id IN (SELECT a.id FROM members a"
        f" INDEXED BY idx_members_admitted WHERE length(a.admitted_on) < 10)) AND {roll.ON_ROLL}",
        {"as_of": params["as_of"]},
    ).fetchall()
    spells = roll.past_spells_by_member(conn)
    out_of_count = gaps.gaps_by_member(conn)  # periods not counted in party age
    out = []
    apart = {r["id"] for r in spelled}
    # A member with no earlier period and no gap: the badges follow from the row's dates,
    # which members admitted on the same day share.
    known: dict[tuple[Any, ...], tuple[list[party_age.Badge], str, bool]] = {}
    for row in [*(r for r in rows if r["id"] not in apart), *spelled]:
        key = None if row["id"] in apart else tuple(row[c] for c in _BADGE_DATES)
        found = known.get(key) if key else None
        if found is None:
            own = spells.get(row["id"], ())
            recorded = gaps.spans(out_of_count.get(row["id"], ()))
            spans = party_age.memberships(row, own, gaps=recorded)
            levels = None
            if key:
                admitted = row["admitted_on"]
                levels = [y for y, (lo, hi) in ranges.items() if lo <= admitted <= hi]
            found = (
                party_age.badges_due(spans, dates, rules, early=early, levels=levels),
                spans[0].admitted_as,
                # Counted from the first day of a date known by year or month alone.
                party_age.has_partial_dates(row, own),
            )
            if key:
                known[key] = found
        due_badges, admitted_as, approximate = found
        for badge in due_badges:
            out.append(
                {
                    "id": row["id"],
                    "full_name": row["full_name"],
                    "branch": row["branch"],
                    "admitted_on": admitted_as,
                    "years": badge.years,
                    "reaches_on": badge.reaches_on.isoformat(),
                    "presented_on": badge.presented_on.isoformat(),
                    "early": badge.early,
                    "approximate": approximate,
                    "_sort": (row["branch_at"], row["sort_key"], badge.years),
                }
            )
    return out


def due(
    conn: sqlite3.Connection,
    as_of: dt.date,
    within: int,
    *,
    early: bool = False,
    missed: bool = False,
) -> dict[str, Any]:
    """Both lists for the window of ``within`` days from ``as_of``; with ``missed``, also
    the badges owed at a presentation date already past (`badge_due`)."""
    from tanhung_cli import badge_due

    until = as_of + dt.timedelta(days=within)
    order = _branch_order(conn)
    probation = sorted(probation_due(conn, as_of, until), key=lambda p: _key(p, order))
    owed = badge_due.not_awarded(conn, badges_due(conn, as_of, until, early=early))
    badges = sorted(owed, key=lambda b: _key(b, order))
    posthumous = sorted(badge_due.posthumous_due(conn, as_of, until), key=lambda b: _key(b, order))
    late = sorted(badge_due.missed(conn, as_of), key=lambda b: _key(b, order)) if missed else []
    for item in (*probation, *badges, *posthumous, *late):
        del item["_sort"]
    return {
        "as_of": as_of.isoformat(),
        "until": until.isoformat(),
        "probation": probation,
        "badges": badges,
        "posthumous": posthumous,  # truy tặng (HD 01-HD/TW point 18)
        "missed": late,
        "absences": absences(conn, as_of),
        # Temporary transfers ending in the window or overdue (QĐ 294-QĐ/TW point 6.3.2).
        "returns": transfer_due.returns_due(conn, as_of, until),
        "attendance": transfer_due.attendance_due(conn, as_of, until),
    }


def absences(conn: sqlite3.Connection, as_of: dt.date) -> list[dict[str, Any]]:
    """Members absent without reason from branch meetings three months of this year or the
    last (the Charter's ground for removal, `reports_activity.absentees`)."""
    from tanhung_cli.reports_activity import absentees

    found = absentees(conn, as_of, (as_of.year - 1, as_of.year))
    for item in found:
        del item["_sort"]
    return found


def _key(item: dict[str, Any], order: dict[int, tuple[bool, str]]) -> tuple[Any, ...]:
    branch_id, *rest = item["_sort"]
    return (order.get(branch_id, (True, "")), *rest)
