"""The files a backup or a restore creates, and the files it is given.

Every file made here is new (never over an existing one, never through a symbolic link),
owner-only from its first byte, and at most one missing folder level is created: a backup
to an unmounted USB stick is refused, not written into an empty folder of that name.
Whatever a restore is given is looked at with ``stat`` before it is opened: opening a pipe
blocks until someone writes into it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from tanhung_cli.errors import Conflict, FileProblem, Invalid, NotFound
from tanhung_cli.storage import SIDE_SUFFIXES, create_owner_only

_CHUNK = 1 << 20


def is_side_file(path: Path) -> bool:
    return path.name.endswith(SIDE_SUFFIXES)


def _missing_above(target: Path) -> Path | None:
    """The folder that must exist for ``target`` to be made: its parent's parent, when the
    parent itself is missing (only the last level is created). None when all is there."""
    parent = target.parent
    if parent.is_dir():
        return None
    if parent.exists() or parent.is_symlink():
        return parent  # a file (or a dangling link) where the folder should be
    grand = parent.parent
    return None if grand.is_dir() else grand


def refuse_target(target: Path, registry: Path | None = None) -> None:
    """Refuse a target that is not a new, plain file in a folder that exists (or whose
    parent does): an existing file, a link, a folder, the registry or a side file's name."""
    shown = str(target)
    if target.is_symlink():
        raise Invalid("backup.symlink", path=shown)
    if target.is_dir():
        raise Invalid("backup.target_is_directory", path=shown)
    if registry is not None and _same(target, registry):
        raise Invalid("backup.is_registry", path=shown)
    if is_side_file(target):
        raise Invalid("backup.side_file", path=shown)
    if target.exists():
        raise Conflict("backup.exists", path=shown)
    missing = _missing_above(target)
    if missing is not None:
        raise NotFound("backup.no_folder", folder=str(missing), path=shown)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def create_private(target: Path) -> bool:
    """Create ``target`` empty and owner-only, refusing to overwrite anything or follow a
    link; create its folder if only that last level is missing. Say if the folder was made."""
    if target.is_dir():
        raise Invalid("backup.target_is_directory", path=str(target))
    made = make_folder(target)
    try:
        fd = create_owner_only(target)
    except FileExistsError:
        raise Conflict("backup.exists", path=str(target)) from None
    except OSError as exc:
        raise FileProblem("backup.cannot_write", path=str(target), reason=exc.strerror) from None
    os.close(fd)
    return made


def make_folder(target: Path) -> bool:
    """Create ``target``'s folder, owner-only, if only that last level is missing."""
    missing = _missing_above(target)
    if missing is not None:
        raise NotFound("backup.no_folder", folder=str(missing), path=str(target))
    if target.parent.is_dir():
        return False
    try:
        target.parent.mkdir(mode=0o700)
    except FileExistsError:
        return False  # made by another clerk meanwhile
    except OSError as exc:
        raise FileProblem("backup.cannot_write", path=str(target), reason=exc.strerror) from None
    return True


def require_regular(path: Path, shown: str | None = None) -> None:
    """Refuse, without opening it, a path that is not a plain file."""
    name = shown or str(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise NotFound("backup.missing", path=name) from None
    except OSError as exc:
        raise FileProblem("backup.cannot_read", path=name, reason=exc.strerror) from None
    if stat.S_ISDIR(mode):
        raise Invalid("backup.is_directory", path=name)
    if not stat.S_ISREG(mode):
        raise Invalid("backup.not_regular", path=name)


def copy_private(source: Path, target: Path, shown: str | None = None) -> None:
    """Copy ``source`` into the new owner-only file ``target``, naming the file at fault."""
    require_regular(source, shown)
    try:
        src = source.open("rb")
    except OSError as exc:
        reason = exc.strerror
        raise FileProblem("backup.cannot_read", path=shown or str(source), reason=reason) from None
    with src:
        create_private(target)
        try:
            with target.open("r+b") as out:
                while chunk := _read(src, shown or str(source)):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except OSError as exc:
            target.unlink(missing_ok=True)
            reason = exc.strerror or str(exc)
            raise FileProblem("backup.cannot_write", path=str(target), reason=reason) from None
        except BaseException:
            target.unlink(missing_ok=True)
            raise


def _read(src: BinaryIO, shown: str) -> bytes:
    try:
        return src.read(_CHUNK)
    except OSError as exc:
        raise FileProblem("backup.cannot_read", path=shown, reason=exc.strerror) from None


def is_read_only(path: Path) -> bool:
    """A file nobody may write (mode 0444): kept so on purpose, whoever the process is."""
    try:
        return path.is_file() and not path.stat().st_mode & 0o222
    except OSError:
        return False
