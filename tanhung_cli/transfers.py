"""Transfers (chuyển sinh hoạt đảng) out and in; re-admission is `readmission`.

An official transfer moves the member off or onto this committee's roll; a
temporary one does not change who is counted: a member away temporarily stays
counted here, a temporary attendee from elsewhere is not counted. When a
former member comes back, the closed period is kept in ``past_spells``, so that
"on the roll at a date" still sees it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping
from typing import Any

from tanhung_cli import history, members, probation, settings, transfer_rules
from tanhung_cli import vietnamese as vn
from tanhung_cli.errors import Conflict, Invalid
from tanhung_cli.history import write_transaction
from tanhung_cli.lifecycle import (
    Result,
    refuse_before_joining,
    refuse_if_left,
    text,
)
from tanhung_cli.members import member_by_id, member_for_update
from tanhung_cli.problems import dated
from tanhung_cli.readmission_rules import current_admission
from tanhung_cli.roll import AWAY_KINDS, Period
from tanhung_cli.vocab import UnknownValue, vocabulary

# How a member transferred in by each kind of transfer is present on the roll.
PRESENCE = {"official": "regular", "temporary": "temporary"}
# A member no longer away on a temporary transfer out (`members.away_*`).
NOT_AWAY = {
    "away_since": None,
    "away_to": None,
    "away_until": None,
    "away_purpose": None,
    "away_extension": None,
}


def transfer_kind(value: str) -> str:
    """official or temporary, from any spelling."""
    try:
        return vocabulary("transfer_kind").resolve(value).code
    except UnknownValue:
        raise Invalid("life.bad_transfer_kind", value=vn.clean(value)[:40]) from None


def away(conn: sqlite3.Connection, member_id: int) -> sqlite3.Row | None:
    """The open temporary transfer out of the member (where to, since when), if any."""
    last = conn.execute(
        f"SELECT kind, on_date, new FROM events WHERE member_id = ?"
        f" AND kind IN ({', '.join('?' * len(AWAY_KINDS))}) ORDER BY on_date DESC, id DESC LIMIT 1",
        (member_id, *AWAY_KINDS),
    ).fetchone()
    return last if last and last["kind"] == "transferred_out_temporary" else None


def close_period(conn: sqlite3.Connection, row: Period, left_on: str, reason: str) -> None:
    """Keep the member's current period on the roll in ``past_spells`` as it closes."""
    conn.execute(
        "INSERT INTO past_spells (member_id, joined_roll_on, left_on, left_reason, admitted_on,"
        " official_on, presence, branch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            row["id"],
            row["joined_roll_on"],
            left_on,
            reason,
            current_admission(row),
            row["official_on"],
            row["presence"],
            row["branch_id"],
        ),
    )


def transfer_out(
    conn: sqlite3.Connection,
    ref: str | int,
    to: str,
    kind: str,
    on: dt.date,
    decision: str | None = None,
    note: str | None = None,
    until: dt.date | None = None,
    plan: transfer_rules.Plan | None = None,
) -> Result:
    """Transfer a member out: officially (off the roll, with the date of its letter) or
    temporarily (still counted here) until the planned return ``until``, for the purpose
    and with the extension decision of ``plan`` (`transfer_rules.away_values`)."""
    plan = plan or transfer_rules.Plan()
    kind = transfer_kind(kind)
    place = text(to)
    if not place:
        raise Invalid("life.place_required")
    if until is not None and kind != "temporary":
        raise Invalid("schema.until_official")
    if until is not None and until < on:
        raise Invalid("schema.until_before", until=until, date=on)
    with member_for_update(conn, ref) as row:
        refuse_if_left(row)
        refuse_before_joining(row, on)
        result = Result(row["id"], row["full_name"], on.isoformat())
        ends = kind == "official" or row["presence"] == "temporary"
        if not ends and away(conn, row["id"]) is not None:
            raise Conflict("life.already_away", id=row["id"], name=row["full_name"])
        extra = transfer_rules.away_values(conn, kind, ends, on, until, plan)
        detail: dict[str, Any] = {"to": place, "kind": kind, "on": on}
        if until is not None:
            detail["until"] = until
        change = history.record(conn, "transfer-out", "member", row["id"], detail)
        if ends:
            values = {"left_on": on.isoformat(), "left_reason": "transferred", **NOT_AWAY, **extra}
            history.update_member(conn, row["id"], values)
            result.changes["left_reason"] = (None, "transferred")
        else:
            until_iso = until.isoformat() if until else None
            since = {
                "away_since": on.isoformat(),
                "away_to": place,
                "away_until": until_iso,
                **extra,
            }
            history.update_member(conn, row["id"], since)
        event = "transferred_out" if ends else "transferred_out_temporary"
        change.event(
            row["id"],
            event,
            on,
            field="place",
            new=place,
            decision=text(decision),
            note=text(note),
        )
    return result


