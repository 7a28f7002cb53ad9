"""A report as a document to print and file: HTML for A4 (landscape when its tables are
wide), with the office's heading, the title, tables whose header row repeats on every
page, page numbers and the signature block (HD 36-HD/VPTW, the format of the Party's
documents). ``pdf`` prints it through a headless browser.

The document shows the same sheet the terminal and the other files show, its values
through ``values.cell``; charts are left out (their figures are the tables').
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from tanhung_cli.i18n import get_lang, t
from tanhung_cli.letterhead import Letterhead
from tanhung_cli.render.sheet import Sheet, Table
from tanhung_cli.render.values import cell

# Text a portrait A4 page holds on one line of a table at 10.5 pt, in characters.
PORTRAIT_CHARACTERS = 105
SHORT_ROWS = 15  # a table this short is never split across pages


@dataclass
class Document(Sheet):
    """A sheet with what only a printed document has: the form it follows, its subtitle,
    the form's column numbers over the header, and tables of label and value."""

    form: str = ""  # "Mẫu 7-HSĐV", printed over the title
    subtitle: str = ""
    numbers: tuple[str, ...] = ()  # the form's numbering of the columns
    fields: tuple[str, ...] = ()  # keys of tables shown as label: value
    landscape: bool | None = None  # None: decided by the tables' width
    widths: dict[str, int] = field(default_factory=dict)  # column: % of the page's width


def _e(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _width(tab: Table) -> int:
    """What a table needs on one line, in characters: each column's longest word, or its
    longest cell up to 24 characters (the rest wraps)."""
    total = 0
    for col, head in zip(tab.columns, tab.headers, strict=False):
        texts = [cell(r.get(col), col) for r in tab.rows[:500]]
        words = [w for x in [head, *texts] for w in x.split()] or [""]
        longest = max(min(len(x), 24) for x in texts) if texts else 0
        total += max(max(len(w) for w in words), longest) + 3
    return total


def is_landscape(sheet: Sheet) -> bool:
    if isinstance(sheet, Document) and sheet.landscape is not None:
        return sheet.landscape
    return any(_width(tab) > PORTRAIT_CHARACTERS for tab in sheet.tables)


def _date_line(head: Letterhead) -> str:
    place = head.place or t("document.place_blank")
    day = head.day
    if day is None:
        return ""
    return t(
        "document.date_line",
        place=place,
        day=f"{day.day:02d}",
        month=f"{day.month:02d}",
        year=day.year,
        date=day.strftime("%d/%m/%Y"),
    )


def _heading(head: Letterhead) -> str:
    # The issuer under the committee directly above it (HD 36-HD/VPTW): a branch's
    # document names the commune's committee over the branch, not the province's too.
    left = [head.upper] if head.upper and not head.branch else []
    left.append(head.committee or t("document.committee_blank"))
    if head.branch:
        left.append(t("document.branch", name=head.branch.upper()))
    lines = [f"<div>{_e(x)}</div>" for x in left[:-1]]
    lines.append(f'<div class="strong">{_e(left[-1])}</div><div class="star">*</div>')
    right = (
        f'<div class="party">{_e(t("document.party"))}</div>'
        f'<div class="dateline">{_e(_date_line(head))}</div>'
    )
    return (
        '<table class="heading"><tr>'
        f'<td class="left">{"".join(lines)}</td><td class="right">{right}</td>'
        "</tr></table>"
    )


def _signature(head: Letterhead) -> str:
    key = "document.on_behalf_branch" if head.branch else "document.on_behalf_committee"
    behalf = head.on_behalf or t(key)
    title = head.signer_title or t("document.secretary")
    return (
        '<div class="signature">'
        f'<div class="behalf">{_e(behalf)}</div><div class="title">{_e(title)}</div>'
        f'<div class="space"></div><div class="name">{_e(head.signer_name)}</div></div>'
    )


def _td(tab: Table, col: str, row: dict[str, Any]) -> str:
    text = cell(row.get(col), col)
    kind = "num" if col in tab.right else "whole" if col in tab.keep_whole else ""
    if "\n" in text:
        kind = (kind + " pair").strip()
    return f'<td class="{kind}">{_e(text)}</td>' if kind else f"<td>{_e(text)}</td>"


def _table(
    tab: Table, numbers: tuple[str, ...], fields: bool, widths: dict[str, int] | None = None
) -> str:
    # A short table is kept on one page with its heading; a long one repeats its header.
    parts = ['<section class="short">' if len(tab.rows) <= SHORT_ROWS else "<section>"]
    if tab.title:
        parts.append(f"<h2>{_e(tab.title)}</h2>")
    if fields:  # label: value, no header row
        rows = "".join(
            f'<tr><td class="label">{_e(cell(r.get(tab.columns[0])))}</td>'
            f'<td class="pair">{_e(cell(r.get(tab.columns[1]), tab.columns[1]))}</td></tr>'
            for r in tab.rows
        )
        parts.append(f'<table class="data fields"><tbody>{rows}</tbody></table></section>')
        return "".join(parts)
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in tab.headers)
    thead = f"<tr>{head}</tr>"
    if numbers and len(numbers) == len(tab.columns):
        thead += '<tr class="numbers">' + "".join(f"<th>{_e(n)}</th>" for n in numbers) + "</tr>"
    body = "".join(
        "<tr>" + "".join(_td(tab, c, r) for c in tab.columns) + "</tr>" for r in tab.rows
    )
    cols = ""
    if widths:  # the form's proportions; a column still never narrower than its words
        cols = "<colgroup>" + "".join(
            f'<col style="width: {widths[c]}%">' if c in widths else "<col>" for c in tab.columns
        )
        cols += "</colgroup>"
    parts.append(f'<table class="data">{cols}<thead>{thead}</thead><tbody>{body}</tbody></table>')
    parts.append("</section>")
    return "".join(parts)


