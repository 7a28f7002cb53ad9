"""Members (đảng viên): add, look up, list, find, edit — every write validated and recorded."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from tanhung_cli import (
    admission_dates,
    audit,
    education,
    history,
    member_schema,
    org,
    roll,
    rules_stamp,
    settings,
)
from tanhung_cli import vietnamese as vn
from tanhung_cli.branches import BranchIndex
from tanhung_cli.columns import ColumnName
from tanhung_cli.date_rules import age_uncertain
from tanhung_cli.dated_values import DATED_FIELDS, change_problems, filled_today, kind_of
from tanhung_cli.errors import Conflict, Invalid, NotFound
from tanhung_cli.history import write_transaction
from tanhung_cli.i18n import get_lang
from tanhung_cli.problems import Problem
from tanhung_cli.rules import Context, validate_member

# A stored member: a sqlite3.Row, or a dict with the same keys.
Record = sqlite3.Row | Mapping[str, Any]
UNIQUE_COLUMNS = member_schema.UNIQUE
# Stored columns a clerk may give; the rest (keys, dates of the roll) are derived.
STORED_FIELDS = member_schema.STORED
VOCAB_OF = member_schema.VOCAB_OF


class InvalidMember(Invalid):
    """The member's values break one or more rules."""

    key = "member.invalid"

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(count=len(problems))
        self.problems = problems


@dataclass
class Outcome:
    member_id: int
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)


def context(
    conn: sqlite3.Connection, today: dt.date | None = None, *, keep_case: bool = False
) -> Context:
    """The validation context: today's date, the branches, the rule settings."""
    return Context(
        today=today or dt.date.today(),
        resolve_branch=BranchIndex(conn).resolve,
        limits=settings.limits(conn),
        keep_case=keep_case,
    )


def get_member(conn: sqlite3.Connection, ref: str | int) -> sqlite3.Row:
    """The member with registry id ``ref``, or holding party card number ``ref``."""
    text = vn.clean(str(ref))
    row = None
    if text.isdigit() and len(text) == 8:
        row = conn.execute("SELECT * FROM members WHERE card_no = ?", (text,)).fetchone()
    number = vn.parse_number(text) if len(text) < 12 else None
    if row is None and number is not None:
        row = conn.execute("SELECT * FROM members WHERE id = ?", (number,)).fetchone()
    if row is None:
        raise NotFound("member.not_found", ref=text[:40])
    return cast(sqlite3.Row, row)


def member_by_id(conn: sqlite3.Connection, member_id: int) -> sqlite3.Row:
    """The member whose registry id is ``member_id`` (an id the registry gave, not a ref)."""
    row = conn.execute("SELECT * FROM members WHERE id = ?", (member_id,)).fetchone()
    if row is None:
        raise NotFound("member.not_found", ref=str(member_id))
    return cast(sqlite3.Row, row)


def live_member(conn: sqlite3.Connection, ref: str | int) -> sqlite3.Row:
    """The member ``ref`` for a change: a record voided as a mistake (`voiding`) is refused."""
    row = get_member(conn, ref)
    if row["voided_at"]:
        raise Conflict("void.member_voided", id=row["id"], name=row["full_name"])
    return row


@contextlib.contextmanager
def member_for_update(conn: sqlite3.Connection, ref: str | int) -> Iterator[sqlite3.Row]:
    """The member ``ref``, read with the write lock held, for a block that checks and writes.

    A row read before the lock may be changed by another clerk before the write: a rule
    checked on it (not yet left, not yet official, 12 months of probation) no longer holds.
    Read here, nothing can change it until the block ends; a refusal raised in the block
    rolls back whatever it wrote.
    """
    with write_transaction(conn):
        yield live_member(conn, ref)


def raw_values(conn: sqlite3.Connection, row: Record) -> dict[str, Any]:
    """A stored member as the raw values the validator takes (to re-check an edit)."""
    raw = {name: row[name] for name in STORED_FIELDS if name != "branch_id"}
    branch = conn.execute("SELECT name FROM branches WHERE id = ?", (row["branch_id"],))
    raw["branch"] = branch.fetchone()["name"]
    return raw


def _check_unique(
    conn: sqlite3.Connection, rec: Mapping[str, Any], member_id: int | None = None
) -> None:
    for column in UNIQUE_COLUMNS:
        value = rec.get(column)
        if not value:
            continue
        other = conn.execute(
            f"SELECT id, full_name FROM members WHERE {column} = ? AND id IS NOT ?",
            (value, member_id),
        ).fetchone()
        if other:
            raise Conflict(
                "member.duplicate",
                column=ColumnName(column),
                value=value,
                id=other["id"],
                name=other[1],
            )


def _validated(conn: sqlite3.Connection, raw: Mapping[str, Any], ctx: Context) -> dict[str, Any]:
    rec, problems = validate_member(raw, ctx)
    if problems:
        raise InvalidMember(problems)
    return rec


