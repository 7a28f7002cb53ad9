"""The figures a clerk reports: aggregates computed by SQL over the registry, as plain data.

Every report answers for a ``Scope``: a date (``as_of``), the term it falls in
(admissions and training count within the term, up to that date) and an optional
branch. Counts are grouped in SQLite; Python only reshapes a handful of rows, so a
report costs one scan of an index however long the roll is.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import Any

from tanhung_cli import org, roll, terms
from tanhung_cli.branches import get_branch
from tanhung_cli.branches import sort_key as branch_sort_key
from tanhung_cli.terms import Term
from tanhung_cli.vocab import vocabulary

# Age bands of the composition report: (label, lowest age, highest age).
AGE_BANDS = ((" ≤ 30", 0, 30), ("31-40", 31, 40), ("41-50", 41, 50), ("51-60", 51, 60),
             ("61-70", 61, 70), ("> 70", 71, 200))  # fmt: skip
# Age in whole years at :as_of, from ISO dates.
AGE_SQL = (
    "(CAST(substr(:as_of, 1, 4) AS INTEGER) - CAST(substr(m.birth_date, 1, 4) AS INTEGER)"
    " - (substr(:as_of, 6, 5) < substr(m.birth_date, 6, 5)))"
)


@dataclass(frozen=True)
class Scope:
    as_of: dt.date
    term: Term | None = None
    branch_id: int | None = None
    branch: str | None = None

    @property
    def window(self) -> tuple[str, str] | None:
        """The term's first day and the last day counted (the term's end or ``as_of``)."""
        if self.term is None:
            return None
        stop = min(self.term.end, self.as_of)
        return self.term.start.isoformat(), stop.isoformat()

    def params(self) -> dict[str, Any]:
        start, stop = self.window or ("", "")
        return {
            "as_of": self.as_of.isoformat(),
            "start": start,
            "stop": stop,
            "branch_id": self.branch_id,
        }

    def where_branch(self, alias: str = "m", day: str = ":as_of") -> str:
        """Members ``alias`` in the scope's branch on ``day`` (by default the scope's date:
        the branch of that day, `roll.branch_at`), or nothing for the whole committee."""
        if self.branch_id is None:
            return ""
        return f" AND {roll.in_branch(day, alias)}"

    def where_admitting(self) -> str:
        """Admissions (`roll.ADMISSIONS`) made by the scope's branch (the admitting one)."""
        return " AND m.branch_id = :branch_id" if self.branch_id is not None else ""


def scope(
    conn: sqlite3.Connection,
    *,
    as_of: dt.date | None = None,
    term: str | None = None,
    branch: str | None = None,
    today: dt.date | None = None,
) -> Scope:
    """The scope of a report: a named term ends at its last day, else today's term."""
    today = today or dt.date.today()
    found = terms.get_term(conn, term) if term else None
    if as_of is None:
        as_of = min(found.end, today) if found else today
    if found is None:
        found = terms.term_at(conn, as_of)
    if branch is None:
        return Scope(as_of, found)
    row = get_branch(conn, branch)
    return Scope(as_of, found, row["id"], org.names_at(conn, as_of.isoformat())[row["id"]])


def vocab_label(vocab: str, code: str | None, lang: str = "vi") -> str:
    return vocabulary(vocab).label(code, lang) if code else ""


def percent(part: float, whole: float | None) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def roll_counts(conn: sqlite3.Connection, sc: Scope) -> dict[str, Any]:
    """Members on the roll: total, official, probationary, women, men, by ethnic group."""
    # Grouped in the order of idx_members_roll, so SQLite scans the index without sorting.
    rows = conn.execute(
        f"SELECT m.ethnicity, m.gender, count(*) AS n, sum({roll.OFFICIAL}) AS official"
        f" FROM members m WHERE {roll.ON_ROLL}{sc.where_branch()} GROUP BY 1, 2",
        sc.params(),
    ).fetchall()
    by_ethnicity: dict[str, int] = {}
    out = {"total": 0, "official": 0, "probationary": 0, "women": 0, "men": 0}
    for ethnicity, gender, n, official in rows:
        out["total"] += n
        out["official"] += official
        out["probationary"] += n - official
        out["women" if gender == "female" else "men"] += n
        by_ethnicity[ethnicity] = by_ethnicity.get(ethnicity, 0) + n
    ordered = sorted(by_ethnicity.items(), key=lambda kv: (-kv[1], kv[0]))
    return {**out, "by_ethnicity": {vocab_label("ethnicity", code): n for code, n in ordered}}


