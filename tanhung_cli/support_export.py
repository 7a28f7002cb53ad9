"""Loans and repayments out to files that `import loans` / `import repayments` read back.

A loan is named by its fund, its member (registry id, party card, CCCD and name, checked
on import) and its date, so that a file moves between registries; the loan's own id,
its branch, what was repaid and its status are written for the reader and ignored on
import. Amounts are whole dong, dates ISO (date cells in a workbook).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import IO, Any

from tanhung_cli import support
from tanhung_cli.csvout import write_csv
from tanhung_cli.i18n import t
from tanhung_cli.importer.loans import LOAN_COLUMNS
from tanhung_cli.importer.repayments import REPAYMENT_COLUMNS
from tanhung_cli.render.writers import to_json
from tanhung_cli.render.xlsx import write_xlsx

LOANS = (
    "loan",
    "fund",
    "id",
    "card_no",
    "national_id",
    "full_name",
    "branch",
    "loan_kind",
    "amount",
    "lent_on",
    "due_on",
    "purpose",
    "repaid",
    "owed",
    "status",
)
REPAYMENTS = (
    "loan",
    "fund",
    "id",
    "card_no",
    "national_id",
    "full_name",
    "lent_on",
    "paid_on",
    "amount",
)
TEXT = ("card_no", "national_id")
DATES = ("lent_on", "due_on", "paid_on")
_VI = {c.name: c.vi for c in (*LOAN_COLUMNS, *REPAYMENT_COLUMNS)} | {
    "branch": "Chi bộ", "repaid": "Đã trả", "owed": "Còn nợ", "status": "Tình trạng",
}  # fmt: skip


def loan_rows(conn: sqlite3.Connection, as_of: dt.date) -> list[dict[str, Any]]:
    rows = support.list_loans(conn, as_of=as_of)
    return [r | {"loan": r["id"], "id": r["member_id"], "loan_kind": r["kind"]} for r in rows]


def repayment_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT r.loan_id AS loan, f.name AS fund, m.id, m.card_no, m.national_id, m.full_name,"
        " l.lent_on, r.paid_on, r.amount FROM repayments r JOIN loans l ON l.id = r.loan_id"
        " JOIN funds f ON f.id = l.fund_id JOIN members m ON m.id = l.member_id"
        " ORDER BY r.paid_on, r.loan_id"
    )
    return [dict(r) for r in rows]


def write(
    rows: list[dict[str, Any]], columns: tuple[str, ...], fmt: str, headers: str, out: IO[Any]
) -> int:
    """``rows`` in ``fmt`` (csv, xlsx, json) with English or Vietnamese ``headers``."""
    if fmt == "json":
        to_json([{c: r.get(c) for c in columns} for r in rows], out)
        return len(rows)
    if headers == "vi":
        words = {
            "loan": t("support.kind.loan", lang="vi"),
            "grant": t("support.kind.grant", lang="vi"),
        }
        rows = [
            r | {"loan_kind": words.get(r.get("loan_kind") or "", r.get("loan_kind"))} for r in rows
        ]
        rows = [
            r | {"status": t(f"support.status.{r['status']}", lang="vi")} if "status" in r else r
            for r in rows
        ]
    head = [_VI[c] if headers == "vi" else c for c in columns]
    values = [[r.get(c) for c in columns] for r in rows]
    if fmt == "xlsx":
        where = {c: i for i, c in enumerate(columns)}
        write_xlsx(
            out, head, values, [where[c] for c in TEXT], [where[c] for c in DATES if c in where]
        )
    else:
        write_csv(out, head, values)
    return len(rows)
