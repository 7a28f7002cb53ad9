"""Re-admission (kết nạp lại): a former member who had left the Party is admitted again and
starts a new probation; the closed period is kept in ``past_spells``, as for a transfer
back (`transfers`)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import replace

from tanhung_cli import education, history, readmission_rules, settings
from tanhung_cli import vietnamese as vn
from tanhung_cli.branches import get_branch
from tanhung_cli.errors import Conflict, Invalid
from tanhung_cli.lifecycle import Result, text
from tanhung_cli.members import InvalidMember, member_for_update
from tanhung_cli.problems import dated
from tanhung_cli.transfers import NOT_AWAY, close_period


def readmit(
    conn: sqlite3.Connection,
    ref: str | int,
    on: dt.date,
    branch: str | None = None,
    decision: str | None = None,
    note: str | None = None,
    age_exception: str | None = None,
    *,
    consent: str | None = None,
    exception: str | None = None,
    expunged: dt.date | None = None,
) -> Result:
    """Admit again a former member who had left the Party (a new probation starts).

    The rules of QĐ 294-QĐ/TW point 3.5 (`readmission_rules`) refuse it unless
    ``exception`` names the decision that approved it; ``consent`` is the provincial
    standing committee's written consent, ``expunged`` the day a minor conviction was.
    """
    day = on.isoformat()
    with member_for_update(conn, ref) as row:
        if not row["left_on"]:
            raise Conflict("life.already_on_roll", id=row["id"], name=row["full_name"])
        if row["left_reason"] == "died":
            raise Conflict(
                "life.died", id=row["id"], name=row["full_name"], date=dated(row["left_on"])
            )
        if row["left_reason"] == "transferred":
            raise Conflict("life.use_transfer_in", id=row["id"], name=row["full_name"])
        if day <= row["left_on"]:
            raise Invalid("life.before_leaving", date=dated(row["left_on"]))
        limits = settings.limits(conn)
        # A birth known by year or month alone: the age its first day gives (the oldest).
        age = vn.months_between(vn.date_bounds(row["birth_date"])[0], on)
        if not (limits.min_age_months <= age <= limits.max_age_months) and not text(age_exception):
            raise Invalid("life.readmit_age", years=age // 12, months=age % 12)
        broken = readmission_rules.refusals(conn, row, on, text(consent), expunged)
        if broken and not text(exception):
            located = [replace(p, member=row["id"], member_name=row["full_name"]) for p in broken]
            raise InvalidMember(located)
        branch_id = get_branch(conn, branch)["id"] if branch else row["branch_id"]
        values = {
            "readmitted_on": day,
            # A new admission: the first one's meetings and ceremony are not this one's.
            "branch_met_on": None,
            "committee_met_on": None,
            "ceremony_on": None,
            "official_on": None,
            "card_no": None,
            "joined_roll_on": day,
            "left_on": None,
            "left_reason": None,
            "presence": "regular",
            "exempt_since": None,
            "branch_id": branch_id,
            **NOT_AWAY,
        }
        if text(age_exception):
            values["age_exception"] = text(age_exception)
        close_period(conn, row, row["left_on"], row["left_reason"])
        if branch_id != row["branch_id"]:  # re-admitted by another branch: dated (#15)
            from tanhung_cli.branch_moves import spell

            spell(conn, row, branch_id, day, "readmit", text(decision))
        history.update_member(conn, row["id"], values)
        changes = {k: (row[k], v) for k, v in values.items() if row[k] != v}
        granted = {
            k: text(v) for k, v in (("consent", consent), ("exception", exception)) if text(v)
        }
        change = history.record(conn, "readmit", "member", row["id"], {**changes, **granted})
        change.event(
            row["id"],
            "readmitted",
            on,
            field="readmitted_on",
            old=row["readmitted_on"],
            new=day,
            decision=text(decision),
            note=text(note),
        )
        for column, value in (("readmit_consent", consent), ("readmit_exception", exception)):
            if text(value):
                change.event(row["id"], "readmitted", on, field=column, new=text(value))
        if row["card_no"]:
            change.event(
                row["id"], "edited", on, field="card_no", old=row["card_no"], note=text(note)
            )
    # A re-admission is an admission: the THCS rule of QĐ 294-QĐ/TW point 1.2 (`education`).
    found = education.admission_problem({**dict(row), **values}, education.checked_from(conn))
    return Result(row["id"], row["full_name"], day, changes, warnings=[found] if found else [])
