"""Hidden, unfinished copies of the registry that a killed process left beside it.

A backup, a restore, a migration's backup and the creation of a registry each write a
full copy under a hidden name first (`backup.partial_of`, `restore.py`,
`registry_file.create_registry`) and give it its name only when it is whole. A process killed in
between leaves the hidden copy: a full copy of the roll, names, birth dates and CCCD
numbers, that nothing would ever remove. A writing command removes the registry's own
once they are old enough that no live process can still be writing them.
"""

from __future__ import annotations

import glob
import shutil
import time
from pathlib import Path

from tanhung_cli.registry_file import NEW_PREFIX
from tanhung_cli.storage import SIDE_SUFFIXES as SIDE_FILES

# A copy still being written is touched at every page, and verified within seconds
# after; `restore.py` uses the same delay for its private folders.
STALE_AFTER_S = 600


def _candidates(db_path: Path) -> list[Path]:
    folder = db_path.parent
    name, stem = glob.escape(db_path.name), glob.escape(db_path.stem)
    found = [
        *folder.glob(f".{stem}.*.partial"),  # backups named beside the registry
        *folder.glob(f".{name}.restoring"),
        *folder.glob(f"{NEW_PREFIX}{name}.*"),
        *folder.glob(".tanhung-restore-*"),
    ]
    return sorted(p for p in found if not p.name.endswith(SIDE_FILES))


def _last_touched(path: Path) -> float:
    times = [path.lstat().st_mtime]
    for side in SIDE_FILES:
        other = Path(f"{path}{side}")
        if other.exists():
            times.append(other.lstat().st_mtime)
    if path.is_dir():
        times += [p.lstat().st_mtime for p in path.iterdir()]
    return max(times)


def stale(db_path: Path, now: float | None = None) -> list[Path]:
    """The registry's own unfinished copies that nobody has written for a while."""
    now = time.time() if now is None else now
    old = []
    for path in _candidates(db_path):
        try:
            if now - _last_touched(path) > STALE_AFTER_S:
                old.append(path)
        except OSError:
            continue  # removed meanwhile by whoever made it
    return old


def clean(db_path: Path) -> list[Path]:
    """Remove the stale copies; return those removed."""
    removed = []
    for path in stale(db_path):
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            for side in SIDE_FILES:
                Path(f"{path}{side}").unlink(missing_ok=True)
        except OSError:
            continue  # read-only media, or someone else's file: leave it
        removed.append(path)
    return removed
