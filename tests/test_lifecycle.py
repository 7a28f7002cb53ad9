"""Members walked through whole lives; status, party age and the roll checked on many dates."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

import pytest

from tanhung_cli import (
    branches,
    corrections,
    lifecycle,
    member_lists,
    members,
    readmission,
    roll,
    transfers,
)
from tanhung_cli.errors import Conflict, Invalid
from tanhung_cli.standing import member_standing

D = dt.date.fromisoformat
TODAY = D("2026-06-30")


def admit(conn: sqlite3.Connection, name: str, admitted: str, **extra: Any) -> int:
    raw = {"full_name": name, "gender": "Nam", "birth_date": "1970-01-01", "ethnicity": "Kinh",
           "branch": "Ấp Chợ", "admitted_on": admitted, **extra}  # fmt: skip
    return members.add_member(conn, raw, today=TODAY).member_id


def counted(conn: sqlite3.Connection, day: str, status: str | None = None) -> set[int]:
    """Ids on the roll (and counted) at ``day``, through the SQL that reports use."""
    extra = {"official": f" AND {roll.OFFICIAL}", "probationary": f" AND {roll.PROBATIONARY}"}
    sql = f"SELECT m.id FROM members m WHERE {roll.ON_ROLL}{extra.get(status or '', '')}"
    return {r[0] for r in conn.execute(sql, {"as_of": day})}


def present(conn: sqlite3.Connection, day: str) -> set[int]:
    sql = f"SELECT m.id FROM members m WHERE {roll.PRESENT}"
    return {r[0] for r in conn.execute(sql, {"as_of": day})}


def standing(conn: sqlite3.Connection, member_id: int, day: str) -> tuple[str, Any]:
    info = member_standing(conn, member_id, D(day))
    age = info["party_age"]
    return info["status"], (age["years"], age["months"]) if age else None


@pytest.fixture
def registry(conn: sqlite3.Connection) -> sqlite3.Connection:
    branches.add_branch(conn, "Ấp Chợ")
    branches.add_branch(conn, "Trường THCS", "sector")
    return conn


def test_an_admitted_on_29_february_confirmed_transferred_back_exempted_died(registry) -> None:
    conn = registry
    an = admit(conn, "Nguyễn Văn An", "2020-02-29")
    with pytest.raises(Invalid) as refused:
        lifecycle.confirm(conn, an, D("2021-02-27"))
    assert refused.value.key == "life.confirm_too_early"
    assert refused.value.params["earliest"] == D("2021-02-28")  # a date, worded when shown
    assert "28/02/2021" in refused.value.message("vi")
    result = lifecycle.confirm(conn, an, D("2021-03-15"), "15-QĐ/ĐU")
    assert result.on == "2021-02-28"  # official at the end of the 12 months, not at the decision
    # Within the branch's 30 working days after probation: not late (Charter 2011, 5.2).
    assert [w.key for w in result.warnings] == ["life.no_new_member_class"]
    transfers.transfer_out(conn, an, "Đảng bộ xã Tân Hòa", "official", D("2022-06-01"))
    transfers.transfer_in(conn, an, "official", D("2023-03-01"), "Đảng bộ xã Tân Hòa")
    lifecycle.exempt(conn, an, D("2024-01-10"), note="Bệnh nặng")
    lifecycle.leave(conn, an, "died", D("2025-04-03"))

    expected = {
        "2020-02-28": ("not-yet", None),
        "2020-02-29": ("probationary", None),
        "2021-02-27": ("probationary", None),
        "2021-02-28": ("official", (1, 0)),
        "2022-05-31": ("official", (2, 3)),
        "2022-06-01": ("left", (2, 3)),  # transferred out: still a party member elsewhere
        "2022-12-31": ("left", (2, 10)),
        "2023-03-01": ("official", (3, 0)),
        "2024-02-29": ("official", (4, 0)),
        "2025-04-02": ("official", (5, 1)),
        "2025-04-03": ("left", (5, 1)),
        "2026-06-01": ("left", (5, 1)),  # party age stops at death
    }
    for day, want in expected.items():
        assert standing(conn, an, day) == want, day
        on_roll = want[0] in ("official", "probationary")
        assert (an in counted(conn, day)) is on_roll, day
        assert (an in counted(conn, day, want[0])) is on_roll, day
    assert member_standing(conn, an, D("2024-06-01"))["exempt"] is True
    assert member_standing(conn, an, D("2023-06-01"))["exempt"] is False
    kinds = [e["kind"] for e in member_lists.history(conn, an)[1]]
    assert kinds == ["admitted", "confirmed", "transferred_out", "transferred_in", "exempted",
                     "left"]  # fmt: skip
    spells = conn.execute("SELECT joined_roll_on, left_on, left_reason FROM past_spells").fetchall()
    assert [tuple(s) for s in spells] == [("2020-02-29", "2022-06-01", "transferred")]


def test_binh_resigned_and_readmitted_counts_both_periods_minus_the_gap(registry) -> None:
    conn = registry
    binh = admit(conn, "Trần Thị Bình", "1990-05-19", official_on="1991-05-19",
                 card_no="01234567", gender="Nữ")  # fmt: skip
    lifecycle.leave(conn, binh, "resigned", D("2000-01-01"))
    with pytest.raises(Conflict):
        transfers.transfer_in(conn, binh, "official", D("2004-01-01"))
    readmission.readmit(
        conn, binh, D("2005-01-01"), decision="3-QĐ/ĐU", consent="1-CV/TU", exception="2-QĐ/TU"
    )
    row = members.get_member(conn, binh)
    # HD 12-HD/BTCTW 2022: the first admission stays "Ngày vào Đảng"; the re-admission apart.
    assert (row["admitted_on"], row["readmitted_on"]) == ("1990-05-19", "2005-01-01")
    assert (row["official_on"], row["card_no"]) == (None, None)
    lifecycle.confirm(conn, binh, D("2006-01-01"))
    expected = {
        "1990-05-18": ("not-yet", None),
        "1991-05-18": ("probationary", None),
        "1995-05-19": ("official", (5, 0)),
        "1999-12-31": ("official", (9, 7)),
        "2000-01-01": ("left", (9, 7)),
        "2004-12-31": ("left", (9, 7)),
        "2005-06-01": ("probationary", (9, 7)),  # the new period counts once confirmed
        "2006-01-01": ("official", (10, 7)),
        "2025-05-19": ("official", (29, 11)),
        "2025-05-20": ("official", (30, 0)),  # five years (1827 days) of gap later than 2020
    }
    for day, want in expected.items():
        assert standing(conn, binh, day) == want, day
        assert (binh in counted(conn, day)) is (want[0] in ("official", "probationary")), day
    assert binh in counted(conn, "1995-05-19", "official")
    assert binh not in counted(conn, "1995-05-19", "probationary")
    assert binh in counted(conn, "2005-06-01", "probationary")
    listed = member_lists.list_members(
        conn, member_lists.Filters(include_left=True), D("2002-01-01")
    )
    assert [(m["id"], m["status"]) for m in listed] == [(binh, "left")]
    assert member_lists.list_members(conn, member_lists.Filters(), D("2002-01-01")) == []


def test_tu_attends_temporarily_and_is_not_counted(registry) -> None:
    conn = registry
    raw = {"full_name": "Lê Văn Tư", "gender": "Nam", "birth_date": "1990-03-02",
           "ethnicity": "Khmer", "branch": "Trường THCS", "admitted_on": "2015-02-03",
           "official_on": "2016-02-03"}  # fmt: skip
    tu = transfers.transfer_in_new(conn, raw, "tạm thời", D("2024-03-01"), "Xã Tân Hòa").member_id
    assert standing(conn, tu, "2024-02-29") == ("not-yet", (9, 0))  # a member elsewhere
    assert standing(conn, tu, "2024-03-01") == ("temporary", (9, 0))
    assert tu in present(conn, "2024-06-01")
    assert tu not in counted(conn, "2024-06-01")
    with pytest.raises(Conflict) as refused:
        lifecycle.confirm(conn, tu, D("2024-06-01"))
    assert refused.value.key == "life.confirm_temporary"
    transfers.transfer_out(conn, tu, "Xã Tân Hòa", "temporary", D("2024-12-01"))
    assert standing(conn, tu, "2024-12-01")[0] == "left"
    assert tu not in present(conn, "2024-12-01")


def test_dung_away_temporarily_stays_counted_and_comes_back(registry) -> None:
    conn = registry
    dung = admit(conn, "Phạm Văn Dũng", "2010-11-07", official_on="2011-11-07")
    transfers.transfer_out(
        conn, dung, "Trường Chính trị tỉnh", "temporary", D("2023-01-01"), until=D("2023-07-01")
    )
    with pytest.raises(Conflict) as refused:
        transfers.transfer_out(
            conn, dung, "Nơi khác", "temporary", D("2023-02-01"), until=D("2023-09-01")
        )
    assert refused.value.key == "life.already_away"
    assert dung in counted(conn, "2023-03-01", "official")
    assert transfers.away(conn, dung) is not None
    back = transfers.transfer_in(conn, dung, "official", D("2023-06-01"))
    assert back.event == "returned"
    assert transfers.away(conn, dung) is None
    with pytest.raises(Conflict) as again:
        transfers.transfer_in(conn, dung, "official", D("2023-07-01"))
    assert again.value.key == "life.already_on_roll"
    assert conn.execute("SELECT count(*) FROM past_spells").fetchone()[0] == 0


def test_temporary_attendee_becomes_official_member_here(registry) -> None:
    conn = registry
    raw = {"full_name": "Đào Thị Em", "gender": "Nữ", "birth_date": "1995-01-01",
           "ethnicity": "Kinh", "branch": "Ấp Chợ", "admitted_on": "2020-01-01"}  # fmt: skip
    em = transfers.transfer_in_new(conn, raw, "temporary", D("2021-06-01")).member_id
    transfers.transfer_in(conn, em, "official", D("2022-01-01"), official=D("2021-01-01"))
    assert em not in counted(conn, "2021-12-31")
    assert em in present(conn, "2021-12-31")
    assert em in counted(conn, "2022-01-01", "official")
    assert standing(conn, em, "2021-12-31")[0] == "temporary"


def test_correcting_a_death_recorded_by_mistake(registry) -> None:
    conn = registry
    giau = admit(conn, "Võ Văn Giàu", "2000-01-01", official_on="2001-01-01")
    lifecycle.leave(conn, giau, "từ trần", D("2024-01-01"))
    with pytest.raises(Invalid):
        corrections.correct(conn, giau, {"left_on": None}, D("2024-02-01"))  # reason left alone
    result = corrections.correct(
        conn, giau, {"left_on": None, "left_reason": None}, D("2024-02-01"), note="Ghi nhầm"
    )
    assert result.changes == {"left_on": ("2024-01-01", None), "left_reason": ("died", None)}
    assert giau in counted(conn, "2024-06-01")
    kinds = [(e["kind"], e["field"]) for e in member_lists.history(conn, giau)[1]]
    assert kinds[-3:] == [("left", "left_reason"), ("corrected", "left_on"),
                          ("corrected", "left_reason")]  # fmt: skip
    with pytest.raises(Invalid) as early:
        corrections.correct(conn, giau, {"official_on": "2000-12-31"}, D("2024-02-01"))
    assert early.value.key == "life.confirm_too_early"
    assert (
        corrections.correct(conn, giau, {"official_on": "2001-01-01"}, D("2024-02-01")).changes
        == {}
    )
