"""Private scratch folders in the system's temporary folder, swept when their process died.

A large import stages its checked rows in one, and openpyxl streams the rows of a workbook
being written through a file in one. They hold personal data: each folder is owner-only
(``mkdtemp``), named after the process that made it, removed when the work ends, and, if
that process was killed, by the next one that makes a scratch folder of the same kind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path


def make(prefix: str) -> Path:
    """A new owner-only folder ``PREFIX<pid>-…``, after sweeping the dead processes' ones."""
    sweep(Path(tempfile.gettempdir()), prefix)
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-"))


def sweep(folder: Path, prefix: str) -> None:
    """Remove the scratch folders of ``prefix`` whose process is gone.

    Only real folders of this user; a link is neither followed nor removed; sweeping
    never fails the work at hand.
    """
    try:
        leftovers = list(folder.glob(f"{prefix}*-*"))
    except OSError:
        return
    for leftover in leftovers:
        pid = leftover.name.removeprefix(prefix).split("-", 1)[0]
        try:
            found = leftover.lstat()
            if not pid.isdigit() or not stat.S_ISDIR(found.st_mode) or found.st_uid != os.getuid():
                continue
            os.kill(int(pid), 0)
        except ProcessLookupError:  # that process is gone
            shutil.rmtree(leftover, ignore_errors=True)
        except OSError:  # gone meanwhile, alive, or not ours to ask about
            continue


@contextlib.contextmanager
def temporary_files_in(prefix: str) -> Iterator[Path]:
    """Within the block, Python's temporary files (``tempfile``) go to a scratch folder of
    ``prefix``: a library that writes through them (openpyxl) leaves nothing behind when
    the process is killed, once the next scratch folder of the kind is made."""
    folder = make(prefix)
    saved = tempfile.tempdir
    tempfile.tempdir = str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = saved
        shutil.rmtree(folder, ignore_errors=True)
