"""The audit trail as a clerk reads it: what was done (an action in words), to what (the
object, its number and name), when (dd/mm/yyyy hh:mm), by whom, and the detail in words
rather than the JSON it is stored as ("Điện thoại: — → 0912345678")."""

from __future__ import annotations

import json
from typing import Any

from tanhung_cli.i18n import catalogue, t
from tanhung_cli.render import values

CHANGE = 2  # an edit's detail holds [before, after] for each field


def _known(key: str) -> bool:
    return key in catalogue()


def action(code: str | None) -> str:
    """An action's words (``transfer-in`` → Chuyển sinh hoạt đến); an unknown one as is."""
    code = code or ""
    return t(f"audit.action.{code}") if _known(f"audit.action.{code}") else code


def thing(entity: str | None, entity_id: Any, name: str | None = None) -> str:
    """The object acted on: Đảng viên 12 (Nguyễn Văn An)."""
    code = entity or ""
    words = t(f"audit.object.{code}") if _known(f"audit.object.{code}") else code
    text = f"{words} {entity_id}" if entity_id is not None else words
    return f"{text} ({name})" if name else text


def _key(key: str) -> str:
    from tanhung_cli.columns import COLUMN_BY_NAME
    from tanhung_cli.i18n import get_lang

    if _known(f"audit.key.{key}"):
        return t(f"audit.key.{key}")
    column = COLUMN_BY_NAME.get(key)
    if column is not None:
        return column.vi if get_lang() == "vi" else key.replace("_", " ")
    return key.replace("_", " ")


def _value(value: Any, key: str = "") -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return t("audit.yes") if value else t("audit.no")
    if isinstance(value, int):
        return values.money(value) if key == "amount" else str(value)
    if isinstance(value, float):
        return values.short_decimal(value)
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{_key(k)}: {_value(v, k)}" for k, v in value.items())
    return values.cell(value)


CHANGES = ("edit", "correct")  # actions whose detail holds [before, after] for each field


def detail(stored: str | None, done: str | None = "") -> str:
    """The stored detail (JSON) in words; text that is not JSON stays as it is. An edit's
    [before, after] pairs read "before → after"."""
    if not stored:
        return ""
    try:
        data = json.loads(stored)
    except ValueError:
        return stored
    if not isinstance(data, dict):
        return _value(data)
    parts = []
    for key, value in data.items():
        if done in CHANGES and isinstance(value, list) and len(value) == CHANGE:
            parts.append(f"{_key(key)}: {_value(value[0], key)} → {_value(value[1], key)}")
        else:
            parts.append(f"{_key(key)}: {_value(value, key)}")
    return "; ".join(parts)


def rows(entries: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    """Audit rows as the table shows them: id, when, clerk, action, object, detail, and the
    command last (long, and the least read)."""
    return [
        (
            str(row["id"]),
            values.when(row["at"]),
            row["clerk"] or "",
            action(row["action"]),
            thing(row["entity"], row["entity_id"], row.get("name")),
            detail(row["detail"], row["action"]),
            (row["command"] or "").removeprefix("tanhung "),
        )
        for row in entries
    ]
