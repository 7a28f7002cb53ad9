"""Which encoding and separator a text table uses, and its lines decoded.

Text files may be UTF-8 (with or without BOM), UTF-16 (BOM), Windows-1258, TCVN3 (ABC) or
VNI-Windows. The encoding is chosen by which decoding yields valid Vietnamese syllables,
not by a generic charset detector (they call Windows-1258 "cp1250"). The separator
(``,`` ``;`` or tab) is read off the header line.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from tanhung_cli.errors import FileProblem
from tanhung_cli.legacy_encodings import decoder as legacy_decoder

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1258", "tcvn3", "vni")
# Encodings in which the bytes of `"` and a newline only ever mean those characters, so a
# file can be cut into blocks of whole records without decoding it (see `csv_records.blocks`).
BLOCK_SAFE = ("utf-8", "utf-8-sig", "cp1258", "tcvn3", "vni")
SEPARATORS = (",", ";", "\t")

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_WORD = re.compile(r"[^\W\d_]+")
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_SYLLABLE = re.compile(
    "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
    "[aăâeêioôơuưy]{1,3}(?:ch|ng|nh|[cmnpt])?"
)


def vietnamese_score(text: str) -> int:
    """How much ``text`` reads as Vietnamese: valid syllables minus impossible words."""
    score = 0
    for word in _WORD.findall(unicodedata.normalize("NFC", text)):
        if word.isascii():
            continue
        decomposed = unicodedata.normalize("NFD", word.lower())
        tones = sum(ch in _TONES for ch in decomposed)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        score += 1 if tones <= 1 and _SYLLABLE.fullmatch(base) else -1
    return score


def _decode_with(encoding: str) -> Callable[[bytes], str]:
    if encoding in ("tcvn3", "vni"):
        return legacy_decoder(encoding)
    if encoding == "cp1258":
        # Windows-1258 writes tone marks as separate combining characters.
        return lambda data: unicodedata.normalize("NFC", data.decode("cp1258"))
    return lambda data: data.decode(encoding)


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(sample: bytes, path: Path) -> str:
    """The encoding of a text file, judged from its first bytes."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # Binary data: Excel never writes NUL or control bytes into a text file. A few of them
    # are a damaged line, reported where it is; many of them, not a table at all.
    if len(CONTROL.findall(sample.decode("latin-1"))) > len(sample) // 20:
        raise FileProblem("import.not_text", file=path.name)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    text = sample[: sample.rfind(b"\n") + 1] or sample
    # Mostly UTF-8 with a few damaged lines: still UTF-8 (the damaged lines get reported).
    utf8 = [_is_utf8(line) for line in text.splitlines() if not line.isascii()]
    if utf8.count(True) > utf8.count(False):
        return "utf-8"
    scores = {}
    for encoding in ("cp1258", "vni", "tcvn3"):
        try:
            scores[encoding] = vietnamese_score(_decode_with(encoding)(text))
        except UnicodeDecodeError:
            continue
    return max(scores, key=lambda e: scores[e]) if scores else "tcvn3"


def sniff_separator(header_line: str) -> str:
    """The separator the header line uses most, outside quotes; a comma if none."""
    outside = re.sub(r'"[^"]*"', "", header_line)
    counts = {sep: outside.count(sep) for sep in SEPARATORS}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else ","


def decoded_lines(raw_lines: Iterable[bytes], encoding: str, bad: set[int]) -> Iterator[str]:
    """Decoded lines; an undecodable or damaged line is kept (cleaned) and noted in ``bad``."""
    decode = _decode_with("utf-8" if encoding == "utf-8-sig" else encoding)
    for number, raw in enumerate(raw_lines, 1):
        try:
            text = decode(raw)
        except UnicodeDecodeError:
            bad.add(number)
            text = raw.decode(encoding.split("-sig")[0], "replace")
        if CONTROL.search(text):
            bad.add(number)
            text = CONTROL.sub("", text)
        yield text