def admitted_count(conn: sqlite3.Connection, sc: Scope, readmitted: bool = False) -> int | None:
    """New admissions in the term (kết nạp mới), or with ``readmitted`` re-admissions."""
    if sc.window is None:
        return None
    sql = (
        f"SELECT count(*) FROM {roll.ADMISSIONS} WHERE m.readmitted = {int(readmitted)}"
        " AND m.admitted_on BETWEEN :start AND :stop"
    )
    return int(conn.execute(sql + sc.where_admitting(), sc.params()).fetchone()[0])


def enrolments_sql(sc: Scope) -> str:
    # A course counts in the branch the member was in when it began.
    member = sc.where_branch("r", "c.start_on")
    # An attendance counts while the member was on this committee's roll (this period or an
    # earlier one): a course before a transfer-in belongs to the committee they came from.
    return (
        "FROM enrolments e JOIN courses c ON c.id = e.course_id"
        " JOIN members r ON r.id = e.member_id"
        f" WHERE c.start_on BETWEEN :start AND :stop{member} AND r.voided_at IS NULL"
        " AND ((r.joined_roll_on <= c.end_on AND (r.left_on IS NULL OR r.left_on > c.start_on))"
        " OR EXISTS (SELECT 1 FROM past_spells s WHERE s.member_id = r.id"
        " AND s.joined_roll_on <= c.end_on AND (s.left_on IS NULL OR s.left_on > c.start_on)))"
    )


def summary(conn: sqlite3.Connection, sc: Scope) -> dict[str, Any]:
    """The figures of the article, with the keys of the contract (CONTRACT.md)."""
    admitted = admitted_count(conn, sc)
    target = terms.target(conn, sc.term, "admissions", sc.branch_id) if sc.term else None
    training: dict[str, int | None] = {"attendances": None, "people": None}
    if sc.window is not None:
        row = conn.execute(
            f"SELECT count(*), count(DISTINCT e.member_id) {enrolments_sql(sc)}", sc.params()
        ).fetchone()
        training = {"attendances": row[0], "people": row[1]}
    return {
        "as_of": sc.as_of.isoformat(),
        "term": sc.term.as_json() if sc.term else None,
        **({"branch": sc.branch} if sc.branch else {}),
        "members": roll_counts(conn, sc),
        "admissions": {
            "in_term": admitted,
            "target": number(target),
            "percent_of_target": percent(admitted or 0, target) if admitted is not None else None,
            "readmitted": admitted_count(conn, sc, readmitted=True),  # kết nạp lại, apart
        },
        "training": training,
        "activity": _activity(conn, sc),
        "support": _support(conn, sc),
    }


def _activity(conn: sqlite3.Connection, sc: Scope) -> dict[str, Any]:
    from tanhung_cli import reports_activity  # it builds on this module

    return reports_activity.summary(conn, sc)


def _support(conn: sqlite3.Connection, sc: Scope) -> dict[str, Any] | None:
    """Support for members in hardship in the term (`reports_support`)."""
    from tanhung_cli.reports_support import summary_part

    return None if sc.window is None else summary_part(conn, *sc.window, sc.branch_id)


def number(value: float | None) -> float | int | None:
    return int(value) if value is not None and float(value).is_integer() else value


