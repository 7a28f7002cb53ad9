"""Named refusals, written for a clerk and caught once at the command-line boundary.

Each error carries a message key of the catalogue (``tanhung_cli.i18n``) and its
parameters, so that the same refusal reads in Vietnamese or English: a date given as a
`datetime.date` is worded in the language of the message (see `problems.py`).
"""

from __future__ import annotations

from typing import Any

from tanhung_cli.problems import Problem, word


class TanhungError(Exception):
    """A request the registry refuses; the clerk can act on the message."""

    key = "error.generic"

    def __init__(self, key: str | None = None, /, **params: Any) -> None:
        if key is not None:
            self.key = key
        self.params = params
        super().__init__(key or self.key)

    def problem(self, column: str | None = None) -> Problem:
        """The refusal as data, e.g. the problem of one cell of a file."""
        return Problem(self.key, self.params, column)

    def message(self, lang: str | None = None) -> str:
        return word(self.problem(), lang)

    def __str__(self) -> str:
        return self.message()


class NotFound(TanhungError):
    """Something named does not exist in the registry."""


class Conflict(TanhungError):
    """The change would clash with what the registry already holds."""


class Invalid(TanhungError):
    """A value breaks a rule of the registry."""


class DatabaseProblem(TanhungError):
    """The registry file cannot be used as it is."""


class FileProblem(TanhungError):
    """An input file cannot be read."""
