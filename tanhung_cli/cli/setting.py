"""`tanhung setting list|set|unset`: the rules and names an office may set (thiết lập).

What may be set, its kind and default are declared once in ``setting_keys.py``; the
writes go through ``settings.change`` / ``settings.unset``, each with its audit row.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tanhung_cli.cli.common import Format, FormatOption, registry
from tanhung_cli.cli.outputs import emit
from tanhung_cli.i18n import t

# Joined to the root command in cli/__init__.COMMANDS.
app = typer.Typer(no_args_is_help=True, help="Rules and names an office may set (thiết lập).")

KeyArg = Annotated[str, typer.Argument(help="The setting's key, e.g. probation_months.")]
COLUMNS = ("key", "value", "default", "meaning", "source")


def _cell(value: str, kind: str) -> str | float | None:
    """The table's cell: a number as the language writes it (12,5), lists wrapping."""
    if kind in ("score", "percent"):
        return float(value)
    return value.replace(",", ", ") if value else None


def _shown(value: str | None) -> str:
    return value or t("setting.blank")


@app.command("list")
def list_(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """List the settings: value in force, default, meaning (danh sách thiết lập).

    Example: tanhung setting list --format csv
    """
    from tanhung_cli import settings
    from tanhung_cli.render.sheet import Sheet, Table

    rows = [
        {**row, "meaning": t(f"setting.about.{row['key']}")}
        for row in settings.in_force(registry(ctx))
    ]
    changed = sum(1 for row in rows if row["set"])
    columns = COLUMNS if fmt is not Format.table else COLUMNS[:-1]  # the source: in files
    headers = [t(f"setting.column.{c}") for c in columns]
    shown: list[dict[str, Any]] = rows
    if fmt is Format.table:  # lists wrap between their items; blank reads "—"
        shown = [
            {**r, "value": _cell(r["value"], r["kind"]), "default": _cell(r["default"], r["kind"])}
            for r in rows
        ]
    table = Table(columns, headers, shown, keep_whole=("key",))
    caption = t("setting.list_caption", count=len(rows), changed=changed)
    emit(Sheet(t("setting.list_title"), rows, tables=[table], caption=caption), fmt, None)


@app.command("set")
def set_(
    ctx: typer.Context,
    key: KeyArg,
    value: Annotated[str, typer.Argument(help="The new value, checked by the setting's kind.")],
) -> None:
    """Set one setting, checked by its kind; the audit trail keeps it (đặt thiết lập).

    Example: tanhung setting set document_committee "ĐẢNG BỘ XÃ TÂN HÙNG"
    """
    from tanhung_cli import setting_keys, settings

    setting_keys.parse(setting_keys.find(key), value)  # refused before a registry is made
    name, before, stored = settings.change(registry(ctx, write=True), key, value)
    typer.echo(t("setting.done_set", key=name, value=_shown(stored), before=_word(before)))


@app.command("unset")
def unset(ctx: typer.Context, key: KeyArg) -> None:
    """Put one setting back to its default (trả thiết lập về mặc định).

    Example: tanhung setting unset probation_months
    """
    from tanhung_cli import setting_keys, settings

    setting_keys.find(key)
    name, before, default = settings.unset(registry(ctx, write=True), key)
    message = "setting.done_unset" if before is not None else "setting.not_set"
    typer.echo(t(message, key=name, value=_shown(default)))


def _word(before: str | None) -> str:
    return t("setting.default_word") if before is None else _shown(before)
