"""Who a member row names: a stored member (by id, card, CCCD, file number, then folded
name + birth date when no number contradicts), an earlier line of the same file, or
several people at once; and who holds a number the unique indexes refused."""

from __future__ import annotations

import sqlite3
from typing import Any

from tanhung_cli.importer import ProblemSink
from tanhung_cli.importer.member_record import AT, ID, KEYS
from tanhung_cli.problems import Matches


class MemberMatch:
    """How `MemberImport` finds the member a row names (its state is `MemberImport`'s)."""

    sink: ProblemSink
    base: int  # the largest id stored before the import: above it, added by this file

    def _match(
        self, conn: sqlite3.Connection, row: tuple[Any, ...]
    ) -> tuple[int | None, tuple[str, ...]]:
        """The stored member a row names (an id), 0 for none, None when the row is refused;
        and what it was found by (``id``, number columns, or ``full_name``)."""
        found: dict[str, tuple[int, str]] = {}
        if row[ID]:
            # An exported file carries the registry's id: the same person, if the name agrees
            # and no card/CCCD/file number says otherwise (an id from another registry names
            # someone else and is passed over).
            hit = conn.execute(
                f"SELECT id, full_name, name_key, {', '.join(KEYS)} FROM members WHERE id = ?",
                (row[ID],),
            ).fetchone()
            if (
                hit
                and hit["name_key"] == row[AT["name_key"]]
                and all(not hit[k] or not row[AT[k]] or hit[k] == row[AT[k]] for k in KEYS)
            ):
                found["id"] = (hit["id"], hit["full_name"])
        for key in KEYS:
            if row[AT[key]]:
                hit = conn.execute(
                    f"SELECT id, full_name FROM members WHERE {key} = ?", (row[AT[key]],)
                ).fetchone()
                if hit:
                    found[key] = hit
        if not found:
            candidates = conn.execute(
                f"SELECT id, full_name, {', '.join(KEYS)} FROM members"
                " WHERE name_key = ? AND birth_date = ? AND voided_at IS NULL",
                (row[AT["name_key"]], row[AT["birth_date"]]),
            ).fetchall()
            fits = [c for c in candidates if all(not c[k] or not row[AT[k]] for k in KEYS)]
            if len(fits) > 1:
                self.sink.add(row[0], "full_name", "import.ambiguous", count=len(fits))
                return None, ()
            if fits:
                found["full_name"] = (fits[0]["id"], fits[0]["full_name"])
        ids = {hit[0] for hit in found.values()}
        if len(ids) > 1:
            matches = Matches((k, i) for k, (i, _) in found.items())
            self.sink.add(row[0], None, "import.two_members", found=matches)
            return None, ()
        if not ids:
            return 0, ()
        key, (member_id, name) = next(iter(found.items()))
        if conn.execute("SELECT voided_at FROM members WHERE id = ?", (member_id,)).fetchone()[0]:
            self.sink.add(row[0], None, "void.import_voided", id=member_id, name=name)
            return None, ()  # a record voided as a mistake takes no update (issue #15)
        if member_id > self.base:  # added earlier by this very file
            value = row[AT[key]] if key in KEYS else row[AT["full_name"]]
            self._refer(conn, row[0], key, value, member_id, name)
            return None, ()
        return member_id, tuple(found)

    def _clash(self, conn: sqlite3.Connection, row: tuple[Any, ...], error: str) -> None:
        """A row the unique indexes refused: say which line (or stored member) holds it."""
        if "FOREIGN KEY" in error:  # the branch went while the file was being checked
            self.sink.add(row[0], "branch", "import.branch_gone")
            return
        column = error.rpartition(".")[2] if "UNIQUE" in error else None
        if column not in (*KEYS, "id"):
            self.sink.add(row[0], None, "problem.verbatim", text=error)
            return
        value = row[AT[column]]
        other = conn.execute(f"SELECT id, full_name FROM members WHERE {column} = ?", (value,))
        member_id, name = other.fetchone()
        self._refer(conn, row[0], column, value, member_id, name)

    def _refer(
        self, conn: sqlite3.Connection, line: int, column: str, value: Any, other: int, name: str
    ) -> None:
        first = self._line_of(conn, other)
        if first is not None:
            self.sink.add(line, column, "import.duplicate_in_file", value=value, lines=first)
        else:
            self.sink.add(line, column, "import.taken", value=value, id=other, name=name)

    def _line_of(self, conn: sqlite3.Connection, member_id: int) -> int | None:
        found = conn.execute("SELECT line FROM import_lines WHERE id = ?", (member_id,))
        row = found.fetchone()
        return row[0] if row else None
