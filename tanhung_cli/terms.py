"""Terms (nhiệm kỳ) between congresses and the targets (chỉ tiêu) their resolutions set."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from tanhung_cli import history
from tanhung_cli import vietnamese as vn
from tanhung_cli.errors import Conflict, Invalid, NotFound
from tanhung_cli.history import write_transaction

# The metrics a target can be set for, with the spellings a clerk may type.
METRICS: dict[str, tuple[str, ...]] = {
    "admissions": ("admissions", "admission", "ket nap", "ket nap dang vien", "dang vien moi"),
    "training": ("training", "attendances", "boi duong", "dao tao", "luot boi duong"),
}
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"})


@dataclass(frozen=True)
class Term:
    id: int
    name: str
    start: dt.date
    end: dt.date

    def as_json(self) -> dict[str, str]:
        return {"name": self.name, "start": self.start.isoformat(), "end": self.end.isoformat()}


def term_name(text: str) -> str:
    """The name as stored: NFC, one space, any dash written as a hyphen ("2015–2020")."""
    return vn.clean(text).translate(_DASHES).replace(" - ", "-")


def _term(row: sqlite3.Row) -> Term:
    return Term(
        row["id"],
        row["name"],
        dt.date.fromisoformat(row["start_on"]),
        dt.date.fromisoformat(row["end_on"]),
    )


def metric_code(text: str) -> str:
    """The metric named ``text`` ("admissions", "kết nạp"…); Invalid otherwise."""
    key = vn.fold(text).replace("-", " ").replace("_", " ")
    for code, spellings in METRICS.items():
        if key in spellings:
            return code
    raise Invalid("term.bad_metric", value=vn.clean(text)[:40], known=", ".join(METRICS))


def add_term(conn: sqlite3.Connection, name: str, start: dt.date, end: dt.date) -> Term:
    """Record a term; refuse an empty name, an end before the start, or an overlap."""
    name = term_name(name)
    if not name or len(name) > 60:
        raise Invalid("term.bad_name")
    if end <= start:
        raise Invalid("term.bad_dates", start=start.isoformat(), end=end.isoformat())
    with write_transaction(conn):
        if conn.execute("SELECT 1 FROM terms WHERE name = ?", (name,)).fetchone():
            raise Conflict("term.exists", name=name)
        other = conn.execute(
            "SELECT name FROM terms WHERE start_on <= ? AND end_on >= ?",
            (end.isoformat(), start.isoformat()),
        ).fetchone()
        if other:
            raise Conflict("term.overlaps", name=name, other=other["name"])
        cur = conn.execute(
            "INSERT INTO terms (name, start_on, end_on) VALUES (?, ?, ?)",
            (name, start.isoformat(), end.isoformat()),
        )
        term_id = int(cur.lastrowid or 0)
        detail = {"name": name, "start": start.isoformat(), "end": end.isoformat()}
        history.record(conn, "add", "term", term_id, detail)
    return Term(term_id, name, start, end)


def list_terms(conn: sqlite3.Connection) -> list[tuple[Term, dict[str, float]]]:
    """Every term, oldest first, with its targets by metric."""
    targets: dict[int, dict[str, float]] = {}
    for row in conn.execute("SELECT term_id, metric, value FROM targets ORDER BY metric"):
        targets.setdefault(row["term_id"], {})[row["metric"]] = row["value"]
    rows = conn.execute("SELECT * FROM terms ORDER BY start_on").fetchall()
    return [(_term(row), targets.get(row["id"], {})) for row in rows]


def list_branch_targets(conn: sqlite3.Connection) -> dict[int, dict[str, dict[str, float]]]:
    """The branches' own targets: by term id, then branch name, then metric."""
    found: dict[int, dict[str, dict[str, float]]] = {}
    rows = conn.execute(
        "SELECT t.term_id, b.name, t.metric, t.value FROM branch_targets t"
        " JOIN branches b ON b.id = t.branch_id ORDER BY b.name, t.metric"
    )
    for term_id, branch, metric, value in rows:
        found.setdefault(term_id, {}).setdefault(branch, {})[metric] = value
    return found


def get_term(conn: sqlite3.Connection, name: str) -> Term:
    """The term called ``name`` (dashes and spacing do not matter)."""
    row = conn.execute("SELECT * FROM terms WHERE name = ?", (term_name(name),)).fetchone()
    if row is None:
        known = ", ".join(r[0] for r in conn.execute("SELECT name FROM terms ORDER BY start_on"))
        key = "term.not_found_hint" if known else "term.not_found"
        raise NotFound(key, name=vn.clean(name)[:60], known=known)
    return _term(row)


def term_at(conn: sqlite3.Connection, day: dt.date) -> Term | None:
    """The term running on ``day``, if one is recorded."""
    row = conn.execute(
        "SELECT * FROM terms WHERE start_on <= :d AND end_on >= :d ORDER BY start_on DESC",
        {"d": day.isoformat()},
    ).fetchone()
    return _term(row) if row else None


def set_target(
    conn: sqlite3.Connection,
    term: str,
    metric: str,
    value: float,
    branch: str | None = None,
) -> Term:
    """Set (or change) the term's target for ``metric``: the committee's, or a branch's."""
    code = metric_code(metric)
    if not value > 0 or value > 1_000_000:
        raise Invalid("term.bad_target", value=value)
    with write_transaction(conn):
        found = get_term(conn, term)
        if branch is None:
            table, keys = "targets", {"term_id": found.id, "metric": code}
        else:
            from tanhung_cli.branches import get_branch

            branch_id = get_branch(conn, branch)["id"]
            table, keys = (
                "branch_targets",
                {"term_id": found.id, "branch_id": branch_id, "metric": code},
            )
        where = " AND ".join(f"{k} = :{k}" for k in keys)
        old = conn.execute(f"SELECT value FROM {table} WHERE {where}", keys).fetchone()
        conn.execute(
            f"INSERT INTO {table} ({', '.join(keys)}, value) VALUES"
            f" ({', '.join(':' + k for k in keys)}, :value)"
            f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET value = excluded.value",
            {**keys, "value": value},
        )
        detail = {"metric": code, "value": value, "old": old["value"] if old else None}
        if branch is not None:
            detail["branch_id"] = keys["branch_id"]
        history.record(conn, "set-target", "term", found.id, detail)
    return found


def target(
    conn: sqlite3.Connection, term: Term, metric: str, branch_id: int | None = None
) -> float | None:
    """The term's target for ``metric``: the committee's, or only the branch's own.

    A branch is never measured against the committee's target: without a target of its
    own, it has none.
    """
    sql = "SELECT value FROM targets WHERE term_id = :term AND metric = :metric"
    if branch_id is not None:
        sql = (
            "SELECT value FROM branch_targets"
            " WHERE term_id = :term AND metric = :metric AND branch_id = :branch"
        )
    params = {"term": term.id, "metric": metric, "branch": branch_id}
    row = conn.execute(sql, params).fetchone()
    return row["value"] if row else None


def branch_targets(conn: sqlite3.Connection, term: Term, metric: str) -> dict[str, float]:
    """The branches' own targets for ``metric`` in ``term``, by branch name."""
    rows = conn.execute(
        "SELECT b.name, t.value FROM branch_targets t JOIN branches b ON b.id = t.branch_id"
        " WHERE t.term_id = ? AND t.metric = ?",
        (term.id, metric),
    )
    return {row["name"]: row["value"] for row in rows}
