"""Members (đảng viên): add, look up, list, find, edit — every write validated and recorded."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tanhung_cli import audit, roll, settings
from tanhung_cli import vietnamese as vn
from tanhung_cli.branches import BranchIndex
from tanhung_cli.columns import MEMBER_COLUMNS
from tanhung_cli.db import write_transaction
from tanhung_cli.errors import Conflict, Invalid, NotFound
from tanhung_cli.rules import Context, Problem, validate_member
from tanhung_cli.vocab import vocabulary

# A stored member: a sqlite3.Row, or a dict with the same keys.
Record = sqlite3.Row | Mapping[str, Any]
UNIQUE_COLUMNS = ("card_no", "national_id", "file_no")
# Stored columns a clerk may give; the rest (keys, dates of the roll) are derived.
STORED_FIELDS = (
    "full_name", "given_name", "gender", "birth_date", "ethnicity", "religion", "branch_id",
    "admitted_on", "official_on", "card_no", "national_id", "file_no", "home_town",
    "education", "theory_level", "profession", "phone", "age_exception", "left_on",
    "left_reason", "note",
)  # fmt: skip
VOCAB_OF = {
    "gender": "gender",
    "ethnicity": "ethnicity",
    "religion": "religion",
    "education": "education",
    "theory_level": "theory_level",
    "left_reason": "leave_reason",
}


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
    warnings: list[str] = field(default_factory=list)


def context(conn: sqlite3.Connection, today: dt.date | None = None) -> Context:
    """The validation context: today's date, the branches, the rule settings."""
    return Context(
        today=today or dt.date.today(),
        resolve_branch=BranchIndex(conn).resolve,
        limits=settings.limits(conn),
    )


def get_member(conn: sqlite3.Connection, ref: str | int) -> sqlite3.Row:
    """The member with registry id ``ref``, or holding party card number ``ref``."""
    text = vn.clean(str(ref))
    row = None
    if text.isdigit() and len(text) == 8:
        row = conn.execute("SELECT * FROM members WHERE card_no = ?", (text,)).fetchone()
    if row is None and text.isdigit() and len(text) < 12:
        row = conn.execute("SELECT * FROM members WHERE id = ?", (int(text),)).fetchone()
    if row is None:
        raise NotFound("member.not_found", ref=text[:40])
    return row


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
                "member.duplicate", column=column, value=value, id=other["id"], name=other[1]
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
) -> Outcome:
    """Admit (kết nạp) or register a member; refuse anything that breaks a rule."""
    ctx = context(conn, today)
    rec = _validated(conn, raw, ctx)
    warnings = []
    with write_transaction(conn):
        _check_unique(conn, rec)
        twin = conn.execute(
            "SELECT id FROM members WHERE name_key = ? AND birth_date = ?",
            (rec["name_key"], rec["birth_date"]),
        ).fetchone()
        if twin:
            warnings.append("member.same_name_and_birth")
        stamp = audit.now()
        rec["joined_roll_on"] = rec["joined_roll_on"] or rec["admitted_on"]
        rec["presence"] = rec["presence"] or "regular"
        rec.update(created_at=stamp, updated_at=stamp)
        columns = ", ".join(rec)
        marks = ", ".join(f":{c}" for c in rec)
        cur = conn.execute(f"INSERT INTO members ({columns}) VALUES ({marks})", rec)
        member_id = int(cur.lastrowid or 0)
        audit_id = audit.record(conn, "add", "member", member_id, {"name": rec["full_name"]})
        conn.execute(
            "INSERT INTO events (member_id, on_date, kind, decision_no, audit_id)"
            " VALUES (?, ?, 'admitted', ?, ?)",
            (member_id, rec["admitted_on"], decision_no, audit_id),
        )
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
        return "member.admitted_after_joining", {"date": dt.date.fromisoformat(joined)}
    left = conn.execute(
        "SELECT max(left_on) FROM past_spells WHERE member_id = ?", (stored["id"],)
    ).fetchone()[0]
    if left and admitted_on <= left:
        return "member.admitted_before_leaving", {"date": dt.date.fromisoformat(left)}
    return None


def edit_member(
    conn: sqlite3.Connection,
    ref: str | int,
    changes: Mapping[str, Any],
    *,
    on: dt.date | None = None,
    decision_no: str | None = None,
    note: str | None = None,
    today: dt.date | None = None,
) -> Outcome:
    """Change some of a member's values; each change becomes a dated history entry."""
    row = get_member(conn, ref)
    ctx = context(conn, today)
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
    problem = admission_problem(conn, row, rec["admitted_on"])
    if problem:
        key, params = problem
        raise InvalidMember([Problem("admitted_on", key, params)])
    diff.update(roll_follows_admission(row, rec["admitted_on"]))
    with write_transaction(conn):
        _check_unique(conn, rec, row["id"])
        sets = ", ".join(f"{column} = ?" for column in diff)
        values = [new for _, new in diff.values()]
        conn.execute(
            f"UPDATE members SET {sets}, updated_at = ? WHERE id = ?",
            (*values, audit.now(), row["id"]),
        )
        shown = {c: v for c, v in diff.items() if c not in DERIVED}
        audit_id = audit.record(conn, "edit", "member", row["id"], shown)
        day = (on or ctx.today).isoformat()
        conn.executemany(
            "INSERT INTO events (member_id, on_date, kind, field, old, new, decision_no, note,"
            " audit_id) VALUES (?, ?, 'edited', ?, ?, ?, ?, ?, ?)",
            [
                (row["id"], day, c, old, new, decision_no, note, audit_id)
                for c, (old, new) in shown.items()
            ],
        )
    return Outcome(row["id"], changes=shown)


