"""Does the ``-wal`` beside the registry belong to it?

SQLite replays a write-ahead log into whatever file carries the registry's name: it
checks that the log's frames are whole (salts, checksums), not that they were written
for this file. A ``-wal`` left by a crash beside a registry that a clerk then copied in
by hand is replayed into the copy, and ruins it (https://www.sqlite.org/walformat.html).

Nothing in the log names its database, but what it says about the file's size must fit:
the log was started on a fully checkpointed file (S0), its committed transactions apply
in order on top of S0, and a checkpoint copies a prefix of them into the file. So the
file's first page is either S0's or the copy of a page-1 frame of the log. From S0, a
transaction that does not write page 1 keeps the database size (page 1 holds it), and one
that grows the file writes every new page. A log whose transactions do not fit the file
in either way was written for another file. The first reading is cheap (frame headers,
the page-1 frames); checksums are computed only to confirm a misfit.
"""

from __future__ import annotations

import mmap
import struct
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

WAL_MAGIC = (0x377F0682, 0x377F0683)  # the low bit says the checksums' byte order
WAL_VERSION = 3007000
WAL_HEADER = 32
FRAME_HEADER = 24
ATTEMPTS = 3  # a writer may restart the log or checkpoint while it is read


class _Txn(NamedTuple):
    first: int  # index of its first frame
    commit: int  # index of its commit frame
    size: int  # database size in pages after it


def wal_path(db: Path) -> Path:
    return Path(f"{db}-wal")


def foreign_wal(db: Path) -> Path | None:
    """The ``-wal`` beside ``db`` if it holds committed changes written for another file."""
    wal = wal_path(db)
    verdict = False
    for attempt in range(ATTEMPTS):
        try:
            verdict = _foreign(db, wal)
        except _Moved:
            verdict = False
        except OSError:
            return None  # nothing readable to replay: SQLite reports what it cannot open
        if not verdict:
            return None
        time.sleep(0.02 * (attempt + 1))
    return wal if verdict else None


class _Moved(Exception):
    """The log was restarted while it was read."""


def _foreign(db: Path, wal: Path) -> bool:
    if not wal.is_file() or wal.stat().st_size < WAL_HEADER:
        return False
    with wal.open("rb") as fh:
        before = fh.read(WAL_HEADER)
        if not db.exists():
            page_1 = b""
        else:
            with db.open("rb") as main:
                head = main.read(100)
                page_1 = head + main.read(max(0, _page_size(head) - 100))
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as log:
            if bytes(log[:WAL_HEADER]) != before:
                raise _Moved
            return _misfit(log, page_1, db)


def _page_size(head: bytes) -> int:
    if len(head) < 100:
        return 0
    size = struct.unpack(">H", head[16:18])[0]
    return 65536 if size == 1 else size


def _misfit(log: mmap.mmap, page_1: bytes, db: Path) -> bool:
    magic, version, page_size, _seq, salt1, salt2 = struct.unpack(">6I", log[:24])
    if magic not in WAL_MAGIC or version != WAL_VERSION or not _valid_size(page_size):
        return False  # SQLite ignores such a log
    if not _checksums_hold(log, magic, page_size, 0):
        return False  # nor one whose header is torn
    frames, txns = _frames(log, page_size, (salt1, salt2))
    if not txns:
        return False  # nothing committed: nothing to replay
    if len(page_1) < 100:
        return True  # no file: a new registry would receive these pages
    if not _valid_size(_page_size(page_1)):
        return False  # a damaged header: SQLite (and `check`) tell that better
    if _page_size(page_1) != page_size:
        return True
    stride = FRAME_HEADER + page_size

    def data(index: int) -> bytes:
        start = WAL_HEADER + index * stride + FRAME_HEADER
        return bytes(log[start : start + page_size])

    last_commit = txns[-1].commit
    if any(page == 1 and data(i) == page_1 for i, page in enumerate(frames[: last_commit + 1])):
        return False  # checkpointed up to one of its own page-1 frames
    bad = _first_misfit(frames, txns, page_1, db, data)
    if bad is None:
        return False
    # A misfit counts only if SQLite would replay it: its frames' checksums must hold.
    return _checksums_hold(log, magic, page_size, txns[bad].commit + 1)


def _valid_size(size: int) -> bool:
    return 512 <= size <= 65536 and size & (size - 1) == 0


def _frames(log: mmap.mmap, page_size: int, salts: tuple[int, int]) -> tuple[list[int], list[_Txn]]:
    """Page numbers of the frames of this log generation, and its committed transactions."""
    pages: list[int] = []
    txns: list[_Txn] = []
    stride = FRAME_HEADER + page_size
    offset, first = WAL_HEADER, 0
    while offset + stride <= len(log):
        page, size, s1, s2 = struct.unpack(">4I", log[offset : offset + 16])
        if (s1, s2) != salts or page == 0:
            break
        pages.append(page)
        if size:
            txns.append(_Txn(first, len(pages) - 1, size))
            first = len(pages)
        offset += stride
    return pages, txns


def _first_misfit(
    frames: list[int], txns: list[_Txn], page_1: bytes, db: Path, data: Callable[[int], bytes]
) -> int | None:
    """The first transaction that cannot follow the file as it is (taken as S0)."""
    header = page_1[:100]
    size = struct.unpack(">I", header[28:32])[0]
    if header[24:28] != header[92:96] or size == 0:  # the in-header size is stale
        size = db.stat().st_size // _page_size(header)
    auto_vacuum = header[52:56] != b"\x00\x00\x00\x00"
    written: set[int] = set()
    for n, txn in enumerate(txns):
        pages = frames[txn.first : txn.commit + 1]
        written.update(pages)
        page_1_frames = [txn.first + i for i, page in enumerate(pages) if page == 1]
        if not page_1_frames:
            fits = txn.size == size
        else:
            new = struct.unpack(">I", data(page_1_frames[-1])[28:32])[0]
            if new >= size:  # a file grows by pages written out in full
                fits = all(page in written for page in range(size + 1, new + 1))
            else:  # it shrinks only by a vacuum, which rewrites every page kept
                mine = set(pages)
                fits = auto_vacuum or all(page in mine for page in range(1, new + 1))
            size = new
        if not fits:
            return n
    return None


def _checksums_hold(log: mmap.mmap, magic: int, page_size: int, frames: int) -> bool:
    """Whether the header and the first ``frames`` frames carry their checksums."""
    order = ">" if magic & 1 else "<"
    s0, s1 = _checksum(log[:24], order, 0, 0)
    if struct.unpack(">2I", log[24:32]) != (s0, s1):
        return False
    stride = FRAME_HEADER + page_size
    for index in range(frames):
        start = WAL_HEADER + index * stride
        s0, s1 = _checksum(log[start : start + 8], order, s0, s1)
        s0, s1 = _checksum(log[start + FRAME_HEADER : start + stride], order, s0, s1)
        if struct.unpack(">2I", log[start + 16 : start + 24]) != (s0, s1):
            return False
    return True


def _checksum(data: bytes, order: str, s0: int, s1: int) -> tuple[int, int]:
    words = struct.unpack(f"{order}{len(data) // 4}I", data)
    mask = 0xFFFFFFFF
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & mask
        s1 = (s1 + words[i + 1] + s0) & mask
    return s0, s1
