"""The message catalogue: every key once, in both languages, and every key the code names."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from tanhung_cli import i18n, member_schema

PACKAGE = Path(i18n.__file__).parent.parent


def _keys(table: dict, prefix: str = "") -> set[str]:
    out = set()
    for key, value in table.items():
        if isinstance(value, dict) and isinstance(value.get("vi"), str):
            out.add(prefix + key)
        elif isinstance(value, dict):
            out |= _keys(value, f"{prefix}{key}.")
    return out


def test_each_key_is_defined_once_in_both_languages() -> None:
    seen: dict[str, str] = {}
    for path in sorted((PACKAGE / "i18n").glob("*.toml")):
        for key in _keys(tomllib.loads(path.read_text(encoding="utf-8"))):
            assert key not in seen, f"{key} in {seen.get(key)} and {path.name}"
            seen[key] = path.name
    # The member fields' labels are declared with the fields (member_schema), once.
    for key in member_schema.labels():
        assert key not in seen, f"{key} in member_schema.py and {seen.get(key)}"
        seen[key] = "member_schema.py"
    catalogue = i18n.catalogue()
    assert set(catalogue) == set(seen)
    assert all(entry.get("vi") and entry.get("en") for entry in catalogue.values())


def test_every_key_named_in_the_code_exists() -> None:
    named = set()
    for path in PACKAGE.rglob("*.py"):
        named |= set(re.findall(r'\bt\(\s*"([a-z_\-]+\.[a-z0-9_.\-]+)"', path.read_text("utf-8")))
    # A key that ends in "." or "_" is a prefix the code completes ("course.col." + name).
    missing = sorted(k for k in named if not k.endswith((".", "_")) and k not in i18n.catalogue())
    assert missing == []


def test_a_message_in_each_language() -> None:
    assert i18n.t("member.not_found", ref="7").startswith("Không có đảng viên mã")
    assert i18n.t("member.not_found", lang="en", ref="7").startswith("No member with id")
