"""The audit trail as a clerk reads it: what was done (an action in words), to what (the
object, its number and name), when (dd/mm/yyyy hh:mm), by whom, and the detail in words
rather than the JSON it is stored as ("Điện thoại: — → 0912345678")."""

from __future__ import annotations

import json
import re
from typing import Any

from tanhung_cli.i18n import catalogue, get_lang, t
from tanhung_cli.render import values

CHANGE = 2  # an edit's detail holds [before, after] for each field


def _known(key: str) -> bool:
    return key in catalogue()


def action(code: str | None, event: str | None = None) -> str:
    """An action's words (``transfer-in`` → Chuyển sinh hoạt đến); an unknown one as is. An
    edit that left a dated change (``event`` changed: `member edit --on`) says so."""
    code = code or ""
    if code == "edit" and event == "changed":
        code = "changed"
    return t(f"audit.action.{code}") if _known(f"audit.action.{code}") else code


def thing(entity: str | None, entity_id: Any, name: str | None = None) -> str:
    """The object acted on: Đảng viên 12 (Nguyễn Văn An)."""
    code = entity or ""
    words = t(f"audit.object.{code}") if _known(f"audit.object.{code}") else code
    text = f"{words} {entity_id}" if entity_id is not None else words
    return f"{text} ({name})" if name else text


def labelled(key: str) -> bool:
    """Whether a detail's key reads in words (its own label, or a member field's)."""
    from tanhung_cli.columns import COLUMN_BY_NAME

    return _known(f"audit.key.{key}") or key in COLUMN_BY_NAME


def _key(key: str) -> str:
    from tanhung_cli.columns import COLUMN_BY_NAME

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


# History entries that take effect on a date of their own (a correction takes none).
DATED = ("moved", "changed")
# Actions whose detail holds [before, after] for each field it changed.
CHANGES = ("edit", "correct", "move", "merge", "split", "rename", "level_above_correct")


# Detail keys whose values are codes of a vocabulary besides a member's fields, by object.
VOCABULARY_OF = {
    ("branch", "kind"): "branch_kind",
    ("member", "kind"): "gap_kind",
    ("fund", "kind"): "fund_kind",
}
# ... and of a catalogue's keys (prefix + "." + code).
CATALOGUE_OF = {("term", "metric"): "term.metric"}
# Detail keys whose values are free text (a code-like word there is the clerk's own).
FREE_TEXT = frozenset(
    {
        "file",
        "path",
        "name",
        "code",
        "sha256",
        "vi",
        "en",
        "note",
        "remark",
        "reason",
        "decision",
        "text",
        "command",
        "clerk",
    }
)
_CODE = re.compile(r"[a-z][a-z0-9]*(?:[_-][a-z0-9]+)+|[a-z]+")


def _vocabulary(key: str, entity: str | None = None) -> str | None:
    from tanhung_cli.member_schema import VOCAB_OF

    return VOCABULARY_OF.get((entity or "", key)) or VOCAB_OF.get(key)


def _field(key: str, value: Any, branches: dict[Any, Any], entity: str | None = None) -> str:
    """One stored value of ``key`` in words: a branch by its name, a code by its label
    (``branches`` also holds the kinds of unit the clerk added, by code: vi, en)."""
    if key == "kind" and isinstance(value, str) and value in branches:
        vi, en = branches[value]
        return str(en or vi) if get_lang() == "en" else str(vi)
    if key == "branch_id" and isinstance(value, int) and value in branches:
        return str(branches[value])
    prefix = CATALOGUE_OF.get((entity or "", key))
    if prefix and isinstance(value, str) and _known(f"{prefix}.{value}"):
        return t(f"{prefix}.{value}")
    vocabulary = _vocabulary(key, entity)
    if vocabulary and isinstance(value, str) and value:
        return _label(vocabulary, value)
    return _value(value, key)


def _label(vocabulary: str, code: str) -> str:
    """A code's label; an added kind of unit (`org.kind_label` needs the registry) or an
    unknown code as it is."""
    try:
        return values.label(vocabulary, code)
    except (KeyError, LookupError, ValueError):
        return code


def _data(stored: str | None) -> Any:
    if not stored:
        return None
    try:
        return json.loads(stored)
    except ValueError:
        return stored


def detail(stored: str | None, done: str | None = "", row: dict[str, Any] | None = None) -> str:
    """The stored detail (JSON) in words; text that is not JSON stays as it is. An edit's
    [before, after] pairs read "before → after"; with the ``row`` `audit.names` gave, branch
    numbers read as their names, and a change taking effect on a date says from when."""
    data = _data(stored)
    if data is None:
        return ""
    if not isinstance(data, dict):
        return data if isinstance(data, str) else _value(data)
    context = row or {}
    branches: dict[Any, Any] = {**context.get("kinds", {}), **context.get("branches", {})}
    entity = context.get("entity")
    parts = []
    for key, value in data.items():
        if key == "decision" and value is None:
            continue  # no decision number recorded: nothing to read
        if done in CHANGES and isinstance(value, list) and len(value) == CHANGE:
            before, after = (_field(key, v, branches, entity) for v in value)
            parts.append(f"{_key(key)}: {before} → {after}")
        else:
            parts.append(f"{_key(key)}: {_field(key, value, branches, entity)}")
    if context.get("event") in DATED and "on" not in data:
        parts.append(f"{t('audit.key.effective_on')}: {values.date(context['on'])}")
    if context.get("decision") and "decision" not in data:
        parts.append(f"{t('audit.key.decision')}: {context['decision']}")
    return "; ".join(parts)


def raw_codes(row: dict[str, Any]) -> list[str]:
    """What the detail of ``row`` would print as a code rather than in words: keys with no
    label, branch numbers with no name, codes with no label (for tests)."""
    data = _data(row.get("detail"))
    if not isinstance(data, dict):
        return []
    found = [k for k in data if not labelled(k)]
    for key, value in data.items():
        for one in value if isinstance(value, list) else [value]:
            if key == "branch_id" and one is not None and one not in row.get("branches", {}):
                found.append(f"branch_id={one}")
            if not isinstance(one, str) or key in FREE_TEXT or not _CODE.fullmatch(one):
                continue
            shown = _field(key, one, row.get("kinds", {}), row.get("entity"))
            if shown == one:
                found.append(f"{key}={one}")
    return found


def rows(entries: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    """Audit rows as the table shows them: id, when, clerk, action, object, detail, and the
    command last (long, and the least read)."""
    return [
        (
            str(row["id"]),
            values.when(row["at"]),
            row["clerk"] or "",
            action(row["action"], row.get("event")),
            thing(row["entity"], row["entity_id"], row.get("name")),
            detail(row["detail"], row["action"], row),
            (row["command"] or "").removeprefix("tanhung "),
        )
        for row in entries
    ]
