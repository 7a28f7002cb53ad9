"""`import loans`: loans and grants to members in hardship, and the cells the support imports share.

Cells are checked in ``validate`` (no database: it may run in worker processes): the
amount as clerks type it (``money.parse_amount``), the dates, the kind. ``finish`` checks
rows against the registry with the rules of `support add` and `support repay`: the fund
and member named, the roll at the date, a revolving fund's branch and what it holds (in
date order, the file's earlier loans counted), what a loan still owes. A loan is the same
loan when its fund, member and date are; importing a file again adds nothing twice.
"""

from __future__ import annotations

import bisect
import datetime as dt
import sqlite3
from typing import Any

from tanhung_cli import funds, money, support
from tanhung_cli import vietnamese as vn
from tanhung_cli.branch_moves import branch_on
from tanhung_cli.columns import Column
from tanhung_cli.errors import TanhungError
from tanhung_cli.history import Change
from tanhung_cli.importer import Options, Problems, ProblemSink, Summary
from tanhung_cli.importer.rejects import REASON_HEADERS
from tanhung_cli.importer.training import MEMBER_REF_COLUMNS, MemberFinder, cell_date, cell_text
from tanhung_cli.importer.training import member_ref as read_member_ref
from tanhung_cli.money import Money
from tanhung_cli.problems import Problem

LOAN_COLUMNS = (
    Column("fund", "Quỹ", required=True),
    *MEMBER_REF_COLUMNS,
    Column("loan_kind", "Hình thức", also=("kind",)),
    Column("amount", "Số tiền", required=True),
    Column("lent_on", "Ngày vay", required=True, kind="date", also=("date",)),
    Column("due_on", "Hạn trả", kind="date"),
    Column("purpose", "Mục đích"),
)
SHOWN_ONLY = ("branch", "Chi bộ", "repaid", "Đã trả", "owed", "Còn nợ", "status", "Tình trạng")
KIND = {
    "vay": "loan",
    "loan": "loan",
    "cho vay": "loan",
    "": "loan",
    "ho tro": "grant",
    "grant": "grant",
    "khong hoan lai": "grant",
    "ho tro khong hoan lai": "grant",
    "cap": "grant",
}


def amount_cell(raw: dict[str, Any], problems: Problems) -> int | None:
    try:
        return money.parse_amount(raw.get("amount"))
    except TanhungError as exc:
        problems.append(exc.problem("amount"))
        return None


def required_date(raw: dict[str, Any], column: str, problems: Problems) -> str | None:
    day = cell_date(raw.get(column), column, problems)
    if day is None and not cell_text(raw.get(column)):
        problems.append(Problem("rule.required", column=column))
    return day.isoformat() if day else None


