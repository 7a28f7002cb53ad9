"""A member row that names a stored member: unchanged, applied (``--update``), refused
because it differs, or refused because it names another person (never applied). An empty
cell never blanks a stored value; the merged record is validated again."""

from __future__ import annotations

import sqlite3
from typing import Any

from tanhung_cli import history, members
from tanhung_cli.importer import Options, ProblemSink, identity
from tanhung_cli.importer.member_record import (
    AT,
    FIELDS,
    JOINED,
    LABELLED,
    PENDING,
    PRESENCE,
    SHOWN,
    pending_cells,
)
from tanhung_cli.problems import Labels, Problem
from tanhung_cli.rules import Context, validate_member


class MemberUpdate:
    """How `MemberImport` compares a matched row (its state is `MemberImport`'s)."""

    ctx: Context
    branches: dict[int, str]  # branch names by id, to validate a stored member again
    sink: ProblemSink
    options: Options
    stamp: str
    updated: int
    unchanged: int

    def _compare(
        self, conn: sqlite3.Connection, row: tuple[Any, ...], member_id: int, by: tuple[str, ...]
    ) -> None:
        """A matched row: unchanged, applied (``update``), refused because it differs, or
        refused because it names another person (never applied)."""
        stored = conn.execute("SELECT * FROM members WHERE id = ?", (member_id,)).fetchone()
        # The roll columns, where the file gives them (an empty cell keeps what is stored).
        roll = [
            (c, stored[c], new)
            for c, new in (("joined_roll_on", row[JOINED]), ("presence", row[PRESENCE]))
            if new is not None and new != stored[c]
        ]
        if not row[PENDING] and not roll and all(row[AT[c]] in (None, stored[c]) for c in FIELDS):
            self.unchanged += 1  # the usual case of a second import: nothing to check again
            return
        raw = members.raw_values(conn, stored)
        if row[PENDING]:  # the cells as written, some empty
            raw.update(pending_cells(row)[1])
        else:
            incoming = {c: row[AT[c]] for c in members.STORED_FIELDS}
            raw.update({c: v for c, v in incoming.items() if v is not None and c in raw})
            raw["branch"] = self.branches[incoming["branch_id"]]
        rec, problems = validate_member(raw, self.ctx)
        wrong = (
            members.admission_problem(conn, stored, rec["admitted_on"])
            if rec.get("admitted_on")
            else None
        )
        if wrong:
            problems.append(Problem(*wrong, column="admitted_on"))
        if len(problems) == 1 and problems[0].key.startswith("ids.cccd_"):
            # The stored CCCD disagreeing with the row's person: first, is it someone else?
            problems = [identity.conflict(row, stored, rec, by) or problems[0]]
        self.sink.add_problems(row[0], problems)
        if problems:
            return
        other = identity.conflict(row, stored, rec, by)
        if other:
            self.sink.add_problems(row[0], [other])
            return
        # A name that differs only in case is the same name: never a difference to refuse
        # or to write (a file in capitals must not turn "Lê Hoàng Phúc" into capitals).
        same = _NAME_COLUMNS if _same_but_case(rec, stored) else ()
        diff = [
            (c, stored[c], rec[c]) for c in FIELDS if rec[c] != stored[c] and c not in same
        ] + roll
        if not diff:
            self.unchanged += 1
            return
        if not self.options.update:
            fields = Labels("column." + LABELLED.get(c, c) for c, _, _ in diff if c in SHOWN)
            name = stored["full_name"]
            self.sink.add(row[0], None, "import.differs", id=member_id, name=name, fields=fields)
            return
        self.updated += 1
        if not any(c == "joined_roll_on" for c, _, _ in roll):
            moved = members.roll_follows_admission(stored, rec["admitted_on"])
            diff += [(c, old, new) for c, (old, new) in moved.items()]
        history.update_member(conn, member_id, {c: new for c, _, new in diff}, self.stamp)
        conn.executemany(
            "INSERT INTO import_changes VALUES (?, ?, ?, ?)",
            [(member_id, c, old, new) for c, old, new in diff if c in SHOWN],
        )


_NAME_COLUMNS = ("full_name", "given_name", "sort_key")


def _same_but_case(rec: dict[str, Any], stored: sqlite3.Row) -> bool:
    """Whether the row's name is the stored one but for capital letters."""
    return all(
        (rec[c] or "").casefold() == (stored[c] or "").casefold()
        for c in ("full_name", "given_name")
    )
