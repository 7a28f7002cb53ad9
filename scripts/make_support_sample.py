"""Generate the sample's support records (data/sample/funds.csv, fund_capital.csv,
loans.csv, repayments.csv) from the sample roll, deterministically (a fixed seed).

The article's figures (shared/seed/FIGURES.md) come out of these records:
- Farmers' Support Fund, central and district: 356 million VND in 14 loans;
- the district fund for poor members: 45 million VND to 3 members (3 grants);
- the revolving funds of the Ấp Sáu and Ấp Te Te 1 branches: 744 million VND in 36 loans;
- in all 1,145 million VND, 53 loans, 42 distinct members.

Every borrower is on the roll throughout the 2015-2020 term; a revolving fund lends to its
own branch's members; every date falls inside the term. A revolving fund's capital is put
in year by year, enough for its loans even before their repayments are imported (loans
are imported before repayments).

    .venv/bin/python scripts/make_support_sample.py [OUTPUT_DIR]  # rewrites the four files

`scripts/make_sample.py` runs it too, on the roll it has just written.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
import tempfile
from pathlib import Path

from tanhung_cli import roll, sample
from tanhung_cli.db import open_db
from tanhung_cli.history import write_transaction

SEED = 13
OUT = Path(__file__).resolve().parent.parent / "data" / "sample"
TERM = (dt.date(2015, 7, 1), dt.date(2020, 6, 30))
M = 1_000_000
FUNDS = [  # name, kind, owner branch, revolving
    ("Quỹ Hỗ trợ nông dân Trung ương", "Quỹ Hỗ trợ nông dân", "", "Không"),
    ("Quỹ Hỗ trợ nông dân huyện Tiểu Cần", "Quỹ Hỗ trợ nông dân", "", "Không"),
    ("Quỹ hỗ trợ đảng viên nghèo huyện Tiểu Cần", "Quỹ hỗ trợ đảng viên nghèo", "", "Không"),
    ("Quỹ quay vòng chi bộ Ấp Sáu", "Quỹ quay vòng", "Ấp Sáu", "Có"),
    ("Quỹ quay vòng chi bộ Ấp Te Te 1", "Quỹ quay vòng", "Ấp Te Te 1", "Có"),
]
PURPOSES = ["Chăn nuôi bò", "Nuôi heo", "Trồng màu", "Sửa nhà", "Mua máy bơm nước",
            "Nuôi tôm", "Trồng lúa", "Buôn bán nhỏ", "Chữa bệnh"]  # fmt: skip
TYPED = ["{n}.000.000", "{n} triệu", "{n}tr", "{n}000000", "{n},000,000"]


def roll_members(conn, branches: list[str]) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """(name, CCCD, branch) of members on the roll at the term's start and end."""
    both = f"{roll.ON_ROLL.replace(':as_of', ':a')} AND {roll.ON_ROLL.replace(':as_of', ':b')}"
    sql = (
        "SELECT m.full_name, m.national_id, b.name FROM members m JOIN branches b"
        f" ON b.id = m.branch_id WHERE {both} AND m.national_id IS NOT NULL ORDER BY m.id"
    )
    found = conn.execute(sql, {"a": "2015-07-31", "b": TERM[1].isoformat()}).fetchall()
    return [tuple(r) for r in found if r[2] in branches]


