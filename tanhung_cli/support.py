"""Support for members in hardship: loans and grants from funds (``funds.py``), repayments.

A loan (vay) is repaid by its due date; a grant (hỗ trợ không hoàn lại) is not. Only a
member on the roll at the date (``roll.status``: official or probationary, not a
temporary attendee) is lent to; a branch's revolving fund lends to that branch's
members, and no more than it holds (``funds.check_loan_fits``). A loan's status is read
from its repayments and due date, never stored: granted, repaid, overdue, outstanding.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from tanhung_cli import history, roll
from tanhung_cli import vietnamese as vn
from tanhung_cli.errors import Conflict, Invalid, NotFound
from tanhung_cli.funds import check_loan_fits, get_fund
from tanhung_cli.history import write_transaction
from tanhung_cli.lifecycle import past_spells
from tanhung_cli.members import get_member, live_member
from tanhung_cli.money import Money
from tanhung_cli.problems import dated

KINDS = ("loan", "grant")


def positive(amount: int) -> None:
    """Refuse an amount of nothing, or less."""
    if amount <= 0:
        raise Invalid("money.zero" if amount == 0 else "money.negative", value=str(amount))


def not_lendable(
    conn: sqlite3.Connection, fund: sqlite3.Row, member: sqlite3.Row, day: str
) -> Invalid | None:
    """Why ``member`` cannot receive support from ``fund`` on ``day``: not on the roll then
    (not yet admitted or received, left, a temporary attendee), or, for a branch's
    revolving fund, a member of another branch."""
    status = roll.status(member, day, past_spells(conn, member["id"]))
    who = {"id": member["id"], "name": member["full_name"], "date": dated(day)}
    if status not in roll.COUNTED:
        return Invalid(f"support.member_{status.replace('-', '_')}", **who)
    if (
        fund["revolving"]
        and fund["branch_id"]
        and _branch_on(conn, member, day) != fund["branch_id"]
    ):
        return Invalid("support.other_branch", **who, fund=fund["name"])
    return None


def _branch_on(conn: sqlite3.Connection, member: sqlite3.Row, day: str) -> int:
    from tanhung_cli.branch_moves import branch_on

    return branch_on(conn, member, day)


def check_terms(kind: str, lent_on: str, due_on: str | None, today: dt.date) -> Invalid | None:
    """What is wrong with a loan's kind and dates: a date to come, a due date before the
    loan, a due date for a grant."""
    if kind not in KINDS:
        return Invalid("support.bad_loan_kind", value=kind[:20])
    if lent_on > today.isoformat():
        return Invalid("support.in_future", date=dated(lent_on))
    if due_on is not None and kind == "grant":
        return Invalid("support.grant_due")
    if due_on is not None and due_on <= lent_on:
        return Invalid("support.due_before", due=dated(due_on), date=dated(lent_on))
    return None


def add_loan(
    conn: sqlite3.Connection,
    fund_ref: str | int,
    member_ref: str | int,
    amount: int,
    on: dt.date,
    *,
    kind: str = "loan",
    due: dt.date | None = None,
    purpose: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Record a loan or a grant; refuse what the rules above refuse, or a second one of the
    same fund to the same member on the same day."""
    positive(amount)
    day, due_on = on.isoformat(), due.isoformat() if due else None
    problem = check_terms(kind, day, due_on, today or dt.date.today())
    if problem:
        raise problem
    with write_transaction(conn):  # the roll and the fund's balance read under the lock
        fund, member = get_fund(conn, fund_ref), live_member(conn, member_ref)
        problem = not_lendable(conn, fund, member, day)
        if problem:
            raise problem
        same = conn.execute(
            "SELECT id FROM loans WHERE fund_id = ? AND member_id = ? AND lent_on = ?",
            (fund["id"], member["id"], day),
        ).fetchone()
        if same:
            raise Conflict("support.loan_exists", id=same["id"], date=dated(day))
        check_loan_fits(conn, fund, amount, day)
        cur = conn.execute(
            "INSERT INTO loans (fund_id, member_id, branch_id, kind, amount, lent_on, due_on,"
            " purpose) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                fund["id"],
                member["id"],
                _branch_on(conn, member, day),  # the borrower's branch that day (#15)
                kind,
                amount,
                day,
                due_on,
                vn.clean(purpose or "") or None,
            ),
        )
        loan_id = int(cur.lastrowid or 0)
        detail = {"fund": fund["id"], "member": member["id"], "amount": amount, "on": day}
        history.record(conn, kind, "loan", loan_id, detail | {"due": due_on})
    return loan_id


def get_loan(conn: sqlite3.Connection, ref: str | int) -> sqlite3.Row:
    number = vn.parse_number(ref)
    row = conn.execute("SELECT * FROM loans WHERE id = ?", (number,)).fetchone()
    if row is None:
        raise NotFound("support.loan_not_found", ref=vn.clean(str(ref))[:40])
    loan: sqlite3.Row = row
    return loan


