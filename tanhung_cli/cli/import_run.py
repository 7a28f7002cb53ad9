"""Running one `tanhung import KIND FILE`: the progress bar of a large file, the import,
and what it says at the end (a line of counts, or JSON with the problems)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from tanhung_cli import render
from tanhung_cli.cli.common import registry
from tanhung_cli.cli.problem_output import ProblemFormat, problems_json
from tanhung_cli.i18n import t
from tanhung_cli.importer import ImportRefused, Options, Summary, Target, run_import
from tanhung_cli.problems import Problem
from tanhung_cli.render import values

PROGRESS_BYTES = 1 << 20  # smaller files are done before a bar would be read


def echo_err(message: str) -> None:
    typer.echo(message, err=True)


@contextmanager
def _progress(path: Path) -> Iterator[Callable[[int, int | None], None] | None]:
    """A progress bar on stderr for a large file, when stderr is a terminal."""
    try:
        large = path.stat().st_size >= PROGRESS_BYTES
    except (OSError, ValueError):  # ValueError: a NUL in the name; open_table says so
        large = False
    if not (large and sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TaskProgressColumn(show_speed=True),  # no "0%" once the measure is gone
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(t("import.progress", file=path.name), total=None)

        def update(done: int, total: int | None) -> None:
            nonlocal task
            if total is None:  # read and checked: writing, which has no measure
                bar.remove_task(task)
                task = bar.add_task(t("import.writing", file=path.name), total=None)
            else:
                bar.update(task, completed=done, total=total)

        yield update


def run(
    ctx: typer.Context, path: Path, target: Target, options: Options, fmt: ProblemFormat
) -> Summary:
    conn = registry(ctx)
    found: list[Problem] = []
    if fmt is ProblemFormat.json:  # the rows' problems as data, not as lines on stderr
        options.found = found.append
    with _progress(path) as progress:
        try:
            summary = run_import(conn, path, target, options, echo_err, progress)
        except ImportRefused:
            if fmt is ProblemFormat.json:
                render.to_json(problems_json(found))
            raise
    _finish(summary, options)
    if fmt is ProblemFormat.json:
        render.to_json(_summary_json(summary, found))
    return summary


def _summary_json(summary: Summary, found: list[Problem]) -> dict[str, Any]:
    counts = ("added", "updated", "unchanged", "rejected", "rejects_written")
    return {
        "file": summary.file,
        "dry_run": summary.dry_run,
        **{name: getattr(summary, name) for name in counts},
        "problems": problems_json(found),
    }


def _finish(summary: Summary, options: Options) -> None:
    if summary.rejects_written and options.rejects:
        echo_err(t("import.rejects_written", count=summary.rejects_written, file=options.rejects))
    if options.found is not None:
        return  # the summary is JSON
    key = "import.summary_dry" if summary.dry_run else "import.summary"
    typer.echo(
        t(
            key,
            file=summary.file,
            added=summary.added,
            updated=summary.updated,
            unchanged=summary.unchanged,
            rejected=summary.rejected,
            seconds=values.decimal(summary.seconds),
        )
    )
