"""Options every command that writes a file shares: --force, and what it may not overwrite."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from tanhung_cli.cli.common import state
from tanhung_cli.i18n import t
from tanhung_cli.outfile import Guard

ForceOption = Annotated[
    bool,
    typer.Option(
        "--force", help="Replace an existing file that is not a registry (never a database)."
    ),
]


def guard(ctx: typer.Context, force: bool, *sources: Path) -> Guard:
    """What this command may not write over: the registry it opens, the files it reads."""
    from tanhung_cli.db import default_db_path

    return Guard(force=force, registry=state(ctx).db_path or default_db_path(), sources=sources)


def ending(path: Path, accepted: Sequence[str], option: str) -> str:
    """The file's ending, if it is one of ``accepted``; else a usage error listing them."""
    suffix = path.suffix.lower()
    if suffix not in accepted:
        raise typer.BadParameter(
            t("outfile.bad_ending", name=path.name, endings=", ".join(accepted)),
            param_hint=option,
        )
    return suffix
