"""`tanhung demo`, and the sample loaded through the `import` commands a clerk uses."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from typer.testing import CliRunner

from tanhung_cli import i18n, sample
from tanhung_cli.cli import app
from tanhung_cli.db import open_db
from tests.test_reports import SUMMARY_2020


def _invoke(*args: str):  # noqa: ANN202
    result = CliRunner().invoke(app, list(args))
    i18n.set_lang("vi")
    return result


def test_demo_builds_its_own_file_and_prints_the_summary(tmp_path: Path) -> None:
    clerks_registry = Path(os.environ["TANHUNG_DB"])
    for _ in range(2):  # replaced on every run
        result = _invoke("demo")
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert lines[1] == (
            "Toàn Đảng bộ có 301 đảng viên; chính thức 292, dự bị 9; dân tộc Khmer 56, Hoa 2; nữ 78."
        )
        assert "đạt 115,4 % chỉ tiêu nghị quyết (39)" in lines[2]
        assert (
            lines[3] == "Đưa 124 lượt đồng chí tham dự các lớp đào tạo, bồi dưỡng (110 đồng chí)."
        )
    demo_file = tmp_path / "xdg" / "tanhung" / "tanhung-demo.db"
    assert f"tại {demo_file}" in result.stderr
    loaded = "Đã nạp 14 chi bộ, 379 đảng viên, 27 lớp, 289 lượt học, 24 cuộc họp, 53 khoản vay và hỗ trợ."
    assert loaded in result.stderr
    assert not clerks_registry.exists()  # TANHUNG_DB may be the clerk's real registry
    conn = open_db(demo_file)
    assert conn.execute("SELECT count(*) FROM members").fetchone()[0] == 379
    conn.close()


def test_demo_json_is_the_contract_summary() -> None:
    result = _invoke("demo", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == SUMMARY_2020
    english = _invoke("--lang", "en", "demo")
    assert "The Party Committee has 301 members: 292 official, 9 probationary" in english.stdout


def test_demo_into_a_named_file_only_when_new(tmp_path: Path) -> None:
    target = tmp_path / "demo.db"
    assert _invoke("--db", str(target), "demo").exit_code == 0
    report = _invoke("--db", str(target), "report", "summary", "-t", "2015-2020", "-f", "json")
    assert json.loads(report.stdout) == SUMMARY_2020
    again = _invoke("--db", str(target), "demo")
    assert again.exit_code == 1
    assert again.stderr == (
        f"Sổ {target} đã có dữ liệu; sổ mẫu chỉ được tạo trong một tệp mới."
        " Hãy chọn tệp khác với --db.\n"
    )
    conn = open_db(target)
    assert conn.execute("SELECT count(*) FROM members").fetchone()[0] == 379
    conn.close()


def test_sample_through_the_import_commands(tmp_path: Path) -> None:
    """The clerk's way: `import branches / members / courses / enrolments`, `term add`…"""
    db = ["--db", str(tmp_path / "clerk.db")]
    folder = sample.sample_dir()
    for what in ("branches", "members", "courses", "enrolments", "meetings", "attendance"):
        result = _invoke(*db, "import", what, str(folder / f"{what}.csv"))
        assert result.exit_code == 0, result.output
        # No unknown column, no problem; the first import creates the registry and says so.
        created = f"Đã tạo sổ đảng viên mới: {tmp_path / 'clerk.db'}\n"
        assert result.stderr == (created if what == "branches" else "")
    assert _invoke(*db, "term", "add", "2015-2020", "--start", "01/07/2015",
                   "--end", "30/06/2020").exit_code == 0  # fmt: skip
    assert _invoke(*db, "target", "set", "2015-2020", "admissions", "39").exit_code == 0
    support_the_clerks_way(db, folder)
    result = _invoke(*db, "report", "summary", "--term", "2015-2020", "--format", "json")
    assert json.loads(result.stdout) == SUMMARY_2020
    for what in (
        "members",
        "enrolments",
        "loans",
        "repayments",
    ):  # the same file twice adds nothing twice
        again = _invoke(*db, "import", what, str(folder / f"{what}.csv"))
        assert again.exit_code == 0, again.output
    result = _invoke(*db, "report", "summary", "--term", "2015-2020", "--format", "json")
    assert json.loads(result.stdout) == SUMMARY_2020


