"""Every setting a clerk may change is declared once (setting_keys.py), with the defaults
the modules that read it use; every key read from the ``settings`` table is declared."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tanhung_cli import (
    dated_values,
    education,
    letterhead,
    party_age,
    rating_rules,
    setting_keys,
    settings,
    transfer_rules,
)
from tanhung_cli.errors import Invalid
from tanhung_cli.i18n import catalogue

PACKAGE = Path(settings.__file__).parent
# The modules that read the table, and the keys each reads.
READERS = {
    "settings.py": set(settings.DEFAULTS),
    "rating_rules.py": {*rating_rules.DEFAULTS, "excellent_cap_percent"},
    "education.py": {education.SETTING},
    "transfer_rules.py": set(transfer_rules.DEFAULTS),
    "party_age.py": set(party_age.SETTING_DEFAULTS),
    "dated_values.py": {dated_values.ASSUMED_SETTING},
    "letterhead.py": set(letterhead.KEYS),
    "outputs.py": {"document_committee"},
}


def _readers() -> dict[str, str]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "migrations" not in path.parts and re.search(r"FROM settings\b", text):
            found[path.name] = text
    return found


def test_every_module_reading_settings_is_known_and_its_keys_declared() -> None:
    found = _readers()
    assert set(found) == set(READERS), "a new reader of `settings`: add its keys here"
    for name, text in found.items():
        literal = set(re.findall(r"key = '(\w+)'", text))
        assert literal <= READERS[name], name
        for prefix in re.findall(r"key LIKE '(\w+)%'", text):
            assert all(k.startswith(prefix) for k in READERS[name] - literal), name
    read = set().union(*READERS.values())
    assert read == set(setting_keys.BY_KEY), "every key read is declared, and no other"


def test_the_migration_record_is_internal_and_not_settable() -> None:
    assert not setting_keys.BY_KEY[dated_values.ASSUMED_SETTING].settable
    with pytest.raises(Invalid) as refused:
        setting_keys.find("dated_values_assumed_through")
    assert refused.value.key == "setting.internal"


def test_the_declared_defaults_are_the_modules_own() -> None:
    own = {
        **{k: str(int(v)) for k, v in settings.DEFAULTS.items()},
        **{k: str(v) for k, v in rating_rules.DEFAULTS.items()},
        "excellent_cap_percent": str(rating_rules.DEFAULT_CAP_PERCENT),
        education.SETTING: education.DEFAULT_CHECKED_FROM,
        **{k: str(v) for k, v in transfer_rules.DEFAULTS.items()},
        **party_age.SETTING_DEFAULTS,
        **dict.fromkeys(letterhead.KEYS, ""),
    }
    declared = {s.key: s.default for s in setting_keys.SETTABLE}
    assert declared == own


@pytest.mark.parametrize("s", setting_keys.SETTABLE, ids=lambda s: s.key)
def test_each_setting_has_its_meaning_and_its_default_is_a_valid_value(
    s: setting_keys.Setting,
) -> None:
    entry = catalogue()[f"setting.about.{s.key}"]
    assert entry["vi"] and entry["en"]
    assert setting_keys.parse(s, s.default) == s.default
