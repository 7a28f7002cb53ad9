"""`import members`: member rows matched against the registry, then added or updated.

A row matches a stored member by card number, then CCCD, then file number, then folded
name + birth date (when no number contradicts). A matched row that says nothing new is
"unchanged"; one that differs is refused unless ``update``. An empty cell never blanks a
stored value. New rows go straight into ``members`` in batches inside the import's one
transaction: the table's unique indexes find the duplicates inside the file, with no
Python set of keys, so memory stays flat however long the file.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import pickle
import sqlite3
from typing import Any

from tanhung_cli import audit, members
from tanhung_cli.branches import BranchIndex
from tanhung_cli.columns import MEMBER_COLUMNS
from tanhung_cli.errors import Conflict
from tanhung_cli.i18n import t
from tanhung_cli.importer import Options, Problems, ProblemSink, Summary, bulk
from tanhung_cli.importer.rejects import REASON_HEADERS
from tanhung_cli.importer.staging import Chunk
from tanhung_cli.rules import Problem, validate_member

FIELDS = (*members.STORED_FIELDS, "name_key", "sort_key")
SHOWN = frozenset({*members.STORED_FIELDS, "joined_roll_on", "presence"})  # not the keys
# Roll columns are named in messages by the file columns that carry them.
LABELLED = {"joined_roll_on": "transferred_in_on", "presence": "temporary"}
KEYS = ("card_no", "national_id", "file_no")
# A record, as `validate` returns it and a staging file keeps it (`staging`, after the
# line): the fields nearly every row fills first, then the rest, the roll dates (for a new
# member; None when the file does not say), the file's id, and the empty required cells
# (`_pending`). A row with nothing after the usual fields is a shorter record: fewer
# values to bind when it is staged; the rest read back as NULL (`_whole`).
USUAL = ("full_name", "name_key", "sort_key", "gender", "birth_date", "ethnicity", "religion",
         "branch_id", "admitted_on", "official_on", "card_no", "national_id")  # fmt: skip
LAYOUT = (*USUAL, *(f for f in FIELDS if f not in USUAL), "joined_roll_on", "presence")
RECORD = (*LAYOUT, "id", "pending")
_AT = {name: i + 1 for i, name in enumerate(RECORD)}  # in a row: the line, then the record
_WIDTH = len(RECORD) + 1
_ID, _JOINED, _PRESENCE, _PENDING = _AT["id"], _AT["joined_roll_on"], _AT["presence"], -1
_USUAL = operator.itemgetter(*USUAL)
_REST = operator.itemgetter(*LAYOUT[len(USUAL) :])
_INSERT = (
    f"INSERT INTO members (id, {', '.join(LAYOUT)}, created_at, updated_at)"
    f" VALUES (?, {', '.join('?' * len(LAYOUT))}, ?, ?)"
)
# A field's column in a staging file: r0 is the record's first value.
_COL = {name: f"r{i}" for i, name in enumerate(RECORD)}


def _whole(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A row with its record at full length (a short record leaves the rest out)."""
    return row if len(row) == _WIDTH else row + (None,) * (_WIDTH - len(row))


def _pending(row: tuple[Any, ...]) -> tuple[Problems, dict[str, Any]]:
    """A staged row's empty required cells: (their problems, the cells the row does give)."""
    found: tuple[Problems, dict[str, Any]] = pickle.loads(row[_PENDING])
    return found


