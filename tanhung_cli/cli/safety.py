"""`tanhung backup | restore | check | audit`: keeping the only copy of the roll safe."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from tanhung_cli import audit as trail
from tanhung_cli import backup as backups
from tanhung_cli import check as checks
from tanhung_cli import render, rules_stamp
from tanhung_cli import restore as restores
from tanhung_cli import vietnamese as vn
from tanhung_cli.cli.common import (
    RECORD_MAX,
    Format,
    FormatOption,
    date_option,
    registry,
    state,
    waiting_notice,
    warn,
)
from tanhung_cli.cli.list_output import listing, moment, refuse_early, write_list
from tanhung_cli.cli.outputs import ForceOption
from tanhung_cli.cli.problem_output import ProblemFormat, ProblemFormatOption, problems_json
from tanhung_cli.cli.report_options import OutputOpt
from tanhung_cli.db import default_db_path
from tanhung_cli.errors import DatabaseProblem
from tanhung_cli.i18n import t
from tanhung_cli.problems import Problem, located_all
from tanhung_cli.render import values
from tanhung_cli.render.terminal import say_lines


def _db_path(ctx: typer.Context) -> Path:
    return state(ctx).db_path or default_db_path()


def _size(size: int) -> str:
    if size < 1_000_000:
        return f"{values.decimal(size / 1000)} KB"
    return f"{values.decimal(size / 1_000_000)} MB"


def _file_name(value: Path | None) -> Path | None:
    """A path that names a file: not "" (which Path reads as "."), "..", "/" or one with a NUL."""
    if value is None:
        return None
    if value.name in ("", ".", "..") or "\x00" in str(value):
        raise typer.BadParameter(t("bounds.no_file_name", path=vn.clean(str(value))[:80]))
    return value


def backup(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Argument(
            help="The copy to write; default: beside the registry, named by the time.",
            callback=_file_name,
        ),
    ] = None,
) -> None:
    """Back up the registry to a verified, owner-only copy (sao lưu).

    Safe while other clerks are writing. Example: tanhung backup D:/sao-luu/tanhung-2026-11.db
    """
    copy = backups.backup(registry(ctx), _db_path(ctx), file, on_wait=waiting_notice())
    counts = copy.counts
    typer.echo(
        t(
            "backup.done",
            path=str(copy.path),
            members=counts["members"],
            events=counts["events"],
            audit=counts["audit"],
            size=_size(copy.size),
        )
    )
    if copy.audit_note == "db.busy":
        warn(t("backup.audit_missing"))


def restore(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="A backup made by `tanhung backup`.", callback=_file_name)
    ],
) -> None:
    """Replace the registry with a backup, keeping the current one (khôi phục).

    The file must be a sound registry; the registry it replaces is first saved beside it.
    Example: tanhung restore tanhung.backup.20261129-131500.db
    """
    db_path = _db_path(ctx)
    done = restores.restore(db_path, file, on_wait=waiting_notice())
    counts = done.source.counts
    typer.echo(
        t(
            "backup.restored",
            path=str(file),
            members=counts["members"],
            events=counts["events"],
            audit=counts["audit"],
        )
    )
    if done.saved is None:
        typer.echo(t("backup.replaced_nothing", path=str(db_path)))
    elif done.replaced_members is None:
        typer.echo(t("backup.replaced_unreadable", saved=str(done.saved)))
    else:
        typer.echo(t("backup.replaced", saved=str(done.saved), replaced=done.replaced_members))
    if done.audit_note == "db.busy":
        warn(t("restore.audit_missing"))


def check(
    ctx: typer.Context,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Judge who is overdue for confirmation at this date."),
    ] = None,
    fmt: ProblemFormatOption = ProblemFormat.text,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Also check every index against its table and re-check every member"
            " against the rules (minutes on a national roll).",
        ),
    ] = False,
) -> None:
    """Check the registry file and its records for problems (kiểm tra sổ).

    Prints one problem per line, naming the member it concerns; exits 1 if any.
    With --format json, the problems are a JSON list on stdout ([] when none).
    Example: tanhung check --as-of 30/06/2020
    """
    day = date_option(as_of, "--as-of", allow_future=True)
    settled = rules_stamp.settled(_db_path(ctx))  # before this check's own connection
    try:
        # Read-only: a check never changes the file, nor replays a -wal into it (but for
        # the stamps of the members it judged, on a settled file: `rules_stamp.record`).
        conn = registry(ctx, readonly=True)
    except DatabaseProblem as exc:
        if exc.key == "db.damaged":
            # SQLite could not even read the schema: that is the first finding, and the last.
            damaged = Problem("check.integrity", {"detail": exc.params.get("reason", "")})
            _print_findings([damaged], fmt)
            raise typer.Exit(1) from None
        if exc.key == "db.unusable":  # cannot be opened: permissions, not damage
            typer.echo(t("check.cannot_open", reason=exc.params.get("reason", "")), err=True)
            raise typer.Exit(1) from None
        raise
    report = checks.check(conn, as_of=day, full=full)
    if report.passed and settled:  # judged once by these rules: not again next time
        rules_stamp.record(_db_path(ctx), conn, report.passed, report.data_version)
    # Notes are not faults: told on stderr after the outcome, in text only, and what
    # was checked last.
    notes = list(located_all(report.notes)) if fmt is ProblemFormat.text else []
    if fmt is ProblemFormat.text and report.members:
        scope = "check.scope_full" if report.full else "check.scope_quick"
        notes.append(t(scope, members=report.members, revalidated=report.revalidated))
    if report.ok and fmt is ProblemFormat.text:
        typer.echo(t("check.ok", members=report.members))
        say_lines(notes, err=True)
        return
    _print_findings(report.findings, fmt)
    if report.ok:
        return
    warn(t("check.summary", count=len(report.findings)))
    say_lines(notes, err=True)
    raise typer.Exit(1)


def _print_findings(findings: list[Problem], fmt: ProblemFormat) -> None:
    if fmt is ProblemFormat.json:
        render.to_json(problems_json(findings))
        return
    say_lines(located_all(findings))


def _detail(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


AUDIT_COLUMNS = ("id", "at", "clerk", "command", "action", "entity", "entity_id", "detail")


def audit(
    ctx: typer.Context,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only rows recorded on or after this date (dd/mm/yyyy)."),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", "-n", min=1, max=RECORD_MAX, help="Only the newest N rows."),
    ] = None,
    fmt: FormatOption = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """List the audit trail: who changed what, when, by which command (nhật ký thay đổi).

    The table shows the newest first, in words; JSON and CSV keep the order the rows
    were recorded in, and their stored codes.
    Example: tanhung audit --limit 20; tanhung audit --since 01/11/2026 --format csv
    """
    refuse_early(ctx, output, force)
    day = date_option(since, "--since", allow_future=True)
    conn = registry(ctx)
    start = day.isoformat() if day else None
    rows = trail.entries(conn, start, limit)
    if fmt is Format.json and output is None:
        render.to_json([{**row, "detail": _detail(row["detail"])} for row in rows])
        return
    if fmt is Format.csv and output is None:
        render.to_csv(rows, AUDIT_COLUMNS)
        return
    if not rows and output is None:
        typer.echo(t("audit.none"))
        return
    from tanhung_cli.render import trail as readable

    trail.names(conn, rows)
    table_rows = readable.rows(rows[::-1])  # newest first
    headers = [t("label.id")] + [
        t("audit." + c) for c in ("at", "clerk", "action", "entity", "detail", "command")
    ]
    caption = t("audit.count", count=len(rows))
    if limit is not None:
        caption = t("audit.limit_note", shown=len(rows), count=trail.count(conn, start))
    if output is not None:
        names = ("id", "at", "clerk", "action", "entity", "detail", "command")
        moments = [
            moment(r["at"]) or shown[1] for r, shown in zip(rows[::-1], table_rows, strict=True)
        ]
        cells = [(int(r[0]), at, *r[2:]) for r, at in zip(table_rows, moments, strict=True)]
        table = listing(names, headers, cells, ("id",), ("at",))
        data = [{**row, "detail": _detail(row["detail"])} for row in rows]
        write_list(ctx, output, force, t("audit.title"), table, data, caption)
        return
    render.table(table_rows, headers, title=t("audit.title"), caption=caption)
