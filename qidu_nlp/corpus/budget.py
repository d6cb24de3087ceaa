"""qidu_nlp.corpus.budget: a time budget for one document.

:func:`time_limit` raises :class:`DocumentTimeout` inside a block that runs past its budget, by
an interval timer (``SIGALRM``). Python runs the handler between two bytecodes, so a document
is stopped as soon as control comes back from the compiled code it is in (pkuseg's decoder,
a regular expression), and the Doc it was building is dropped.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

__all__ = ["DocumentTimeout", "time_limit"]


class DocumentTimeout(Exception):
    """A document (or a piece of one) ran past its time budget."""


_ARMED = threading.local()


def _on_alarm(signum, frame):
    if getattr(_ARMED, "on", False):
        raise DocumentTimeout()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`DocumentTimeout` in the block when it runs longer than ``seconds``.

    A no-op without a budget, outside the main thread and where there is no interval timer
    (Windows).

    Examples
    --------
    >>> import time
    >>> with time_limit(0.05):
    ...     try:
    ...         time.sleep(1)
    ...     except DocumentTimeout:
    ...         print("stopped")
    stopped
    """
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    _ARMED.on = True
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        _ARMED.on = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
