"""The package's TOML data files (message catalogues, help, vocabularies), parsed once.

Python's TOML parser is written in Python: the core catalogue and the vocabularies take
longer to parse than `member list` takes to query 300 members (bench/startup_bench.py).
So the parsed data is kept in the user's cache folder, beside a copy of the very bytes
it was parsed from, and used only when the file still holds exactly those bytes: an
edited catalogue is always read again, whatever its size or time stamps say. A cache
that cannot be read or written (no home, a read-only disk, a file that is not ours) is
ignored: the file is parsed, as it would be without one.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

# Where the parsed files go; tests point it elsewhere.
ENV = "TANHUNG_CACHE_DIR"


def cache_dir() -> Path | None:
    """The folder of parsed files: TANHUNG_CACHE_DIR, else the platform's cache folder."""
    given = os.environ.get(ENV)
    if given:
        return Path(given)
    try:
        home = Path.home()
    except (RuntimeError, KeyError):  # no home directory to be found
        return None
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = home / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache")
    return base / "tanhung" / "parsed"


def cached_path(source: Path, folder: Path) -> Path:
    """The cache file of ``source``: its absolute path mirrored under ``folder``, so that
    two installations never share one."""
    return folder.joinpath(*source.absolute().parts[1:]).with_name(source.name + ".marshal")


def load(source: Traversable) -> dict[str, Any]:
    """The parsed TOML file ``source`` (a path, or a file inside an installed package)."""
    raw = source.read_bytes()
    target = None
    if isinstance(source, Path):  # not a file inside a zip
        folder = cache_dir()
        target = cached_path(source, folder) if folder is not None else None
    if target is not None:
        try:
            kept, data = marshal.loads(target.read_bytes())
            if kept == raw and isinstance(data, dict):
                return data
        except (OSError, EOFError, ValueError, TypeError):
            pass  # none yet, unreadable, or not ours: parse the file
    import tomllib

    # As read_text() reads it: line ends made "\n".
    data = tomllib.loads(raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n"))
    if target is not None:
        _write(target, raw, data)
    return data


def _write(target: Path, raw: bytes, data: dict[str, Any]) -> None:
    """Keep ``data`` for ``raw`` in ``target``, whole or not at all: written beside it and
    renamed over it, so that a reader finds the old file, the new one or none."""
    try:
        blob = marshal.dumps((raw, data))
    except ValueError:  # a TOML date or time: marshal keeps only plain values
        return
    part = target.with_name(f"{target.name}.{os.getpid()}.part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        part.write_bytes(blob)
        os.replace(part, target)
    except OSError:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