def transfer_in_new(
    conn: sqlite3.Connection,
    raw: Mapping[str, Any],
    kind: str,
    on: dt.date,
    origin: str | None = None,
    decision: str | None = None,
    note: str | None = None,
    plan: transfer_rules.Plan | None = None,
) -> Result:
    """Register a member who comes from another committee, with the dates of their file
    and of the transfer (`transfer_rules.arrival_values`)."""
    kind = transfer_kind(kind)
    with write_transaction(conn):
        arrival = transfer_rules.arrival_values(conn, kind, on, origin, plan)
        outcome = members.add_member(conn, raw, today=dt.date.today())
        row = member_by_id(conn, outcome.member_id)
        if on.isoformat() < row["admitted_on"]:
            raise Invalid("life.transfer_before_admission", date=dated(row["admitted_on"]))
        history.update_member(
            conn,
            row["id"],
            {"joined_roll_on": on.isoformat(), "presence": PRESENCE[kind], **arrival.values},
        )
        detail = {"from": text(origin), "kind": kind, "on": on}
        change = history.record(conn, "transfer-in", "member", row["id"], detail)
        change.event(
            row["id"],
            "transferred_in",
            on,
            field="place",
            new=text(origin),
            decision=text(decision),
            note=text(note),
        )
    result = Result(row["id"], row["full_name"], on.isoformat())
    result.warnings = outcome.warnings + arrival.warnings
    return result


def _coming_back(
    conn: sqlite3.Connection, row: Period, kind: str, on: dt.date
) -> tuple[str, dict[str, Any]]:
    """The history entry and the changes of a member coming (back) onto the roll."""
    day = on.isoformat()
    if not row["left_on"]:
        if away(conn, row["id"]) is not None:
            refuse_before_joining(row, on)
            return "returned", dict(NOT_AWAY)
        if row["presence"] == "temporary" and kind == "official":
            refuse_before_joining(row, on)
            return "transferred_in", {"joined_roll_on": day, "presence": "regular"}
        raise Conflict("life.already_on_roll", id=row["id"], name=row["full_name"])
    if row["left_reason"] == "transferred":
        if day < row["left_on"]:
            raise Invalid("life.before_leaving", date=dated(row["left_on"]))
        return "transferred_in", {
            "joined_roll_on": day,
            "left_on": None,
            "left_reason": None,
            "presence": PRESENCE[kind],
            "exempt_since": None,
        }
    if row["left_reason"] == "died":
        raise Conflict("life.died", id=row["id"], name=row["full_name"], date=dated(row["left_on"]))
    raise Conflict("life.use_readmit", id=row["id"], name=row["full_name"])


def transfer_in(
    conn: sqlite3.Connection,
    ref: str | int,
    kind: str,
    on: dt.date,
    origin: str | None = None,
    official: dt.date | None = None,
    decision: str | None = None,
    note: str | None = None,
    plan: transfer_rules.Plan | None = None,
) -> Result:
    """A registered member comes (back): from a temporary absence, or onto the roll again."""
    kind = transfer_kind(kind)
    day = on.isoformat()
    with member_for_update(conn, ref) as row:
        arrival = transfer_rules.arrival_values(conn, kind, on, origin, plan)
        result = Result(row["id"], row["full_name"], day)
        event, values = _coming_back(conn, row, kind, on)
        if official is not None and not row["official_on"]:
            months = settings.limits(conn).probation_months
            earliest = probation.ends(row, months)  # from the ceremony, when recorded
            if official < earliest:
                raise Invalid("life.confirm_too_early", earliest=dated(earliest), months=months)
            values["official_on"] = official.isoformat()
        if "joined_roll_on" in values:
            values |= arrival.values  # an arrival, not a return from a temporary absence
            result.warnings = arrival.warnings
            close_period(conn, row, row["left_on"] or day, row["left_reason"] or "transferred")
        if values:
            history.update_member(conn, row["id"], values)
        detail = {"from": text(origin), "kind": kind, "on": on}
        change = history.record(conn, "transfer-in", "member", row["id"], detail)
        change.event(
            row["id"],
            event,
            on,
            field="place",
            new=text(origin),
            decision=text(decision),
            note=text(note),
        )
        if "official_on" in values:
            change.event(
                row["id"],
                "confirmed",
                on,
                field="official_on",
                new=values["official_on"],
                note=text(origin),
            )
    result.changes = {k: (row[k], v) for k, v in values.items() if row[k] != v}
    result.event = event
    return result