def _page_rule(landscape: bool) -> str:
    """The page's size and its number at the foot ("Trang 2/5"), as CSS."""
    text = t("document.page", page="\x00page\x00", pages="\x00pages\x00")
    content = " ".join(
        f"counter({p})" if p in ("page", "pages") else '"' + p.replace('"', "'") + '"'
        for p in text.split("\x00")
        if p
    )
    size = "A4 landscape" if landscape else "A4"
    margins = "14mm 12mm 16mm 12mm" if landscape else "18mm 15mm 18mm 22mm"
    return (
        f"@page {{ size: {size}; margin: {margins};"
        f" @bottom-center {{ content: {content}; font-size: 9pt;"
        ' font-family: "Times New Roman", "Liberation Serif", serif; } }'
    )


def html_document(sheet: Sheet, head: Letterhead) -> str:
    """The page an office prints and files, every text escaped."""
    doc = sheet if isinstance(sheet, Document) else None
    landscape = is_landscape(sheet)
    full = " – ".join(x for x in (sheet.title, doc.subtitle if doc else "") if x)
    css = resources.files(__package__).joinpath("document.css").read_text(encoding="utf-8")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{get_lang()}"><head><meta charset="utf-8">',
        f"<title>{_e(full)}</title>",
        f'<meta name="title" content="{_e(full)}">',  # what a file manager shows
        f"<style>{css}\n{_page_rule(landscape)}</style></head>",
        f'<body class="{"wide" if landscape else "tall"}">',
        _heading(head),
    ]
    if doc and doc.form:
        parts.append(f'<p class="form">{_e(doc.form)}</p>')
    parts.append(f"<h1>{_e(sheet.title)}</h1>")
    if doc and doc.subtitle:
        parts.append(f'<p class="subtitle">{_e(doc.subtitle)}</p>')
    parts += [f'<p class="line">{_e(line)}</p>' for line in sheet.lines]
    for tab in sheet.tables:
        fields = bool(doc and (tab.key in doc.fields))
        if not tab.rows and not fields:
            parts.append(f"<section><h2>{_e(tab.title)}</h2>" if tab.title else "<section>")
            parts.append(f'<p class="none">{_e(t("document.member.none"))}</p></section>')
            continue
        parts.append(_table(tab, doc.numbers if doc else (), fields, doc.widths if doc else None))
    # The caption and the signature kept together, and with what comes before them.
    parts.append('<div class="closing">')
    if sheet.caption:
        parts.append(f'<p class="caption">{_e(sheet.caption)}</p>')
    parts += [_signature(head), "</div>", "</body></html>", ""]
    return "\n".join(parts)
