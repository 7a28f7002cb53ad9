"""The heading and signature of a printed document, from the registry's settings.

A document an office files (HD 36-HD/VPTW on the format of the Party's documents) names
the committee on the left ("ĐẢNG BỘ XÃ …", and "CHI BỘ …" when the document is one
branch's), "ĐẢNG CỘNG SẢN VIỆT NAM" on the right over the place and date, and is signed
"T/M ĐẢNG ỦY / BÍ THƯ" and the name. The names differ from office to office: they are
settings (table ``settings``), blank lines to fill by hand until they are set.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from tanhung_cli import org
from tanhung_cli import vietnamese as vn

# Settings (key: what it holds). Unset, the document leaves a dotted line to fill.
KEYS = {
    "document_upper": "the level above, e.g. ĐẢNG BỘ HUYỆN … (optional)",
    "document_committee": "the committee, e.g. ĐẢNG BỘ XÃ TÂN HÙNG",
    "document_place": "the place of the date line, e.g. Tân Hùng",
    "document_on_behalf": "on whose behalf the document is signed (default T/M ĐẢNG ỦY)",
    "document_signer_title": "the signer's title (default BÍ THƯ)",
    "document_signer_name": "the signer's name",
}


# How a heading names the committee above (HD 36-HD/VPTW): "Tỉnh ủy Vĩnh Long", as the
# registry records the level above (`branch level-above`), heads a document as "ĐẢNG BỘ
# TỈNH VĨNH LONG".
_COMMITTEE_OF = {
    "tinh uy": "Đảng bộ tỉnh",
    "huyen uy": "Đảng bộ huyện",
    "thanh uy": "Đảng bộ thành phố",
    "thi uy": "Đảng bộ thị xã",
    "quan uy": "Đảng bộ quận",
}


def upper_heading(level: str | None) -> str:
    """The level above as a document's heading names it ("" when the registry has none)."""
    if not level:
        return ""
    words = level.split()
    head = vn.fold(" ".join(words[:2]))
    if head in _COMMITTEE_OF:
        return " ".join([_COMMITTEE_OF[head], *words[2:]]).upper()
    return level.upper()


@dataclass(frozen=True)
class Letterhead:
    committee: str = ""  # "" when not set: the document leaves a line to fill
    upper: str = ""
    branch: str = ""  # the branch's name, when the document is one branch's
    place: str = ""
    on_behalf: str = ""  # "" means the language's default (T/M ĐẢNG ỦY, T/M CHI BỘ)
    signer_title: str = ""
    signer_name: str = ""
    day: dt.date | None = None  # the date line's date (today)


def letterhead(
    conn: sqlite3.Connection | None, branch: str = "", day: dt.date | None = None
) -> Letterhead:
    """The heading of a document printed today from this registry (defaults without one).

    A branch's document is signed on the branch's behalf, by its secretary, whose name
    the registry does not hold: the line is left to sign."""
    stored: dict[str, str] = {}
    if conn is not None:
        rows = conn.execute("SELECT key, value FROM settings WHERE key LIKE 'document_%'")
        stored = {k: str(v or "").strip() for k, v in rows.fetchall()}
    upper = stored.get("document_upper", "")
    if not upper and conn is not None:  # the level above on the document's day (`org`)
        upper = upper_heading(org.level_above(conn, (day or dt.date.today()).isoformat()))
    return Letterhead(
        committee=stored.get("document_committee", ""),
        upper=upper,
        branch=branch,
        place=stored.get("document_place", ""),
        on_behalf="" if branch else stored.get("document_on_behalf", ""),
        signer_title=stored.get("document_signer_title", ""),
        signer_name="" if branch else stored.get("document_signer_name", ""),
        day=day or dt.date.today(),
    )