class MemberImport:
    """The member file's columns, validated by `rules.validate_member` (the one validator)."""

    entity = "member"
    columns = MEMBER_COLUMNS
    record_width = len(RECORD)  # the longest record (a usual row's is shorter)
    ignored = ("status", "Trạng thái", *REASON_HEADERS)
    file = ""

    def __init__(self, conn: sqlite3.Connection, today: dt.date | None = None) -> None:
        self.ctx = members.context(conn, today)
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
        rec, problems = validate_member(raw, self.ctx)
        file_id = raw.get("id")
        if not problems and not file_id:  # the usual row
            rest = _REST(rec)
            if rest.count(None) == len(rest):
                return _USUAL(rec), []
            return (*_USUAL(rec), *rest), []
        found: Problems = [(p.column, p.message()) for p in problems]
        if problems and not any(p.key == "rule.required" for p in problems):
            return None, found
        # Empty required cells are fine in a row that matches a stored member: they keep
        # the stored values, and the merged record is validated again (`_compare`).
        # `stage` reports the problems if the row turns out to be new.
        pending = None
        if found:  # (a record is SQL values: these ride along pickled)
            given = {c: v for c, v in raw.items() if c != "id" and v is not None and str(v).strip()}
            pending = pickle.dumps((found, given))
        number = None
        if file_id:
            text = str(file_id).strip().removesuffix(".0")
            number = int(text) if text.isdigit() else None
        return (*map(rec.get, LAYOUT), number, pending), []

    def stage(self, conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
        batch: list[tuple[Any, ...]] = []
        for row in map(_whole, rows):
            has_key = row[_AT["card_no"]] or row[_AT["national_id"]] or row[_AT["file_no"]]
            if row[_PENDING] and self.bulk:
                self.sink.add_many([(row[0], c, m) for c, m in _pending(row)[0]])
                continue
            if row[_PENDING]:  # empty required cells: only a stored member can fill them
                self._insert(conn, batch)
                batch = []
                member_id = self._match(conn, row)
                if member_id:
                    self._compare(conn, row, member_id)
                elif member_id == 0:
                    self.sink.add_many([(row[0], c, m) for c, m in _pending(row)[0]])
                continue
            if not self.bulk and (self.stored or not has_key):
                self._insert(conn, batch)  # the lookups below must see every earlier row
                batch = []
                member_id = self._match(conn, row)
                if member_id is None:
                    continue
                if member_id:
                    self._compare(conn, row, member_id)
                    continue
            batch.append(row)
        self._insert(conn, batch)

    def stage_staged(self, conn: sqlite3.Connection, chunk: Chunk, shift: int) -> None:
        """A chunk the workers staged: copied in by SQLite on the bulk path, else as rows."""
        first, last = chunk.rows
        if first > last:
            return
        if not self.bulk:
            rows = conn.execute(
                f"SELECT line + ?, * FROM {chunk.db}.staged WHERE rowid BETWEEN ? AND ?",
                (shift, first, last),
            )
            self.stage(conn, [(row[0], *row[2:]) for row in rows])
            return
        blob, file_id = _COL["pending"], _COL["id"]
        # Only a record that goes as far as a file id can carry empty required cells.
        gaps = chunk.widest == len(RECORD)
        if gaps:
            for line, cells in conn.execute(
                f"SELECT line + ?, {blob} FROM {chunk.db}.staged"
                f" WHERE rowid BETWEEN ? AND ? AND {blob} IS NOT NULL",
                (shift, first, last),
            ):
                found, _ = pickle.loads(cells)
                self.sink.add_many([(line, c, m) for c, m in found])
        if self.keep_ids:
            # As in `_insert`: from the first row without an id on, new members get the
            # next ids, so that none takes an id a later row names.
            cut = conn.execute(
                f"SELECT min(rowid) FROM {chunk.db}.staged WHERE rowid BETWEEN ? AND ?"
                f" AND {file_id} IS NULL AND {blob} IS NULL",
                (first, last),
            ).fetchone()[0]
            if cut is None:
                self._copy(conn, chunk.db, first, last, shift, gaps)
                return
            if cut > first:
                self._copy(conn, chunk.db, first, cut - 1, shift, gaps)
            self.keep_ids, first = False, cut
        self._copy(conn, chunk.db, first, last, shift, gaps)

    def _copy(
        self, conn: sqlite3.Connection, db: str, first: int, last: int, shift: int, gaps: bool
    ) -> None:
        """Staged rows ``first``…``last`` into members by SQLite, in file order.

        ``gaps``: some of them (empty required cells) may be left out.
        """
        file_id, blob = _COL["id"], _COL["pending"]
        where = f"FROM {db}.staged WHERE rowid BETWEEN {first} AND {last} AND {blob} IS NULL"
        fields = ", ".join(_COL[f] for f in LAYOUT[:-2])
        joined, presence = _COL["joined_roll_on"], _COL["presence"]
        conn.execute("SAVEPOINT import_chunk")
        try:
            count = conn.execute(
                f"INSERT INTO members (id, {', '.join(LAYOUT)}, created_at, updated_at)"
                f" SELECT {file_id if self.keep_ids else 'NULL'}, {fields},"
                f" coalesce({joined}, {_COL['admitted_on']}), coalesce({presence}, 'regular'),"
                f" ?, ? {where} ORDER BY rowid",
                (self.stamp, self.stamp),
            ).rowcount
        except sqlite3.IntegrityError:  # an id twice: one by one, to name the lines
            conn.execute("ROLLBACK TO import_chunk")
            conn.execute("RELEASE import_chunk")
            rows = conn.execute(f"SELECT line + ?, * {where}", (shift,))
            self._insert(conn, [_whole((row[0], *row[2:])) for row in rows])
            return
        if self.keep_ids:
            conn.execute(f"INSERT INTO import_lines SELECT {file_id}, line + ? {where}", (shift,))
        else:
            after = conn.execute("SELECT last_insert_rowid()").fetchone()[0] - count
            # The new ids follow the staged rows' order: with no row left out, their rowids.
            number = f"{after - first + 1} + rowid" if not gaps else (
                f"{after} + row_number() OVER (ORDER BY rowid)")  # fmt: skip
            conn.execute(f"INSERT INTO import_lines SELECT {number}, line + ? {where}", (shift,))
        conn.execute("RELEASE import_chunk")
        self.added += count

    def _insert(self, conn: sqlite3.Connection, batch: list[tuple[Any, ...]]) -> None:
        if not batch:
            return
        if self.keep_ids:
            cut = next((i for i, row in enumerate(batch) if row[_ID] is None), None)
            if cut is not None:
                # A row without an id among exported ones (a clerk added people to an
                # export): from it on every new member gets the next id, so none takes an
                # id that a later row names.
                self._insert(conn, batch[:cut])
                self.keep_ids, batch = False, batch[cut:]
        values = [
            (row[_ID] if self.keep_ids else None, *row[1:_JOINED],
             row[_JOINED] or row[_AT["admitted_on"]], row[_PRESENCE] or "regular",
             self.stamp, self.stamp)
            for row in batch
        ]  # fmt: skip
        with_ids = sum(row[_ID] is not None for row in batch) if self.keep_ids else 0
        given = with_ids == len(batch)
        if given or not with_ids:  # all rows keep their ids, or all get the next ones
            conn.execute("SAVEPOINT import_batch")
            try:
                conn.executemany(_INSERT, values)
                if given:
                    ids = [row[_ID] for row in batch]
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
                member_id = conn.execute(_INSERT, value).lastrowid
            except sqlite3.IntegrityError as exc:
                self._clash(conn, row, str(exc))
                continue
            conn.execute("INSERT INTO import_lines VALUES (?, ?)", (member_id, row[0]))
            self.added += 1

    def _line_of(self, conn: sqlite3.Connection, member_id: int) -> int | None:
        found = conn.execute("SELECT line FROM import_lines WHERE id = ?", (member_id,))
        row = found.fetchone()
        return row[0] if row else None

    def _clash(self, conn: sqlite3.Connection, row: tuple[Any, ...], error: str) -> None:
        """A row the unique indexes refused: say which line (or stored member) holds it."""
        column = error.rpartition(".")[2] if "UNIQUE" in error else None
        if column not in (*KEYS, "id"):
            self.sink.add(row[0], None, error)
            return
        value = row[_AT[column]]
        other = conn.execute(f"SELECT id, full_name FROM members WHERE {column} = ?", (value,))
        member_id, name = other.fetchone()
        self._refer(conn, row[0], column, value, member_id, name)

    def _refer(
        self, conn: sqlite3.Connection, line: int, column: str, value: Any, other: int, name: str
    ) -> None:
        first = self._line_of(conn, other)
        if first is not None:
            self.sink.add(line, column, t("import.duplicate_in_file", value=value, lines=first))
        else:
            self.sink.add(line, column, t("import.taken", value=value, id=other, name=name))

    def _match(self, conn: sqlite3.Connection, row: tuple[Any, ...]) -> int | None:
        """The stored member a row names (an id), 0 for none, None when the row is refused."""
        found: dict[str, tuple[int, str]] = {}
        if row[_ID]:
            # An exported file carries the registry's id: the same person, if the name agrees
            # and no card/CCCD/file number says otherwise (an id from another registry names
            # someone else and is passed over).
            hit = conn.execute(
                "SELECT id, full_name, name_key, card_no, national_id, file_no FROM members"
                " WHERE id = ?",
                (row[_ID],),
            ).fetchone()
            if (
                hit
                and hit["name_key"] == row[_AT["name_key"]]
                and all(not hit[k] or not row[_AT[k]] or hit[k] == row[_AT[k]] for k in KEYS)
            ):
                found["id"] = (hit["id"], hit["full_name"])
        for key in KEYS:
            if row[_AT[key]]:
                hit = conn.execute(
                    f"SELECT id, full_name FROM members WHERE {key} = ?", (row[_AT[key]],)
                ).fetchone()
                if hit:
                    found[key] = hit
        if not found:
            candidates = conn.execute(
                "SELECT id, full_name, card_no, national_id, file_no FROM members"
                " WHERE name_key = ? AND birth_date = ?",
                (row[_AT["name_key"]], row[_AT["birth_date"]]),
            ).fetchall()
            fits = [c for c in candidates if all(not c[k] or not row[_AT[k]] for k in KEYS)]
            if len(fits) > 1:
                self.sink.add(row[0], "full_name", t("import.ambiguous", count=len(fits)))
                return None
            if fits:
                found["full_name"] = (fits[0]["id"], fits[0]["full_name"])
        ids = {hit[0] for hit in found.values()}
        if len(ids) > 1:
            shown = ", ".join(f"{t('column.' + k)} → {i}" for k, (i, _) in found.items())
            self.sink.add(row[0], None, t("import.two_members", found=shown))
            return None
        if not ids:
            return 0
        key, (member_id, name) = next(iter(found.items()))
        if member_id > self.base:  # added earlier by this very file
            value = row[_AT[key]] if key in KEYS else row[_AT["full_name"]]
            self._refer(conn, row[0], key, value, member_id, name)
            return None
        return member_id

    def _compare(self, conn: sqlite3.Connection, row: tuple[Any, ...], member_id: int) -> None:
        """A matched row: unchanged, applied (``update``), or refused because it differs."""
        stored = conn.execute("SELECT * FROM members WHERE id = ?", (member_id,)).fetchone()
        # The roll columns, where the file gives them (an empty cell keeps what is stored).
        roll = [
            (c, stored[c], new)
            for c, new in (("joined_roll_on", row[_JOINED]), ("presence", row[_PRESENCE]))
            if new is not None and new != stored[c]
        ]
        if not row[_PENDING] and not roll and all(row[_AT[c]] in (None, stored[c]) for c in FIELDS):
            self.unchanged += 1  # the usual case of a second import: nothing to check again
            return
        raw = members.raw_values(conn, stored)
        if row[_PENDING]:  # the cells as written, some empty
            raw.update(_pending(row)[1])
        else:
            incoming = {c: row[_AT[c]] for c in members.STORED_FIELDS}
            raw.update({c: v for c, v in incoming.items() if v is not None and c in raw})
            raw["branch"] = self.branches[incoming["branch_id"]]
        rec, problems = validate_member(raw, self.ctx)
        wrong = (
            members.admission_problem(conn, stored, rec["admitted_on"])
            if rec.get("admitted_on")
            else None
        )
        if wrong:
            problems.append(Problem("admitted_on", *wrong))
        for problem in problems:
            self.sink.add(row[0], problem.column, problem.message())
        if problems:
            return
        diff = [(c, stored[c], rec[c]) for c in FIELDS if rec[c] != stored[c]] + roll
        if not diff:
            self.unchanged += 1
            return
        if not self.options.update:
            fields = ", ".join(t("column." + LABELLED.get(c, c)) for c, _, _ in diff if c in SHOWN)
            name = stored["full_name"]
            self.sink.add(row[0], None, t("import.differs", id=member_id, name=name, fields=fields))
            return
        self.updated += 1
        if not any(c == "joined_roll_on" for c, _, _ in roll):
            moved = members.roll_follows_admission(stored, rec["admitted_on"])
            diff += [(c, old, new) for c, (old, new) in moved.items()]
        sets = ", ".join(f"{c} = ?" for c, _, _ in diff)
        conn.execute(
            f"UPDATE members SET {sets}, updated_at = ? WHERE id = ?",
            (*(new for _, _, new in diff), self.stamp, member_id),
        )
        conn.executemany(
            "INSERT INTO import_changes VALUES (?, ?, ?, ?)",
            [(member_id, c, old, new) for c, old, new in diff if c in SHOWN],
        )

    def finish(self, conn: sqlite3.Connection) -> Summary:
        # A dry run rolls back, indexes and all: only the unique ones tell it anything.
        needed = [i for i in self.deferred if i.unique or not self.options.dry_run]
        bulk.rebuild(conn, needed, self._drop_duplicates)
        if self.bulk:  # twins without any number, which the lookups did not see
            where = " AND ".join(f"m.{k} IS NULL" for k in KEYS)
            self._drop_twins(conn, ("name_key", "birth_date"), where, "full_name")
            # A bulk load does not look foreign keys up row by row (`db.bulk_load`): the
            # branches were read before the rows were checked, so check them here. (The
            # history rows name the members and the audit row this import writes.)
            if conn.execute("PRAGMA foreign_key_check(members)").fetchone():
                raise Conflict("import.branches_changed", file=self.file)
        return Summary("", added=self.added, updated=self.updated, unchanged=self.unchanged)

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
                self.sink.add(line, shown, t("import.duplicate_in_file", value=value, lines=first))
                conn.execute("DELETE FROM members WHERE id = ?", (member_id,))
                conn.execute("DELETE FROM import_lines WHERE id = ?", (member_id,))
                self.added -= 1

    def write(self, conn: sqlite3.Connection, audit_id: int) -> None:
        """The history: one 'imported' event per added member, one 'edited' per change."""
        conn.execute(
            "INSERT INTO events (member_id, on_date, kind, note, audit_id)"
            " SELECT id, ?, 'imported', ?, ? FROM import_lines ORDER BY id",
            (self.today, self.file, audit_id),
        )
        conn.execute(
            "INSERT INTO events (member_id, on_date, kind, field, old, new, audit_id)"
            " SELECT member_id, ?, 'edited', field, old, new, ? FROM import_changes ORDER BY rowid",
            (self.today, audit_id),
        )
