"""`tanhung support …` and `report support`: funds, loans, grants, repayments, refusals."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import DIEM, Run, option_list

from tanhung_cli.i18n import t

FUND = "Quỹ quay vòng chi bộ Ấp Te Te 1"
POOR = "Quỹ hỗ trợ đảng viên nghèo"
TABLES = ("funds", "fund_capital", "loans", "repayments", "audit")


def snapshot(db_path: Path) -> list[tuple]:
    with sqlite3.connect(db_path) as c:
        return [row for table in TABLES for row in c.execute(f"SELECT * FROM {table}").fetchall()]


def ok(run: Run, *args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def setup(run: Run, branches: None) -> None:
    """1 Diễm (Ấp Chợ), 2 An (Te Te 1, from 2015), 3 Bảy (Te Te 1, died 01/02/2018),
    4 Hoa (attending Te Te 1 temporarily since 01/05/2016); a revolving fund of Te Te 1
    with 30 million from 01/01/2017, and the district fund for poor members."""
    ok(run, "member", "add", *DIEM)
    te_te = {"branch": "Ấp Te Te 1", "card": None, "cccd": None}
    ok(run, "member", "add", *option_list(DIEM, name="Nguyễn Văn An", admitted="01/03/2015",
                                         official="01/03/2016", **te_te))  # fmt: skip
    ok(run, "member", "add", *option_list(DIEM, name="Trần Văn Bảy", admitted="01/03/2005",
                                         official="01/03/2006", **te_te))  # fmt: skip
    ok(run, "member", "leave", "3", "--reason", "died", "--on", "01/02/2018")
    ok(run, "member", "transfer-in", "--kind", "temporary", "--name", "Hồ Thị Hoa",
       "--gender", "Nữ", "--born", "02/03/1980", "--ethnicity", "Kinh", "--branch", "Ấp Te Te 1",
       "--admitted", "03/02/2005", "--official", "03/02/2006", "--from", "Xã Tân Hòa",
       "--on", "01/05/2016")  # fmt: skip
    added = ok(run, "support", "fund", FUND, "--kind", "quay vòng", "--branch", "Ấp Te Te 1",
               "--capital", "30 triệu", "--on", "01/01/2017")  # fmt: skip
    assert added == f"Đã thêm quỹ {FUND} (mã 1).\n"
    ok(run, "support", "fund", POOR, "--kind", "đảng viên nghèo")


@pytest.mark.usefixtures("setup")
def test_each_refusal_changes_nothing(run: Run, db_path: Path) -> None:
    ok(run, "support", "add", "quay vong", "2", "10tr", "--on", "01/02/2017", "--due", "01/02/2018")
    ok(run, "support", "add", POOR, "1", "15 triệu", "--on", "20/01/2016", "--grant")
    before = snapshot(db_path)
    refused = [
        (("add", FUND, "3", "5tr", "--on", "01/03/2018"),
         "Đảng viên Trần Văn Bảy (mã 3) không còn trong danh sách Đảng bộ ngày 01/03/2018."),
        (("add", FUND, "2", "5tr", "--on", "01/01/2015"),
         "Đảng viên Nguyễn Văn An (mã 2) chưa có trong danh sách Đảng bộ ngày 01/01/2015."),
        (("add", POOR, "4", "5tr", "--on", "01/06/2017", "--grant"),
         "Hồ Thị Hoa (mã 4) chỉ sinh hoạt tạm thời ở đây ngày 01/06/2017: không thuộc danh sách Đảng bộ."),
        (("add", FUND, "1", "5tr", "--on", "01/03/2017"),
         f"Nguyễn Thị Kiều Diễm (mã 1) không thuộc chi bộ của {FUND}: quỹ quay vòng chỉ cho"
         " đảng viên chi bộ mình vay."),
        (("add", FUND, "2", "5tr", "--on", "01/03/2017", "--due", "01/03/2017"),
         "Hạn trả 01/03/2017 phải sau ngày vay 01/03/2017."),
        (("add", POOR, "1", "5tr", "--on", "01/03/2017", "--grant", "--due", "01/03/2018"),
         "Khoản hỗ trợ không hoàn lại không có hạn trả."),
        (("add", FUND, "2", "5tr", "--on", "01/02/2017"),
         "Đã có khoản vay này (mã 1, ngày 01/02/2017) của cùng quỹ cho cùng đảng viên."),
        (("add", "quỹ", "2", "5tr", "--on", "01/02/2017"),
         f"'quỹ' trùng với nhiều quỹ: 1 ({FUND}); 2 ({POOR}). Hãy dùng mã quỹ."),
        (("repay", "1", "11 triệu", "--on", "01/06/2017"),
         "Trả 11.000.000 đ nhiều hơn số còn nợ của khoản 1 (10.000.000 đ)."),
        (("repay", "1", "5 triệu", "--on", "31/01/2017"),
         "Ngày trả 31/01/2017 trước ngày vay 01/02/2017."),
        (("repay", "2", "5 triệu", "--on", "01/06/2017"),
         "Khoản 2 là hỗ trợ không hoàn lại: không có trả nợ."),
        (("repay", "9", "5 triệu", "--on", "01/06/2017"), "Không có khoản vay mã '9'."),
    ]  # fmt: skip
    for args, message in refused:
        result = run("support", *args)
        assert (result.exit_code, result.stderr) == (1, message + "\n"), args
    for amount, reason in (
        ("0", "money.zero"),
        ("1.5", "money.ambiguous"),
        ("abc", "money.not_amount"),
    ):
        result = run("support", "add", FUND, "2", amount, "--on", "01/03/2017")
        assert result.exit_code == 2
        assert t(reason, value=amount) in " ".join(result.stderr.replace("│", " ").split())
    negative = run("support", "repay", "1", "--on", "01/06/2017", "--", "-5000000")
    assert negative.exit_code == 2 and "không được âm" in negative.stderr
    assert snapshot(db_path) == before
    english = run("support", "repay", "1", "11 triệu", "--on", "01/06/2017", lang="en")
    assert (
        english.stderr
        == "Repaying 11,000,000 VND is more than loan 1 still owes (10,000,000 VND).\n"
    )


@pytest.mark.usefixtures("setup")
def test_a_revolving_fund_lends_what_is_repaid(run: Run) -> None:
    ok(run, "support", "add", FUND, "2", "20 triệu", "--on", "01/02/2017", "--due", "01/02/2018")
    short = run("support", "add", FUND, "3", "20 triệu", "--on", "01/03/2017")
    assert short.exit_code == 1
    assert short.stderr.startswith(f"{FUND} chỉ còn 10.000.000 đ cho vay từ ngày 01/03/2017")
    assert ok(run, "support", "repay", "1", "15tr", "--on", "01/06/2017") == (
        "Đã ghi trả 15.000.000 đ cho khoản vay 1; còn nợ 5.000.000 đ.\n"
    )
    ok(run, "support", "add", FUND, "3", "20 triệu", "--on", "01/07/2017", "--due", "01/01/2018")
    # Earlier, 10 million would fit on the day, but leave the fund short on 01/07/2017.
    backdated = run("support", "add", FUND, "3", "10 triệu", "--on", "01/04/2017")
    assert backdated.exit_code == 1
    assert "chỉ còn 5.000.000 đ cho vay từ ngày 01/04/2017" in backdated.stderr
    ok(run, "support", "capital", "quay vong te te", "10 triệu", "--on", "01/08/2017")
    ok(run, "support", "repay", "1", "5.000.000", "--on", "01/01/2018")
    funds = json.loads(ok(run, "support", "funds", "-f", "json"))
    assert funds[0] | {"branch": None} == {
        "id": 1, "name": FUND, "kind": "revolving", "revolving": True, "branch": None,
        "capital": 40_000_000, "lent": 40_000_000, "repaid": 20_000_000,
        "balance": 20_000_000, "loans": 2,
    }  # fmt: skip
    assert funds[1]["balance"] is None  # not revolving: its capital is not counted here
    report = json.loads(ok(run, "report", "support", "--from", "01/01/2017", "--to", "31/07/2017",
                           "-f", "json"))  # fmt: skip
    assert report["balances"] == [
        {"id": 1, "name": FUND, "owner": "Ấp Te Te 1", "capital": 30_000_000,
         "lent": 40_000_000, "repaid": 15_000_000, "balance": 5_000_000,
         "outstanding": 25_000_000},
    ]  # fmt: skip
    loans = json.loads(ok(run, "support", "list", "--owing", "-f", "json"))
    assert [(x["id"], x["owed"], x["status"]) for x in loans] == [(2, 20_000_000, "overdue")]
    shown = json.loads(ok(run, "support", "show", "1", "-f", "json"))
    assert (shown["status"], shown["repayments"]) == ("repaid", [
        {"paid_on": "2017-06-01", "amount": 15_000_000},
        {"paid_on": "2018-01-01", "amount": 5_000_000}])  # fmt: skip


@pytest.mark.usefixtures("setup")
def test_periods_include_both_ends(run: Run) -> None:
    ok(run, "term", "add", "2015-2020", "--start", "01/07/2015", "--end", "30/06/2020")
    ok(run, "term", "add", "2020-2025", "--start", "01/07/2020", "--end", "30/06/2025")
    for on in ("30/06/2015", "01/07/2015", "30/06/2020", "01/07/2020"):
        ok(run, "support", "add", POOR, "2", "5 triệu", "--on", on, "--grant")

    def figures(*args: str) -> tuple[int, int, int]:
        data = json.loads(ok(run, "report", "support", *args, "-f", "json"))
        return data["amount_vnd"], data["loans"], data["members"]

    assert figures("--term", "2015-2020") == (10_000_000, 2, 1)
    assert figures("--term", "2020-2025") == (5_000_000, 1, 1)
    assert figures("--from", "30/06/2020", "--to", "30/06/2020") == (5_000_000, 1, 1)
    assert figures("--from", "01/07/2020", "--to", "01/07/2020") == (5_000_000, 1, 1)
    assert figures("--from", "01/07/2015", "--to", "29/06/2020") == (5_000_000, 1, 1)
    assert figures("--term", "2015-2020", "--as-of", "31/12/2019") == (5_000_000, 1, 1)
    summary = json.loads(ok(run, "report", "summary", "-t", "2015-2020", "-f", "json"))
    assert summary["support"]["loans"] == 2
    assert summary["support"]["by_fund"] == [
        {"name": POOR, "kind": "poor-members", "amount_vnd": 10_000_000, "loans": 2, "members": 1}
    ]


@pytest.mark.usefixtures("setup")
def test_lists_and_reports_in_every_format(run: Run, tmp_path: Path) -> None:
    ok(run, "support", "add", FUND, "2", "20 triệu", "--on", "01/02/2017", "--due", "01/02/2018",
       "--purpose", "Nuôi bò")  # fmt: skip
    ok(run, "support", "add", POOR, "1", "1,5 triệu", "--on", "20/01/2017", "--grant")
    later = ok(
        run, "support", "add", FUND, "2", "1 triệu", "--on", "01/03/2017", "--due", "01/03/2099"
    )
    assert later.startswith("Đã ghi khoản vay mã 3: 1.000.000 đ cho Nguyễn Văn An")  # due later
    assert run("support", "add", FUND, "2", "1 triệu", "--on", "01/03/2099").exit_code == 2
    assert run("support", "repay", "3", "1 triệu", "--on", "01/03/2099").exit_code == 2
    table = ok(run, "support", "list", "--to", "31/12/2017", "--fund", "1")
    assert "2 khoản, tổng 21.000.000 đ" in table
    table = ok(run, "support", "list", "--to", "31/01/2017")
    assert "1.500.000 đ" in table and "1500000" not in table
    assert "1 khoản, tổng 1.500.000 đ" in table
    csv = ok(run, "--lang", "en", "support", "list", "-f", "csv").splitlines()
    assert csv[0] == "id,fund,full_name,branch,kind,amount,lent_on,due_on,repaid,owed,status"
    assert csv[1] == f"2,{POOR},Nguyễn Thị Kiều Diễm,Ấp Chợ,grant,1500000,2017-01-20,,0,0,granted"
    english = ok(run, "--lang", "en", "report", "support", "--from", "01/01/2017", "--to",
                 "31/12/2017")  # fmt: skip
    assert "Support for members in hardship: 22.5 million VND, 3 loans, 2 members." in english
    out = tmp_path / "support.md"
    ok(run, "report", "support", "--from", "01/01/2017", "--to", "31/12/2017", "-o", str(out))
    assert "Hỗ trợ đảng viên khó khăn: 22,5 triệu đồng, 3 lượt, 2 đảng viên." in out.read_text()
    csv_report = ok(run, "--lang", "en", "report", "support", "--from", "01/01/2017", "--to", "31/12/2017",
                    "-f", "csv").splitlines()  # fmt: skip
    assert csv_report[:3] == [
        "section,kind,amount_vnd,loans,members,name,branch,capital,lent,repaid,balance,outstanding",
        "by_kind,poor-members,1500000,1,1,,,,,,,",
        "by_kind,revolving,21000000,2,1,,,,,,,",
    ]
    assert run("report", "support").exit_code == 1  # no term, no period: said so
