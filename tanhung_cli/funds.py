"""Support funds for members in hardship (quỹ hỗ trợ), and the capital put into them.

A fund is data: its name, its kind (``fund_kind``: the Farmers' Support Fund, a fund for
poor members, a revolving fund…), its owner (a branch, or the committee when it has no
branch) and whether it is revolving. A revolving fund (quỹ quay vòng) lends again what
is repaid: it holds its capital (``fund_capital``, the money put in, dated) plus what was
repaid, less what it lent, and never lends more than it holds at the loan's date nor at
any later date (see ``support.add_loan``). Other funds are managed above the commune:
their loans are recorded, their capital is not ours to count.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any, cast

from tanhung_cli import history
from tanhung_cli import vietnamese as vn
from tanhung_cli.branches import get_branch
from tanhung_cli.errors import Conflict, Invalid, NotFound
from tanhung_cli.history import write_transaction
from tanhung_cli.money import Money
from tanhung_cli.problems import dated
from tanhung_cli.vocab import UnknownValue, vocabulary


def fund_kind(value: str) -> str:
    """The fund kind code of ``value`` (code, Vietnamese or English name, alias)."""
    try:
        return vocabulary("fund_kind").resolve(value).code
    except UnknownValue as exc:
        codes = ", ".join(vocabulary("fund_kind").codes())
        raise Invalid("support.bad_kind", value=vn.clean(value)[:40], codes=codes) from exc


def add_fund(
    conn: sqlite3.Connection,
    name: str,
    kind: str,
    branch: str | None = None,
    *,
    revolving: bool | None = None,
    note: str | None = None,
    capital: tuple[int, dt.date] | None = None,
) -> int:
    """Create a fund owned by ``branch`` (or the committee), with its first ``capital``
    (amount, date) if given; revolving by default when its kind is ``revolving``. Refuse
    an empty or long name, or a name already used."""
    name = vn.clean(name)
    code = fund_kind(kind)
    if not name or len(name) > 200:
        raise Invalid("support.bad_fund_name")
    revolving = code == "revolving" if revolving is None else revolving
    with write_transaction(conn):
        branch_id = get_branch(conn, branch)["id"] if branch else None
        key = vn.fold(name)
        other = conn.execute("SELECT id FROM funds WHERE name_key = ?", (key,)).fetchone()
        if other:
            raise Conflict("support.fund_exists", name=name, id=other["id"])
        cur = conn.execute(
            "INSERT INTO funds (name, name_key, kind, branch_id, revolving, note)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (name, key, code, branch_id, int(revolving), vn.clean(note or "") or None),
        )
        fund_id = int(cur.lastrowid or 0)
        detail = {"name": name, "kind": code, "branch_id": branch_id, "revolving": revolving}
        history.record(conn, "add", "fund", fund_id, detail)
        if capital:
            add_capital(conn, fund_id, *capital)
    return fund_id


def add_capital(
    conn: sqlite3.Connection, ref: str | int, amount: int, on: dt.date, note: str | None = None
) -> int:
    """Record money put into a fund (vốn, cấp vốn) on ``on``."""
    if amount <= 0:
        raise Invalid("money.zero" if amount == 0 else "money.negative", value=str(amount))
    with write_transaction(conn):
        fund = get_fund(conn, ref)
        cur = conn.execute(
            "INSERT INTO fund_capital (fund_id, on_date, amount, note) VALUES (?, ?, ?, ?)",
            (fund["id"], on.isoformat(), amount, vn.clean(note or "") or None),
        )
        detail = {"amount": amount, "on": on.isoformat()}
        history.record(conn, "capital", "fund", fund["id"], detail)
    return int(cur.lastrowid or 0)


def get_fund(conn: sqlite3.Connection, ref: str | int) -> sqlite3.Row:
    """The fund numbered ``ref``, or the one fund named ``ref`` (accents ignored; the
    words of its name are enough when only one fund has them all)."""
    text = vn.clean(str(ref))
    number = vn.parse_number(text)
    if number is not None:
        row = conn.execute("SELECT * FROM funds WHERE id = ?", (number,)).fetchone()
        if row:
            return cast(sqlite3.Row, row)
    key = vn.fold(text)
    rows = conn.execute("SELECT * FROM funds WHERE name_key = ?", (key,)).fetchall()
    if not rows and key:
        words = key.split()
        where = " AND ".join(f"instr(' ' || name_key, ' ' || :w{i}) > 0" for i in range(len(words)))
        params = {f"w{i}": w for i, w in enumerate(words)}
        rows = conn.execute(f"SELECT * FROM funds WHERE {where} ORDER BY id", params).fetchall()
    if len(rows) > 1:
        ids = "; ".join(f"{r['id']} ({r['name']})" for r in rows)
        raise Conflict("support.fund_ambiguous", name=text[:60], ids=ids)
    if not rows:
        raise NotFound("support.fund_not_found", ref=text[:60])
    return cast(sqlite3.Row, rows[0])


# A fund's money movements, dated: capital and repayments in, loans and grants out.
# On one day money comes in before it goes out (repaid in the morning, lent again).
_MOVEMENTS = """
SELECT on_date AS day, 0 AS out, amount FROM fund_capital WHERE fund_id = :fund
UNION ALL SELECT r.paid_on, 0, r.amount FROM repayments r JOIN loans l ON l.id = r.loan_id
 WHERE l.fund_id = :fund
