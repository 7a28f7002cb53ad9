"""The new committee's branches: the old files' branches, renamed or merged by a mapping.

The mapping file (CSV, TSV or a workbook, read as `import` reads them: old file, old
branch, new branch) renames a branch ("Ấp 1" →
"Ấp Tân Phú") or merges several into one (two hamlets mapped to one name). It is checked
whole before anything is written: every line names one of the old files and one of its
branches, once. Without a mapping line, branches of two files whose names fold to the
same key are a conflict to resolve, never joined silently: one new branch takes branches
of several old ones only when every one of them is mapped to it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from tanhung_cli import vietnamese as vn
from tanhung_cli.branches import branch_key, display_name
from tanhung_cli.errors import FileProblem
from tanhung_cli.merge_sources import Source
from tanhung_cli.problems import Problem
from tanhung_cli.tabular import open_table

_HEADERS = {
    "file": {"file", "old file", "tep", "so", "so cu", "tep cu"},
    "old": {"old branch", "old_branch", "branch", "chi bo cu"},
    "new": {"new branch", "new_branch", "chi bo moi"},
}


@dataclass
class Plan:
    """The new branches (id → row values) and each old file's branch ids mapped to them."""

    rows: dict[int, dict[str, object]] = field(default_factory=dict)
    maps: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    merged: int = 0  # new branches made of more than one old branch
    problems: list[Problem] = field(default_factory=list)


def source_named(text: str, sources: list[Source]) -> Source | None:
    wanted = vn.clean(text)
    for names in (
        [s.shown for s in sources],
        [s.path.name for s in sources],
        [s.path.stem for s in sources],
    ):
        if names.count(wanted) == 1:
            return sources[names.index(wanted)]
    return None


def read_mapping(
    path: Path, sources: list[Source], branches: dict[int, dict[str, sqlite3.Row]]
) -> tuple[dict[tuple[int, str], tuple[str, int]], list[Problem]]:
    """``(source number, old branch key) → (new name, line)`` and the file's problems."""
    shown = str(path)
    mapping: dict[tuple[int, str], tuple[str, int]] = {}
    problems: list[Problem] = []
    try:  # CSV/TSV in the encodings offices use, or a workbook, as `import` reads them
        table = open_table(path)
        rows = [(row.line, ["" if c is None else str(c) for c in row.cells]) for row in table.rows]
    except FileProblem as exc:
        return mapping, [exc.problem()]
    except OSError as exc:
        return mapping, [Problem("merge.mapping_unreadable", {"reason": exc.strerror})]
    header = [vn.fold(cell).replace("_", " ").strip() for cell in table.headers]
    where = {
        name: next((i for i, cell in enumerate(header) if cell in words), None)
        for name, words in _HEADERS.items()
    }
    if None in where.values():
        return mapping, [Problem("merge.mapping_header", file=shown, line=table.header_line)]
    for line, row in rows:
        cells = [vn.clean(row[i]) if i is not None and i < len(row) else "" for i in where.values()]
        if not any(cells):
            continue
        file_text, old, new = cells
        source = source_named(file_text, sources)
        if source is None:
            problems.append(
                Problem("merge.mapping_file", {"name": file_text}, file=shown, line=line)
            )
            continue
        key = branch_key(old)
        if key not in branches[source.number]:
            problems.append(
                Problem(
                    "merge.mapping_branch",
                    {"name": old, "registry": source.shown},
                    file=shown,
                    line=line,
                )
            )
            continue
        name = display_name(new)
        if not name or len(name) > 100:
            problems.append(Problem("merge.mapping_new", {"name": new}, file=shown, line=line))
            continue
        earlier = mapping.get((source.number, key))
        if earlier and branch_key(earlier[0]) != branch_key(name):
            problems.append(
                Problem(
                    "merge.mapping_twice", {"name": old, "first": earlier[1]}, file=shown, line=line
                )
            )
            continue
        mapping[(source.number, key)] = (name, line)
    return mapping, problems


def plan(conn: sqlite3.Connection, sources: list[Source], mapping_file: Path | None) -> Plan:
    """The new branches from every old file's, through the mapping if there is one."""
    branches = {
        s.number: {
            row["name_key"]: row
            for row in conn.execute(f"SELECT * FROM {s.alias}.branches ORDER BY id")
        }
        for s in sources
    }
    result = Plan()
    mapping: dict[tuple[int, str], tuple[str, int]] = {}
    if mapping_file is not None:
        mapping, result.problems = read_mapping(mapping_file, sources, branches)
    groups: dict[str, list[tuple[Source, sqlite3.Row, str, bool]]] = {}
    for source in sources:
        for key, row in branches[source.number].items():
            mapped = mapping.get((source.number, key))
            name = mapped[0] if mapped else row["name"]
            groups.setdefault(branch_key(name), []).append((source, row, name, bool(mapped)))
    for new_id, (key, group) in enumerate(groups.items(), start=1):
        first_source, first, name, _ = group[0]
        if len(group) > 1:
            result.merged += 1
            _check_group(group, result.problems)
        result.rows[new_id] = {
            "id": new_id,
            "name": next((n for _, _, n, explicit in group if explicit), name),
            "name_key": key,
            "kind": first["kind"],
            "note": next((r["note"] for _, r, _, _ in group if r["note"]), None),
            "created_at": min(str(r["created_at"] or "") for _, r, _, _ in group) or None,
        }
        for source, row, _, _ in group:
            result.maps.setdefault(source.number, []).append((row["id"], new_id))
    return result


def _check_group(group: list[tuple[Source, sqlite3.Row, str, bool]], out: list[Problem]) -> None:
    """Several old branches under one name: only when each is mapped there, of one kind."""
    names = ", ".join(f"{row['name']} ({source.shown})" for source, row, _, _ in group)
    unmapped = [(source, row) for source, row, _, explicit in group if not explicit]
    for source, row in unmapped:
        out.append(
            Problem(
                "merge.branch_clash",
                {"name": row["name"], "registry": source.shown, "id": row["id"], "all": names},
            )
        )
    if len({row["kind"] for _, row, _, _ in group}) > 1 and not unmapped:
        out.append(Problem("merge.branch_kinds", {"all": names}))
