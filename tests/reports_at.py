"""Every report a clerk prints at a date, as JSON through the CLI: what "the past does not
change" compares (the ten-year scenario, the branch-history migration)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from click.testing import Result

Run = Callable[..., Result]

# (name, the command's words); {d} is the date (dd/mm/yyyy), {p} the period's first day.
REPORTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("summary", ("report", "summary", "--as-of", "{d}")),
    ("branches", ("report", "branches", "--as-of", "{d}")),
    ("composition", ("report", "composition", "--as-of", "{d}")),
    ("admissions", ("report", "admissions", "--as-of", "{d}")),
    ("changes", ("report", "changes", "--from", "{p}", "--to", "{d}")),
    ("branch list", ("branch", "list", "--as-of", "{d}")),
    ("roster", ("report", "roster", "--as-of", "{d}")),
    ("member list", ("member", "list", "--as-of", "{d}", "--all")),
)


def reports_at(run: Run, day: str, first: str, *, branches: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every report at ``day`` (dd/mm/yyyy), changes from ``first``; per branch too."""
    out: dict[str, Any] = {}
    for name, words in REPORTS:
        args = [w.format(d=day, p=first) for w in words]
        out[name] = _json(run, *args, "--format", "json")
        for branch in branches:
            if name in ("summary", "roster", "member list", "changes"):
                out[f"{name} {branch}"] = _json(run, *args, "--branch", branch, "--format", "json")
    return out


def _json(run: Run, *args: str) -> Any:
    result = run(*args)
    assert result.exit_code == 0, (args, result.output)
    return json.loads(result.stdout)
