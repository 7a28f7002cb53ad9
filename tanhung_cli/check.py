"""`tanhung check`: is the file sound, and does the registry keep its own rules?

First SQLite's integrity and foreign-key checks, then the registry's consistency:
stored values that break the rules of `rules.py`, probationary members overdue for
confirmation, likely duplicate people, training or ratings after a member left.
Each finding is a `problems.Problem` naming the member it concerns.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from array import array
from dataclasses import dataclass, field
from typing import Any

from tanhung_cli import (
    admission_dates,
    branch_moves,
    education,
    gaps,
    probation,
    rules_stamp,
    settings,
    transfer_due,
    working_days,
)
from tanhung_cli import vietnamese as vn
from tanhung_cli.backup import APPEND_ONLY_TRIGGERS, missing_triggers
from tanhung_cli.dated_values import notes as dated_notes
from tanhung_cli.members import context
from tanhung_cli.problems import Label, Problem, dated
from tanhung_cli.readmission_rules import current_admission
from tanhung_cli.rules import RULES_VERSION

MAX_INTEGRITY_LINES = 20


@dataclass
class Report:
    findings: list[Problem]  # each with the member it concerns, when there is one
    members: int
    # What the clerk should know that is not a fault: members without a ceremony date.
    notes: list[Problem] = field(default_factory=list)
    full: bool = False  # integrity_check and every member (else quick_check, `rules_stamp`)
    revalidated: int = 0  # members the rules judged again
    # Members judged again that passed, to stamp (`rules_stamp.record`), and the file's
    # `PRAGMA data_version` when the check began: nothing may have changed since.
    passed: array[int] = field(default_factory=lambda: array("q"))
    data_version: int = 0

    @property
    def ok(self) -> bool:
        return not self.findings


def check(
    conn: sqlite3.Connection,
    today: dt.date | None = None,
    as_of: dt.date | None = None,
    *,
    full: bool = False,
) -> Report:
    """Every problem found in the registry, file-level ones first.

    Stored values are checked against the rules as of ``today``; who is overdue for
    confirmation is judged at ``as_of`` (default today), e.g. the date of a report.
    """
    today = today or dt.date.today()
    findings = _integrity(conn, full)
    if findings:
        # A damaged file answers other queries wrongly or not at all.
        return Report(findings, 0, full=full)
    version = conn.execute("PRAGMA data_version").fetchone()[0]
    try:
        findings += _triggers(conn)
        findings += _foreign_keys(conn)
        found, revalidated, passed = _rules(conn, today, full)
        findings += found
        findings += _overdue(conn, as_of or today)
        findings += _duplicates(conn)
        findings += _after_leaving(conn)
        findings += _absences(conn, as_of or today)
        findings += transfer_due.findings(conn, as_of or today)
        findings += gaps.findings(conn)  # periods not counted that no longer fit
        members = conn.execute("SELECT count(*) FROM members WHERE voided_at IS NULL").fetchone()[0]
        notes = (
            admission_dates.notes(conn)
            + transfer_due.notes(conn, as_of or today)
            + education.notes(conn)
            + dated_notes(conn)  # dated attributes: today's values since joining
            + branch_moves.notes(conn)  # the migration's assumption (issue #15)
        )
    except sqlite3.DatabaseError as exc:
        return Report([*findings, Problem("check.integrity", {"detail": str(exc)})], 0, full=full)
    return Report(findings, members, notes, full, revalidated, passed, version)


def _integrity(conn: sqlite3.Connection, full: bool) -> list[Problem]:
    """SQLite's check of the file: every page and record (quick_check), and with ``full``
    also every index against its table (integrity_check, minutes at five million)."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        rows = conn.execute(f"PRAGMA {pragma}({MAX_INTEGRITY_LINES})").fetchall()
    except sqlite3.DatabaseError as exc:
        return [Problem("check.integrity", {"detail": str(exc)})]
    if [row[0] for row in rows] == ["ok"]:
        return []
    # One problem per line; SQLite heads them with "*** in database main ***".
    lines = [
        line.strip()
        for row in rows
        for line in str(row[0]).splitlines()
        if line.strip() and not line.startswith("***")
    ]
    return [Problem("check.integrity", {"detail": line}) for line in lines]


def _triggers(conn: sqlite3.Connection) -> list[Problem]:
    """The append-only triggers of the audit trail and the members' history, all there."""
    return [
        Problem("check.missing_trigger", {"name": name, "table": APPEND_ONLY_TRIGGERS[name][0]})
        for name in missing_triggers(conn)
    ]


def _foreign_keys(conn: sqlite3.Connection) -> list[Problem]:
    return [
        Problem("check.foreign_key", {"table": r[0], "rowid": r[1], "parent": r[2]})
        for r in conn.execute("PRAGMA foreign_key_check").fetchall()
    ]


def _about(row: sqlite3.Row, key: str, **params: Any) -> Problem:
    return Problem(key, params, member=row["id"], member_name=row["full_name"])


def _rules(
    conn: sqlite3.Connection, today: dt.date, full: bool
) -> tuple[list[Problem], int, array[int]]:
    """Stored members re-checked by the one validator, as if typed again today: those not
    stamped as passing this release's rules (`rules_stamp`), or all of them (``full``).
    Returns the findings, how many were re-checked, and the ids of those that passed."""
    ctx = context(conn, today)
    branch_names = dict(conn.execute("SELECT id, name FROM branches").fetchall())
    stamps = rules_stamp.present(conn)
    where, params = "voided_at IS NULL", {"version": RULES_VERSION}
    # A stamp says the row passed on the day it was written: a check as of an earlier
    # day (a test's) judges again.
    if stamps and not full and today >= dt.date.today():
        where += f" AND {rules_stamp.COLUMN} IS NOT :version"
    findings: list[Problem] = []
    passed = array("q")
    count = 0
    for row in conn.execute(f"SELECT * FROM members WHERE {where} ORDER BY id", params):
        count += 1
        found = rules_stamp.stored_problems(row, ctx, branch_names)
        if found:
            findings += found
        elif stamps and row[rules_stamp.COLUMN] != RULES_VERSION:
            passed.append(row["id"])
    return findings, count, passed


