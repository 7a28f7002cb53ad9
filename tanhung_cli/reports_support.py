"""Support for members in hardship, as report data: amounts, turns (lượt), distinct members.

Counted over a period of loan dates (``start`` … ``stop``, both included): a term's, or
the clerk's --from/--to. Grouped in SQLite over ``idx_loans_date`` (date, fund, amount,
member, branch), so a report is one range scan of an index however many loans there are.
A loan counts for the branch its borrower belonged to when it was recorded.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from tanhung_cli.vocab import vocabulary


@dataclass(frozen=True)
class Period:
    start: str  # ISO, included
    stop: str  # ISO, included
    branch_id: int | None = None
    branch: str | None = None

    def params(self) -> dict[str, Any]:
        return {"start": self.start, "stop": self.stop, "branch_id": self.branch_id}

    def where(self) -> str:
        branch = " AND l.branch_id = :branch_id" if self.branch_id is not None else ""
        return f"l.lent_on BETWEEN :start AND :stop{branch}"


def _figures(row: sqlite3.Row | tuple[Any, ...]) -> dict[str, int]:
    return {"amount_vnd": row[0] or 0, "loans": row[1], "members": row[2]}


FIGURES = "coalesce(sum(l.amount), 0), count(*), count(DISTINCT l.member_id)"


def totals(conn: sqlite3.Connection, period: Period) -> dict[str, int]:
    sql = f"SELECT {FIGURES} FROM loans l WHERE {period.where()}"
    return _figures(conn.execute(sql, period.params()).fetchone())


def by_fund(conn: sqlite3.Connection, period: Period) -> list[dict[str, Any]]:
    """Each fund that lent in the period: its name, kind, owner and figures."""
    rows = conn.execute(
        f"SELECT l.fund_id, {FIGURES} FROM loans l WHERE {period.where()} GROUP BY l.fund_id",
        period.params(),
    ).fetchall()
    funds = {
        r["id"]: r
        for r in conn.execute(
            "SELECT f.id, f.name, f.kind, b.name AS owner FROM funds f"
            " LEFT JOIN branches b ON b.id = f.branch_id"
        )
    }
    out = []
    for fund_id, *figures in rows:
        fund = funds[fund_id]
        meta = {"id": fund_id, "name": fund["name"], "kind": fund["kind"], "owner": fund["owner"]}
        out.append(meta | _figures(figures))
    return sorted(out, key=lambda f: f["id"])


def by_kind(conn: sqlite3.Connection, period: Period) -> list[dict[str, Any]]:
    """Each kind of fund (vocabulary order): figures, members counted once per kind."""
    rows = {
        kind: _figures(rest)
        for kind, *rest in conn.execute(
            f"SELECT f.kind, {FIGURES} FROM loans l JOIN funds f ON f.id = l.fund_id"
            f" WHERE {period.where()} GROUP BY f.kind",
            period.params(),
        )
    }
    kinds = vocabulary("fund_kind").codes()
    ordered = [*kinds, *sorted(set(rows) - set(kinds))]
    return [{"kind": k} | rows[k] for k in ordered if k in rows]


def by_branch(conn: sqlite3.Connection, period: Period) -> list[dict[str, Any]]:
    """Each borrower's branch: figures."""
    rows = conn.execute(
        f"SELECT b.name, {FIGURES} FROM loans l LEFT JOIN branches b ON b.id = l.branch_id"
        f" WHERE {period.where()} GROUP BY l.branch_id ORDER BY l.branch_id",
        period.params(),
    ).fetchall()
    return [{"branch": name} | _figures(rest) for name, *rest in rows]


BALANCES = """
SELECT f.id, f.name, b.name AS owner,
  (SELECT coalesce(sum(c.amount), 0) FROM fund_capital c
    WHERE c.fund_id = f.id AND c.on_date <= :stop) AS capital,
  (SELECT coalesce(sum(l.amount), 0) FROM loans l
    WHERE l.fund_id = f.id AND l.lent_on <= :stop) AS lent,
  (SELECT coalesce(sum(r.amount), 0) FROM repayments r JOIN loans l ON l.id = r.loan_id
    WHERE l.fund_id = f.id AND r.paid_on <= :stop) AS repaid
FROM funds f LEFT JOIN branches b ON b.id = f.branch_id WHERE f.revolving = 1
"""


def balances(conn: sqlite3.Connection, period: Period) -> list[dict[str, Any]]:
    """Each revolving fund at the period's end: capital, lent, repaid, what it holds
    (capital + repaid − lent) and what its borrowers still owe (lent − repaid)."""
    branch = " AND f.branch_id = :branch_id" if period.branch_id is not None else ""
    out = []
    for row in conn.execute(BALANCES + branch + " ORDER BY f.id", period.params()):
        fund = dict(row)
        fund["balance"] = fund["capital"] + fund["repaid"] - fund["lent"]
        fund["outstanding"] = fund["lent"] - fund["repaid"]
        out.append(fund)
    return out


def report(conn: sqlite3.Connection, period: Period) -> dict[str, Any]:
    """The support report: totals, by kind of fund, by fund, by branch, balances."""
    return {
        "from": period.start,
        "to": period.stop,
        **({"branch": period.branch} if period.branch else {}),
        **totals(conn, period),
        "by_kind": by_kind(conn, period),
        "by_fund": by_fund(conn, period),
        "by_branch": by_branch(conn, period),
        "balances": balances(conn, period),
    }


def summary_part(
    conn: sqlite3.Connection, start: str, stop: str, branch_id: int | None = None
) -> dict[str, Any]:
    """The `support` key of `report summary` (the article's figures for a term)."""
    period = Period(start, stop, branch_id)
    funds = [
        {k: f[k] for k in ("name", "kind", "amount_vnd", "loans", "members")}
        for f in by_fund(conn, period)
    ]
    return {**totals(conn, period), "by_fund": funds, "by_kind": by_kind(conn, period)}
