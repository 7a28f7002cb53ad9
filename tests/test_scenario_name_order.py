"""Names in the order a clerk looks them up (issue #11, point 6).

The given name is compared whole (letters, then tones, then case) before the middle name,
then the family name: every "Anh" before every "Ánh". The oracle is ICU's Vietnamese
collation applied to each part on its own, in that order.
"""

from __future__ import annotations

import random

import pytest

from tanhung_cli.vietnamese import name_sort_key, split_name

VOWELS = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"]
TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]  # none, huyền, hỏi, ngã, sắc, nặng
FAMILIES = ["Nguyễn", "Trần", "Lê", "Phạm", "Đặng", "Thạch", "Sơn", "Kim", "Danh", "Lâm"]
MIDDLES = ["", "Văn", "Thị", "Hữu", "Thanh", "Ngọc", "Thị Kiều", "Minh"]


def _syllable(onset: str, vowel: str, tone: str, coda: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFC", onset + vowel + tone + coda)


def _names() -> list[str]:
    """Given names over every vowel and tone (and the pairs "Anh"/"Ánh", "Hoa"/"Hòa"…),
    with middle and family names drawn at random: over 200 names."""
    rng = random.Random(11)
    givens = [
        _syllable(onset, v, tone, coda).capitalize()
        for v in VOWELS
        for tone in TONES
        for onset, coda in (("", "nh"), ("M", ""), ("Th", "n"))
        if not (v in "ăâ" and coda == "")  # ă and â never end a syllable
    ]
    # Hòa/Hoà are one name to us and two to ICU (where the mark sits): one spelling each here.
    givens += ["Hoa", "Hòa", "Hỏa", "Thúy", "Thủy", "Sa Rươne", "Anh Thư"]
    names = []
    for given in givens:
        for _ in range(2):
            middle = rng.choice(MIDDLES)
            names.append(" ".join(p for p in (rng.choice(FAMILIES), middle, given) if p))
    return names


def _given(name: str) -> str | None:
    return (
        "Sa Rươne" if name.endswith("Sa Rươne") else "Anh Thư" if name.endswith("Anh Thư") else None
    )


def test_the_issue_example_lists_every_anh_before_every_anh_with_a_tone():
    names = ["Phạm Hữu Ánh", "Đặng Thanh Anh", "Nguyễn Văn Ánh"]
    assert sorted(names, key=name_sort_key) == ["Đặng Thanh Anh", "Phạm Hữu Ánh", "Nguyễn Văn Ánh"]


def test_order_agrees_with_icu_applied_part_by_part():
    icu = pytest.importorskip("icu", reason="ICU (icukit-pyicu) has no wheel for this platform")
    collator = icu.Collator.createInstance(icu.Locale("vi"))
    names = _names()
    assert len(names) >= 200

    def by_parts(name: str) -> tuple[bytes, bytes, bytes]:
        family, middle, given = split_name(name, _given(name))
        return tuple(collator.getSortKey(p) for p in (given, middle, family))  # type: ignore[return-value]

    random.Random(6).shuffle(names)
    ours = sorted(names, key=lambda n: name_sort_key(n, _given(n)))
    assert ours == sorted(names, key=by_parts)


def test_tones_are_compared_within_the_given_name_before_the_family_name():
    # Before the fix, the tones of all three parts were compared only after all their letters.
    assert name_sort_key("Trần Văn Ánh") > name_sort_key("Ấn Văn Anh")
    assert name_sort_key("Lê Thị Hoa") < name_sort_key("Lê Thị Hòa") < name_sort_key("Lê Thị Hỏa")
    assert name_sort_key("Nguyễn Thị Hòa") == name_sort_key("Nguyễn Thị Hoà")


def _add(run, name: str, cccd: str) -> None:  # type: ignore[no-untyped-def]
    args = ["member", "add", "--name", name, "--gender", "Nam", "--born", "01/01/1980",
            "--ethnicity", "Kinh", "--branch", "Ấp Chợ", "--admitted", "01/01/2010",
            "--official", "01/01/2011", "--cccd", cccd]  # fmt: skip
    result = run(*args)
    assert result.exit_code == 0, result.output


def test_member_list_shows_the_block_of_anh_then_the_block_of_anh_with_a_tone(run, branches):  # type: ignore[no-untyped-def]
    for n, name in enumerate(["Phạm Hữu Ánh", "Đặng Thanh Anh", "Nguyễn Văn Ánh", "Lê Anh"]):
        _add(run, name, f"08408000000{n}")
    result = run("member", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    import json

    names = [m["full_name"] for m in json.loads(result.stdout)]
    assert names == ["Lê Anh", "Đặng Thanh Anh", "Phạm Hữu Ánh", "Nguyễn Văn Ánh"]


def test_an_older_registry_gets_its_names_keyed_again(db_path, run, branches):  # type: ignore[no-untyped-def]
    import sqlite3

    from tanhung_cli.db import SCHEMA_VERSION

    for n, name in enumerate(["Phạm Hữu Ánh", "Đặng Thanh Anh"]):
        _add(run, name, f"08408000000{n}")
    # As the registry was before this migration: keys that interleave tones.
    with sqlite3.connect(db_path) as c:
        c.execute(
            "UPDATE members SET sort_key = CASE WHEN full_name LIKE 'Ph%' THEN 'a' ELSE 'b' END"
        )
        c.execute("DELETE FROM _sqlite_migrations WHERE name = 'm003_name_order'")
        c.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    c.close()
    import json

    result = run("member", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [m["full_name"] for m in json.loads(result.stdout)] == ["Đặng Thanh Anh", "Phạm Hữu Ánh"]
