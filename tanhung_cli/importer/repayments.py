"""`import repayments`: repayments of loans, by the loan's id or its fund, member and date.

Checked with the rules of `support repay`: a loan (not a grant), paid on or after its
date, never more than it still owes (the file's earlier rows counted). A repayment is the
same when its loan and day are; importing a file again adds nothing twice.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from tanhung_cli import support
from tanhung_cli import vietnamese as vn
from tanhung_cli.columns import Column
from tanhung_cli.errors import TanhungError
from tanhung_cli.history import Change
from tanhung_cli.importer import Options, Problems, ProblemSink, Summary
from tanhung_cli.importer.loans import SHOWN_ONLY, Cached, amount_cell, problem_at, required_date
from tanhung_cli.importer.rejects import REASON_HEADERS
from tanhung_cli.importer.training import MEMBER_REF_COLUMNS, MemberFinder, cell_date, cell_text
from tanhung_cli.importer.training import member_ref as read_member_ref
from tanhung_cli.money import Money
from tanhung_cli.problems import Problem

REPAYMENT_COLUMNS = (
    Column("loan", "Khoản vay", kind="id", also=("Mã khoản vay",)),
    Column("fund", "Quỹ"),
    *MEMBER_REF_COLUMNS,
    Column("lent_on", "Ngày vay", kind="date"),
    Column("paid_on", "Ngày trả", required=True, kind="date"),
    Column("amount", "Số tiền", required=True),
)


class RepaymentImport:
    """Repayment rows: the loan (its id, or its fund, member and date), the day, the amount."""

    entity = "repayment"
    columns = REPAYMENT_COLUMNS
    ignored = SHOWN_ONLY + REASON_HEADERS
    file = ""

    def __init__(self, today: dt.date | None = None) -> None:
        self.today = today or dt.date.today()

    def begin(self, conn: sqlite3.Connection, options: Options, sink: ProblemSink) -> None:
        self.sink = sink
        self.rows: list[tuple[Any, ...]] = []
        self.new: list[tuple[int, str, int]] = []

    def validate(self, raw: dict[str, Any]) -> tuple[tuple[Any, ...] | None, Problems]:
        problems: Problems = []
        # A loan is its fund, member and date (a file moves between registries); its id
        # alone names it when the fund is not written.
        by_id = not cell_text(raw.get("fund"))
        loan = vn.parse_number(cell_text(raw.get("loan"))) if by_id else None
        if by_id and loan is None:
            if cell_text(raw.get("loan")):
                ref_text = cell_text(raw.get("loan"))[:40]
                problems.append(Problem("support.loan_not_found", {"ref": ref_text}, "loan"))
            else:
                problems.append(Problem("rule.required", column="fund"))
        ref: tuple[Any, ...] | None = None
        lent = cell_date(raw.get("lent_on"), "lent_on", problems)
        if not by_id:
            if lent is None and not cell_text(raw.get("lent_on")):
                problems.append(Problem("rule.required", column="lent_on"))
            ref = read_member_ref(raw, problems)
        paid_on = required_date(raw, "paid_on", problems)
        if paid_on and paid_on > self.today.isoformat():
            problems.append(
                Problem("support.in_future", {"date": dt.date.fromisoformat(paid_on)}, "paid_on")
            )
        amount = amount_cell(raw, problems)
        if problems:
            return None, problems
        who = ref or ("", "", "", "", None)
        lent_on = lent.isoformat() if lent else None
        return (loan, cell_text(raw.get("fund")), *who, lent_on, paid_on, amount), []

    def stage(self, conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
        self.rows.extend(rows)

    def _loan(
        self,
        conn: sqlite3.Connection,
        cache: Cached,
        finder: MemberFinder,
        loan_id: int | None,
        fund_ref: str,
        ref: tuple[Any, ...],
        lent_on: str | None,
    ) -> tuple[sqlite3.Row | None, Problem | None]:
        if loan_id is not None:
            row = conn.execute("SELECT * FROM loans WHERE id = ?", (loan_id,)).fetchone()
            return (
                (row, None)
                if row
                else (None, Problem("support.loan_not_found", {"ref": str(loan_id)}, "loan"))
            )
        fund = cache.fund(fund_ref)
        if isinstance(fund, TanhungError):
            return None, fund.problem("fund")
        member, problem = finder.find(ref)
        if member is None:
            assert problem is not None
            return None, problem_at(problem, MemberFinder.column(ref))
        row = conn.execute(
            "SELECT * FROM loans WHERE fund_id = ? AND member_id = ? AND lent_on = ?",
            (fund["id"], member["id"], lent_on),
        ).fetchone()
        if row is None:
            params = {
                "name": member["full_name"],
                "fund": fund["name"],
                "date": dt.date.fromisoformat(str(lent_on)),
            }
            return None, Problem("support.import.no_such_loan", params, "lent_on")
        return row, None

    def finish(self, conn: sqlite3.Connection) -> Summary:
        sink, summary = self.sink, Summary(file="")
        finder, cache = MemberFinder(conn), Cached(conn)
        first: dict[tuple[int, str], int] = {}
        paid: dict[int, int] = {}
        for line, loan_id, fund_ref, *rest in self.rows:
            ref, (lent_on, paid_on, amount) = tuple(rest[:5]), rest[5:]
            loan, problem = self._loan(conn, cache, finder, loan_id, fund_ref, ref, lent_on)
            if loan is None:
                assert problem is not None
                sink.add_problems(line, [problem])
                continue
            key = (loan["id"], paid_on)
            if key in first:
                sink.add(
                    line,
                    "paid_on",
                    "import.duplicate_in_file",
                    value=str(loan["id"]),
                    lines=first[key],
                )
                continue
            first[key] = line
            stored = conn.execute(
                "SELECT amount FROM repayments WHERE loan_id = ? AND paid_on = ?", key
            ).fetchone()
            if stored is not None:
                if stored["amount"] == amount:
                    summary.unchanged += 1
                else:
                    sink.add(
                        line,
                        "amount",
                        "support.import.differs",
                        id=loan["id"],
                        stored=Money(stored["amount"]),
                    )
                continue
            already = loan["repaid"] + paid.get(loan["id"], 0)
            refusal = support.check_repayment(loan, amount, paid_on, already)
            if refusal is not None:
                column = "amount" if refusal.key == "support.over_repaid" else "paid_on"
                sink.add_problems(line, [refusal.problem(column)])
                continue
            paid[loan["id"]] = paid.get(loan["id"], 0) + amount
            self.new.append((loan["id"], paid_on, amount))
        summary.added = len(self.new)
        return summary

    def write(self, conn: sqlite3.Connection, change: Change) -> None:
        conn.executemany(
            "INSERT INTO repayments (loan_id, paid_on, amount) VALUES (?, ?, ?)", self.new
        )
        totals: dict[int, int] = {}
        for loan_id, _, amount in self.new:
            totals[loan_id] = totals.get(loan_id, 0) + amount
        conn.executemany(
            "UPDATE loans SET repaid = repaid + ? WHERE id = ?",
            [(amount, loan_id) for loan_id, amount in totals.items()],
        )