UNION ALL SELECT lent_on, 1, -amount FROM loans WHERE fund_id = :fund
ORDER BY 1, 2
"""


def movements(conn: sqlite3.Connection, fund_id: int) -> list[tuple[str, int, int]]:
    """(day, 1 for money out, signed amount) of a fund, in order."""
    return [(r[0], r[1], r[2]) for r in conn.execute(_MOVEMENTS, {"fund": fund_id})]


def lowest_from(moves: list[tuple[str, int, int]], day: str) -> int:
    """The lowest balance from where a loan of ``day`` would go on: what it could lend."""
    balance, lowest = 0, None
    for when, out, amount in moves:
        if lowest is None and (when, out) > (day, 1):
            lowest = balance
        balance += amount
        if lowest is not None:
            lowest = min(lowest, balance)
    return balance if lowest is None else lowest


def available(conn: sqlite3.Connection, fund_id: int, on: dt.date | str) -> int:
    """What a fund can lend on ``on`` without leaving it short then or later: the lowest of
    its balances from that day on (capital + repaid − lent)."""
    return lowest_from(movements(conn, fund_id), on if isinstance(on, str) else on.isoformat())


def over_balance(
    fund: sqlite3.Row, amount: int, on: str, moves: list[tuple[str, int, int]]
) -> Invalid | None:
    """Why a revolving fund cannot lend ``amount`` on ``on``: more than it holds then or
    later, given its ``moves``."""
    holds = lowest_from(moves, on) if fund["revolving"] else amount
    if amount > holds:
        params = {"name": fund["name"], "amount": Money(amount), "date": dated(on)}
        return Invalid("support.over_balance", **params, available=Money(max(holds, 0)))
    return None


def check_loan_fits(conn: sqlite3.Connection, fund: sqlite3.Row, amount: int, on: str) -> None:
    """Refuse a loan a revolving fund cannot make: more than it holds from ``on`` on."""
    if fund["revolving"]:
        problem = over_balance(fund, amount, on, movements(conn, fund["id"]))
        if problem:
            raise problem


FUND_TOTALS = """
SELECT f.id, f.name, f.kind, f.revolving, b.name AS branch,
  (SELECT coalesce(sum(amount), 0) FROM fund_capital c WHERE c.fund_id = f.id) AS capital,
  (SELECT coalesce(sum(amount), 0) FROM loans l WHERE l.fund_id = f.id) AS lent,
  (SELECT coalesce(sum(repaid), 0) FROM loans l WHERE l.fund_id = f.id) AS repaid,
  (SELECT count(*) FROM loans l WHERE l.fund_id = f.id) AS loans
FROM funds f LEFT JOIN branches b ON b.id = f.branch_id
"""


def list_funds(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every fund with its capital, what it lent and was repaid, and (revolving funds) its
    balance today."""
    out = []
    for row in conn.execute(FUND_TOTALS + " ORDER BY f.id"):
        fund = dict(row) | {"revolving": bool(row["revolving"])}
        fund["balance"] = (
            fund["capital"] + fund["repaid"] - fund["lent"] if row["revolving"] else None
        )
        out.append(fund)
    return out
