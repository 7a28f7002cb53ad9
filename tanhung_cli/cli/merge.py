"""`tanhung merge`: the new commune committee's registry from the old ones (issue #17)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tanhung_cli.cli.problem_output import ProblemFormatOption, problems_json
from tanhung_cli.i18n import t
from tanhung_cli.problems import located
from tanhung_cli.render import Format, values, writers


def merge(
    old: Annotated[
        list[Path],
        typer.Argument(help="The old registries (sổ cũ), two or more.", show_default=False),
    ],
    into: Annotated[
        Path, typer.Option("--into", help="The new registry to create (sổ mới); never overwritten.")
    ],
    branches: Annotated[
        Path | None,
        typer.Option(
            "--branches",
            help="CSV mapping branches: file, old branch, new branch (ánh xạ chi bộ).",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List every conflict; write nothing (chạy thử).")
    ] = False,
    prefer: Annotated[
        str | None,
        typer.Option(
            "--prefer",
            help="Where two files hold one record (a term's target, a course) with different"
            " values, keep this file's (ưu tiên sổ); the others are set aside in the audit.",
        ),
    ] = None,
    fmt: ProblemFormatOption = Format.text,
) -> None:
    """Merge old committees' registries into a new one (hợp nhất sổ đảng viên).

    Members are matched by CCCD, party card and file number (số lý lịch); a member who
    moved between the old communes becomes one member with both periods. Branches with
    the same name in two files are a conflict until the mapping file (--branches) says
    whether they merge. All or nothing: the old files are only read, and the new file
    appears only when whole and without conflicts.

    Example: tanhung merge xa-a.db xa-b.db --into xa-moi.db --branches chi-bo.csv --dry-run
    """
    from tanhung_cli.merge import merge as run

    outcome = run(list(old), into, branches, dry_run=dry_run, prefer=prefer)
    counts = outcome.counts
    figures = {
        "files": values.integer(len(outcome.sources)),
        "path": str(into),
        "branches": values.integer(counts.get("branches", 0)),
        "merged": values.integer(outcome.branches_merged),
        "members": values.integer(counts.get("members", 0)),
        "shared": values.integer(outcome.shared),
        "events": values.integer(counts.get("events", 0)),
    }
    if fmt is Format.json:
        writers.to_json(
            {
                "written": outcome.written,
                "conflicts": problems_json(outcome.problems),
                "warnings": problems_json(outcome.warnings),
                "counts": counts,
                "shared_members": outcome.shared,
                "merged_branches": outcome.branches_merged,
                "set_aside": outcome.set_aside,
            }
        )
    else:
        for problem in (*outcome.warnings, *outcome.problems):
            typer.echo(located(problem), err=True)
    if outcome.problems:
        typer.echo(t("merge.conflicts", count=values.integer(len(outcome.problems))), err=True)
        raise typer.Exit(1)
    if fmt is not Format.json:
        if outcome.set_aside:
            typer.echo(t("merge.set_aside", count=values.integer(len(outcome.set_aside))), err=True)
        typer.echo(t("merge.done" if outcome.written else "merge.dry_run_ok", **figures))
