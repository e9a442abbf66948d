"""Work spread over worker processes, results in order: the one mechanism behind training's
feature step and ``tagger tag --jobs``.

>>> list(imap(divmod, 10, [3, 4, 7], jobs=1))
[(3, 1), (2, 2), (1, 3)]
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

__all__ = ["available_cores", "imap", "in_worker", "resolve_jobs"]

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

_work: tuple[Callable[[Any, Any], Any], Any] | None = None  # in a worker: function and state


def available_cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def in_worker() -> bool:
    """Whether this is a worker process of ``imap``: it does one item at a time in its one
    thread, so process-wide state (the warning filters) is its own while it does.

    >>> in_worker()
    False
    """
    return _work is not None


def resolve_jobs(n_jobs: int | None) -> int:
    """Worker processes for ``n_jobs`` as scikit-learn reads it (None: 1; -1: every core).

    >>> resolve_jobs(None), resolve_jobs(3)
    (1, 3)
    """
    if n_jobs is None:
        return 1
    return max(1, n_jobs if n_jobs > 0 else available_cores() + 1 + n_jobs)


def imap(function: Callable[[S, T], R], state: S, items: Iterable[T], jobs: int) -> Iterator[R]:
    """``function(state, item)`` for every item, in order, by ``jobs`` worker processes.

    Workers are forked where the platform can, so they share ``state`` (a model, a loaded
    dictionary) with this process instead of receiving a copy; the cycle collector is frozen
    meanwhile so that it does not touch, and thereby copy, the shared pages (unless the caller
    froze it already: then it is left as it is, frozen). With one job, or
    in a process that may not have children (a pool's worker), the work is done here.
    """
    if jobs <= 1 or multiprocessing.current_process().daemon:
        yield from (function(state, item) for item in items)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    frozen = gc.get_freeze_count() > 0  # by the caller (a server's preloaded app): left so
    if not frozen:
        gc.freeze()
    stop = threading.Event()
    try:
        context = multiprocessing.get_context(method)
        with context.Pool(jobs, _start, (function, state)) as pool:
            results = pool.imap(_call, _until(stop, items))
            try:
                yield from results
            except BaseException:  # the caller stopped early (closed us, or an error)
                stop.set()
                _drain(results)
                raise
    finally:
        if not frozen:
            gc.unfreeze()


DRAIN_SECONDS = 10.0
"""How long an early stop waits for each result under way before it stops the workers."""


def _until(stop: threading.Event, items: Iterable[T]) -> Iterator[T]:
    """``items`` until ``stop`` is set (the pool reads them in a thread of its own)."""
    for item in items:
        if stop.is_set():
            return
        yield item


def _drain(results: Any) -> None:
    """Wait for the results under way before the pool is terminated: a worker killed while it
    sends a result leaves half a message in the pipe, and the pool's shutdown then waits for
    the rest forever (``tagger tag -j 2 | head -1`` hung that way now and then)."""
    with contextlib.suppress(Exception):  # StopIteration: all in; TimeoutError: stop anyway
        while True:
            results.next(DRAIN_SECONDS)


def _start(function: Callable[[Any, Any], Any], state: Any) -> None:
    global _work
    # a process group of its own: a signal to the caller's group (timeout, a terminal's Ctrl-C
    # or hangup) reaches the parent alone, which stops the pool; one killing the workers too
    # lost the results under way (the parent waited DRAIN_SECONDS for them) and could kill a
    # worker holding the pool's task lock, so that the pool's shutdown waited for it forever
    os.setpgid(0, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops the pool
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # end at once when the pool is terminated
    _work = (function, state)


def _call(item: Any) -> Any:
    assert _work is not None
    function, state = _work
    return function(state, item)
