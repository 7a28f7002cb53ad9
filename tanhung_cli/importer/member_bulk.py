"""The bulk path of `import members`: a large file into an empty registry, copied by SQLite.

The workers staged the checked records (`staging`); here each chunk goes into ``members``
with one INSERT ... SELECT, in file order, with the table's indexes dropped
(`bulk.defer_indexes`). Rebuilding a unique index then finds the duplicates the file
brought in, and the twins without any number are found by one GROUP BY.
"""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Callable
from typing import Any

from tanhung_cli.importer import ProblemSink, bulk
from tanhung_cli.importer.member_record import COL, LAYOUT, RECORD, whole
from tanhung_cli.importer.staged import Chunk, staged_rows
from tanhung_cli.rules import RULES_VERSION

# `MemberImport._insert`: rows into members, one by one where they clash.
Insert = Callable[[sqlite3.Connection, list[tuple[Any, ...]]], None]


class BulkCopy:
    """What `MemberImport` does on the bulk path (its state is `MemberImport`'s)."""

    conn: sqlite3.Connection
    sink: ProblemSink
    keep_ids: bool
    stamp: str
    added: int

    def copy_chunk(
        self, conn: sqlite3.Connection, chunk: Chunk, shift: int, one_by_one: Insert
    ) -> None:
        """A staged chunk into members, its problems into the sink.

        ``one_by_one`` inserts rows that SQLite refused together, naming each clash.
        """
        first, last = chunk.rows
        blob, file_id = COL["pending"], COL["id"]
        # Only a record that goes as far as a file id can carry empty required cells.
        gaps = chunk.widest == len(RECORD)
        if gaps:
            for line, cells in conn.execute(
                f"SELECT line + ?, {blob} FROM {chunk.db}.staged"
                f" WHERE rowid BETWEEN ? AND ? AND {blob} IS NOT NULL",
                (shift, first, last),
            ):
                found, _ = pickle.loads(cells)
                self.sink.add_problems(line, found)
        if self.keep_ids:
            # As in `_insert`: from the first row without an id on, new members get the
            # next ids, so that none takes an id a later row names.
            cut = conn.execute(
                f"SELECT min(rowid) FROM {chunk.db}.staged WHERE rowid BETWEEN ? AND ?"
                f" AND {file_id} IS NULL AND {blob} IS NULL",
                (first, last),
            ).fetchone()[0]
            if cut is None:
                self._copy(conn, chunk.db, first, last, shift, gaps, one_by_one)
                return
            if cut > first:
                self._copy(conn, chunk.db, first, cut - 1, shift, gaps, one_by_one)
            self.keep_ids, first = False, cut
        self._copy(conn, chunk.db, first, last, shift, gaps, one_by_one)

    def _copy(
        self,
        conn: sqlite3.Connection,
        db: str,
        first: int,
        last: int,
        shift: int,
        gaps: bool,
        one_by_one: Insert,
    ) -> None:
        """Staged rows ``first``…``last`` into members by SQLite, in file order.

        ``gaps``: some of them (empty required cells) may be left out.
        """
        file_id, blob = COL["id"], COL["pending"]
        where = f"FROM {db}.staged WHERE rowid BETWEEN {first} AND {last} AND {blob} IS NULL"
        fields = ", ".join(COL[f] for f in LAYOUT[:-2])
        joined, presence = COL["joined_roll_on"], COL["presence"]
        conn.execute("SAVEPOINT import_chunk")
        try:
            count = conn.execute(
                f"INSERT INTO members (id, {', '.join(LAYOUT)}, created_at, updated_at,"
                " rules_version)"
                f" SELECT {file_id if self.keep_ids else 'NULL'}, {fields},"
                f" coalesce({joined}, {COL['readmitted_on']}, {COL['admitted_on']}),"
                f" coalesce({presence}, 'regular'),"
                f" ?, ?, CASE WHEN {COL['readmitted_on']} IS NULL THEN ? END"
                f" {where} ORDER BY rowid",
                (self.stamp, self.stamp, RULES_VERSION),  # as `member_record.rules_stamp`
            ).rowcount
        except sqlite3.IntegrityError:  # an id twice: one by one, to name the lines
            conn.execute("ROLLBACK TO import_chunk")
            conn.execute("RELEASE import_chunk")
            rows = staged_rows(conn, db, first, last, shift, f"AND {blob} IS NULL")
            one_by_one(conn, [whole(row) for row in rows])
            return
        if self.keep_ids:
            conn.execute(f"INSERT INTO import_lines SELECT {file_id}, line + ? {where}", (shift,))
        else:
            after = conn.execute("SELECT last_insert_rowid()").fetchone()[0] - count
            # The new ids follow the staged rows' order: with no row left out, their rowids.
            number = (
                f"{after - first + 1} + rowid"
                if not gaps
                else (f"{after} + row_number() OVER (ORDER BY rowid)")
            )
            conn.execute(f"INSERT INTO import_lines SELECT {number}, line + ? {where}", (shift,))
        conn.execute("RELEASE import_chunk")
        self.added += count

    def _drop_duplicates(self, index: bulk.Index) -> None:
        where = " AND ".join(f"m.{c} IS NOT NULL" for c in index.columns)
        self._drop_twins(self.conn, index.columns, where, index.columns[0])

    def _drop_twins(
        self, conn: sqlite3.Connection, columns: tuple[str, ...], where: str, shown: str
    ) -> None:
        """Rows the load brought in twice: the first stays, the later ones are refused."""
        groups = conn.execute(
            f"SELECT group_concat(l.line || ':' || m.id || ':' || m.{shown}, char(9))"
            f" FROM members m JOIN import_lines l ON l.id = m.id WHERE {where}"
            f" GROUP BY {', '.join('m.' + c for c in columns)} HAVING count(*) > 1"
        ).fetchall()
        for (group,) in groups:
            found = sorted(
                (int(line), int(i), v)
                for line, i, v in (g.split(":", 2) for g in group.split("\t"))
            )
            first = found[0][0]
            for line, member_id, value in found[1:]:
                self.sink.add(line, shown, "import.duplicate_in_file", value=value, lines=first)
                conn.execute("DELETE FROM members WHERE id = ?", (member_id,))
                conn.execute("DELETE FROM import_lines WHERE id = ?", (member_id,))
                self.added -= 1