def public(
    row: Record, branch_names: Mapping[int, str], as_of: str, spells: Any = ()
) -> dict[str, Any]:
    """A member as files and JSON show it: column names as keys, labels for codes.

    At a date inside an earlier period on the roll (before a re-admission or a
    return), that period's dates are shown.
    """
    period = roll.period_at(row, as_of, spells) or row
    out: dict[str, Any] = {}
    for column in MEMBER_COLUMNS:
        name = column.name
        if name == "transferred_in_on":
            joined = period["joined_roll_on"]
            out[name] = joined if joined > period["admitted_on"] else None
        elif name == "temporary":
            out[name] = "x" if period["presence"] == "temporary" else None
        elif name in PERIOD_FIELDS:
            value = period[name]
            out[name] = (
                vocabulary(VOCAB_OF[name]).label(value) if name in VOCAB_OF and value else value
            )
        elif name == "id":
            out["id"] = row["id"]
        elif name == "branch":
            out["branch"] = branch_names.get(row["branch_id"], "")
        elif name in VOCAB_OF:
            out[name] = vocabulary(VOCAB_OF[name]).label(row[name]) if row[name] else None
        else:
            out[name] = row[name]
    out["status"] = roll.status(row, as_of, spells)
    return out


PERIOD_FIELDS = ("admitted_on", "official_on", "left_on", "left_reason")


@dataclass
class Filters:
    branch_id: int | None = None
    status: str | None = None
    gender: str | None = None
    ethnicity: str | None = None
    include_left: bool = False


def list_members(
    conn: sqlite3.Connection, filters: Filters, as_of: dt.date
) -> list[dict[str, Any]]:
    """Members matching ``filters`` at ``as_of``, in Vietnamese name order."""
    where = [roll.STARTED]
    params: dict[str, Any] = {"as_of": as_of.isoformat()}
    if not filters.include_left and filters.status != "left":
        where.append(roll.PRESENT)
    for column in ("branch_id", "gender", "ethnicity"):
        value = getattr(filters, column)
        if value is not None:
            where.append(f"m.{column} = :{column}")
            params[column] = value
    status_sql = {
        "official": f"{roll.ON_ROLL} AND {roll.OFFICIAL}",
        "probationary": f"{roll.ON_ROLL} AND {roll.PROBATIONARY}",
        "left": f"NOT {roll.PRESENT}",
        "temporary": "m.presence = 'temporary'",
        # Exempt at the date: the last exemption event by then began one (it may have
        # ended since, which the member row alone no longer shows).
        "exempt": f"{roll.ON_ROLL} AND (SELECT e.kind FROM events e WHERE e.member_id = m.id"
        " AND e.kind IN ('exempted', 'unexempted') AND e.on_date <= :as_of"
        " ORDER BY e.on_date DESC, e.id DESC LIMIT 1) = 'exempted'",
    }
    if filters.status:
        where.append(status_sql[filters.status])
    sql = f"SELECT * FROM members m WHERE {' AND '.join(where)} ORDER BY m.sort_key, m.id"
    return _publish(conn, conn.execute(sql, params).fetchall(), as_of)


def _publish(conn: sqlite3.Connection, rows: list[sqlite3.Row], as_of: dt.date) -> list[dict]:
    names = dict(conn.execute("SELECT id, name FROM branches").fetchall())
    day = as_of.isoformat()
    spells: dict[int, list[sqlite3.Row]] = {}
    for spell in conn.execute("SELECT * FROM past_spells"):  # rare: re-admissions, returns
        spells.setdefault(spell["member_id"], []).append(spell)
    return [public(row, names, day, spells.get(row["id"], ())) for row in rows]


def find_members(conn: sqlite3.Connection, query: str, today: dt.date) -> list[dict[str, Any]]:
    """Members whose name holds every word of ``query`` (folded), or whose card/CCCD is it."""
    words = vn.fold(query).split()
    if not words:
        return []
    digits = "".join(words)
    if digits.isdigit() and len(words) == 1:
        rows = conn.execute(
            "SELECT * FROM members m WHERE card_no = :q OR national_id = :q OR file_no LIKE :p"
            " OR CAST(id AS TEXT) = :q ORDER BY sort_key",
            {"q": digits, "p": digits + "%"},
        ).fetchall()
        return _publish(conn, rows, today)
    where = " AND ".join(f"instr(' ' || m.name_key, ' ' || :w{i}) > 0" for i in range(len(words)))
    params = {f"w{i}": word for i, word in enumerate(words)}
    rows = conn.execute(
        f"SELECT * FROM members m WHERE {where} ORDER BY m.sort_key, m.id", params
    ).fetchall()
    return _publish(conn, rows, today)


def history(conn: sqlite3.Connection, ref: str | int) -> tuple[sqlite3.Row, list[dict[str, Any]]]:
    """A member and every recorded event of their life, oldest first, with who recorded it."""
    row = get_member(conn, ref)
    events = conn.execute(
        """
        SELECT e.on_date, e.kind, e.field, e.old, e.new, e.decision_no, e.note,
               a.at AS recorded_at, a.clerk, a.command
        FROM events e LEFT JOIN audit a ON a.id = e.audit_id
        WHERE e.member_id = ? ORDER BY e.on_date, e.id
        """,
        (row["id"],),
    ).fetchall()
    return row, [dict(e) for e in events]
