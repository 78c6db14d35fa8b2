"""One cap on model requests in flight, shared by every document and chunk, with one pause after a 429. Limit → request slots.

A provider's rate limit is one number for a key, not one per document: a batch of D documents with
C chunk calls each would otherwise send up to D × C requests at once. Every HTTP request reportkit
sends (``client.ModelClient``) first takes a slot of the scheduler for its endpoint and limit
(``Settings.concurrency``), so the requests in flight never exceed the limit however many
documents, chunk threads or worker processes share it. When a request is answered 429, the
scheduler stops handing out slots to everyone until the server's Retry-After (else the call's own
back-off) has passed: the whole batch slows down, instead of the other requests running into the
same 429.

The state lives in a lock-guarded array: a plain list for threads, a ``multiprocessing.Array`` and
semaphore for a process pool (``shared`` builds one; ``install`` makes a worker use it), so one
mechanism serves threads, the batch's worker processes and Ray actors (each actor gets its share).
Both clocks are ``time.monotonic``, which is system-wide on Linux, macOS and Windows.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger("reportkit")

PAUSE_MAX = 60.0
"""Longest pause one 429 may impose on everyone, in seconds (as ``client.RETRY_AFTER_MAX``)."""

# slots of the shared state array
_IN_FLIGHT, _PEAK, _REQUESTS, _PAUSES, _PAUSE_UNTIL, _PAUSED_S, _WAITED_S = range(7)
_FIELDS = 7


class SlotTimeout(Exception):
    """No slot could be had before the caller's deadline."""


@dataclass(frozen=True)
class SchedulerStats:
    """What a scheduler did since it was made: requests, the most at once, 429 pauses, time waited."""

    limit: int
    requests: int
    peak_in_flight: int
    pauses: int
    paused_s: float
    waited_s: float

    def as_dict(self) -> dict[str, float]:
        return {"request_limit": self.limit, "requests": self.requests, "peak_in_flight": self.peak_in_flight,
                "rate_limit_pauses": self.pauses, "paused_s": round(self.paused_s, 3),
                "slot_wait_s": round(self.waited_s, 3)}


