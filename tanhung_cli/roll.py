"""Who is on the committee's roll, and in which status, at a given date.

The SQL fragments here are the one definition of the roll that lists and reports
share; they expect the members table aliased ``m`` and a parameter ``:as_of``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

# On the roll and counted: joined, not yet left, not a temporary attendee.
# Exempted members (miễn sinh hoạt) stay on the roll and in the totals.
ON_ROLL = (
    "(m.joined_roll_on <= :as_of AND (m.left_on IS NULL OR m.left_on > :as_of)"
    " AND m.presence = 'regular')"
)
OFFICIAL = "(m.official_on IS NOT NULL AND m.official_on <= :as_of)"
PROBATIONARY = f"(NOT {OFFICIAL})"


def status(member: Mapping[str, Any], as_of: dt.date | str) -> str:
    """One of: not-yet, left, temporary, official, probationary."""
    day = as_of if isinstance(as_of, str) else as_of.isoformat()
    if member["joined_roll_on"] > day:
        return "not-yet"
    if member["left_on"] and member["left_on"] <= day:
        return "left"
    if member["presence"] == "temporary":
        return "temporary"
    if member["official_on"] and member["official_on"] <= day:
        return "official"
    return "probationary"
