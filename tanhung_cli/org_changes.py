"""The organisation's changes, each on a date with its decision (issue #15): a branch is
opened, renamed, merged with others (two or more hamlets into one: their members move on
the merge date, the old branches close), split (the members named move to a new branch),
closed (refused while members remain); and the level above the committee changes.

Members move through `branch_moves.spell`, the one writer of a member's branch history.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from tanhung_cli import branch_members, branch_moves, history, org_again
from tanhung_cli.branches import add_branch, branch_key, display_name, get_branch
from tanhung_cli.errors import Conflict, Invalid
from tanhung_cli.history import write_transaction
from tanhung_cli.lifecycle import text
from tanhung_cli.org_units import add_kind as add_kind  # moved there
from tanhung_cli.org_units import set_level_above as set_level_above  # sample.py
from tanhung_cli.problems import dated


@dataclass
class Done:
    branch_id: int
    name: str
    moved: list[int] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    already: bool = False  # recorded before: nothing written (`org_again`)


def _not_future(on: dt.date, today: dt.date | None) -> str:
    if on > (today or dt.date.today()):
        raise Invalid("moves.future", date=dated(on.isoformat()))
    return on.isoformat()


def _dated(
    conn: sqlite3.Connection,
    branch_id: int,
    column: str,
    day: str,
    decision: str | None,
    action: str,
) -> None:
    conn.execute(
        f"UPDATE branches SET {column}_on = ?, {column}_decision = ? WHERE id = ?",
        (day, text(decision), branch_id),
    )
    history.record(conn, action, "branch", branch_id, {f"{column}_on": day, "decision": decision})


def open_branch(
    conn: sqlite3.Connection,
    name: str,
    kind: str,
    on: dt.date,
    decision: str | None = None,
    today: dt.date | None = None,
) -> Done:
    """A new branch, open from ``on`` (thành lập chi bộ)."""
    day = _not_future(on, today)
    with write_transaction(conn):
        found = org_again.opened(conn, name, day)
        if found is not None:
            return Done(found["id"], found["name"], already=True)
        branch_id = add_branch(conn, name, kind)
        _dated(conn, branch_id, "opened", day, decision, "open")
    return Done(branch_id, display_name(name))


def rename(
    conn: sqlite3.Connection,
    ref: str,
    name: str,
    on: dt.date,
    decision: str | None = None,
    today: dt.date | None = None,
) -> Done:
    """Rename a branch from ``on``: reports at an earlier date show the old name."""
    day = _not_future(on, today)
    with write_transaction(conn):
        again = org_again.renamed(conn, ref, name, day)
        if again is not None:
            return Done(again["id"], again["name"], already=True)
        row = get_branch(conn, ref)
        new = display_name(name)
        if row["name"] == new:
            return Done(row["id"], row["name"], already=True)
        if not new or len(new) > 100:
            raise Invalid("branch.bad_name")
        branch_moves.refuse_closed(conn, row, day)
        last = conn.execute("SELECT max(to_on) FROM branch_names WHERE branch_id = ?", (row["id"],))
        earlier = last.fetchone()[0]
        org_again.rename_again(row, day, earlier)
        if earlier and day <= earlier:
            raise Conflict("org.rename_before_last", name=row["name"], date=dated(earlier))
        conn.execute(
            "INSERT INTO branch_names (branch_id, name, name_key, to_on, decision)"
            " VALUES (?, ?, ?, ?, ?)",
            (row["id"], row["name"], row["name_key"], day, text(decision)),
        )
        other = conn.execute(
            "SELECT name FROM branches WHERE name_key = ? AND id != ?", (branch_key(new), row["id"])
        ).fetchone()
        if other:
            raise Conflict("branch.exists", name=other["name"])
        conn.execute(
            "UPDATE branches SET name = ?, name_key = ? WHERE id = ?",
            (new, branch_key(new), row["id"]),
        )
        detail = {"name": [row["name"], new], "on": day, "decision": text(decision)}
        history.record(conn, "rename", "branch", row["id"], detail)
    return Done(row["id"], new)


def _members_of(conn: sqlite3.Connection, branch_id: int, day: str) -> list[sqlite3.Row]:
    """Members in the branch on ``day``, then those of it today who came after ``day``
    (`branch_members`): a merge or split moves them all."""
    return branch_members.on_day(conn, branch_id, day) + branch_members.later(conn, branch_id, day)


def _move_all(
    conn: sqlite3.Connection,
    rows: Iterable[sqlite3.Row],
    to: int,
    day: str,
    how: str,
    decision: str | None,
) -> list[int]:
    moved = []
    for row in rows:
        later = branch_moves.last_move(conn, row["id"])
        if later and later >= day:
            raise Conflict(
                "moves.before_last", id=row["id"], name=row["full_name"], date=dated(later)
            )
        if row["joined_roll_on"] >= day:  # came after the date: theirs from the start
            history.update_member(conn, row["id"], {"branch_id": to})
        else:
            branch_moves.spell(conn, row, to, day, how, text(decision))
        change = history.record(
            conn, how, "member", row["id"], {"branch_id": [row["branch_id"], to]}
        )
        change.event(
            row["id"],
            "moved",
            day,
            field="branch_id",
            old=str(row["branch_id"]),
            new=str(to),
            decision=text(decision),
        )
        moved.append(row["id"])
    return moved


def _target(conn: sqlite3.Connection, name: str, kind: str, day: str, decision: str | None) -> int:
    """The branch named ``name`` if it exists (open on ``day``), else a new one opened then."""
    found = conn.execute(
        "SELECT * FROM branches WHERE name_key = ?", (branch_key(name),)
    ).fetchone()
    if found is not None:
        branch_moves.refuse_closed(conn, found, day)
        return int(found["id"])
    branch_id = add_branch(conn, name, kind)
    _dated(conn, branch_id, "opened", day, decision, "open")
    return branch_id


def merge(
    conn: sqlite3.Connection,
    refs: list[str],
    into: str,
    on: dt.date,
    kind: str = "hamlet",
    decision: str | None = None,
    today: dt.date | None = None,
) -> Done:
    """Merge the branches ``refs`` into ``into`` (new, or one of them, or another) on ``on``:
    their members move that day and the merged branches close."""
    day = _not_future(on, today)
    with write_transaction(conn):
        olds = [get_branch(conn, ref) for ref in refs]
        if len({b["id"] for b in olds}) < len(olds):
            raise Invalid("org.merge_twice")
        if org_again.merged(conn, olds, into, day):
            found = get_branch(conn, into)
            closed = [b["name"] for b in olds if b["id"] != found["id"]]
            return Done(found["id"], found["name"], closed=closed, already=True)
        target = _target(conn, into, kind, day, decision)
        done = Done(target, get_branch(conn, str(target))["name"])
        for old in olds:
            if old["id"] == target:
                continue
            branch_moves.refuse_closed(conn, old, day)
            done.moved += _move_all(
                conn, _members_of(conn, old["id"], day), target, day, "merge", decision
            )
            _dated(conn, old["id"], "closed", day, decision, "close")
            done.closed.append(old["name"])
        if len(olds) + (target not in {b["id"] for b in olds}) < 2:
            raise Invalid("org.merge_one")
    return done


def split(
    conn: sqlite3.Connection,
    ref: str,
    into: str,
    member_ids: list[int],
    on: dt.date,
    kind: str = "hamlet",
    decision: str | None = None,
    today: dt.date | None = None,
) -> Done:
    """Split the members ``member_ids`` of ``ref`` off into ``into`` (a new branch, or an
    open one) on ``on``."""
    day = _not_future(on, today)
    with write_transaction(conn):
        old = get_branch(conn, ref)
        if not member_ids:
            raise Invalid("org.split_nobody")
        if org_again.split_off(conn, old["id"], member_ids, day):
            found = get_branch(conn, into)
            return Done(found["id"], found["name"], moved=member_ids, already=True)
        branch_moves.refuse_closed(conn, old, day)
        members = {r["id"]: r for r in _members_of(conn, old["id"], day)}
        stray = [i for i in member_ids if i not in members]
        if stray:
            raise Invalid("org.not_in_branch", ids=", ".join(map(str, stray)), name=old["name"])
        target = _target(conn, into, kind, day, decision)
        done = Done(target, get_branch(conn, str(target))["name"])
        done.moved = _move_all(
            conn, [members[i] for i in member_ids], target, day, "split", decision
        )
    return done


def close(
    conn: sqlite3.Connection,
    ref: str,
    on: dt.date,
    decision: str | None = None,
    today: dt.date | None = None,
) -> Done:
    """Close a branch on ``on`` (giải thể): refused while members remain in it."""
    day = _not_future(on, today)
    with write_transaction(conn):
        row = get_branch(conn, ref)
        if row["closed_on"] == day:
            return Done(row["id"], row["name"], closed=[row["name"]], already=True)
        branch_moves.refuse_closed(conn, row, day)
        remain = branch_members.on_day(conn, row["id"], day)
        if remain:
            who = branch_members.named(remain)
            raise Conflict("bugs.org.close_members", name=row["name"], date=dated(day), who=who)
        came = branch_members.came_after(conn, row["id"], day)
        if came:
            raise Conflict(
                "bugs.org.close_then_joined", name=row["name"], date=dated(day), who=came
            )
        _dated(conn, row["id"], "closed", day, decision, "close")
    return Done(row["id"], row["name"], closed=[row["name"]])
