"""A member's sheet to print and file: the registry's part of the phiếu đảng viên (Mẫu
2-HSĐV, HD 12-HD/BTCTW): identity, admission and party age, transfers, training,
ratings, badges and the recorded history, each a section of the document."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from tanhung_cli.i18n import t
from tanhung_cli.render import values
from tanhung_cli.render.document import Document
from tanhung_cli.render.sheet import Table

ADMISSION = (
    "branch_met_on",
    "committee_met_on",
    "admitted_on",
    "ceremony_on",
    "official_on",
    "readmitted_on",
    "card_no",
    "file_no",
    "status",
    "age_exception",
    "education_exception",
)
TRANSFERS = (
    "transferred_in_on",
    "came_from",
    "letter_on",
    "letter_presented_on",
    "temporary",
    "temporary_until",
    "away_since",
    "away_to",
    "away_until",
    "away_purpose",
    "away_extension",
    "left_on",
    "left_reason",
    "removal_reason",
)
LATER = ("badges", "gaps")  # shown in sections of their own


def _fields(key: str, title: str, lines: Sequence[tuple[str, str]]) -> Table:
    rows = [{"label": label, "value": value} for label, value in lines]
    return Table(("label", "value"), ("", ""), rows, title, key=key)


def member_document(
    keyed: Sequence[tuple[str, str, Any]],
    data: dict[str, Any],
    badges: Sequence[Any],
    shown: Callable[[str | None, Any], str],
    extra: Sequence[tuple[str, str]] = (),
) -> Document:
    """The sheet from `member show`'s lines (key, label, value as shown), the standing at
    the date, courses, ratings and history (``member_sheet.sheet_data``), the badges
    held, ``shown`` (a history value as the clerk reads it), and lines to add to the
    standing (periods not counted in party age)."""
    st = data["standing"]
    filled = [(k, label, v) for k, label, v in keyed if v not in ("", None)]
    identity = [
        (label, str(v)) for k, label, v in filled if k not in (*ADMISSION, *TRANSFERS, *LATER)
    ]
    admission = [(label, str(v)) for k, label, v in filled if k in ADMISSION]
    age = st["party_age"]
    if age:
        text = t("life.party_age", **age)
        admission.append(
            (
                t("life.col.party_age"),
                t("dates.about", value=text) if age.get("approximate") else text,
            )
        )
    badge = st["next_badge"]
    if badge:
        admission.append(
            (
                t("life.col.next_badge"),
                t(
                    "life.next_badge",
                    years=badge["years"],
                    reaches=values.date(badge["reaches_on"]),
                    presented=values.date(badge["presented_on"]),
                ),
            )
        )
    periods = "; ".join(
        f"{values.date(p['joined_roll_on'])} – {values.date(p['left_on'], empty='')}".strip()
        for p in st["periods"]
    )
    admission.append((t("life.col.periods"), periods))
    admission += list(extra)
    transfers = [(label, str(v)) for k, label, v in filled if k in TRANSFERS]
    training = [
        {
            "course": r["name"],
            "kind": values.label("course_kind", r["kind"]),
            "dates": f"{values.date(r['start_on'])} – {values.date(r['end_on'])}",
            "completed": values.date(r["completed_on"])
            if r["completed_on"]
            else (t("label.yes") if r["completed"] else ""),
        }
        for r in data["training"]
    ]
    ratings = [
        {
            "year": r["year"],
            "grade": values.label("rating", r["level"]),
            "score": values.score(r["score"]),
        }
        for r in data["ratings"]
    ]
    held = [
        {
            "years": b["years"],
            "on": values.date(b["presented_on"]),
            "number": b["badge_no"] or "",
            "decision": b["decision"] or "",
        }
        for b in badges
    ]
    history = [
        {
            "on": values.date(e["on_date"]),
            "event": t("event." + e["kind"])
            + (f" ({t('void.label.voided')})" if e["voided"] else ""),
            "change": _change(e, shown),
            "decision": e["decision_no"] or "",
            "note": e["note"] or "",
        }
        for e in data["history"]
    ]
    col = "document.member.col."
    tables = [
        _fields("identity", t("document.member.identity"), identity),
        _fields("admission", t("document.member.admission"), admission),
        _fields("transfers", t("document.member.transfers"), transfers),
        Table(
            ("course", "kind", "dates", "completed"),
            (t(col + "course"), t("course.col.kind"), t(col + "dates"), t(col + "completed")),
            training,
            t("document.member.training"),
            keep_whole=("dates",),
        ),
        Table(
            ("year", "grade", "score"),
            (t(col + "year"), t(col + "grade"), t(col + "score")),
            ratings,
            t("document.member.ratings"),
            right=("year", "score"),
        ),
        Table(
            ("years", "on", "number", "decision"),
            (
                t("badge.col.years"),
                t("badge.col.on"),
                t("badge.col.number"),
                t("badge.col.decision"),
            ),
            held,
            t("document.member.badges"),
            keep_whole=("on",),
        ),
        Table(
            ("on", "event", "change", "decision", "note"),
            (
                t("label.on_date"),
                t(col + "event"),
                t(col + "change"),
                t("label.decision_no"),
                t("label.note"),
            ),
            history,
            t("document.member.history"),
            keep_whole=("on",),
        ),
    ]
    tables[2] = tables[2] if transfers else Table((), (), [], tables[2].title)
    return Document(
        t("document.member.title"),
        data,
        tables=tables,
        subtitle=_subtitle(keyed, st["as_of"]),
        fields=("identity", "admission", "transfers"),
        landscape=False,
    )


def _change(e: dict[str, Any], shown: Callable[[str | None, Any], str]) -> str:
    if not e["field"]:
        return ""
    old, new = shown(e["field"], e["old"]), shown(e["field"], e["new"])
    return (
        f"{t('column.' + e['field'])}: {old} → {new}"
        if old
        else f"{t('column.' + e['field'])}: {new}"
    )


def _subtitle(keyed: Sequence[tuple[str, str, Any]], as_of: str) -> str:
    name = next((str(v) for k, _, v in keyed if k == "full_name"), "")
    dated = t("document.member.subtitle", date=values.date(as_of))
    return f"{name} – {dated}" if name else dated