def check_repayment(loan: sqlite3.Row, amount: int, day: str, already: int) -> Invalid | None:
    """What is wrong with repaying ``amount`` on ``day``, ``already`` repaid: a grant, a
    day before the loan, more than is owed."""
    if loan["kind"] == "grant":
        return Invalid("support.grant_repaid", id=loan["id"])
    if day < loan["lent_on"]:
        return Invalid("support.repaid_before", date=dated(day), lent=dated(loan["lent_on"]))
    owed = loan["amount"] - already
    if amount > owed:
        return Invalid("support.over_repaid", amount=Money(amount), owed=Money(owed), id=loan["id"])
    return None


def repay(
    conn: sqlite3.Connection,
    ref: str | int,
    amount: int,
    on: dt.date,
    *,
    today: dt.date | None = None,
) -> int:
    """Record a repayment of a loan; refuse it on a grant, before the loan, on a day to
    come, above what is still owed, or twice on one day."""
    positive(amount)
    day = on.isoformat()
    if day > (today or dt.date.today()).isoformat():
        raise Invalid("support.in_future", date=dated(day))
    with write_transaction(conn):
        loan = get_loan(conn, ref)
        problem = check_repayment(loan, amount, day, loan["repaid"])
        if problem:
            raise problem
        if conn.execute(
            "SELECT 1 FROM repayments WHERE loan_id = ? AND paid_on = ?", (loan["id"], day)
        ).fetchone():
            raise Conflict("support.repaid_twice", id=loan["id"], date=dated(day))
        cur = conn.execute(
            "INSERT INTO repayments (loan_id, paid_on, amount) VALUES (?, ?, ?)",
            (loan["id"], day, amount),
        )
        conn.execute("UPDATE loans SET repaid = repaid + ? WHERE id = ?", (amount, loan["id"]))
        history.record(conn, "repay", "loan", loan["id"], {"amount": amount, "on": day})
    return int(cur.lastrowid or 0)


def status(loan: sqlite3.Row | dict[str, Any], as_of: dt.date) -> str:
    """granted, repaid, overdue or outstanding."""
    if loan["kind"] == "grant":
        return "granted"
    if loan["repaid"] >= loan["amount"]:
        return "repaid"
    if loan["due_on"] and loan["due_on"] < as_of.isoformat():
        return "overdue"
    return "outstanding"


LOAN_ROWS = """
SELECT l.id, l.fund_id, f.name AS fund, l.member_id, m.full_name, m.card_no,
       m.national_id, b.name AS branch, l.kind, l.amount, l.lent_on, l.due_on, l.repaid,
       CASE l.kind WHEN 'loan' THEN l.amount - l.repaid ELSE 0 END AS owed, l.purpose
  FROM loans l JOIN funds f ON f.id = l.fund_id JOIN members m ON m.id = l.member_id
  LEFT JOIN branches b ON b.id = l.branch_id
"""


def list_loans(
    conn: sqlite3.Connection,
    *,
    fund: str | None = None,
    member: str | None = None,
    start: dt.date | None = None,
    stop: dt.date | None = None,
    owing: bool = False,
    as_of: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Loans and grants, oldest first, with their status at ``as_of`` (default today)."""
    where = ["1 = 1"]
    params: dict[str, Any] = {}
    if fund:
        where.append("l.fund_id = :fund")
        params["fund"] = get_fund(conn, fund)["id"]
    if member:
        where.append("l.member_id = :member")
        params["member"] = get_member(conn, member)["id"]
    if start:
        where.append("l.lent_on >= :start")
        params["start"] = start.isoformat()
    if stop:
        where.append("l.lent_on <= :stop")
        params["stop"] = stop.isoformat()
    if owing:
        where.append("l.kind = 'loan' AND l.repaid < l.amount")
    sql = f"{LOAN_ROWS} WHERE {' AND '.join(where)} ORDER BY l.lent_on, l.id"
    day = as_of or dt.date.today()
    return [dict(r) | {"status": status(r, day)} for r in conn.execute(sql, params)]


def loan_detail(conn: sqlite3.Connection, ref: str | int) -> dict[str, Any]:
    """A loan or grant and its repayments, oldest first."""
    loan = get_loan(conn, ref)
    row = conn.execute(f"{LOAN_ROWS} WHERE l.id = ?", (loan["id"],)).fetchone()
    paid = conn.execute(
        "SELECT paid_on, amount FROM repayments WHERE loan_id = ? ORDER BY paid_on", (loan["id"],)
    ).fetchall()
    out = dict(row) | {"status": status(row, dt.date.today())}
    return out | {"repayments": [dict(p) for p in paid]}
