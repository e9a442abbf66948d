"""Work spread over worker processes, results in order: the one mechanism behind training's
feature step and ``tagger tag --jobs``.

>>> list(imap(divmod, 10, [3, 4, 7], jobs=1))
[(3, 1), (2, 2), (1, 3)]
"""

from __future__ import annotations

import atexit
import collections
import gc
import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from .errors import TaggerError

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
    in a process that may not have children (a worker), the work is done here. Items are read
    a few ahead of the results taken; once the caller stops early, no more are read, the
    workers finish the items they have and end (killed after DRAIN_SECONDS).
    """
    if jobs <= 1 or multiprocessing.current_process().daemon:
        yield from (function(state, item) for item in items)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    frozen = gc.get_freeze_count() > 0  # by the caller (a server's preloaded app): left so
    if not frozen:
        gc.freeze()
    try:
        pool = _Pool(multiprocessing.get_context(method), jobs, function, state)
        try:
            yield from pool.results(items)
        finally:
            pool.stop()
    finally:
        if not frozen:
            gc.unfreeze()


DRAIN_SECONDS = 10.0
"""How long an early stop waits for the workers to finish the items they have."""

AHEAD = 8
"""Items read ahead of the results taken, for each worker: a worker's slow item holds the
results after it until it is done, while the others go on."""

QUEUED = 2
"""Items sent to a worker and not done, at most: one it works on, one waiting for it (a longer
queue would share the items out ahead of time, evenly, however long they take)."""


class _Worker:
    """A worker process and its own two pipes: items in, ``(ok, result)`` out.

    Nothing is shared between workers (multiprocessing.Pool's workers share a task queue and
    its lock): a worker that dies at any moment, as under systemd's stop, which sends SIGTERM
    to every process of the service at once, leaves no lock held and no message half sent
    that the others or the parent would wait for; its pipes just end."""

    def __init__(self, context: Any, others: list[_Worker], function: Any, state: Any) -> None:
        reader, self.tasks = context.Pipe(duplex=False)
        self.results, writer = context.Pipe(duplex=False)
        self.ends = (reader, writer)  # the worker's, closed here once it started
        # a forked worker inherits this process's ends of the pipes, its own and the others':
        # it closes them, so that it sees its items end, and the others theirs, when they close
        parents = [end for w in [*others, self] for end in (w.tasks, w.results)]
        args = (function, state, parents, *self.ends)
        self.process = context.Process(target=_serve, args=args, daemon=True)
        self.pending = 0  # items sent (or being sent) whose results are not received yet
        self.sending = threading.Lock()  # held while its feeder sends (the pipe stays open)
        self.sent: collections.deque[int] = collections.deque()  # their numbers, results to come


class _Pool:
    """Workers each fed by a thread of its own (a send waits while the item does not fit in
    the worker's pipe, until the worker takes it), their results received by another thread
    and taken in order."""

    def __init__(self, context: Any, jobs: int, function: Callable[..., Any], state: Any) -> None:
        self.workers: list[_Worker] = []
        self.changed = threading.Condition()  # guards what follows, and each worker's pending
        self.reading = threading.Lock()  # held while a feeder reads the next item
        self.sent = 0  # items sent (or being sent)
        self.taken = 0  # their results taken
        self.done: dict[int, tuple[bool, Any]] = {}  # results received, not taken
        self.fed = self.stopping = False
        self.failure: BaseException | None = None  # raised by items, after the results before
        self.lost: str | None = None  # why a result sent for will never come
        self.receiver: threading.Thread | None = None
        _pools.add(self)
        try:
            for _ in range(jobs):
                worker = _Worker(context, self.workers, function, state)
                self.workers.append(worker)
                worker.process.start()
                for end in worker.ends:
                    end.close()
        except BaseException:
            self.stop()
            raise

    def results(self, items: Iterable[Any]) -> Iterator[Any]:
        items = iter(items)
        for worker in self.workers:
            threading.Thread(target=self._feed, args=(worker, items), daemon=True).start()
        self.receiver = threading.Thread(target=self._receive, daemon=True)
        self.receiver.start()
        index = 0
        while True:
            with self.changed:
                while not (index in self.done or (self.fed and index >= self.sent) or self.lost):
                    self.changed.wait()
                if index in self.done:
                    ok, result = self.done.pop(index)
                    self.taken += 1
                    self.changed.notify_all()
                elif self.fed and index >= self.sent:
                    if self.failure is not None:
                        raise self.failure
                    return
                else:
                    raise TaggerError(
                        self.lost,
                        hint="run it again; if something kills workers (no memory left: "
                        "see dmesg), use fewer --jobs",
                    )
            index += 1
            if not ok:
                raise result
            yield result

    def _feed(self, worker: _Worker, items: Iterator[Any]) -> None:
        """Send the items to ``worker`` as it has room for them."""
        try:
            while True:
                with self.changed:
                    while not (self.stopping or self.fed) and (
                        worker.pending >= QUEUED
                        or self.sent - self.taken >= AHEAD * len(self.workers)
                    ):
                        self.changed.wait()
                with self.reading:
                    if self.stopping or self.fed:
                        return
                    try:
                        item = pickle.dumps(next(items), pickle.HIGHEST_PROTOCOL)  # in order
                    except StopIteration:
                        with self.changed:
                            self.fed = True
                            self.changed.notify_all()
                        return
                    with self.changed:
                        worker.pending += 1
                        worker.sent.append(self.sent)
                        self.sent += 1
                with worker.sending:
                    if self.stopping:
                        return
                    try:
                        worker.tasks.send_bytes(item)
                    except OSError:  # it died: the receiver tells
                        return
        except BaseException as error:  # reading (or pickling) the items failed
            with self.changed:
                self.failure = error
                self.fed = True
                self.changed.notify_all()
        finally:
            with worker.sending:
                worker.tasks.close()  # the worker ends once it has done what it has

    def _receive(self) -> None:
        """Receive the workers' results as they come (in a thread: a worker waits while its
        result does not fit in its pipe), until every worker has ended."""
        live = {w.results: w for w in self.workers}
        try:
            while live:
                for conn in multiprocessing.connection.wait(list(live)):
                    worker = live[conn]
                    try:
                        ok, result = conn.recv()
                    except (EOFError, OSError):  # it ended
                        del live[conn]
                        conn.close()
                        with self.changed:
                            if worker.sent and not self.stopping and self.lost is None:
                                self.lost = _ended(worker.process)
                            self.changed.notify_all()
                        continue
                    except Exception as error:  # read whole, but could not be unpickled
                        ok, result = False, error
                    with self.changed:
                        index = worker.sent.popleft()
                        if self.stopping:  # a worker sending another result then ends
                            del live[conn]
                            conn.close()
                        else:
                            self.done[index] = (ok, result)
                        worker.pending -= 1
                        self.changed.notify_all()
        except BaseException as error:  # pragma: no cover - a defect: fail, do not hang
            with self.changed:
                self.lost = self.lost or f"receiving the workers' results failed: {error!r}"
                self.changed.notify_all()
            raise

    def stop(self) -> None:
        """No more items; the workers finish what they have (without sending it) and end,
        killed if they have not after DRAIN_SECONDS."""
        with self.changed:
            self.stopping = True
            self.done.clear()
            self.changed.notify_all()
        deadline = time.monotonic() + DRAIN_SECONDS
        # a feeder may be sending an item to its worker, busy with another one, until the
        # worker takes it; once the interpreter finalizes, the feeders (daemon threads) run no
        # more, and may never release their locks
        finalizing = sys.is_finalizing()
        stuck = []
        for w in self.workers:
            wait = 0 if finalizing else max(0.0, deadline - time.monotonic())
            sent = w.sending.acquire(timeout=wait)
            if sent or finalizing:
                w.tasks.close()  # the worker ends once it has done what it has
            if sent:
                w.sending.release()
            elif not finalizing:
                stuck.append(w)
        for w in self.workers:
            if w.process.pid is not None:
                w.process.join(max(0.0, deadline - time.monotonic()))
                if w.process.exitcode is None:
                    w.process.kill()
                    w.process.join()
        for w in stuck:
            with w.sending:  # the send to a killed worker failed
                w.tasks.close()
        if self.receiver is None:
            for w in self.workers:
                w.results.close()
        elif not finalizing:
            self.receiver.join(DRAIN_SECONDS)  # it sees every worker end, and closes
        _pools.discard(self)


def _ended(process: Any) -> str:
    """Why a worker's results end early."""
    process.join(1.0)
    code = process.exitcode
    how = f"exit status {code}" if code is None or code >= 0 else signal.strsignal(-code)
    return f"worker process {process.pid} ended before its work was done ({how})"


_pools: weakref.WeakSet[_Pool] = weakref.WeakSet()
"""The pools at work: a caller that drops ``imap``'s iterator without closing it (an error
that ends the program) leaves its pool to be stopped at exit, while the feeder threads run."""


@atexit.register
def _stop_pools() -> None:
    for pool in list(_pools):
        pool.stop()


def _serve(
    function: Callable[[Any, Any], Any], state: Any, inherited: list[Any], tasks: Any, results: Any
) -> None:
    """A worker's life: items from ``tasks`` until they end, each one's ``(ok, result or
    exception)`` to ``results`` until the parent stops taking them."""
    for end in inherited:
        end.close()
    _start(function, state)
    while True:
        try:
            item = pickle.loads(tasks.recv_bytes())
        except EOFError:  # no more items
            return
        try:
            reply = (True, _call(item))
        except Exception as error:
            reply = (False, error)
        try:
            results.send(reply)  # pickled whole before a byte is written
        except OSError:  # the parent stopped taking results
            return
        except Exception as error:  # a result or an exception that cannot be pickled
            results.send((False, RuntimeError(f"cannot send the result back: {error!r}")))


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
