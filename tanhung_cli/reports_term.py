"""The term's reports: admissions by year and branch against the targets, and training
by kind of course (`report admissions`, `report training`), for a `reports.Scope`."""

from __future__ import annotations

import sqlite3
from typing import Any

from tanhung_cli import org, roll, terms
from tanhung_cli.reports import Scope, branches, enrolments_sql, number, percent, vocab_label
from tanhung_cli.vocab import vocabulary


def admissions(conn: sqlite3.Connection, sc: Scope) -> dict[str, Any]:
    """Admissions of the term by year and by branch, against the term's target."""
    if sc.term is None or sc.window is None:
        return {
            "term": None,
            "in_term": None,
            "target": None,
            "percent_of_target": None,
            "readmitted": None,
            "by_year": [],
            "by_branch": [],
        }
    params = sc.params()
    where = f"m.admitted_on BETWEEN :start AND :stop{sc.where_admitting()}"
    years, again = {}, {}  # new admissions and re-admissions (kết nạp lại) by year
    for year, new, readmitted in conn.execute(
        "SELECT CAST(substr(m.admitted_on, 1, 4) AS INTEGER), sum(NOT m.readmitted),"
        f" sum(m.readmitted) FROM {roll.ADMISSIONS} WHERE {where} GROUP BY 1",
        params,
    ):
        years[year], again[year] = new, readmitted
    last = int(sc.window[1][:4])
    by_year = [
        {"year": y, "admitted": years.get(y, 0), "readmitted": again.get(y, 0)}
        for y in range(sc.term.start.year, last + 1)
    ]
    # The branches' own targets, under the names they had at the date (`org.names_at`).
    names = org.names_at(conn, sc.as_of.isoformat())
    own = {
        names[bid]: value
        for bid, value in conn.execute(
            "SELECT branch_id, value FROM branch_targets WHERE term_id = ? AND metric = ?",
            (sc.term.id, "admissions"),
        )
    }
    by_branch = []
    for b in branches(conn, sc):
        goal = own.get(b["branch"])
        by_branch.append(
            {
                "branch": b["branch"],
                "kind": b["kind"],
                "admitted": b["admitted_in_term"],
                "target": number(goal),
                "percent_of_target": percent(b["admitted_in_term"] or 0, goal),
            }
        )
    total = sum(years.values())
    target = terms.target(conn, sc.term, "admissions", sc.branch_id)
    return {
        "term": sc.term.as_json(),
        "in_term": total,
        "target": number(target),
        "percent_of_target": percent(total, target),
        "readmitted": sum(again.values()),
        "by_year": by_year,
        "by_branch": by_branch,
    }


def training(conn: sqlite3.Connection, sc: Scope) -> dict[str, Any]:
    """Training of the term by kind of course: attendances (lượt) and distinct people."""
    if sc.window is None:
        return {"term": None, "by_kind": [], "total": {"attendances": 0, "people": 0}}
    params = sc.params()
    rows = dict(
        (kind, (n, people))
        for kind, n, people in conn.execute(
            f"SELECT c.kind, count(*), count(DISTINCT e.member_id) {enrolments_sql(sc)} GROUP BY 1",
            params,
        )
    )
    total = conn.execute(
        f"SELECT count(*), count(DISTINCT e.member_id) {enrolments_sql(sc)}", params
    ).fetchone()
    kinds = vocabulary("course_kind").codes()
    by_kind = [
        {
            "kind": k,
            "label": vocab_label("course_kind", k),
            "attendances": rows[k][0],
            "people": rows[k][1],
        }
        for k in [*kinds, *sorted(set(rows) - set(kinds))]
        if k in rows
    ]
    return {
        "term": sc.term.as_json() if sc.term else None,
        "by_kind": by_kind,
        "total": {"attendances": total[0], "people": total[1]},
    }
