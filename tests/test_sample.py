"""The bundled sample registry: reproducible, valid under every rule, and true to the article."""

from __future__ import annotations

import csv
import datetime as dt
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tanhung_cli import rules, sample, working_days
from tanhung_cli import vietnamese as vn
from tanhung_cli.columns import MEMBER_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
END = dt.date(2020, 6, 30)
START = dt.date(2015, 7, 1)
HAMLETS = ("Chợ", "Nhứt", "Nhì", "Sáu", "Te Te 1", "Te Te 2", "Phụng Sa", "Trung Tiến")
KHMER_FAMILIES = {"Thạch", "Sơn", "Kim", "Danh", "Lâm", "Kiên", "Trà"}


def _rows(name: str) -> list[dict[str, str]]:
    with (sample.sample_dir() / name).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _members() -> list[dict[str, str]]:
    by_header = {h: c.name for c in MEMBER_COLUMNS for h in (c.vi, *c.also)}
    return [{by_header[k]: v for k, v in row.items()} for row in _rows("members.csv")]


def _day(text: str) -> dt.date | None:
    return vn.parse_date(text) if text else None


def test_generator_rebuilds_the_same_files(tmp_path: Path) -> None:
    for name in ("make_sample.py", "make_meetings.py"):  # the meetings from the roll written
        script = ROOT / "scripts" / name
        subprocess.run(
            [sys.executable, str(script), str(tmp_path)], check=True, capture_output=True
        )
    for name in sample.FILES:
        assert (tmp_path / name).read_bytes() == (sample.sample_dir() / name).read_bytes(), name


def test_every_member_obeys_the_rules() -> None:
    ctx = rules.Context(today=dt.date.today(), resolve_branch=lambda name: (1, name))
    cards, cccds = set(), set()
    for row in _members():
        record, problems = rules.validate_member(row, ctx)
        assert problems == [], (row["full_name"], [p.message() for p in problems])
        if row["card_no"]:
            assert re.fullmatch(r"\d{8}", row["card_no"]) and row["official_on"]
            cards.add(row["card_no"])
        if row["national_id"]:
            assert re.fullmatch(r"084\d{9}", row["national_id"])
            cccds.add(row["national_id"])
        born, admitted = _day(row["birth_date"]), _day(row["admitted_on"])
        assert born and admitted and 18 * 12 <= vn.months_between(born, admitted) <= 60 * 12
        # Probation: 12 months from the ceremony when the sample records one (Charter 2011,
        # Art. 5.1; QĐ 294-QĐ/TW); those admitted since 2015 carry the four dates, older
        # records the decision alone. The ceremony within 30 working days (QĐ 294-QĐ/TW).
        ceremony = _day(row["ceremony_on"])
        if row["official_on"]:
            start = ceremony or _day(row["readmitted_on"]) or admitted  # a new probation
            assert _day(row["official_on"]) == vn.add_months(start, 12)
        if admitted >= START:
            branch_met = _day(row["branch_met_on"])
            assert ceremony and branch_met and branch_met < admitted <= ceremony
            assert working_days.between(admitted, ceremony)[0] <= 30
        else:
            assert not (ceremony or row["branch_met_on"] or row["committee_met_on"])
        if row["ethnicity"] == "Khmer":
            assert row["full_name"].split()[0] in KHMER_FAMILIES
    assert len(cards) == sum(1 for r in _members() if r["card_no"])
    assert len(cccds) == sum(1 for r in _members() if r["national_id"])


