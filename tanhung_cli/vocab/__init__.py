"""Controlled vocabularies: ethnic groups, religions, statuses, theory levels and the rest.

The data lives beside this module: the 54 ethnic groups in ``ethnic_groups.csv``,
every other vocabulary in ``vocab.toml``. The database stores an entry's ``code``;
people and files write its Vietnamese name, its English name or one of many
spellings, which :meth:`Vocabulary.resolve` maps back to the entry::

    >>> vocabulary("ethnicity").resolve("Khơ-me").code
    '05'
    >>> vocabulary("rating").label("good", lang="en")
    'Fulfilled duties well'

Each file is read once, on first use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from tanhung_cli.vietnamese import fold

NAMES = (
    "ethnicity",
    "gender",
    "religion",
    "theory_level",
    "education",
    "status",
    "branch_kind",
    "course_kind",
    "leave_reason",
    "transfer_kind",
    "rating",
    "meeting_kind",
    "attendance",
    "fund_kind",
    "removal_reason",
    "transfer_purpose",
    "gap_kind",
    "general_education",
    "professional_level",
)

# Real files write "Khơ-me", "Khơ me", "H'Mông", "Ê.Đê", "Kinh (Việt)": these marks
# carry no meaning in a name, so the lookup key drops them. "/" stays: "12/12" ≠ "1212".
_IGNORED = " \t\u00a0-\u2010\u2011\u2012\u2013\u2014'\u2019\u2018`\u00b4\u02bc\u02bb._(),"
_STRIP = str.maketrans("", "", _IGNORED)

_SUGGESTIONS = 3


def lookup_key(text: str) -> str:
    """The key two spellings of one name share: folded, without spaces and punctuation."""
    folded = fold(text)
    # A value made only of punctuation ("-" for "none") keeps its folded form.
    return folded.translate(_STRIP) or folded


@dataclass(frozen=True)
class Entry:
    """One value of a vocabulary: the stored code, its labels and other spellings."""

    code: str
    vi: str
    en: str
    aliases: tuple[str, ...] = ()

    def label(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi


class UnknownValue(ValueError):
    """A value that is not in the vocabulary, under any of its spellings."""

    def __init__(self, vocabulary: str, text: str, suggestions: Iterable[str] = ()) -> None:
        self.vocabulary = vocabulary
        self.text = text
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean {' / '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"{vocabulary}: unknown value {text!r}{hint}")


class Vocabulary:
    """The entries of one vocabulary, found by code or by any spelling of a name."""

    def __init__(self, name: str, entries: Iterable[Entry]) -> None:
        self.name = name
        self.entries = tuple(entries)
        self._by_code: dict[str, Entry] = {}
        self._by_key: dict[str, Entry] = {}
        for entry in self.entries:
            if entry.code in self._by_code:
                raise ValueError(f"vocabulary {name}: code {entry.code!r} appears twice")
            self._by_code[entry.code] = entry
        for entry in self.entries:
            for spelling in (entry.code, entry.vi, entry.en, *entry.aliases):
                key = lookup_key(spelling)
                other = self._by_key.setdefault(key, entry)
                if other is not entry:
                    raise ValueError(
                        f"vocabulary {name}: {spelling!r} names both {other.code} and {entry.code}"
                    )
        # Numbered codes ("05") are also written as numbers ("5", or "5.0" from Excel).
        codes = list(self._by_code)
        self._code_width = len(codes[0]) if codes and all(c.isdigit() for c in codes) else 0

    def __repr__(self) -> str:
        return f"<Vocabulary {self.name}: {len(self.entries)} entries>"

    def resolve(self, text: str) -> Entry:
        """The entry that ``text`` names, by code, label or alias; else UnknownValue."""
        if self._code_width:
            number = _as_number(text)
            if number is not None:
                entry = self._by_code.get(f"{number:0{self._code_width}d}")
                if entry is None:
                    raise UnknownValue(self.name, text)
                return entry
        entry = self._by_key.get(lookup_key(text))
        if entry is None:
            raise UnknownValue(self.name, text, self._suggest(text))
        return entry

    def get(self, code: str) -> Entry:
        """The entry stored as ``code``; KeyError if there is none."""
        return self._by_code[code]

    def label(self, code: str | None, lang: str = "vi") -> str:
        """The label of a stored code; "" for no code, the code itself if it is unknown."""
        if not code:
            return ""
        entry = self._by_code.get(code)
        return entry.label(lang) if entry is not None else code

    def codes(self) -> list[str]:
        return list(self._by_code)

    def _suggest(self, text: str) -> tuple[str, ...]:
        import difflib  # only on the error path

        close = difflib.get_close_matches(lookup_key(text), self._by_key, n=12, cutoff=0.6)
        labels = dict.fromkeys(self._by_key[key].vi for key in close)
        return tuple(labels)[:_SUGGESTIONS]


def _as_number(text: str) -> int | None:
    """5 for "5", "05" or "5.0" (a number cell from Excel); None for anything else."""
    whole, _, fraction = text.strip().partition(".")
    if whole.isascii() and whole.isdigit() and not fraction.strip("0"):
        return int(whole)
    return None


@cache
def vocabulary(name: str) -> Vocabulary:
    """The vocabulary called ``name`` (one of NAMES), read on first use."""
    if name not in NAMES:
        raise KeyError(f"no vocabulary named {name!r}")
    if name == "ethnicity":
        return Vocabulary(name, _ethnic_groups())
    return Vocabulary(name, (_entry(row) for row in _tables().get(name, [])))


def _read(filename: str) -> str:
    # importlib.resources so that the data is found inside an installed wheel too.
    from importlib import resources

    return resources.files(__name__).joinpath(filename).read_text(encoding="utf-8")


def _ethnic_groups() -> list[Entry]:
    import csv
    import io

    rows = csv.DictReader(io.StringIO(_read("ethnic_groups.csv")))
    return [_entry({**row, "aliases": row["aliases"].split("|")}) for row in rows]


@cache
def _tables() -> dict[str, Any]:
    from importlib import resources

    from tanhung_cli import toml_cache

    return toml_cache.load(resources.files(__name__).joinpath("vocab.toml"))


def _entry(row: dict[str, Any]) -> Entry:
    aliases = tuple(a.strip() for a in row.get("aliases") or () if a.strip())
    return Entry(
        code=row["code"].strip(), vi=row["vi"].strip(), en=row["en"].strip(), aliases=aliases
    )
