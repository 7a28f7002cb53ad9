"""The roster book (sổ danh sách đảng viên) in the columns of Mẫu 7-HSĐV (Hướng dẫn
12-HD/BTCTW of 17/5/2012, kept by Hướng dẫn 09-HD/BTCTW of 05/6/2017), branch by branch.

The form has 14 columns; each cell of ours holds what the registry knows of the form's
cell, one item a line. Column 9 (army, police, retired) is left out: the registry does
not hold it. The form's numbers stay over the header, so the book reads as the form.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tanhung_cli.i18n import t
from tanhung_cli.render import values
from tanhung_cli.render.document import Document
from tanhung_cli.render.sheet import Table

COLUMNS = ("c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c10", "c11", "c12", "c13", "c14")
NUMBERS = tuple(c[1:] for c in COLUMNS)
# Each column's share of the page's width, in per cent (the notes column kept readable).
WIDTHS = dict(zip(COLUMNS, (3, 11, 6, 11, 8, 6, 7, 9, 8, 8, 5, 8, 10), strict=True))
LEFT_THE_PARTY = ("removed", "expelled", "resigned")


def _lines(*items: Any) -> str:
    return "\n".join(str(x) for x in items if x)


def _date(value: str | None) -> str:
    return values.date(value) if value else ""


def book_row(r: dict[str, Any]) -> dict[str, Any]:
    """One member's line of the book, from a row of ``composition.roster``."""
    code = r.get("left_code")
    notes = []
    if r.get("readmitted_on"):
        notes.append(t("document.roster.readmitted", date=_date(r["readmitted_on"])))
    if r.get("status") == "probationary":
        notes.append(t("document.roster.probationary"))
    if r.get("exempt_since"):
        notes.append(t("document.roster.exempt", date=_date(r["exempt_since"])))
    away = (
        t("document.roster.temporary_away", date=_date(r["away_since"]), place=r["away_to"] or "")
        if r.get("away_since")
        else ""
    )
    out = _lines(_date(r["left_on"]), r.get("left_reason")) if code == "transferred" else ""
    return {
        "c1": r["no"],
        "c2": r["full_name"],
        "c3": _lines(r["gender"], r["ethnicity"], r["religion"]),
        "c4": r["home_town"] or "",
        "c5": _lines(
            r["general_education"],
            r["theory_level"],
            r["professional_level"],
            r["foreign_language"],
        ),
        "c6": r.get("profession") or "",
        "c7": _lines(_date(r["admitted_on"]), _date(r["official_on"])),
        "c8": _lines(r["card_no"], r.get("file_no"), r.get("badges")),
        "c10": _lines(away, out),
        "c11": _lines(_date(r["transferred_in_on"]), r.get("came_from")),
        "c12": _date(r["left_on"]) if code == "died" else "",
        "c13": _lines(_date(r["left_on"]), r["left_reason"]) if code in LEFT_THE_PARTY else "",
        "c14": "; ".join(notes),
    }


def roster_book(
    rows: Sequence[dict[str, Any]], title: str, unit: str, date: str, caption: str
) -> Document:
    """The book: one table a branch, headed by the branch and its count, the header
    row (and the form's column numbers) repeated on every page; landscape."""
    headers = [t(f"document.roster.{c}") for c in COLUMNS]
    branches: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        branches.setdefault(r["branch"], []).append(book_row(r))
    tables = [
        Table(
            COLUMNS,
            headers,
            found,
            t("document.roster.branch_heading", name=name, count=len(found)),
            right=("c1",),
            key=name,
            keep_whole=("c2", "c7"),
        )
        for name, found in branches.items()
    ]
    return Document(
        title,
        list(rows),
        tables=tables,
        caption=caption,
        form=t("document.roster.form"),
        subtitle=t("document.roster.subtitle", unit=unit[:1].upper() + unit[1:], date=date),
        numbers=NUMBERS,
        landscape=True,
        widths=WIDTHS,
    )