def test_figures_counted_straight_from_the_files() -> None:
    """An independent count over the CSV, without the registry: the article's figures."""
    rows = _members()
    on_roll = [
        r for r in rows
        if _day(r["transferred_in_on"] or r["readmitted_on"] or r["admitted_on"]) <= END
        and (not r["left_on"] or _day(r["left_on"]) > END)
    ]  # fmt: skip
    official = [r for r in on_roll if r["official_on"] and _day(r["official_on"]) <= END]
    assert len(on_roll) == 301 and len(official) == 292
    assert Counter(r["ethnicity"] for r in on_roll) == {"Kinh": 243, "Khmer": 56, "Hoa": 2}
    assert sum(r["gender"] == "Nữ" for r in on_roll) == 78
    assert sum(START <= _day(r["admitted_on"]) <= END for r in rows) == 45
    # Who had left by the end of the term.
    left = Counter(r["left_reason"] for r in rows if r["left_on"] and _day(r["left_on"]) <= END)
    assert left == {"Từ trần": 9, "Chuyển sinh hoạt chính thức đi nơi khác": 5, "Xóa tên": 2,
                    "Xin ra khỏi Đảng": 1, "Khai trừ": 1}  # fmt: skip
    assert len(rows) > 301
    starts = {c["Tên khóa học"]: _day(c["Ngày bắt đầu"]) for c in _rows("courses.csv")}
    in_term = [e for e in _rows("enrolments.csv") if START <= starts[e["Khóa học"]] <= END]
    assert len(in_term) == 124 and len({e["Số CCCD"] for e in in_term}) == 110
    assert len(_rows("enrolments.csv")) > 124
    assert _rows("terms.csv")[0] == {"Nhiệm kỳ": "2015-2020", "Ngày bắt đầu": "01/07/2015",
                                     "Ngày kết thúc": "30/06/2020",
                                     "Chỉ tiêu kết nạp đảng viên": "39"}  # fmt: skip


# The last day the sample's records reach (scripts/make_sample.py DATA_END).
DATA_END = dt.date(2026, 11, 30)


def test_the_committee_goes_on_after_the_article() -> None:
    """Issue #11, point 9: the sample's life continues to DATA_END as a real committee's."""
    rows = _members()
    assert [r["Nhiệm kỳ"] for r in _rows("terms.csv")] == ["2015-2020", "2020-2025", "2025-2030"]
    # Every probationer whose twelve months ended by DATA_END is confirmed.
    for r in rows:
        admitted = _day(r["admitted_on"])
        assert admitted and admitted <= DATA_END
        ended = vn.add_months(admitted, 12) <= DATA_END
        if ended and not r["left_on"]:
            assert r["official_on"] and r["card_no"], r["full_name"]
    later = [r for r in rows if _day(r["admitted_on"]) > END and not r["transferred_in_on"]]
    assert len(later) == 55
    assert sum(bool(r["transferred_in_on"]) and not r["temporary"] for r in rows) == 3
    assert sum(bool(r["temporary"]) for r in rows) == 1  # attending here for a while
    after = Counter(r["left_reason"] for r in rows if r["left_on"] and _day(r["left_on"]) > END)
    assert after == {"Từ trần": 14, "Chuyển sinh hoạt chính thức đi nơi khác": 4, "Xóa tên": 1,
                     "Xin ra khỏi Đảng": 1}  # fmt: skip
    starts = [_day(c["Ngày bắt đầu"]) for c in _rows("courses.csv")]
    assert sum(s > END for s in starts if s) == 13


def test_branches_are_the_articles_hamlets_and_some_sectors() -> None:
    rows = _rows("branches.csv")
    hamlets = [r["Tên chi bộ"].removeprefix("Ấp ") for r in rows if r["Loại"] == "Chi bộ ấp"]
    assert tuple(hamlets) == HAMLETS
    assert len(rows) - len(hamlets) >= 4


def test_sample_dir_prefers_installed_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert sample.sample_dir() == ROOT / "data" / "sample"
    fake = tmp_path / "tanhung_cli"
    (fake / "_data" / "sample").mkdir(parents=True)
    monkeypatch.setattr(sample, "__file__", str(fake / "sample.py"))
    from tanhung_cli.errors import FileProblem

    with pytest.raises(FileProblem):
        sample.sample_dir()
    for name in sample.FILES:
        (fake / "_data" / "sample" / name).write_text("x")
    assert sample.sample_dir() == (fake / "_data" / "sample").resolve()
