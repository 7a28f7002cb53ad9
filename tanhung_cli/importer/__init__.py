"""Rows of a file → validated records → one atomic write: the machinery every `import` shares.

An import names a :class:`Target` (members, branches, …): its columns, how one row is
validated, how valid rows are staged and finally written. The machinery reads the file
(``tabular``), maps its headers, validates every row (in worker processes for large
files), collects every problem as ``FILE:LINE: column: problem``, and then writes all
or nothing, the valid rows only (``skip_invalid``), or nothing at all (``dry_run``).
Problems wait in a temporary table, so memory does not grow with the file. A large file is
checked on every core before the write lock is taken (see `staging`).

The package's names are those a target and a command use; they live in `target`
(`Target`, `Options`, `Summary`, `ImportRefused`), `rows` (headers mapped, rows checked),
`problem_sink` (`ProblemSink`) and `machinery` (`run_import`, and the sizes that make a
file large).
"""

from __future__ import annotations

from tanhung_cli.importer.machinery import run_import
from tanhung_cli.importer.problem_sink import ProblemSink
from tanhung_cli.importer.rows import HeaderMap, check_rows, header_key, map_headers
from tanhung_cli.importer.target import ImportRefused, Options, Problems, Summary, Target

__all__ = [
    "HeaderMap",
    "ImportRefused",
    "Options",
    "ProblemSink",
    "Problems",
    "Summary",
    "Target",
    "check_rows",
    "header_key",
    "map_headers",
    "run_import",
]
