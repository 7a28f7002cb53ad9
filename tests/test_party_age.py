"""Party age (tuổi đảng) and badge dates from memberships, without a database."""

from __future__ import annotations

import datetime as dt

import pytest

from tanhung_cli import party_age
from tanhung_cli.party_age import BadgeRules, Membership

D = dt.date.fromisoformat
RULES = BadgeRules()


def period(joined: str, admitted: str, official: str | None = None, left: str | None = None,
           reason: str | None = None) -> dict:  # fmt: skip
    return {"joined_roll_on": joined, "admitted_on": admitted, "official_on": official,
            "left_on": left, "left_reason": reason, "presence": "regular"}  # fmt: skip


def test_one_membership_counts_from_admission_once_confirmed() -> None:
    spans = party_age.memberships(period("2000-02-29", "2000-02-29", "2001-02-28"))
    assert spans == [Membership(D("2000-02-29"), D("2001-02-28"), None)]
    assert party_age.party_age_months(spans, D("2001-02-27")) is None  # still probationary
    assert party_age.party_age_months(spans, D("2001-02-28")) == 12
    assert party_age.reaches_on(spans, 30, D("2040-01-01")) == D("2030-02-28")
    assert party_age.party_age_months(spans, D("2030-02-27")) == 359
    assert party_age.party_age_months(spans, D("2030-02-28")) == 360


def test_a_transfer_out_and_back_is_not_time_out_of_the_party() -> None:
    spans = party_age.memberships(
        period("2010-03-01", "2005-01-01", None),
        [period("2005-01-01", "2005-01-01", "2006-01-01", "2008-01-01", "transferred")],
    )
    assert spans == [Membership(D("2005-01-01"), D("2006-01-01"), None)]
    assert party_age.party_age_months(spans, D("2015-01-01")) == 120


def test_a_gap_between_memberships_is_subtracted_and_delays_the_badge() -> None:
    spans = party_age.memberships(
        period("2005-01-01", "2005-01-01", "2006-01-01"),
        [period("1990-05-19", "1990-05-19", "1991-05-19", "2000-01-01", "resigned")],
    )
    assert len(spans) == 2
    gap = (D("2005-01-01") - D("2000-01-01")).days
    assert gap == 1827
    assert party_age.reaches_on(spans, 30, D("2030-01-01")) == D("2020-05-19") + dt.timedelta(gap)
    assert party_age.party_age_months(spans, D("2004-06-01")) == 115  # frozen while out
    assert party_age.party_age_months(spans, D("2005-06-01")) == 115  # new period unconfirmed


def test_an_unconfirmed_membership_counts_for_nothing() -> None:
    spans = party_age.memberships(
        period("2012-01-01", "2012-01-01", "2013-01-01"),
        [period("2008-01-01", "2008-01-01", None, "2008-10-01", "removed")],
    )
    assert party_age.party_age_months(spans, D("2022-01-01")) == 120
    assert party_age.reaches_on(spans, 30, D("2050-01-01")) == D("2042-01-01")


def test_death_stops_party_age_and_badges() -> None:
    spans = party_age.memberships(period("1970-01-01", "1970-01-01", "1971-01-01", "1999-01-01",
                                         "died"))  # fmt: skip
    assert party_age.party_age_months(spans, D("2020-01-01")) == 29 * 12
    assert party_age.reaches_on(spans, 30, D("2020-01-01")) is None


@pytest.mark.parametrize(
    ("day", "expected"),
    [("2025-01-01", "2025-02-03"), ("2025-02-03", "2025-02-03"), ("2025-02-04", "2025-05-19"),
     ("2025-05-20", "2025-09-02"), ("2025-09-03", "2025-11-07"), ("2025-11-08", "2026-02-03")],
)  # fmt: skip
def test_next_presentation_date(day: str, expected: str) -> None:
    assert party_age.next_presentation(D(day), RULES) == D(expected)


def test_badges_due_at_the_dates_of_a_window_and_early_awards() -> None:
    spans = party_age.memberships(period("1985-07-01", "1985-07-01", "1986-07-01"))
    dates = party_age.presentations(D("2025-08-01"), D("2025-09-30"), RULES)
    assert dates == [D("2025-09-02")]
    due = party_age.badges_due(spans, dates, RULES)
    assert [(b.years, b.reaches_on, b.presented_on) for b in due] == [
        (40, D("2025-07-01"), D("2025-09-02"))
    ]
    early_dates = party_age.presentations(D("2024-08-01"), D("2024-09-30"), RULES)
    assert party_age.badges_due(spans, early_dates, RULES) == []
    early = party_age.badges_due(spans, early_dates, RULES, early=True)
    assert [(b.years, b.presented_on, b.early) for b in early] == [(40, D("2024-09-02"), True)]


def test_badge_settings_are_read_from_the_registry(conn) -> None:  # type: ignore[no-untyped-def]
    assert party_age.badge_rules(conn) == RULES
    conn.execute("INSERT INTO settings VALUES ('badge_dates', '03/02,02/09')")
    conn.execute("INSERT INTO settings VALUES ('badge_years', '40,30')")
    rules = party_age.badge_rules(conn)
    assert rules.presentation_days == ((2, 3), (9, 2))
    assert rules.years == (30, 40)
    conn.execute("UPDATE settings SET value = '31/02' WHERE key = 'badge_dates'")
    with pytest.raises(party_age.Invalid):
        party_age.badge_rules(conn)