class Cached:
    """Funds found by the reference a file writes, each looked up once."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.found: dict[str, sqlite3.Row | TanhungError] = {}

    def fund(self, ref: str) -> sqlite3.Row | TanhungError:
        if ref not in self.found:
            try:
                self.found[ref] = funds.get_fund(self.conn, ref)  # a Row
            except TanhungError as exc:
                self.found[ref] = exc
        return self.found[ref]


class LoanImport:
    """Loan and grant rows: fund, member, kind, amount, date, due date, purpose."""

    entity = "loan"
    columns = LOAN_COLUMNS
    ignored = ("loan", "Khoản vay", *SHOWN_ONLY, *REASON_HEADERS)
    file = ""

    def __init__(self, today: dt.date | None = None) -> None:
        self.today = today or dt.date.today()

    def begin(self, conn: sqlite3.Connection, options: Options, sink: ProblemSink) -> None:
        self.sink = sink
        self.rows: list[tuple[Any, ...]] = []
        self.new: list[tuple[Any, ...]] = []

    def validate(self, raw: dict[str, Any]) -> tuple[tuple[Any, ...] | None, Problems]:
        problems: Problems = []
        fund = cell_text(raw.get("fund"))
        if not fund:
            problems.append(Problem("rule.required", column="fund"))
        ref = read_member_ref(raw, problems)
        kind = KIND.get(vn.fold(cell_text(raw.get("loan_kind"))))
        if kind is None:
            value = cell_text(raw.get("loan_kind"))[:20]
            problems.append(Problem("support.bad_loan_kind", {"value": value}, "loan_kind"))
        amount = amount_cell(raw, problems)
        lent_on = required_date(raw, "lent_on", problems)
        due = cell_date(raw.get("due_on"), "due_on", problems)
        due_on = due.isoformat() if due else None
        if kind and lent_on:
            found = support.check_terms(kind, lent_on, due_on, self.today)
            if found:
                problems.append(found.problem("due_on" if "due" in found.key else "lent_on"))
        if problems or ref is None:
            return None, problems
        purpose = cell_text(raw.get("purpose")) or None
        return (fund, *ref, kind, amount, lent_on, due_on, purpose), []

    def stage(self, conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
        self.rows.extend(rows)

    def finish(self, conn: sqlite3.Connection) -> Summary:
        sink, summary = self.sink, Summary(file="")
        finder, cache = MemberFinder(conn), Cached(conn)
        first: dict[tuple[int, int, str], int] = {}
        pending: list[tuple[Any, ...]] = []
        for line, fund_ref, *ref, kind, amount, lent_on, due_on, purpose in self.rows:
            fund = cache.fund(fund_ref)
            if isinstance(fund, TanhungError):
                sink.add_problems(line, [fund.problem("fund")])
                continue
            member, problem = finder.find(tuple(ref))
            if member is None:
                assert problem is not None
                sink.add_problems(line, [problem_at(problem, MemberFinder.column(tuple(ref)))])
                continue
            refusal = support.not_lendable(conn, fund, member, lent_on)
            if refusal is not None:
                sink.add_problems(line, [refusal.problem("id")])
                continue
            key = (fund["id"], member["id"], lent_on)
            if key in first:
                sink.add(
                    line,
                    "lent_on",
                    "import.duplicate_in_file",
                    value=member["full_name"],
                    lines=first[key],
                )
                continue
            first[key] = line
            stored = conn.execute(
                "SELECT * FROM loans WHERE fund_id = ? AND member_id = ? AND lent_on = ?", key
            ).fetchone()
            if stored is not None:
                if (stored["amount"], stored["kind"]) == (amount, kind):
                    summary.unchanged += 1
                else:
                    sink.add(
                        line,
                        "amount",
                        "support.import.differs",
                        id=stored["id"],
                        stored=Money(stored["amount"]),
                    )
                continue
            pending.append((lent_on, line, fund, member, kind, amount, due_on, purpose))
        self._fits(conn, sorted(pending, key=lambda p: (p[0], p[1])))
        summary.added = len(self.new)
        return summary

    def _fits(self, conn: sqlite3.Connection, pending: list[tuple[Any, ...]]) -> None:
        """Keep the loans each revolving fund can make, in date order, file's earlier counted;
        they are written in the file's order."""
        moves: dict[int, list[tuple[str, int, int]]] = {}
        kept: list[tuple[int, tuple[Any, ...]]] = []
        for lent_on, line, fund, member, kind, amount, due_on, purpose in pending:
            if fund["revolving"]:
                if fund["id"] not in moves:
                    moves[fund["id"]] = funds.movements(conn, fund["id"])
                problem = funds.over_balance(fund, amount, lent_on, moves[fund["id"]])
                if problem is not None:
                    self.sink.add_problems(line, [problem.problem("amount")])
                    continue
                bisect.insort(moves[fund["id"]], (lent_on, 1, -amount))
            row = (
                fund["id"],
                member["id"],
                branch_on(conn, member, lent_on),  # the borrower's branch that day (#15)
                kind,
                amount,
                lent_on,
                due_on,
                purpose,
            )
            kept.append((line, row))
        self.new = [row for _, row in sorted(kept, key=lambda k: k[0])]

    def write(self, conn: sqlite3.Connection, change: Change) -> None:
        conn.executemany(
            "INSERT INTO loans (fund_id, member_id, branch_id, kind, amount, lent_on, due_on,"
            " purpose) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            self.new,
        )


def problem_at(problem: Problem, column: str) -> Problem:
    return Problem(problem.key, problem.params, column)
