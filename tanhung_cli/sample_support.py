"""The sample's support records: funds and their capital (by the domain operations of
`support fund` and `support capital`), loans and repayments (through `import loans` and
`import repayments`, exactly as a clerk's files). See scripts/make_support_sample.py."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from tanhung_cli import funds, money
from tanhung_cli import vietnamese as vn


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))[1:]


def load_support(conn: sqlite3.Connection, folder: Path) -> tuple[int, int]:
    """Funds, capital, loans and repayments of the sample: (loans, repayments) added."""
    from tanhung_cli.importer.loans import LoanImport
    from tanhung_cli.importer.repayments import RepaymentImport
    from tanhung_cli.sample import _import

    load_funds(conn, folder)
    loans = _import(conn, folder / "loans.csv", LoanImport())
    return loans, _import(conn, folder / "repayments.csv", RepaymentImport())


def load_funds(conn: sqlite3.Connection, folder: Path) -> None:
    """The funds of ``funds.csv`` and their capital (``fund_capital.csv``)."""
    for name, kind, branch, revolving in _rows(folder / "funds.csv"):
        funds.add_fund(conn, name, kind, branch or None, revolving=vn.fold(revolving) == "co")
    for fund, day, amount in _rows(folder / "fund_capital.csv"):
        funds.add_capital(conn, fund, money.parse_amount(amount), vn.parse_date(day))
