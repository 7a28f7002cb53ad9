"""`import members`: member rows matched against the registry, then added or updated.

A row matches a stored member by card number, then CCCD, then file number, then folded
name + birth date (when no number contradicts): `member_match`. A matched row that says
nothing new is "unchanged"; one that differs is refused unless ``update``; an empty cell
never blanks a stored value: `member_update`. New rows go straight into ``members`` in
batches inside the import's one transaction: the table's unique indexes find the
duplicates inside the file, with no Python set of keys, so memory stays flat however long
the file. The record's layout is `member_record`; a large file into an empty registry
takes the bulk path, `member_bulk`; the history written is `member_history`.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import pickle
import sqlite3
from typing import Any

from tanhung_cli import audit, members
from tanhung_cli import ethnic_codes as ethnic_tables
from tanhung_cli.branches import BranchIndex
from tanhung_cli.columns import MEMBER_COLUMNS
from tanhung_cli.errors import Conflict
from tanhung_cli.history import Change
from tanhung_cli.importer import Options, Problems, ProblemSink, Summary, bulk, identity
from tanhung_cli.importer.member_bulk import BulkCopy
from tanhung_cli.importer.member_history import write_history
from tanhung_cli.importer.member_match import MemberMatch
from tanhung_cli.importer.member_record import (
    AT,
    ID,
    INSERT,
    JOINED,
    KEYS,
    LAYOUT,
    PENDING,
    PRESENCE,
    RECORD,
    REST_OF,
    USUAL_OF,
    pending_cells,
    rules_stamp,
    whole,
)
from tanhung_cli.importer.member_update import MemberUpdate
from tanhung_cli.importer.rejects import REASON_HEADERS
from tanhung_cli.importer.staged import Chunk
from tanhung_cli.rules import validate_member

KEYS_OF = operator.itemgetter(*(AT[key] for key in KEYS))  # a row's card, CCCD, file numbers


class MemberImport(MemberMatch, MemberUpdate, BulkCopy):
    """The member file's columns, validated by `rules.validate_member` (the one validator)."""

    entity = "member"
    columns = MEMBER_COLUMNS
    record_width = len(RECORD)  # the longest record (a usual row's is shorter)
    ignored = ("status", "Trạng thái", *REASON_HEADERS)
    file = ""

    def __init__(
        self,
        conn: sqlite3.Connection,
        today: dt.date | None = None,
        *,
        keep_case: bool = False,
        ethnic_codes: str = "2008",
    ) -> None:
        self.keep_case, self.ethnic_codes = keep_case, ethnic_codes
        ethnic_tables.forget()
        self._read_rules(conn, today)

    def _read_rules(self, conn: sqlite3.Connection, today: dt.date | None) -> None:
        """The branches and settings rows are checked against (read again under the lock)."""
        self.ctx = members.context(conn, today, keep_case=self.keep_case)
        # A file names a handful of branches a million times; the branches do not change
        # while it loads. (Only answers are kept: an unknown name is looked up each time.)
        self.ctx.resolve_branch = functools.lru_cache(maxsize=1024)(self.ctx.resolve_branch)
        self.today = self.ctx.today.isoformat()
        self.branches = BranchIndex(conn).by_id

    def loads_in_bulk(self, conn: sqlite3.Connection, options: Options) -> bool:
        """A large file into an empty registry: loaded without indexes, pages written once."""
        return options.large and conn.execute("SELECT 1 FROM members LIMIT 1").fetchone() is None

    def begin(self, conn: sqlite3.Connection, options: Options, sink: ProblemSink) -> None:
        self.options, self.sink, self.stamp, self.conn = options, sink, audit.now(), conn
        # With the write lock held: a small file's rows are checked from here on against
        # what is stored now (a large one's were checked before, in workers: a known limit).
        self._read_rules(conn, self.ctx.today)
        for name in ("import_lines", "import_changes"):
            conn.execute(f"DROP TABLE IF EXISTS temp.{name}")
        # Which line each added member came from, to name both lines of a duplicate.
        conn.execute("CREATE TEMP TABLE import_lines (id INTEGER PRIMARY KEY, line INTEGER)")
        conn.execute(
            "CREATE TEMP TABLE import_changes (member_id INTEGER, field TEXT, old TEXT, new TEXT)"
        )
        base, self.stored = conn.execute("SELECT max(id), count(*) FROM members").fetchone()
        self.base = base or 0
        # Into an empty registry, an exported file keeps its ids (export → import → export).
        self.keep_ids = not self.stored
        self.added = self.updated = self.unchanged = 0
        # A large file into an empty registry loads without any index (the bulk path);
        # into a filled one, the indexes its lookups need stay.
        self.bulk = options.large and not self.stored
        self.deferred: list[bulk.Index] = []
        if options.large:
            keep = (
                (lambda i: False) if self.bulk else (lambda i: i.unique or "name_key" in i.columns)
            )
            self.deferred = bulk.defer_indexes(conn, "members", keep)

    def validate(self, raw: dict[str, Any]) -> tuple[tuple[Any, ...] | None, Problems]:
        ethnicity = raw.get("ethnicity")
        if ethnicity is not None and (type(ethnicity) is not str or ethnicity[:1].isdigit()):
            # A bare number, read by the file's table (a pending row keeps it translated).
            raw["ethnicity"] = ethnic_tables.read_cell(ethnicity, self.ethnic_codes)
        rec, problems = validate_member(raw, self.ctx)
        file_id = raw.get("id")
        if file_id and str(file_id).strip() and identity.registry_id(file_id) is None:
            # A code that is not the registry's (a branch's own numbering) kept as an id
            # would give every later member an id no command finds.
            return None, [identity.not_an_id(file_id), *problems]
        if not problems and not file_id:  # the usual row
            rest = REST_OF(rec)
            if rest.count(None) == len(rest):
                return USUAL_OF(rec), []
            return (*USUAL_OF(rec), *rest), []
        found: Problems = problems
        if problems and not any(p.key == "rule.required" for p in problems):
            return None, found
        # Empty required cells are fine in a row that matches a stored member: they keep
        # the stored values, and the merged record is validated again (`_compare`).
        # `stage` reports the problems if the row turns out to be new.
        pending = None
        if found:  # (a record is SQL values: these ride along pickled)
            given = {c: v for c, v in raw.items() if c != "id" and v is not None and str(v).strip()}
            pending = pickle.dumps((found, given))
        number = identity.registry_id(file_id) if file_id else None
        return (*map(rec.get, LAYOUT), number, pending), []

    def stage(self, conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
        batch: list[tuple[Any, ...]] = []
        for row in map(whole, rows):
            has_key = any(KEYS_OF(row))
            if row[PENDING] and self.bulk:
                self.sink.add_problems(row[0], pending_cells(row)[0])
                continue
            if row[PENDING]:  # empty required cells: only a stored member can fill them
                self._insert(conn, batch)
                batch = []
                member_id, by = self._match(conn, row)
                if member_id:
                    self._compare(conn, row, member_id, by)
                elif member_id == 0:
                    self.sink.add_problems(row[0], pending_cells(row)[0])
                continue
            if not self.bulk and (self.stored or not has_key):
                self._insert(conn, batch)  # the lookups below must see every earlier row
                batch = []
                member_id, by = self._match(conn, row)
                if member_id is None:
                    continue
                if member_id:
                    self._compare(conn, row, member_id, by)
                    continue
            batch.append(row)
        self._insert(conn, batch)

    def copy_staged(self, conn: sqlite3.Connection, chunk: Chunk, shift: int) -> bool:
        """On the bulk path, a staged chunk is copied in by SQLite (`member_bulk`)."""
        if self.bulk:
            self.copy_chunk(conn, chunk, shift, self._insert)
        return self.bulk

    def _insert(self, conn: sqlite3.Connection, batch: list[tuple[Any, ...]]) -> None:
        if not batch:
            return
        if self.keep_ids:
            cut = next((i for i, row in enumerate(batch) if row[ID] is None), None)
            if cut is not None:
                # A row without an id among exported ones (a clerk added people to an
                # export): from it on every new member gets the next id, so none takes an
                # id that a later row names.
                self._insert(conn, batch[:cut])
                self.keep_ids, batch = False, batch[cut:]
        values = [
            (
                row[ID] if self.keep_ids else None,
                *row[1:JOINED],
                row[JOINED] or row[AT["readmitted_on"]] or row[AT["admitted_on"]],
                row[PRESENCE] or "regular",
                self.stamp,
                self.stamp,
                rules_stamp(row[AT["readmitted_on"]]),
            )
            for row in batch
        ]
        with_ids = sum(row[ID] is not None for row in batch) if self.keep_ids else 0
        given = with_ids == len(batch)
        if given or not with_ids:  # all rows keep their ids, or all get the next ones
            conn.execute("SAVEPOINT import_batch")
            try:
                conn.executemany(INSERT, values)
                if given:
                    ids = [row[ID] for row in batch]
                else:
                    last = conn.execute("SELECT last_insert_rowid()").fetchone()[0]
                    ids = list(range(last - len(batch) + 1, last + 1))
                conn.executemany(
                    "INSERT INTO import_lines VALUES (?, ?)",
                    zip(ids, (row[0] for row in batch), strict=True),
                )
                conn.execute("RELEASE import_batch")
                self.added += len(batch)
                return
            except sqlite3.IntegrityError:
                conn.execute("ROLLBACK TO import_batch")
                conn.execute("RELEASE import_batch")
        for row, value in zip(batch, values, strict=True):  # one by one, to name the culprit
            try:
                member_id = conn.execute(INSERT, value).lastrowid
            except sqlite3.IntegrityError as exc:
                self._clash(conn, row, str(exc))
                continue
            conn.execute("INSERT INTO import_lines VALUES (?, ?)", (member_id, row[0]))
            self.added += 1

    def finish(self, conn: sqlite3.Connection) -> Summary:
        # A dry run rolls back, indexes and all: only the unique ones tell it anything.
        needed = [i for i in self.deferred if i.unique or not self.options.dry_run]
        bulk.rebuild(conn, needed, self._drop_duplicates)
        if self.bulk:  # twins without any number, which the lookups did not see
            where = " AND ".join(f"m.{k} IS NULL" for k in KEYS)
            self._drop_twins(conn, ("name_key", "birth_date"), where, "full_name")
        # A bulk load does not look foreign keys up row by row (`db.bulk_load`, decided
        # before the lock: even if another clerk's member made this import a row-by-row
        # one since): the branches were read before the rows were checked, so check them
        # here. (The history rows name these members and this import's audit row.)
        if (
            not conn.execute("PRAGMA foreign_keys").fetchone()[0]
            and conn.execute("PRAGMA foreign_key_check(members)").fetchone()
        ):
            raise Conflict("import.branches_changed", file=self.file)
        return Summary("", added=self.added, updated=self.updated, unchanged=self.unchanged)

    def write(self, conn: sqlite3.Connection, change: Change) -> None:
        """The history: one 'imported' event per added member, one 'edited' per change."""
        write_history(conn, change, self.today, self.file)