def support_the_clerks_way(db: list[str], folder: Path) -> None:
    """Funds by `support fund` and `support capital`, then `import loans` and `repayments`."""
    import csv

    with (folder / "funds.csv").open(encoding="utf-8-sig") as fh:
        for name, kind, branch, revolving in list(csv.reader(fh))[1:]:
            owner = ["--branch", branch] if branch else []
            flag = "--revolving" if revolving == "Có" else "--not-revolving"
            added = _invoke(*db, "support", "fund", name, "--kind", kind, *owner, flag)
            assert added.exit_code == 0, added.output
    with (folder / "fund_capital.csv").open(encoding="utf-8-sig") as fh:
        for fund, day, amount in list(csv.reader(fh))[1:]:
            assert _invoke(*db, "support", "capital", fund, amount, "--on", day).exit_code == 0
    for what in ("loans", "repayments"):
        result = _invoke(*db, "import", what, str(folder / f"{what}.csv"))
        assert result.exit_code == 0, result.output
        assert result.stderr == ""


def test_the_demo_registry_at_the_end_of_its_records(tmp_path: Path) -> None:
    """Issue #11, point 9: the sample reaches 30/11/2026; a registry that stopped in 2020
    had nine probationers 'overdue' by 2,000 days and no current term."""
    target = tmp_path / "demo.db"
    assert _invoke("--db", str(target), "demo").exit_code == 0
    checked = _invoke("--db", str(target), "check", "--as-of", "30/11/2026")
    assert checked.exit_code == 0, checked.output
    assert checked.stdout == "Sổ đảng viên không có lỗi: đã kiểm tra 379 đảng viên.\n"
    due = json.loads(
        _invoke("--db", str(target), "due", "--as-of", "30/11/2026", "-f", "json").stdout
    )
    assert [p["overdue_days"] for p in due["probation"] if p["overdue_days"]] == []
    now = json.loads(
        _invoke(
            "--db", str(target), "report", "summary", "--as-of", "30/11/2026", "-f", "json"
        ).stdout
    )
    assert now["term"] == {"name": "2025-2030", "start": "2025-07-01", "end": "2030-06-30"}
    assert now["members"]["total"] == 340
    assert now["admissions"] == {
        "in_term": 11,
        "target": 42,
        "percent_of_target": 26.2,
        "readmitted": 0,
    }
    before = json.loads(
        _invoke("--db", str(target), "report", "summary", "-t", "2020-2025", "-f", "json").stdout
    )
    assert before["admissions"] == {
        "in_term": 44,
        "target": 40,
        "percent_of_target": 110.0,
        "readmitted": 1,  # admitted again on 15/08/2023, counted apart (issue #14, point 6)
    }
    # Without options: today, in the term running today.
    today = json.loads(_invoke("--db", str(target), "report", "summary", "-f", "json").stdout)
    assert today["as_of"] == dt.date.today().isoformat()
    if dt.date.today() <= dt.date(2030, 6, 30):
        assert today["term"]["name"] == "2025-2030"


def test_the_demo_holds_a_gap_a_study_transfer_and_a_temporary_guest(tmp_path: Path) -> None:
    """Issue #14: the sample gains a gap in party age (Trần Văn Thành out of contact for
    184 days in 1999: his 30-year badge moves from 26/07/2024 to 26/01/2025), a member
    away for full-time study (still counted here), one attending here for a while (not
    counted), and the letters of the official transfers in."""
    db = ["--db", str(tmp_path / "demo.db")]
    assert _invoke(*db, "demo").exit_code == 0
    listed = _invoke(*db, "member", "list", "--as-of", "30/11/2026", "--all", "-f", "json")
    members = json.loads(listed.stdout)
    by_name = {m["full_name"]: m for m in members}
    (student,) = [m for m in members if m["away"]]  # two members share his name
    guest = by_name["Huỳnh Hồng Tuyết"]
    assert (student["full_name"], student["status"], student["away_until"]) == (
        "Trương Quốc Hòa",
        "official",
        "2027-06-30",
    )
    assert (guest["status"], guest["came_from"], guest["temporary_until"]) == (
        "temporary",
        "Đảng bộ xã Hiếu Tử",
        "2027-04-30",
    )
    arrived = [m for m in by_name.values() if m["letter_on"]]
    assert len(arrived) == 3 and all(m["letter_presented_on"] for m in arrived)
    thanh = by_name["Trần Văn Thành"]["id"]
    standing = json.loads(
        _invoke(*db, "member", "standing", str(thanh), "--as-of", "30/11/2026", "-f", "json").stdout
    )
    assert [g["days"] for g in standing["gaps"]] == [184]
    due = json.loads(
        _invoke(*db, "due", "--as-of", "01/07/2024", "--within", "400", "-f", "json").stdout
    )
    badge = next(b for b in due["badges"] if b["id"] == thanh)
    assert (badge["years"], badge["reaches_on"]) == (30, "2025-01-26")
    now = json.loads(
        _invoke(*db, "report", "summary", "--as-of", "30/11/2026", "-f", "json").stdout
    )
    assert now["members"]["total"] == 340  # the guest is not counted, the student is
