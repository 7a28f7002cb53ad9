"""Reports across many registries (#17): the figures of many committees' files at one date,
read in place and added up, counts only.

Each file is opened by `db.open_db(untouched=True)` (nothing written, no side file made),
read in one snapshot, and closed before the next, so that a hundred files cost a hundred
small reports and never a hundred open files. What is kept of a file is its report: counts,
the term, the file's name; never a member's record. A file that cannot be read (not a
registry, newer or older than this release, locked, damaged) stops the report, named,
unless the caller asks to skip it; skipped files are returned with their reasons.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from tanhung_cli import registry_copies, reports, storage
from tanhung_cli.errors import DatabaseProblem, Invalid, NotFound, TanhungError

T = TypeVar("T")
# A disturbed read (a writer started meanwhile) is done again, the ordinary way.
ATTEMPTS = 3


class Unreadable(DatabaseProblem):
    """A registry of the report cannot be read; the message names the file."""


@dataclass(frozen=True)
class Because:
    """Why a file was not read, worded in the language of the message that carries it."""

    error: TanhungError

    def in_lang(self, lang: str) -> str:
        return self.error.message(lang)

    def __str__(self) -> str:
        return self.error.message()


@dataclass
class Read(Generic[T]):
    """What was read: each file's report in the order given, and the files skipped."""

    parts: list[tuple[Path, T]] = field(default_factory=list)
    skipped: list[tuple[Path, TanhungError]] = field(default_factory=list)
    # Backups of a registry read (`registry_copies`), not counted: (the copy, the registry).
    backups: list[tuple[Path, Path]] = field(default_factory=list)


def files_of(paths: Sequence[Path], folder: Path | None) -> list[Path]:
    """The files named, then every ``*.db`` of ``folder`` (not hidden), each once."""
    found = list(paths)
    if folder is not None:
        if not folder.is_dir():
            raise NotFound("many.no_folder", folder=str(folder))
        inside = sorted(
            p for p in folder.glob("*.db") if not p.name.startswith(".") and p.is_file()
        )
        if not inside:
            raise NotFound("many.empty_folder", folder=str(folder))
        found += inside
    seen: dict[Path, Path] = {}
    for path in found:
        key = path.resolve()
        if key in seen:
            raise Invalid("many.twice", path=str(path), first=str(seen[key]))
        seen[key] = path
    return found


def read_each(
    paths: Iterable[Path], read: Callable[[sqlite3.Connection], T], *, skip_unreadable: bool
) -> Read[T]:
    """``read`` each registry in place; an unreadable one is skipped or refused, named.

    A registry is read once: a backup of a registry read (`registry_copies`) is left out and
    listed in ``backups``; another copy of one (not named as a backup) is refused naming
    both files, or skipped when asked."""
    from tanhung_cli.db import open_db

    out: Read[T] = Read()
    seen = registry_copies.Seen()
    for path in registry_copies.in_order(list(paths)):
        try:
            twin, data = _read_one(path, read, open_db, seen)
        except DatabaseProblem as exc:
            if not skip_unreadable:
                raise Unreadable("many.unreadable", path=str(path), reason=Because(exc)) from None
            out.skipped.append((path, exc))
            continue
        except TanhungError as exc:  # e.g. a term the file does not have
            raise Unreadable("many.in_file", path=str(path), reason=Because(exc)) from None
        if twin is None:
            out.parts.append((path, data))  # type: ignore[arg-type]
        elif registry_copies.backup_of(path) is not None:
            out.backups.append((path, twin))
        elif skip_unreadable:
            out.skipped.append((path, Invalid("bugs.many.same_registry_skipped", other=str(twin))))
        else:
            raise Invalid("bugs.many.same_registry", path=str(path), other=str(twin))
    return out


def _read_one(
    path: Path, read: Callable[[sqlite3.Connection], T], open_db: Any, seen: registry_copies.Seen
) -> tuple[Path | None, T | None]:
    """The registry already read that ``path`` is a copy of, else None and its report."""
    for _ in range(ATTEMPTS):
        conn = open_db(path, create=False, untouched=True)
        try:
            conn.execute("BEGIN")  # one snapshot for every query of the report
            attempt = registry_copies.Seen(list(seen.read))
            twin = attempt.twin(path, conn)
            data = read(conn) if twin is None else None
            conn.execute("COMMIT")
            if not getattr(conn, "disturbed", lambda: False)():
                seen.read[:] = attempt.read
                return twin, data
        except sqlite3.DatabaseError as exc:
            raise storage.database_problem(exc, path) from None
        finally:
            conn.close()
    raise DatabaseProblem("db.busy")