class RequestScheduler:
    """At most ``limit`` requests in flight; a 429 pauses new requests for every holder of this scheduler.

    Args:
        limit: requests in flight at once (``Settings.concurrency``).
        semaphore, state: a ``multiprocessing`` BoundedSemaphore and ``Array('d', 7)`` to share the
            cap between processes (see ``shared``); default, threads of this process only.
    """

    def __init__(self, limit: int, *, semaphore: Any = None, state: Any = None) -> None:
        self.limit = max(1, int(limit))
        self._slots = semaphore if semaphore is not None else threading.BoundedSemaphore(self.limit)
        if state is None:
            self._state: Any = [0.0] * _FIELDS
            self._lock: Any = threading.Lock()
        else:
            self._state, self._lock = state, state.get_lock()

    def __reduce__(self) -> tuple[Any, ...]:
        # picklable only while a process is being started (multiprocessing's rule for its semaphores)
        return (RequestScheduler, (self.limit,), None, None, None) if isinstance(self._state, list) else \
            (_rebuild, (self.limit, self._slots, self._state))

    @contextmanager
    def slot(self, deadline_at: float | None = None) -> Iterator[None]:
        """Hold one request slot for the ``with`` block, waiting out any 429 pause first.

        Raises:
            SlotTimeout: the slot (or the end of a pause) would come after ``deadline_at`` (monotonic).
        """
        started = time.monotonic()
        while True:
            with self._lock:
                pause_until = self._state[_PAUSE_UNTIL]
            now = time.monotonic()
            if now < pause_until:
                if deadline_at is not None and pause_until >= deadline_at:
                    self._waited(started)
                    raise SlotTimeout(f"requests are paused after a 429 until after the deadline ({pause_until - now:.1f}s)")
                time.sleep(pause_until - now)
                continue
            timeout = None if deadline_at is None else deadline_at - time.monotonic()
            if timeout is not None and timeout <= 0 or not self._slots.acquire(timeout=timeout):
                self._waited(started)
                raise SlotTimeout(f"no request slot of {self.limit} came free before the deadline")
            with self._lock:
                if time.monotonic() < self._state[_PAUSE_UNTIL]:  # a 429 arrived while we waited
                    self._slots.release()
                    continue
                self._state[_IN_FLIGHT] += 1
                self._state[_REQUESTS] += 1
                self._state[_PEAK] = max(self._state[_PEAK], self._state[_IN_FLIGHT])
                self._state[_WAITED_S] += time.monotonic() - started
            break
        try:
            yield
        finally:
            with self._lock:
                self._state[_IN_FLIGHT] -= 1
            self._slots.release()

    def pause(self, seconds: float, *, reason: str) -> bool:
        """Hand out no slot for ``seconds`` from now (at most ``PAUSE_MAX``); True if this moved the pause's end."""
        seconds = min(max(0.0, seconds), PAUSE_MAX)
        until = time.monotonic() + seconds
        with self._lock:
            current = self._state[_PAUSE_UNTIL]
            if until <= current:
                return False
            now = time.monotonic()
            self._state[_PAUSED_S] += until - max(current, now)
            self._state[_PAUSES] += 1
            self._state[_PAUSE_UNTIL] = until
        logger.warning("reportkit: %s: pausing every new request for %.2fs (limit %d in flight)", reason, seconds, self.limit)
        return True

    def stats(self) -> SchedulerStats:
        with self._lock:
            s = list(self._state)
        return SchedulerStats(self.limit, int(s[_REQUESTS]), int(s[_PEAK]), int(s[_PAUSES]), s[_PAUSED_S], s[_WAITED_S])

    def _waited(self, started: float) -> None:
        with self._lock:
            self._state[_WAITED_S] += time.monotonic() - started


def _rebuild(limit: int, semaphore: Any, state: Any) -> RequestScheduler:
    return RequestScheduler(limit, semaphore=semaphore, state=state)


def shared(limit: int, context: Any) -> RequestScheduler:
    """A scheduler whose cap and pause hold across the processes of ``context`` (a multiprocessing context)."""
    limit = max(1, int(limit))
    return RequestScheduler(limit, semaphore=context.BoundedSemaphore(limit), state=context.Array("d", _FIELDS))


_REGISTRY: dict[tuple[str, int], RequestScheduler] = {}
_INSTALLED: dict[int, RequestScheduler] = {}
_REGISTRY_LOCK = threading.Lock()


def _after_fork() -> None:
    """A forked process starts with no scheduler: the parent's slot counts (and a lock another
    thread held at the fork) mean nothing there; a batch worker installs the batch's own."""
    global _REGISTRY_LOCK
    _REGISTRY.clear()
    _INSTALLED.clear()
    _REGISTRY_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


def scheduler_for(endpoint: str, limit: int) -> RequestScheduler:
    """The process's scheduler for requests to ``endpoint`` under a cap of ``limit``.

    One per endpoint and limit for the whole process, so concurrent documents (and concurrent
    batches) share it; in a batch worker process, the batch's shared scheduler (see ``install``).
    """
    with _REGISTRY_LOCK:
        installed = _INSTALLED.get(limit)
        if installed is not None:
            return installed
        scheduler = _REGISTRY.get((endpoint, limit))
        if scheduler is None:
            scheduler = _REGISTRY[(endpoint, limit)] = RequestScheduler(limit)
        return scheduler


def install(scheduler: RequestScheduler) -> None:
    """Make every request of this process under ``scheduler.limit`` use ``scheduler`` (a batch worker)."""
    with _REGISTRY_LOCK:
        _INSTALLED[scheduler.limit] = scheduler


def installed(limit: int) -> RequestScheduler | None:
    """The scheduler ``install`` set for ``limit`` in this process, if any."""
    with _REGISTRY_LOCK:
        return _INSTALLED.get(limit)