def add_member(
    conn: sqlite3.Connection,
    raw: Mapping[str, Any],
    *,
    today: dt.date | None = None,
    decision_no: str | None = None,
    keep_case: bool = False,
) -> Outcome:
    """Admit (kết nạp) or register a member; refuse anything that breaks a rule."""
    warnings: list[Problem] = []
    with write_transaction(conn):  # the branches and settings checked are those written with
        rec = _validated(conn, raw, context(conn, today, keep_case=keep_case))
        _check_unique(conn, rec)
        twin = conn.execute(
            "SELECT id FROM members WHERE name_key = ? AND birth_date = ?",
            (rec["name_key"], rec["birth_date"]),
        ).fetchone()
        if twin:
            warnings.append(Problem("member.same_name_and_birth"))
        considered = rec["branch_met_on"] or rec["admitted_on"]  # where age is checked
        if age_uncertain(rec["birth_date"], considered, settings.limits(conn)):
            warnings.append(Problem("dates.age_uncertain"))
        warnings += filter(None, [admission_dates.ceremony_late(rec)])
        warnings += filter(None, [education.admission_problem(rec, education.checked_from(conn))])
        stamp = audit.now()
        rec["joined_roll_on"] = rec["joined_roll_on"] or rec["readmitted_on"] or rec["admitted_on"]
        rec["presence"] = rec["presence"] or "regular"
        closed = org.not_open_problem(conn, rec["branch_id"], rec["joined_roll_on"])
        if closed:  # a branch merged or closed by then, or not yet opened (issue #15)
            raise InvalidMember([closed])
        rec.update(created_at=stamp, updated_at=stamp)
        columns = ", ".join(rec)
        marks = ", ".join(f":{c}" for c in rec)
        cur = conn.execute(f"INSERT INTO members ({columns}) VALUES ({marks})", rec)
        member_id = int(cur.lastrowid or 0)
        rules_stamp.stamp_if_valid(conn, member_id, context(conn))  # judged: `check` trusts it
        change = history.record(conn, "add", "member", member_id, {"name": rec["full_name"]})
        change.event(member_id, "admitted", rec["admitted_on"], decision=decision_no)
    return Outcome(member_id, warnings=warnings)


# Columns the registry keeps up to date itself; a change to them is not shown as an edit.
DERIVED = ("name_key", "sort_key", "joined_roll_on")


def roll_follows_admission(stored: Record, admitted_on: str) -> dict[str, tuple[Any, Any]]:
    """A corrected admission date moves the start on the roll when that was the admission."""
    if admitted_on != stored["admitted_on"] and stored["joined_roll_on"] == stored["admitted_on"]:
        return {"joined_roll_on": (stored["joined_roll_on"], admitted_on)}
    return {}


def admission_problem(
    conn: sqlite3.Connection, stored: Record, admitted_on: str
) -> tuple[str, dict[str, Any]] | None:
    """Why a corrected admission date cannot stand with the member's periods on the roll."""
    if admitted_on == stored["admitted_on"]:
        return None
    joined = stored["joined_roll_on"]
    if joined != stored["admitted_on"] and admitted_on > joined:
        return "member.admitted_after_joining", {"date": _day(joined)}
    left = roll.last_left(conn, stored["id"])
    if left and admitted_on <= left:
        return "member.admitted_before_leaving", {"date": _day(left)}
    return None


def _day(iso: str) -> dt.date | str:
    """A stored date as a message shows it: a year or month alone is shown as such."""
    return vn.format_date(iso, get_lang()) if vn.is_partial(iso) else dt.date.fromisoformat(iso)


def edit_member(
    conn: sqlite3.Connection,
    ref: str | int,
    changes: Mapping[str, Any],
    *,
    on: dt.date | None = None,
    decision_no: str | None = None,
    note: str | None = None,
    today: dt.date | None = None,
    keep_case: bool = False,
    correction: bool = False,
) -> Outcome:
    """Change some of a member's values; each change becomes a dated history entry.

    A change of a dated attribute (`dated_values`) takes effect on ``on`` (today by
    default) and leaves earlier dates as they were; ``correction`` puts right a value that
    was wrong, at every date since the latest dated change."""
    with member_for_update(conn, ref) as row:
        # A stored name the edit does not touch stays as it is, whatever its case.
        names_given = "full_name" in changes or "given_name" in changes
        ctx = context(conn, today, keep_case=keep_case or not names_given)
        raw = raw_values(conn, row)
        raw.update(changes)
        rec = _validated(conn, raw, ctx)
        diff = {
            column: (row[column], rec[column])
            for column in (*STORED_FIELDS, "name_key", "sort_key")
            if column in rec and rec[column] != row[column]
        }
        if not diff:
            return Outcome(row["id"])
        if "branch_id" in diff:  # a move is dated, a correction says so (`branch_moves`)
            raise InvalidMember([Problem("moves.use_move", {"id": row["id"]}, "branch")])
        problem = admission_problem(conn, row, rec["admitted_on"])
        if problem:
            key, params = problem
            raise InvalidMember([Problem(key, params, "admitted_on")])
        diff.update(roll_follows_admission(row, rec["admitted_on"]))
        _check_unique(conn, rec, row["id"])
        day = (on or ctx.today).isoformat()
        dated = [c for c in diff if c in DATED_FIELDS and not correction]
        refused = change_problems(conn, row, dated, day, ctx.today.isoformat())
        if refused:
            raise InvalidMember(refused)
        history.update_member(conn, row["id"], {c: new for c, (_, new) in diff.items()})
        rules_stamp.stamp_if_valid(conn, row["id"], context(conn))
        shown = {c: v for c, v in diff.items() if c not in DERIVED}
        action = "correct" if correction else "edit"
        change = history.record(conn, action, "member", row["id"], shown)
        change.events(
            (row["id"], day, kind_of(c, correction), c, old, new, decision_no, note)
            for c, (old, new) in shown.items()
        )
    warnings = []
    if {"birth_date", "admitted_on", "branch_met_on"} & diff.keys() and age_uncertain(
        rec["birth_date"], rec["branch_met_on"] or rec["admitted_on"], ctx.limits
    ):
        warnings.append(Problem("dates.age_uncertain"))
    if "ceremony_on" in diff or "admitted_on" in diff:
        warnings += filter(None, [admission_dates.ceremony_late(rec)])
    if education.WATCHED & diff.keys():  # the THCS rule of admission (`education`)
        warnings += filter(None, [education.admission_problem(rec, education.checked_from(conn))])
    warnings += filter(None, [filled_today(row, dated, on)])
    return Outcome(row["id"], changes=shown, warnings=warnings)