def branches(conn: sqlite3.Connection, sc: Scope) -> list[dict[str, Any]]:
    """One row per branch: its roll by status, sex and ethnic group, and its admissions."""
    params = sc.params()
    counts: dict[int, dict[str, Any]] = {}
    for bid, ethnicity, gender, n, official in _branch_counts(conn, sc):
        c = counts.setdefault(
            bid, {"total": 0, "official": 0, "probationary": 0, "women": 0, "by_ethnicity": {}}
        )
        c["total"] += n
        c["official"] += official
        c["probationary"] += n - official
        c["women"] += n if gender == "female" else 0
        label = vocab_label("ethnicity", ethnicity)
        c["by_ethnicity"][label] = c["by_ethnicity"].get(label, 0) + n
    admitted: dict[int, int] = {}
    if sc.window is not None:
        admitted = dict(
            conn.execute(
                f"SELECT m.branch_id, count(*) FROM {roll.ADMISSIONS} WHERE NOT m.readmitted"
                " AND m.admitted_on"
                f" BETWEEN :start AND :stop{sc.where_admitting()} GROUP BY 1",
                params,
            ).fetchall()
        )
    out = []
    branch_rows = _branch_rows(conn, sc, {*counts, *admitted})
    for b in branch_rows:
        c = counts.get(
            b["id"], {"total": 0, "official": 0, "probationary": 0, "women": 0, "by_ethnicity": {}}
        )
        ethnic = dict(sorted(c["by_ethnicity"].items(), key=lambda kv: (-kv[1], kv[0])))
        out.append(
            {
                "branch": b["name"],
                "kind": b["kind"],
                "total": c["total"],
                "official": c["official"],
                "probationary": c["probationary"],
                "women": c["women"],
                "by_ethnicity": ethnic,
                "admitted_in_term": admitted.get(b["id"], 0) if sc.window else None,
            }
        )
    return out


def _branch_counts(conn: sqlite3.Connection, sc: Scope) -> list[tuple[int, str, str, int, int]]:
    """(branch at the date, ethnic group, sex, members, official) of the roll. Members in
    their branch of today at the date are grouped by ``members.branch_id`` in the order of
    idx_members_roll (no sort); the few in an earlier branch then (`roll.BRANCH_AT`) apart."""
    moved = "SELECT bs.member_id FROM branch_spells bs WHERE bs.to_on > :as_of"
    params = sc.params()
    where = f"{roll.ON_ROLL}{sc.where_branch()}"
    select = f"m.ethnicity, m.gender, count(*), sum({roll.OFFICIAL}) FROM members m"
    if conn.execute(f"SELECT EXISTS ({moved})", params).fetchone()[0]:
        rows = conn.execute(
            f"SELECT m.branch_id, {select} WHERE {where} AND m.id NOT IN ({moved}) GROUP BY"
            f" m.ethnicity, m.gender, m.branch_id UNION ALL SELECT {roll.BRANCH_AT}, {select}"
            f" WHERE {where} AND m.id IN ({moved}) GROUP BY 1, 2, 3",
            params,
        )
    else:
        rows = conn.execute(
            f"SELECT m.branch_id, {select} WHERE {where}"
            " GROUP BY m.ethnicity, m.gender, m.branch_id",
            params,
        )
    return [tuple(r) for r in rows]


def _branch_rows(conn: sqlite3.Connection, sc: Scope, counted: set[int]) -> list[dict[str, Any]]:
    """The branches of the day with their names then (`org`), and any other that has a
    figure (an admission by a branch merged since, in the term)."""
    day = sc.as_of.isoformat()
    rows = org.branches_at(conn, day, only=sc.branch_id)
    extra = counted - {b["id"] for b in rows}
    if extra:
        names = org.names_at(conn, day)
        kinds = dict(conn.execute("SELECT id, kind FROM branches").fetchall())
        rows += [{"id": i, "name": names[i], "kind": kinds[i]} for i in extra if i in names]
        rows.sort(key=lambda b: branch_sort_key(b["kind"], b["name"]))
    return rows