def scoped(
    as_of: dt.date | None, term: str | None
) -> Callable[[sqlite3.Connection], reports.Scope]:
    """The scope of one file's report: the date, and the term of that name or running then."""
    return lambda conn: reports.scope(conn, as_of=as_of, term=term)


def add(values: Iterable[int | float | None]) -> int | float | None:
    """The sum of the values given, None when no file gave one."""
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def add_counts(parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Dictionaries of counts added key by key (nested ones too; None where none counted)."""
    out: dict[str, Any] = {}
    for key in dict.fromkeys(k for p in parts for k in p):
        found = [p[key] for p in parts if p.get(key) is not None]
        if found and all(isinstance(v, dict) for v in found):
            out[key] = add_counts(found)
        elif all(isinstance(v, int | float) and not isinstance(v, bool) for v in found):
            out[key] = add(found)
    return out


def common_term(terms: Iterable[dict[str, Any] | None]) -> dict[str, Any] | None:
    """The term every file reports for, if it is one and the same; else None."""
    distinct = {tuple(sorted(t.items())) if t else None for t in terms}
    return dict(distinct.pop()) if len(distinct) == 1 and None not in distinct else None  # type: ignore[arg-type]


def _common(found: list[Any]) -> Any:
    return found[0] if len(set(map(str, found))) == 1 else None


def add_summaries(read: Sequence[tuple[Path, dict[str, Any]]]) -> dict[str, Any]:
    """`reports.summary` of each file added up: counts summed, the share of the target over
    the committees that set one, the term when every file has the same; per fund left out
    (funds of different committees with one name are not one fund)."""
    parts = [d for _, d in read]
    members = add_counts([p["members"] for p in parts])
    members["by_ethnicity"] = dict(
        sorted(members["by_ethnicity"].items(), key=lambda kv: (-kv[1], kv[0]))
    )
    adm = [p["admissions"] for p in parts]
    with_target = [a for a in adm if a["target"]]
    admitted = add(a["in_term"] for a in adm)
    target = add(a["target"] for a in with_target)
    support = [p["support"] for p in parts if p.get("support")]
    kinds: dict[str, list[dict[str, Any]]] = {}
    for s in support:
        for row in s["by_kind"]:
            kinds.setdefault(row["kind"], []).append(row)
    activity = [p["activity"] for p in parts if p.get("activity")]
    since = [a["since"] for a in activity if a.get("since")]
    return {
        "as_of": _common([p["as_of"] for p in parts]) or max(p["as_of"] for p in parts),
        "term": common_term(p["term"] for p in parts),
        "registries": len(parts),
        "files": [str(path) for path, _ in read],
        "members": members,
        "admissions": {
            "in_term": admitted,
            "target": target,
            "percent_of_target": reports.percent(
                sum(a["in_term"] or 0 for a in with_target), target
            ),
            "readmitted": add(a["readmitted"] for a in adm),
        },
        "training": add_counts([p["training"] for p in parts]),
        "activity": {**add_counts(activity), "since": min(since, default=None)}
        if activity
        else None,
        "support": {
            **add_counts([{k: v for k, v in s.items() if k != "by_kind"} for s in support]),
            "by_kind": [{"kind": k, **add_counts(rows)} for k, rows in kinds.items()],
        }
        if support
        else None,
    }


def add_compositions(parts: Sequence[dict[str, Any]], keys: Sequence[str]) -> dict[str, Any]:
    """`composition.composition` of each file added up, group by group in each dimension."""
    data: dict[str, Any] = {"as_of": _common([p["as_of"] for p in parts]) or parts[0]["as_of"]}
    for key in keys:
        groups: dict[str, dict[str, int]] = {}
        for p in parts:
            for r in p[key]:
                g = groups.setdefault(r["group"], {"men": 0, "women": 0, "total": 0})
                for k in ("men", "women", "total"):
                    g[k] += r[k]
        rows: list[dict[str, Any]] = [{"group": g, **c} for g, c in groups.items()]
        if key == "ethnicity":
            rows.sort(key=lambda r: -r["total"])
        data[key] = rows
    uncertain = sum(p.get("age_uncertain", 0) for p in parts)
    if uncertain:
        data["age_uncertain"] = uncertain
    data["registries"] = len(parts)
    return data
