"""Admission's four dates, the age at the branch meeting, the ceremony within 30 working
days, probation from the ceremony and probation by era (issue #14, points 1, 2, 5, 12).

Sources: Điều lệ Đảng 2011 (Article 1.2: age 18; Article 4: admission; Article 5.1:
12 months of probation from the ceremony; Article 5.2: confirmation) as applied by
Quy định 294-QĐ/TW (26/5/2025) and Hướng dẫn 06-HD/TW (9/6/2025); Hướng dẫn
12-HD/BTCTW 2022 (age counted in months; earlier charters' probations, appendix 1);
Bộ luật Lao động 2019, Article 112 (public holidays, for working days).
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import Run

PERSON = ("--gender", "Nam", "--ethnicity", "Kinh", "--branch", "Ấp Chợ")


def add(run: Run, name: str, born: str, *dates: str, lang: str | None = None):  # noqa: ANN201
    return run("member", "add", "--name", name, "--born", born, *PERSON, *dates, lang=lang)


@pytest.fixture
def chợ(branches: None) -> None:
    """The branches of conftest (Ấp Chợ among them)."""


def test_age_checked_at_the_branch_meeting_not_the_decision_qd294(run: Run, chợ: None) -> None:
    """Quy định 294-QĐ/TW / Charter 2011 Art. 1.2: 18 to 60 at the branch meeting that
    considered the candidate (issue #14, point 2; both examples of the issue)."""
    # Born 01/01/1964, branch met 15/12/2023 (59 y 11 m): valid, though the decision of
    # 20/02/2024 comes at 60 y 1 m.
    older = add(run, "Trần Văn Một", "01/01/1964", "--branch-met", "15/12/2023",
                "--admitted", "20/02/2024")  # fmt: skip
    assert older.exit_code == 0, older.output
    # Born 01/03/2006, branch met 15/02/2024 (17 y 11 m): refused, though the decision of
    # 10/04/2024 comes at 18 y 1 m; the message names the branch meeting's column.
    young = add(run, "Trần Văn Hai", "01/03/2006", "--branch-met", "15/02/2024",
                "--admitted", "10/04/2024", lang="en")  # fmt: skip
    assert young.exit_code == 1
    assert "only 17 years 11 months old at admission, under 18" in young.stderr
    assert "branch_met_on" in young.stderr
    # Without a branch meeting, the decision as before.
    assert add(run, "Trần Văn Ba", "01/01/1964", "--admitted", "20/02/2024").exit_code == 1


@pytest.mark.parametrize(
    ("born", "met", "ok"),
    [
        ("15/02/2006", "15/02/2024", True),  # 18 y 0 m exactly
        ("16/02/2006", "15/02/2024", False),  # a day short of 18 y 0 m
        ("15/02/1964", "15/02/2024", True),  # 60 y 0 m exactly
        ("14/01/1964", "15/02/2024", False),  # 60 y 1 m
    ],
)
def test_age_boundaries_18y0m_60y0m_hd12_in_months(
    run: Run, chợ: None, born: str, met: str, ok: bool
) -> None:
    """HD 12-HD/BTCTW 2022 (age counted in whole months): 18 y 0 m and 60 y 0 m at the
    branch meeting are within the limits; a day short or a month over is not."""
    result = add(run, "Lê Văn Biên", born, "--branch-met", met, "--admitted", "15/03/2024")
    assert (result.exit_code == 0) is ok, result.output


def test_admission_dates_in_order_hd12_forms_knd(run: Run, chợ: None) -> None:
    """HD 12-HD/BTCTW (forms KNĐ): branch meeting, committee meeting, decision, ceremony,
    in that order; a date out of order is refused, located, and nothing is written."""
    result = add(run, "Lê Văn Sai", "01/01/1990", "--branch-met", "10/03/2023",
                 "--admitted", "01/03/2023", "--ceremony", "20/02/2023", lang="en")  # fmt: skip
    assert result.exit_code == 1
    assert "the admission decision is dated before the branch meeting (2023-03-10)" in result.stderr
    assert "the ceremony is dated before the admission decision (2023-03-01)" in result.stderr
    assert json.loads(run("member", "list", "--format", "json").stdout) == []


def test_ceremony_on_the_30th_working_day_is_in_time_labour_code_112(run: Run, chợ: None) -> None:
    """QĐ 294-QĐ/TW: the ceremony within 30 working days of the decision; working days skip
    weekends and the holidays of Bộ luật Lao động 2019, Article 112 (Hùng Kings' day
    18/04/2024 here). Decision 01/04/2024: counting from the next day, the 30th working
    day is 16/05/2024 (also 29/04, 30/04 and 01/05 off, Saturday 04/05 worked in exchange)."""
    in_time = add(run, "Lê Văn Đúng", "01/01/1990", "--admitted", "01/04/2024",
                  "--ceremony", "16/05/2024", lang="en")  # fmt: skip
    assert in_time.exit_code == 0, in_time.output
    assert "ceremony" not in in_time.stderr
    late = add(run, "Lê Văn Trễ", "01/01/1991", "--admitted", "01/04/2024",
               "--ceremony", "17/05/2024", lang="en")  # fmt: skip
    assert late.exit_code == 0, late.output  # a warning, not a refusal: the date is a fact
    assert (
        "Note: the ceremony was held after the 30 working days from the admission decision"
        " (deadline 2024-05-16)." in late.stderr
    )


def test_member_show_says_ceremony_not_recorded_never_a_guess(run: Run, chợ: None) -> None:
    """Issue #14, point 1: an old record without a ceremony shows it as not recorded."""
    old = add(
        run, "Lê Văn Cũ", "01/01/1950", "--admitted", "10/03/1980", "--official", "10/03/1981"
    )
    assert old.exit_code == 0
    vi = run("member", "show", "1").stdout
    assert "Ngày lễ kết nạp" in vi and "chưa ghi ngày lễ kết nạp" in vi
    en = run("member", "show", "1", lang="en").stdout
    assert "ceremony not recorded" in en
    assert json.loads(run("member", "show", "1", "-f", "json").stdout)["ceremony_on"] is None
    check = run("check", lang="en")
    assert check.exit_code == 0
    assert "1 members have no ceremony date recorded" in check.stderr


def test_probation_runs_from_the_ceremony_charter_art_5_1(run: Run, chợ: None) -> None:
    """Charter 2011, Article 5.1 (QĐ 294-QĐ/TW): 12 months from the ceremony (lễ kết nạp),
    not the decision. Issue #14's example: decision 10/03/2023, ceremony 05/04/2023:
    official from 05/04/2024. Party age still counts from the decision."""
    assert add(run, "Lê Văn Lễ", "01/01/1990", "--admitted", "10/03/2023",
               "--ceremony", "05/04/2023").exit_code == 0  # fmt: skip
    early = run("member", "confirm", "1", "--on", "04/04/2024", lang="en")
    assert early.exit_code == 1
    assert "the earliest date is 2024-04-05" in early.stderr
    done = run("member", "confirm", "1", "--on", "05/04/2024", lang="en")
    assert done.exit_code == 0, done.output
    shown = json.loads(run("member", "show", "1", "-f", "json").stdout)
    assert (shown["admitted_on"], shown["official_on"]) == ("2023-03-10", "2024-04-05")
    # An official date earlier than 12 months from the ceremony is refused on edit.
    edit = run("member", "edit", "1", "--official", "10/03/2024", lang="en")
    assert edit.exit_code == 1
    assert "12 months' probation counted from 2023-04-05; the earliest is 2024-04-05" in edit.stderr


def test_confirmation_window_30_working_days_charter_art_5_2(run: Run, chợ: None) -> None:
    """Charter 2011, Article 5.2 (HD 06-HD/TW): the branch confirms within 30 working days
    after the 12 months; `check` and `due` call it overdue only after that. Ceremony
    05/04/2023: probation complete 05/04/2024; the 30th working day from it is
    21/05/2024 (30/04, 01/05 and the swapped 29/04 off, Saturday 04/05 worked)."""
    assert add(run, "Lê Văn Chờ", "01/01/1990", "--admitted", "10/03/2023",
               "--ceremony", "05/04/2023").exit_code == 0  # fmt: skip
    on_the_30th = run("check", "--as-of", "21/05/2024", lang="en")
    assert on_the_30th.exit_code == 0, on_the_30th.output
    after = run("check", "--as-of", "22/05/2024", lang="en")
    assert after.exit_code == 1
    assert after.stdout.splitlines() == [
        "Member 1 (Lê Văn Chờ): probationary since 2023-04-05, probation complete on"
        " 2024-04-05, overdue for confirmation since 2024-05-22 (past the 30 working days the"
        " branch has to decide, weekends and public holidays skipped) with no official date"
    ]
    for day, late in (("21/05/2024", 0), ("22/05/2024", 1)):
        due = json.loads(run("due", "--as-of", day, "-f", "json").stdout)["probation"]
        assert [(p["due_on"], p["confirm_by"], p["overdue_days"]) for p in due] == [
            ("2024-04-05", "2024-05-21", late)
        ]
        assert due[0]["ceremony_on"] == "2023-04-05"


def test_old_records_count_from_the_decision_charter_art_5_1(run: Run, chợ: None) -> None:
    """Issue #14, point 1: no ceremony recorded: the decision stands in for it; exactly 12
    months from it is the earliest official date."""
    assert add(run, "Lê Văn Xưa", "01/01/1990", "--admitted", "10/03/2023").exit_code == 0
    assert run("member", "confirm", "1", "--on", "09/03/2024").exit_code == 1
    assert run("member", "confirm", "1", "--on", "10/03/2024").exit_code == 0


def test_probation_of_the_1951_charter_six_months_hd12_appendix_1(run: Run, chợ: None) -> None:
    """HD 12-HD/BTCTW appendix 1 / Điều lệ 1951: 6 months' probation for some classes
    before 1960; imported history of that era is accepted (issue #14, point 5), while the
    same 6 months after the 1960 Charter are refused."""
    old = add(run, "Lê Văn Lão", "01/01/1930", "--admitted", "03/02/1959",
              "--official", "03/08/1959")  # fmt: skip
    assert old.exit_code == 0, old.output
    later = add(run, "Lê Văn Hậu", "01/01/1931", "--admitted", "03/02/1961",
                "--official", "03/08/1961", lang="en")  # fmt: skip
    assert later.exit_code == 1
    assert "the earliest is 1962-02-03" in later.stderr
    too_soon = add(run, "Lê Văn Vội", "01/01/1932", "--admitted", "03/02/1959",
                   "--official", "02/08/1959")  # fmt: skip
    assert too_soon.exit_code == 1


def test_a_confirmation_is_late_only_after_30_working_days_charter_art_5_2(
    run: Run, chợ: None
) -> None:
    """Charter 2011, Article 5.2: the branch decides within 30 working days after the 12
    months; a decision on the 30th working day (21/05/2024 here) is not late, the next
    day's is (a warning: the official date stays the end of probation)."""
    for name, born in (("Lê Văn Kịp", "01/01/1990"), ("Lê Văn Muộn", "01/01/1991")):
        assert add(run, name, born, "--admitted", "10/03/2023",
                   "--ceremony", "05/04/2023").exit_code == 0  # fmt: skip
    in_time = run("member", "confirm", "1", "--on", "21/05/2024", lang="en")
    assert in_time.exit_code == 0 and "late" not in in_time.stderr
    late = run("member", "confirm", "2", "--on", "22/05/2024", lang="en")
    assert late.exit_code == 0
    assert "Note: a late decision; the member counts as official from 2024-04-05" in late.stderr
    for ref in ("1", "2"):
        assert json.loads(run("member", "show", ref, "-f", "json").stdout)["official_on"] == (
            "2024-04-05"
        )


def test_party_age_counts_from_the_decision_not_the_ceremony_hd12(run: Run, chợ: None) -> None:
    """Party age (tuổi đảng) counts from the admission decision (HD 12-HD/BTCTW; QĐ
    294-QĐ/TW): decision 10/03/1995, ceremony 05/04/1995: 30 years on 10/03/2025, the
    badge presented on 19/05/2025."""
    assert add(run, "Lê Văn Tuổi", "01/01/1960", "--admitted", "10/03/1995",
               "--ceremony", "05/04/1995", "--official", "05/04/1996").exit_code == 0  # fmt: skip
    badges = json.loads(run("due", "--as-of", "01/03/2025", "--within", "90", "-f", "json").stdout)
    assert [(b["years"], b["reaches_on"], b["presented_on"]) for b in badges["badges"]] == [
        (30, "2025-03-10", "2025-05-19")
    ]


def test_check_tells_each_late_ceremony_qd294(run: Run, chợ: None) -> None:
    """QĐ 294-QĐ/TW: a ceremony after the 30 working days (an import's too) is told by
    `check` beside its findings, as a note (exit 0: the dates are facts)."""
    assert add(run, "Lê Văn Trễ", "01/01/1991", "--admitted", "01/04/2024",
               "--ceremony", "17/05/2024", "--official", "17/05/2025").exit_code == 0  # fmt: skip
    result = run("check", lang="en")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[:-1] == [  # the last says what was checked
        "Member 1 (Lê Văn Trễ): Note: the ceremony was held after the 30 working days from the"
        " admission decision (deadline 2024-05-16)."
    ]


def test_readmission_starts_without_the_first_admissions_ceremony(run: Run, chợ: None) -> None:
    """A re-admission is a new admission with a new probation (DOMAIN.md 6): the first
    admission's meetings and ceremony are not carried over to it."""
    assert add(run, "Lê Văn Lại", "01/01/1970", "--branch-met", "01/02/2000",
               "--admitted", "10/03/2000", "--ceremony", "05/04/2000",
               "--official", "05/04/2001").exit_code == 0  # fmt: skip
    assert run("member", "leave", "1", "--reason", "xóa tên", "--on", "01/01/2019").exit_code == 0
    readmit = ("member", "readmit", "1", "--on", "01/06/2023", "--consent", "12-CV/TU")
    assert run(*readmit).exit_code == 0
    shown = json.loads(run("member", "show", "1", "-f", "json").stdout)
    # The first decision stays the member's "Ngày vào Đảng" (#14 point 6), the
    # re-admission beside it; the ceremony recorded from now on is the re-admission's.
    assert [shown[c] for c in ("branch_met_on", "admitted_on", "readmitted_on", "ceremony_on")] == [
        None, "2000-03-10", "2023-06-01", None
    ]  # fmt: skip
    assert run("member", "edit", "1", "--ceremony", "20/06/2023").exit_code == 0
    assert run("member", "confirm", "1", "--on", "19/06/2024").exit_code == 1
    assert run("member", "confirm", "1", "--on", "20/06/2024").exit_code == 0


def test_a_probationer_transferred_in_is_official_12_months_after_the_ceremony(
    run: Run, chợ: None
) -> None:
    """Charter 2011, Article 5.1: a member transferred in while probationary is official 12
    months after the ceremony recorded with the transfer, not after the decision."""
    came = run("member", "transfer-in", "--name", "Lê Văn Đến", *PERSON, "--born", "01/01/1990",
               "--admitted", "10/03/2023", "--ceremony", "05/04/2023", "--on", "01/06/2023",
               lang="en")  # fmt: skip
    assert came.exit_code == 0, came.output
    assert run("member", "confirm", "1", "--on", "04/04/2024").exit_code == 1
    assert run("member", "confirm", "1", "--on", "05/04/2024").exit_code == 0


def test_coming_back_with_an_official_date_counts_from_the_ceremony(run: Run, chợ: None) -> None:
    """Charter 2011, Article 5.1: a probationer who moved away and comes back confirmed
    elsewhere: the official date given is held to 12 months from the ceremony."""
    assert add(run, "Lê Văn Về", "01/01/1990", "--admitted", "10/03/2023",
               "--ceremony", "05/04/2023").exit_code == 0  # fmt: skip
    assert run("member", "transfer-out", "1", "--to", "Xã Tân Hòa", "--on",
               "01/06/2023").exit_code == 0  # fmt: skip
    early = run("member", "transfer-in", "1", "--on", "01/06/2024", "--official", "10/03/2024",
                lang="en")  # fmt: skip
    assert early.exit_code == 1 and "the earliest date is 2024-04-05" in early.stderr
    assert run("member", "transfer-in", "1", "--on", "01/06/2024", "--official",
               "05/04/2024").exit_code == 0  # fmt: skip


def test_the_age_refusal_is_located_in_vietnamese_and_changes_nothing_qd294(
    run: Run, chợ: None
) -> None:
    """QĐ 294-QĐ/TW: under 18 at the branch meeting is refused in Vietnamese by default,
    naming the branch meeting's column; nothing is written."""
    young = add(run, "Trần Văn Nhỏ", "01/03/2006", "--branch-met", "15/02/2024",
                "--admitted", "10/04/2024")  # fmt: skip
    assert young.exit_code == 1
    assert (
        "Ngày chi bộ xét kết nạp: khi kết nạp mới 17 tuổi 11 tháng, chưa đủ 18 tuổi" in young.stderr
    )
    assert json.loads(run("member", "list", "--format", "json").stdout) == []


def test_age_uncertain_is_judged_at_the_branch_meeting_hd12(run: Run, chợ: None) -> None:
    """HD 12-HD/BTCTW: an old record born "1940" (year alone): 18 or not at a branch
    meeting of 01/06/1958 depends on the day (a warning), while at the decision of
    01/01/1959 it is certain."""
    result = add(run, "Lê Văn Xưa", "1940", "--branch-met", "01/06/1958",
                 "--admitted", "01/01/1959", "--official", "01/07/1959", lang="en")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "whether the age at admission was within the rules is uncertain" in result.stderr


def test_outside_the_holiday_table_the_window_counts_weekends_only_and_says_so(
    run: Run, chợ: None
) -> None:
    """Charter 2011, Article 5.2 with the Labour Code's holidays: a year the holiday table
    does not cover (2018) is counted with weekends only, and `check` says so."""
    assert add(run, "Lê Văn Mai", "01/01/1990", "--admitted", "10/03/2017",
               "--ceremony", "05/04/2017").exit_code == 0  # fmt: skip
    late = run("check", "--as-of", "01/06/2018", lang="en")
    assert late.exit_code == 1
    assert (
        "overdue for confirmation since 2018-05-17 (past the 30 working days the branch has"
        " to decide, weekends only skipped: no holiday table for that year)" in late.stdout
    )
