"""Stopping a long command on SIGTERM or Ctrl-C: quietly, with what it began undone.

Python's default for SIGTERM ends the process on the spot: no `finally` runs, so a large
import left its staging folder behind, and its workers, their parent gone, printed a
`BrokenPipeError` traceback each. Inside `stoppable()`, either signal raises `Stopped`
instead: transactions roll back, temporary files go, the workers are terminated, and the
command line says one line and exits 128 + the signal's number (130, 143).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Stopped(BaseException):  # noqa: N818 - like KeyboardInterrupt, not an error
    """The command was asked to stop; what it began has been undone."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.exit_code = 128 + signum


_owner = 0  # the process that called stoppable()
_stopping = False


def _stop(signum: int, frame: FrameType | None) -> None:
    global _stopping
    if os.getpid() != _owner:
        # A worker forked from here and signalled before it set its own handlers (a pool
        # replaces workers that ended): end as SIG_DFL would. Never SIG_IGN here, as a
        # worker that inherited it ignored Pool.terminate and the parent waited for ever.
        os._exit(128 + signum)
    if _stopping:  # once is enough: a second signal must not break off the cleanup
        return
    _stopping = True
    raise Stopped(signum)


@contextmanager
def stoppable() -> Iterator[None]:
    """Within: SIGTERM and SIGINT raise `Stopped` (in the main thread; elsewhere, no change)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    global _owner, _stopping
    _owner, _stopping = os.getpid(), False
    before = {each: signal.signal(each, _stop) for each in SIGNALS}
    hook = sys.unraisablehook
    sys.unraisablehook = _swallowed
    try:
        yield
    finally:
        sys.unraisablehook = hook
        for each, handler in before.items():
            signal.signal(each, handler)


def _swallowed(unraisable: Any) -> None:
    """`Stopped` raised inside a finaliser (``__del__``, a weakref callback) is dropped by
    Python, and the command went on waiting for workers that had stopped: the signal is
    sent again, to be raised where it can stop the command."""
    global _stopping
    if isinstance(unraisable.exc_value, Stopped):
        _stopping = False
        os.kill(os.getpid(), unraisable.exc_value.signum)
        return
    sys.__unraisablehook__(unraisable)


def in_worker() -> None:
    """In a forked worker: the parent's handlers are not its own. Ctrl-C is the parent's;
    SIGTERM (Pool.terminate) ends the worker on the spot and quietly."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
