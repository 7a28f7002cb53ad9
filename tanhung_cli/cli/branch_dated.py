"""`tanhung branch open|rename|merge|split|close|level-above`: the organisation's changes,
each on a date with its decision (issue #15). Reports at an earlier date keep the
branches, names and members of that day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from tanhung_cli.cli.common import date_option, fail, registry, today
from tanhung_cli.i18n import t
from tanhung_cli.render import values

# Joined to the `branch` group in cli/__init__.COMMANDS.
app = typer.Typer()

OnOpt = Annotated[str, typer.Option("--on", help="The date (dd/mm/yyyy) it takes effect.")]
DecisionOpt = Annotated[
    str | None, typer.Option("--decision", help="Decision number (số quyết định).")
]
KindOpt = Annotated[
    str, typer.Option("--kind", "-k", help="hamlet (chi bộ ấp) or sector (ngành, sự nghiệp).")
]
BranchArg = Annotated[str, typer.Argument(help="The branch, by name or id.")]


def _on(value: str) -> dt.date:
    day = date_option(value, "--on")
    assert day is not None  # a required option
    return day


@app.command("open")
def open_(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help='The new branch, e.g. "Ấp Chợ Mới".')],
    on: OnOpt,
    kind: KindOpt = "hamlet",
    decision: DecisionOpt = None,
) -> None:
    """Open a new branch on a date (thành lập chi bộ).

    Example: tanhung branch open "Ấp Mới" --on 01/07/2025 --decision 12-QĐ/ĐU
    """
    from tanhung_cli import org_changes

    day = _on(on)
    done = org_changes.open_branch(registry(ctx, write=True), name, kind, day, decision, today())
    key = "bugs.org.already_opened" if done.already else "org.opened"
    typer.echo(t(key, id=done.branch_id, name=done.name, date=values.date(day)))


@app.command("rename")
def rename(
    ctx: typer.Context,
    branch: BranchArg,
    to: Annotated[str, typer.Option("--to", help="The new name.")],
    on: OnOpt,
    decision: DecisionOpt = None,
) -> None:
    """Rename a branch from a date (đổi tên chi bộ); earlier reports keep the old name.

    A spelling mistake in the name is corrected with branch edit --name instead.
    Example: tanhung branch rename "Ấp Nhì" --to "Ấp Tân Nhì" --on 01/01/2025
    """
    from tanhung_cli import org_changes

    day = _on(on)
    done = org_changes.rename(registry(ctx, write=True), branch, to, day, decision, today())
    key = "bugs.org.already_renamed" if done.already else "org.renamed"
    typer.echo(t(key, id=done.branch_id, name=done.name, date=values.date(day)))


@app.command("merge")
def merge(
    ctx: typer.Context,
    branches: Annotated[list[str], typer.Argument(help="The branches merged (two or more).")],
    into: Annotated[str, typer.Option("--into", help="The branch they form (new or existing).")],
    on: OnOpt,
    kind: KindOpt = "hamlet",
    decision: DecisionOpt = None,
) -> None:
    """Merge branches into one on a date (sáp nhập chi bộ): their members move that day and
    the merged branches close.

    Example: tanhung branch merge "Ấp Nhứt" "Ấp Nhì" --into "Ấp Nhứt Nhì" --on 01/07/2025
    """
    from tanhung_cli import org_changes

    day = _on(on)
    conn = registry(ctx, write=True)
    done = org_changes.merge(conn, branches, into, day, kind, decision, today())
    closed = ", ".join(done.closed)
    key = "bugs.org.already_merged" if done.already else "org.merged"
    typer.echo(t(key, closed=closed, name=done.name, date=values.date(day), count=len(done.moved)))


def _ids(members: str | None, path: Path | None) -> list[int]:
    """Member ids from ``--members 1,2,3`` and from a file (one id or more a line)."""
    found: list[tuple[str, str, int]] = []
    if members:
        found += [("--members", word, 0) for word in members.replace(";", ",").split(",")]
    if path is not None:
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            fail(t("org.bad_member_id", file=path.name, line=0, value=type(exc).__name__))
        for no, text in enumerate(lines, 1):
            found += [(path.name, w, no) for w in text.replace(";", ",").replace(",", " ").split()]
    ids = []
    for where, word, line in found:
        word = word.strip()
        if not word:
            continue
        if not word.isdigit() or len(word) > 12:
            fail(t("org.bad_member_id", file=where, line=line, value=word[:20]))
        ids.append(int(word))
    return list(dict.fromkeys(ids))


@app.command("split")
def split(
    ctx: typer.Context,
    branch: BranchArg,
    into: Annotated[str, typer.Option("--into", help="The branch formed (new or existing).")],
    on: OnOpt,
    members: Annotated[
        str | None, typer.Option("--members", help="Member ids who move, e.g. 3,7,12.")
    ] = None,
    members_file: Annotated[
        Path | None, typer.Option("--members-file", help="A file of member ids, one a line.")
    ] = None,
    kind: KindOpt = "hamlet",
    decision: DecisionOpt = None,
) -> None:
    """Split a branch (chia tách chi bộ): the members named move to a new branch on a date.
    Repeat for each new branch; close the old one when it is empty.

    Example: tanhung branch split "Ấp Chợ" --into "Ấp Chợ B" --members 3,7,12 --on 01/01/2024
    """
    from tanhung_cli import org_changes

    day = _on(on)
    ids = _ids(members, members_file)
    conn = registry(ctx, write=True)
    done = org_changes.split(conn, branch, into, ids, day, kind, decision, today())
    key = "bugs.org.already_split" if done.already else "org.split"
    typer.echo(t(key, name=done.name, date=values.date(day), count=len(done.moved)))


@app.command("close")
def close(ctx: typer.Context, branch: BranchArg, on: OnOpt, decision: DecisionOpt = None) -> None:
    """Close a branch on a date (giải thể chi bộ); refused while members remain.

    Example: tanhung branch close "Ấp Chợ" --on 01/01/2025 --decision 20-QĐ/ĐU
    """
    from tanhung_cli import org_changes

    day = _on(on)
    done = org_changes.close(registry(ctx, write=True), branch, day, decision, today())
    key = "bugs.org.already_closed" if done.already else "org.closed"
    typer.echo(t(key, name=done.name, date=values.date(day)))


@app.command("level-above")
def level_above(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help='e.g. "Huyện ủy Càng Long", "Tỉnh ủy Vĩnh Long".')],
    since: Annotated[str, typer.Option("--from", help="From this date (dd/mm/yyyy).")],
    decision: DecisionOpt = None,
    correction: Annotated[
        bool,
        typer.Option(
            "--correction",
            help="The level recorded from this date was wrong: record this one instead.",
        ),
    ] = False,
) -> None:
    """Record the level above the committee from a date (cấp ủy cấp trên trực tiếp).

    The same level from the same date again writes nothing; another level from a date
    that has one is refused unless --correction.

    Example: tanhung branch level-above "Tỉnh ủy Vĩnh Long" --from 01/07/2025
    """
    from tanhung_cli import org_units

    day = date_option(since, "--from", allow_future=True)
    assert day is not None
    done = org_units.set_level_above(registry(ctx, write=True), name, day, decision, correction)
    key = {"recorded": "org.level_set", "already": "bugs.org.level_already"}.get(
        done.outcome, "bugs.org.level_corrected"
    )
    since_day = values.date(dt.date.fromisoformat(done.since))
    typer.echo(t(key, name=name.strip(), old=done.old, date=since_day))


@app.command("kind-add")
def kind_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help='A short code, e.g. "subcommittee".')],
    vi: Annotated[str, typer.Option("--vi", help='Its Vietnamese name, e.g. "Đảng bộ bộ phận".')],
    en: Annotated[str | None, typer.Option("--en", help="Its English name.")] = None,
) -> None:
    """Add a kind of unit beside hamlet and sector (thêm loại đơn vị), for branch add --kind.

    Example: tanhung branch kind-add subcommittee --vi "Đảng bộ bộ phận" --en "Sub-committee"
    """
    from tanhung_cli import org_units

    added, new = org_units.add_kind(registry(ctx, write=True), code, vi, en)
    typer.echo(
        t("org.kind_added" if new else "bugs.org.kind_already", code=added, label=vi.strip())
    )
