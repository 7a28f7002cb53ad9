"""The main process's side of the workers: a pool of forked processes handed the blocks,
a bounded queue ahead, and stopped without hanging (SIGTERM, Ctrl-C, a stuck worker)."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from tanhung_cli import signals
from tanhung_cli.csv_records import NoRecordEnd
from tanhung_cli.importer import worker
from tanhung_cli.importer.staged import Chunk


def _abandon(pool: Any) -> None:
    """Stopped (SIGTERM to every process, Ctrl-C): kill the workers and leave the pool.

    Pool.terminate takes the queues' locks first, and a worker ended by the same signal
    may hold one for ever: the import then hung instead of stopping (1 run in ~15). So the
    pool is told to stop replacing workers, they are killed, and its finaliser (the same
    terminate, at exit) is cancelled. Its threads are daemons; the process is ending.
    """
    from multiprocessing.pool import TERMINATE

    pool._state = TERMINATE
    pool._worker_handler._state = TERMINATE
    pool._worker_handler.join(timeout=1)
    for process in pool._pool:
        process.kill()
    for process in pool._pool:
        process.join(timeout=5)
    pool._terminate.cancel()


# How long the oldest block handed out may go unanswered before the workers are taken as
# stuck. A block (256 KB, ~2,500 rows) is checked in well under a second.
STUCK_S = 60.0


class WorkersStuck(Exception):
    """No worker answered for STUCK_S seconds: they were killed, nothing was kept."""


# How long Pool.terminate may wait for its workers to end on SIGTERM before they are killed.
TERMINATE_GRACE_S = 10.0


def _terminate(pool: Any) -> None:
    """Pool.terminate, bounded: it waits for each worker to end on SIGTERM, and a worker
    seen stuck on a lock it inherited at the fork never did (the suite hung in the join,
    twice in some thousands of imports). A watchdog kills what is still alive by then."""
    import threading

    def kill_the_rest() -> None:
        for process in list(pool._pool):
            if process.exitcode is None:
                process.kill()

    watchdog = threading.Timer(TERMINATE_GRACE_S, kill_the_rest)
    watchdog.daemon = True
    watchdog.start()
    try:
        pool.terminate()
    finally:
        watchdog.cancel()


def run(
    payloads: Iterator[tuple[Any, int]],
    workers: int,
    size: int,
    progress: Callable[[int, int | None], None] | None,
) -> list[Chunk]:
    """Hand ``payloads`` to the workers, a bounded queue ahead; their chunks in file order.

    A payload comes with how far into the file (of ``size`` bytes) it ends.
    """
    chunks: list[Chunk] = []
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=worker.start_worker)
    try:
        pending: deque[Any] = deque()
        for payload, position in payloads:
            pending.append(pool.apply_async(worker.stage, (payload,)))
            while len(pending) > 2 * workers or (pending and pending[0].ready()):
                chunks.append(pending.popleft().get(STUCK_S))
                if progress:
                    progress(position, size)
        while pending:
            chunks.append(pending.popleft().get(STUCK_S))
    except signals.Stopped:
        _abandon(pool)
        raise
    except multiprocessing.TimeoutError:
        # A worker that never answers (one seen, rarely, stuck before its first block under
        # heavy load): the import must not wait for ever. The caller checks in-process.
        _abandon(pool)
        raise WorkersStuck from None
    finally:
        if pool._state == "RUN":  # type: ignore[attr-defined]
            _terminate(pool)
    if any(chunk.open_quote for chunk in chunks[:-1]) or any(c.broken for c in chunks):
        # A quote opened in one block and closed in another: the cut between them was not
        # between records, as far as the csv reader goes. Or a record it cannot read at
        # all, which only the whole file read in order can locate.
        raise NoRecordEnd
    if progress:
        progress(size, size)
    return chunks
