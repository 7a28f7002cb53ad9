"""Every file the registry writes for a clerk (exports, rejects, reports), written one way.

The file is written under a hidden temporary name in the target's folder, created
owner-only (personal data, Decree 13/2023), flushed to the disk, and only then given its
name: a full disk, a crash or a kill leaves the requested name as it was (absent, or the
old file). A name is refused, before anything is written, when writing there could
destroy something: an existing file (unless ``--force``), and always the registry and its
side files, any SQLite database (a backup), a symbolic link (never followed), a folder, a
FIFO or a device, or a file the same command reads. A missing folder is not created.
Backups and restores have writers of their own, and use ``refuse_target``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from tanhung_cli import storage
from tanhung_cli.errors import FileProblem
from tanhung_cli.storage import SIDE_SUFFIXES

TEMP_SUFFIX = ".partial"
# Where hard links are missing (FAT on a USB stick, some shares) the name is checked, then
# renamed to: a writer racing in between is the only way to lose a file there.
_NO_LINKS = frozenset(
    {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS}
)


def _located(path: Path) -> Path:
    """``path`` with its folder resolved and its last part as given: links are not followed."""
    return Path(os.path.abspath(path.parent)).resolve() / path.name


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def refuse_target(
    target: Path,
    *,
    force: bool = False,
    registry: Path | None = None,
    sources: Iterable[Path] = (),
) -> None:
    """Raise ``FileProblem`` naming ``target`` if writing it could destroy something."""
    target = Path(target)
    shown = str(target)
    if target.name in ("", ".", ".."):
        raise FileProblem("outfile.is_directory", path=shown)
    folder = target.parent
    if not folder.is_dir():
        raise FileProblem("outfile.no_folder", path=shown, folder=str(folder))
    where = _located(target)
    if registry is not None:
        home = _located(Path(registry))
        if where in {home, *(home.with_name(home.name + s) for s in SIDE_SUFFIXES)}:
            raise FileProblem("outfile.is_registry", path=shown)
    if target.name.endswith(SIDE_SUFFIXES):
        raise FileProblem("outfile.is_side_file", path=shown)
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise FileProblem("outfile.cannot_write", path=shown, reason=exc.strerror) from None
    if stat.S_ISLNK(info.st_mode):
        raise FileProblem("outfile.is_symlink", path=shown)
    if stat.S_ISDIR(info.st_mode):
        raise FileProblem("outfile.is_directory", path=shown)
    if not stat.S_ISREG(info.st_mode):
        raise FileProblem("outfile.not_regular", path=shown)
    if registry is not None and _same(target, Path(registry)):
        raise FileProblem("outfile.is_registry", path=shown)  # a hard link to it
    if any(_same(target, Path(source)) for source in sources):
        raise FileProblem("outfile.is_input", path=shown)
    try:
        database = storage.is_sqlite(storage.read_header(target, follow_links=False))
    except OSError as exc:
        raise FileProblem("outfile.cannot_write", path=shown, reason=exc.strerror) from None
    if database:
        raise FileProblem("outfile.is_database", path=shown)
    if not force:
        raise FileProblem("outfile.exists", path=shown)


def _claim(target: Path) -> tuple[Path, int]:
    """A new owner-only temporary file beside ``target``, named after it and this process."""
    stem = "." + target.name[:100]
    _sweep(target.parent, stem)
    while True:
        temp = target.with_name(f"{stem}.{os.getpid()}.{os.urandom(4).hex()}{TEMP_SUFFIX}")
        try:
            return temp, storage.create_owner_only(temp)
        except FileExistsError:
            continue


def _sweep(folder: Path, stem: str) -> None:
    """Remove what a killed writer of the same name left: its process is gone."""
    with contextlib.suppress(OSError):
        for left in folder.glob(f"{_glob_escape(stem)}.*{TEMP_SUFFIX}"):
            pid = left.name[len(stem) + 1 :].split(".", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                with contextlib.suppress(OSError):
                    left.unlink()


def _glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[]" else c for c in text)


def _alive(pid: int) -> bool:
    if os.name == "nt":
        return True  # signal 0 is CTRL_C_EVENT there: never sweep
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True


def _place(temp: Path, target: Path, guard: Guard) -> None:
    """Give the whole file its name: never over an existing file unless forced."""
    if guard.force:
        guard.refuse(target)  # what is there now, not what was there when we began
        os.replace(temp, target)
        return
    try:
        os.link(temp, target)
    except FileExistsError:
        raise FileProblem("outfile.exists", path=str(target)) from None
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        if os.path.lexists(target):
            raise FileProblem("outfile.exists", path=str(target)) from None
        os.rename(temp, target)
    else:
        os.unlink(temp)


def _sync_folder(folder: Path) -> None:
    """Make the new name durable too (where the system allows a folder to be synced)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@dataclass(frozen=True)
class Guard:
    """What a command may not write over: the registry, the files it reads, and (unless
    ``force``) any existing file."""

    force: bool = False
    registry: Path | None = None
    sources: tuple[Path, ...] = ()

    def reading(self, *sources: Path) -> Guard:
        return Guard(self.force, self.registry, (*self.sources, *sources))

    def refuse(self, target: Path) -> None:
        refuse_target(target, force=self.force, registry=self.registry, sources=self.sources)

    @contextlib.contextmanager
    def open(
        self,
        target: Path,
        *,
        binary: bool = False,
        encoding: str = "utf-8",
        newline: str | None = "",
    ) -> Iterator[IO[Any]]:
        """A stream to write ``target`` through; it gets its name only if the block ends well."""
        target = Path(target)
        self.refuse(target)
        try:
            temp, fd = _claim(target)
        except OSError as exc:
            raise _cannot_write(target, exc) from None
        try:
            if binary:
                fh: IO[Any] = os.fdopen(fd, "wb")
            else:
                fh = os.fdopen(fd, "w", encoding=encoding, newline=newline)
            with fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
            _place(temp, target, self)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                temp.unlink()
            if isinstance(exc, OSError) and exc.filename in (None, str(temp)):
                raise _cannot_write(target, exc) from None
            raise
        _sync_folder(target.parent)


def _cannot_write(target: Path, exc: OSError) -> FileProblem:
    reason = exc.strerror or str(exc)
    key = "outfile.disk_full" if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) else None
    return FileProblem(key or "outfile.cannot_write", path=str(target), reason=reason)


def private_output(target: Path, guard: Guard | None = None, **how: Any) -> Any:
    """``guard.open(target, ...)`` with the default guard: refuse any existing file."""
    return (guard or Guard()).open(target, **how)
