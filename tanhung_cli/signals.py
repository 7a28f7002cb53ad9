"""Stopping a long command on SIGTERM or Ctrl-C: quietly, with what it began undone.

Python's default for SIGTERM ends the process on the spot: no `finally` runs, so a large
import left its staging folder behind, and its workers, their parent gone, printed a
`BrokenPipeError` traceback each. Inside `stoppable()`, either signal raises `Stopped`
instead: transactions roll back, temporary files go, the workers are terminated, and the
command line says one line and exits 128 + the signal's number (130, 143).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Stopped(BaseException):  # noqa: N818 - like KeyboardInterrupt, not an error
    """The command was asked to stop; what it began has been undone."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.exit_code = 128 + signum


def _stop(signum: int, frame: FrameType | None) -> None:
    # Once is enough: a second signal must not break off the cleanup the first started.
    for each in SIGNALS:
        signal.signal(each, signal.SIG_IGN)
    raise Stopped(signum)


@contextmanager
def stoppable() -> Iterator[None]:
    """Within: SIGTERM and SIGINT raise `Stopped` (in the main thread; elsewhere, no change)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {each: signal.signal(each, _stop) for each in SIGNALS}
    try:
        yield
    finally:
        for each, handler in before.items():
            signal.signal(each, handler)


def default_in_child() -> None:
    """In a forked worker: the parent's handlers are not its own. SIGTERM ends it at once
    and quietly (the parent terminates its workers that way); Ctrl-C is the parent's."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
