"""The legacy Vietnamese byte encodings Python has no codec for: TCVN3 (ABC) and VNI-Windows.

Each table is data beside this module (``tcvn3.tsv``, ``vni.tsv``): what a Latin-1 reading
of the bytes shows, and the letter it stands for. TCVN3 gives one byte per letter; VNI
writes a base letter followed by a mark byte ("Nguyeãn" is "Nguyễn"), so its table maps
sequences of one or two characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from importlib import resources

NAMES = ("tcvn3", "vni")


def _table(name: str) -> dict[str, str]:
    text = resources.files(__name__).joinpath(f"{name}.tsv").read_text(encoding="utf-8")
    table = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            source, letter = line.split("\t")
            table[chr(int(source, 16)) if name == "tcvn3" else source] = letter
    return table


@cache
def decoder(name: str) -> Callable[[bytes], str]:
    """A function turning bytes written in the legacy encoding ``name`` into Unicode text."""
    table = _table(name)
    if all(len(key) == 1 for key in table):
        mapping = str.maketrans(table)
        return lambda data: data.decode("latin-1").translate(mapping)
    # Longest sequences first, so that "oâ" (ô) wins over "ô" (ơ) alone.
    keys = sorted(table, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(k) for k in keys))
    return lambda data: pattern.sub(lambda m: table[m[0]], data.decode("latin-1"))


def encoder(name: str) -> Callable[[str], bytes]:
    """The reverse of :func:`decoder`, for tests and for writing fixture files."""
    reverse = {
        letter: source
        for source, letter in _table(name).items()
        if not (len(source) == 2 and source[0].isupper() and source[1].islower())
    }
    # TCVN3 has no toned capitals: offices typed them in a capitals font, with the codes
    # of the small letters.
    return lambda text: "".join(
        reverse.get(ch) or reverse.get(ch.lower(), ch) for ch in text
    ).encode("latin-1")