def _overdue(conn: sqlite3.Connection, today: dt.date) -> list[Problem]:
    """Probationary members past the end of probation: confirm them or remove the name."""
    months = settings.limits(conn).probation_months
    # Only a probation begun before ``cutoff`` can be over by today (in today's era: the
    # older ones' are all over): the rest of the probationers are not read into Python.
    # Dates as text, as `probation.months_for` compares them: a year or month alone sorts
    # before its first day, so it stays in; 4 days spare for a month-end clamp.
    era, era_months, _ = probation.eras()[-1]
    cutoff = vn.add_months(today, -(era_months or months)) + dt.timedelta(days=4)
    rows = conn.execute(
        "SELECT id, full_name, admitted_on, readmitted_on, ceremony_on FROM members"
        " WHERE (official_on IS NULL OR official_on > :today)"
        " AND (left_on IS NULL OR left_on > :today) AND presence = 'regular'"
        " AND joined_roll_on <= :today AND voided_at IS NULL"
        " AND (coalesce(readmitted_on, admitted_on) < :era"
        " OR coalesce(ceremony_on, readmitted_on, admitted_on) < :cutoff) ORDER BY id",
        {"today": today.isoformat(), "era": era, "cutoff": cutoff.isoformat()},
    ).fetchall()
    findings = []
    for row in rows:
        try:
            # A date known by year or month alone: overdue only once its last day is.
            begun = vn.date_bounds(probation.start(row))[1]
        except (TypeError, ValueError):
            continue  # a malformed date is reported by _rules
        ends = vn.add_months(begun, probation.months_for(current_admission(row), months))
        # Overdue once the branch's 30 working days after probation have passed.
        deadline = working_days.add(ends - dt.timedelta(days=1), working_days.CONFIRM_WITHIN)
        if deadline.day < today:
            findings.append(
                _about(
                    row,
                    "check.overdue",
                    since=dated(probation.start(row)),
                    ends=ends,
                    overdue=deadline.day + dt.timedelta(days=1),
                    days=working_days.CONFIRM_WITHIN,
                    counted=Label(working_days.counted_label(deadline.assumed)),
                )
            )
    return findings


def _duplicates(conn: sqlite3.Connection) -> list[Problem]:
    """Same folded name and birth date: possibly one person registered twice.

    The groups come from the index of both alone (no row read: half a second a million);
    a voided member is no twin, so each group's live members are read and counted then."""
    groups = conn.execute(
        "SELECT name_key, birth_date FROM members GROUP BY name_key, birth_date HAVING count(*) > 1"
    ).fetchall()
    findings = []
    for group in groups:
        rows = conn.execute(
            "SELECT id, full_name, birth_date FROM members WHERE name_key = ? AND birth_date = ?"
            " AND voided_at IS NULL ORDER BY id",
            (group["name_key"], group["birth_date"]),
        ).fetchall()
        if len(rows) < 2:
            continue
        others = ", ".join(str(r["id"]) for r in rows[1:])
        born = _shown_date(rows[0]["birth_date"])
        findings.append(_about(rows[0], "check.duplicate", others=others, born=born))
    return sorted(findings, key=lambda p: p.member or 0)  # by the first of each group


def _shown_date(iso: str | None) -> dt.date | str | None:
    return dated(iso)  # a damaged value is told as it is


def _after_leaving(conn: sqlite3.Connection) -> list[Problem]:
    enrolled = conn.execute(
        "SELECT m.id, m.full_name, m.left_on, c.name AS course, c.start_on"
        " FROM enrolments e JOIN members m ON m.id = e.member_id"
        " JOIN courses c ON c.id = e.course_id"
        " WHERE m.left_on IS NOT NULL AND c.start_on > m.left_on AND m.voided_at IS NULL"
        " ORDER BY m.id, c.start_on"
    ).fetchall()
    rated = conn.execute(
        "SELECT m.id, m.full_name, m.left_on, r.year FROM ratings r"
        " JOIN members m ON m.id = r.member_id"
        " WHERE m.left_on IS NOT NULL AND r.year > CAST(substr(m.left_on, 1, 4) AS INTEGER)"
        " ORDER BY m.id, r.year"
    ).fetchall()
    return [
        _about(
            r,
            "check.enrolled_after_leaving",
            course=r["course"],
            start=_shown_date(r["start_on"]),
            left=_shown_date(r["left_on"]),
        )
        for r in enrolled
    ] + [
        _about(r, "check.rated_after_leaving", year=r["year"], left=_shown_date(r["left_on"]))
        for r in rated
    ]


def _absences(conn: sqlite3.Connection, as_of: dt.date) -> list[Problem]:
    """Absent without reason from branch meetings three months of a year (`due.absences`)."""
    from tanhung_cli.due import absences

    return [
        Problem(
            "check.absent_months",
            {"year": a["year"], "months": ", ".join(f"{m:02d}/{a['year']}" for m in a["months"])},
            member=a["id"],
            member_name=a["full_name"],
        )
        for a in absences(conn, as_of)
    ]
