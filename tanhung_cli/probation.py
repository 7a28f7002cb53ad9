"""Probation (thời kỳ dự bị): how long, and from which day.

Probation runs 12 months from the admission ceremony (lễ kết nạp), not the decision
(Charter 2011, Article 5.1; Quy định 294-QĐ/TW); the branch then has 30 working days to
confirm (`working_days.CONFIRM_WITHIN`). A record without a ceremony date (old records)
counts from the decision, and is shown as "ceremony not recorded". Earlier charters had
shorter probations: an admission of their era is held to the shortest of its era
(``probation_eras.toml``), so imported history is not refused by today's rule.
"""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache
from importlib import resources

from tanhung_cli import vietnamese as vn
from tanhung_cli import working_days
from tanhung_cli.readmission_rules import current_admission
from tanhung_cli.roll import Period

# A member's row or record: its admission decision(s) and ceremony by column.
Admitted = Period


@cache
def eras() -> tuple[tuple[str, int, str], ...]:
    """(first day, shortest months or 0 for the setting, source) of each era, in order."""
    import tomllib

    text = resources.files("tanhung_cli").joinpath("probation_eras.toml").read_text("utf-8")
    rows = tomllib.loads(text)["eras"]
    return tuple((str(e["from"]), int(e["months"]), str(e["source"])) for e in rows)


@lru_cache(maxsize=4096)  # a file repeats its admission dates down the rows
def months_for(admitted: str, setting: int) -> int:
    """The probation, in months, of an admission decided on ``admitted`` (ISO, or a year
    or month alone): the era's shortest, or ``setting`` from the last era on."""
    last, last_months, _ = eras()[-1]
    if admitted >= last:  # today's era: ISO text sorts as its earliest day would
        return last_months or setting
    months, day = setting, vn.date_bounds(admitted)[0].isoformat()  # its earliest day
    for first, era_months, _ in eras():
        if day >= first:
            months = era_months or setting
    return months


def start(member: Admitted) -> str:
    """The day probation counts from: the ceremony of the current admission (a
    re-admission starts a new probation, `readmission_rules.current_admission`; its
    ceremony is the one recorded after it), or that admission's decision when no ceremony
    is recorded."""
    return str(member["ceremony_on"] or current_admission(member))


def ends(member: Admitted, setting: int) -> dt.date:
    """The first day the member is official: probation's end (a date known by year or
    month alone counts from its first day, the earliest)."""
    months = months_for(current_admission(member), setting)
    return vn.add_months(vn.date_bounds(start(member))[0], months)


def confirm_by(member: Admitted, setting: int) -> working_days.Count:
    """The last day the branch may confirm: the 30th working day after probation ends."""
    return working_days.add(
        ends(member, setting) - dt.timedelta(days=1), working_days.CONFIRM_WITHIN
    )
