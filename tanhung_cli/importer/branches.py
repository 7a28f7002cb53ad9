"""`import branches`: the branches (chi bộ) a member file refers to, from a small table."""

from __future__ import annotations

import sqlite3
from typing import Any

from tanhung_cli import audit
from tanhung_cli import vietnamese as vn
from tanhung_cli.branches import branch_key, display_name
from tanhung_cli.columns import Column
from tanhung_cli.history import Change
from tanhung_cli.importer import Options, Problems, ProblemSink, Summary
from tanhung_cli.importer.rejects import REASON_HEADERS
from tanhung_cli.problems import Label, Problem
from tanhung_cli.vocab import UnknownValue, vocabulary

BRANCH_COLUMNS = (
    Column("id", "Mã", kind="id"),
    Column("name", "Tên chi bộ", required=True),
    Column("kind", "Loại", kind="vocab:branch_kind"),
    Column("members", "Số đảng viên"),  # in `branch list --format csv`; not imported
)


class BranchImport:
    """Branch rows: a name (a leading "Chi bộ" is dropped) and a kind (hamlet by default)."""

    entity = "branch"
    columns = BRANCH_COLUMNS
    ignored = REASON_HEADERS
    file = ""

    def begin(self, conn: sqlite3.Connection, options: Options, sink: ProblemSink) -> None:
        self.options, self.sink = options, sink
        self.rows: list[tuple[Any, ...]] = []
        self.new: list[tuple[str, str, str]] = []
        self.changes: list[tuple[int, str, str]] = []

    def validate(self, raw: dict[str, Any]) -> tuple[tuple[Any, ...] | None, Problems]:
        name = display_name(str(raw.get("name") or ""))
        if not name:
            return None, [Problem("rule.required", column="name")]
        if len(name) > 100:
            return None, [Problem("rule.too_long", {"max": 100}, "name")]
        kind_text = vn.clean(str(raw.get("kind") or "")) or "hamlet"
        try:
            kind = vocabulary("branch_kind").resolve(kind_text).code
        except UnknownValue:
            return None, [Problem("branch.bad_kind", {"value": kind_text}, "kind")]
        return (name, branch_key(name), kind), []

    def stage(self, conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
        self.rows.extend(rows)

    def finish(self, conn: sqlite3.Connection) -> Summary:
        options, sink = self.options, self.sink
        summary = Summary(file="")
        stored = {r[2]: r for r in conn.execute("SELECT id, name, name_key, kind FROM branches")}
        first: dict[str, int] = {}
        for line, name, key, kind in self.rows:
            if key in first:
                sink.add(line, "name", "import.duplicate_in_file", value=name, lines=first[key])
                continue
            first[key] = line
            old = stored.get(key)
            if old is None:
                self.new.append((name, key, kind))
            elif old[3] == kind:
                summary.unchanged += 1
            elif options.update:
                self.changes.append((old[0], old[3], kind))
            else:
                fields = Label("label.kind")
                sink.add(line, "kind", "import.differs", id=old[0], name=old[1], fields=fields)
        summary.added, summary.updated = len(self.new), len(self.changes)
        return summary

    def write(self, conn: sqlite3.Connection, change: Change) -> None:
        stamp = audit.now()
        conn.executemany(
            "INSERT INTO branches (name, name_key, kind, created_at) VALUES (?, ?, ?, ?)",
            [(*row, stamp) for row in self.new],
        )
        conn.executemany(
            "UPDATE branches SET kind = ? WHERE id = ?", [(new, i) for i, _, new in self.changes]
        )