def typed(rng: random.Random, amount: int) -> str:
    return rng.choice(TYPED).format(n=amount // M)


def months(day: dt.date, count: int) -> dt.date:
    from tanhung_cli.vietnamese import add_months

    return add_months(day, count)


def main(out: Path = OUT) -> None:
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as tmp:
        conn = open_db(Path(tmp) / "roll.db")
        with write_transaction(conn):
            sample.load_branches(conn, out / "branches.csv")
            sample.load_members(conn, out / "members.csv")
        hamlets = ["Ấp Chợ", "Ấp Nhứt", "Ấp Nhì", "Ấp Te Te 2", "Ấp Phụng Sa", "Ấp Trung Tiến"]
        others = roll_members(conn, hamlets)
        by_branch = {b: roll_members(conn, [b]) for b in ("Ấp Sáu", "Ấp Te Te 1")}
        conn.close()
    loans: list[dict[str, object]] = []
    capital: list[tuple[str, dt.date, int]] = []

    def lend(fund: str, who: tuple[str, str, str], amount: int, day: dt.date,
             due: dt.date | None, kind: str = "Vay") -> None:  # fmt: skip
        loans.append({"fund": fund, "who": who, "amount": amount, "day": day, "due": due,
                      "kind": kind, "purpose": rng.choice(PURPOSES)})  # fmt: skip

    # Revolving funds: 18 loans each, 14 borrowers (4 borrow twice), a year to repay.
    first_revolving = None
    for fund, branch in ((FUNDS[3][0], "Ấp Sáu"), (FUNDS[4][0], "Ấp Te Te 1")):
        people = rng.sample(by_branch[branch], 14)
        first_revolving = first_revolving or people[0]
        amounts = [20 * M] * 12 + [22 * M] * 6
        rng.shuffle(amounts)
        for i in range(18):
            day = dt.date(2015, 9, 10) + dt.timedelta(days=i * 95 + rng.randrange(20))
            lend(fund, people[i % 14], amounts[i], day, months(day, 12))
        for year in range(2015, 2019):
            capital.append((fund, dt.date(year, 8, 15), 100 * M))
    # Farmers' Support Fund, central (8 loans) and district (6): 12 borrowers, 2 twice.
    people = rng.sample(others, 14)
    farmers, poor = people[:12], people[12:]
    amounts = [30 * M] * 2 + [25 * M] * 10 + [23 * M] * 2
    rng.shuffle(amounts)
    for i in range(14):
        fund = FUNDS[0][0] if i < 8 else FUNDS[1][0]
        who = farmers[i] if i < 12 else farmers[i - 12]
        day = dt.date(2015, 10, 5) + dt.timedelta(days=(i % 8) * 200 + (i // 8) * 90)
        if i >= 12:
            day = dt.date(2019, 3, 1) + dt.timedelta(days=(i - 12) * 120)
        lend(fund, who, amounts[i], day, months(day, 36))
    # The district fund for poor members: three grants of 15 million.
    for i, who in enumerate([*poor, first_revolving]):
        assert who is not None
        lend(FUNDS[2][0], who, 15 * M, dt.date(2016, 1, 20) + dt.timedelta(days=i * 400),
             None, "Hỗ trợ")  # fmt: skip
    check(loans, capital)
    write(out, loans, capital, rng)


def check(loans: list[dict[str, object]], capital: list[tuple[str, dt.date, int]]) -> None:
    total = sum(int(str(x["amount"])) for x in loans)
    people = {x["who"] for x in loans}
    assert (total, len(loans), len(people)) == (1145 * M, 53, 42), (total, len(loans), len(people))
    for fund in (FUNDS[3][0], FUNDS[4][0]):  # the capital alone covers every loan, in order
        moves = sorted([(d, a) for f, d, a in capital if f == fund]
                       + [(x["day"], -int(str(x["amount"]))) for x in loans if x["fund"] == fund])  # type: ignore[misc]  # fmt: skip
        balance = 0
        for _, amount in moves:
            balance += amount
            assert balance >= 0, fund
    assert all(TERM[0] <= x["day"] <= TERM[1] for x in loans)  # type: ignore[operator]


def write(folder: Path, loans: list[dict[str, object]],
          capital: list[tuple[str, dt.date, int]], rng: random.Random) -> None:  # fmt: skip
    def out(name: str, header: list[str], rows: list[list[object]]) -> None:
        with (folder / name).open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)

    def d(day: dt.date | None) -> str:
        return day.strftime("%d/%m/%Y") if day else ""

    out("funds.csv", ["Tên quỹ", "Loại", "Chi bộ", "Quay vòng"], [list(f) for f in FUNDS])
    out("fund_capital.csv", ["Quỹ", "Ngày", "Số tiền"],
        [[f, d(day), typed(rng, a)] for f, day, a in capital])  # fmt: skip
    loans.sort(key=lambda x: (x["day"], x["fund"]))  # type: ignore[return-value]
    out("loans.csv",
        ["Quỹ", "Họ và tên", "Số CCCD", "Hình thức", "Số tiền", "Ngày vay", "Hạn trả", "Mục đích"],
        [[x["fund"], x["who"][0], x["who"][1], x["kind"], typed(rng, x["amount"]),  # type: ignore[index, arg-type]
          d(x["day"]), d(x["due"]), x["purpose"]] for x in loans])  # type: ignore[arg-type]  # fmt: skip
    paid = []
    for x in loans:
        due, amount = x["due"], int(str(x["amount"]))
        if due is None:
            continue
        half = months(x["day"], 6)  # type: ignore[arg-type]
        if x["fund"] in (FUNDS[3][0], FUNDS[4][0]) and half <= TERM[1]:
            paid.append((x, half, amount // 2))
            if due <= TERM[1]:  # type: ignore[operator]
                paid.append((x, due, amount - amount // 2))
        elif due <= TERM[1]:  # type: ignore[operator]
            paid.append((x, due, amount))
    paid.sort(key=lambda p: (p[1], p[0]["fund"]))  # type: ignore[return-value]
    out("repayments.csv", ["Quỹ", "Họ và tên", "Số CCCD", "Ngày vay", "Ngày trả", "Số tiền"],
        [[x["fund"], x["who"][0], x["who"][1], d(x["day"]), d(day), typed(rng, a)]  # type: ignore[index, arg-type]
         for x, day, a in paid])  # fmt: skip


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
