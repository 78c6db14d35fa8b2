"""One cap on model requests in flight, shared by every document and chunk, with one pause after a 429. Limit → request slots.

A provider's rate limit is one number for a key, not one per document: a batch of D documents with
C chunk calls each would otherwise send up to D × C requests at once. Every HTTP request reportkit
sends (``client.ModelClient``) first takes a slot of the scheduler for its endpoint and limit
(``Settings.concurrency``), so the requests in flight never exceed the limit however many
documents, chunk threads or worker processes share it. When a request is answered 429, the
scheduler stops handing out slots to everyone until the server's Retry-After (else the call's own
back-off) has passed: the whole batch slows down, instead of the other requests running into the
same 429. A free slot goes first to a request marked ``critical()``: a started document's next step
(its overview call after its chunk calls, a re-ask), so started documents finish before new ones
start, and the batch does not end with its last documents running their last steps alone.

The slots are counts in one lock-guarded array (a plain list for threads, a ``multiprocessing.Array``
for a process pool: ``shared`` builds one, ``install`` makes a worker use it), changed only under
its lock, so one mechanism serves threads, the batch's worker processes and Ray actors. A semaphore
only wakes waiters; the truth is the array. In a process pool each worker takes its slots as an
*owner* (``owned_by``), and the array counts what every owner holds: a worker that dies (killed, out
of memory) while its requests are in flight cannot give them back itself, so the parent calls
``reclaim`` for it and the batch keeps its full cap. (The one window this cannot cover is a process
killed during the microseconds it holds the array's lock; every slot change is a few additions.)

Counting is per batch: a batch in threads of this process shares the process's scheduler (the cap is
one per endpoint and limit for the process, as a provider's rate limit is one per key) but sets a
``Meter`` for its documents (``metering``), which counts that batch's requests, peak in flight and
pauses alone, so two batches running at once each report their own. Both clocks are
``time.monotonic``, which is system-wide on Linux, macOS and Windows.
"""

from __future__ import annotations

import contextvars
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

logger = logging.getLogger("reportkit")

PAUSE_MAX = 60.0
"""Longest pause one 429 may impose on everyone, in seconds (as ``client.RETRY_AFTER_MAX``)."""

_WAKE_EVERY = 0.05
"""Longest sleep of a waiting request between looks at the counts: bounds a lost wake-up (a
releaser killed between its count and its wake-up, a reclaim) to this much delay."""

# slots of the shared state array; then per owner its held slots (at _FIELDS + owner) and its
# waiting critical requests (at _FIELDS + owners + owner)
_IN_FLIGHT, _PEAK, _REQUESTS, _PAUSES, _PAUSE_UNTIL, _PAUSED_S, _WAITED_S, _WAITING, _CRITICAL = range(9)
_FIELDS = 9

T = TypeVar("T")


class SlotTimeout(Exception):
    """No slot could be had before the caller's deadline."""


@dataclass(frozen=True)
class SchedulerStats:
    """What a scheduler (or one batch's meter) saw: requests, the most at once, 429 pauses, time waited."""

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


class Meter:
    """One batch's share of a process-wide scheduler: its own requests, in flight, peak and pauses."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests = self.in_flight = self.peak = self.pauses = 0
        self.paused_s = self.waited_s = 0.0

    def _entered(self, waited: float) -> None:
        with self._lock:
            self.requests += 1
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            self.waited_s += waited

    def _left(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def _waited(self, waited: float) -> None:
        with self._lock:
            self.waited_s += waited

    def _paused(self, seconds: float) -> None:
        with self._lock:
            self.pauses += 1
            self.paused_s += seconds

    def stats(self, limit: int) -> SchedulerStats:
        with self._lock:
            return SchedulerStats(limit, self.requests, self.peak, self.pauses, self.paused_s, self.waited_s)


_METER: contextvars.ContextVar[Meter | None] = contextvars.ContextVar("reportkit_meter", default=None)
_CRITICAL_CALL: contextvars.ContextVar[bool] = contextvars.ContextVar("reportkit_critical", default=False)
_ON_REQUEST: contextvars.ContextVar[Callable[[], None] | None] = contextvars.ContextVar("reportkit_on_request", default=None)


@contextmanager
def on_request(callback: Callable[[], None]) -> Iterator[None]:
    """Call ``callback`` as each request made in this block (in this thread, and in threads started
    with a copy of its context) asks for its slot, before it waits for one.

    A batch worker uses it to know when a document's preparation is over (its first request is
    on its way), so the next document's preparation can start; ``callback`` must be cheap and
    may be called many times.
    """
    token = _ON_REQUEST.set(callback)
    try:
        yield
    finally:
        _ON_REQUEST.reset(token)


@contextmanager
def critical() -> Iterator[None]:
    """Mark the requests made in this block as a started document's next step (its overview call
    after its chunk calls, a re-ask): a free slot goes to them before any request not so marked.

    A batch ends when its last document does, and each document's later calls wait for its
    earlier ones; finishing started documents first, instead of starting new ones' first calls,
    keeps the last documents from running their last steps alone at the end.
    """
    token = _CRITICAL_CALL.set(True)
    try:
        yield
    finally:
        _CRITICAL_CALL.reset(token)


def metering(meter: Meter, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``fn`` with every request it makes (in this thread, and in threads started with a copy of
    its context) counted by ``meter`` too."""
    token = _METER.set(meter)
    try:
        return fn(*args, **kwargs)
    finally:
        _METER.reset(token)


class RequestScheduler:
    """At most ``limit`` requests in flight; a 429 pauses new requests for every holder of this scheduler.

    Args:
        limit: requests in flight at once (``Settings.concurrency``).
        wake, state: a ``multiprocessing`` Semaphore and ``Array('d', _FIELDS + 2 * owners)`` to share
            the cap between processes (see ``shared``); default, threads of this process only.
        owner: the slot-owner index this handle takes its slots as (see ``owned_by``).
    """

    def __init__(self, limit: int, *, wake: Any = None, state: Any = None, owner: int | None = None) -> None:
        self.limit = max(1, int(limit))
        self.owner = owner
        self._wake = wake if wake is not None else threading.Semaphore(0)
        if state is None:
            self._state: Any = [0.0] * _FIELDS
            self._lock: Any = threading.Lock()
        else:
            self._state, self._lock = state, state.get_lock()

    def __reduce__(self) -> tuple[Any, ...]:
        # picklable only while a process is being started (multiprocessing's rule for its semaphores)
        return (RequestScheduler, (self.limit,), None, None, None) if isinstance(self._state, list) else \
            (_rebuild, (self.limit, self._wake, self._state, self.owner))

    @property
    def owners(self) -> int:
        """How many owners' held counts the state keeps (``shared(..., owners=n)``)."""
        return (len(self._state) - _FIELDS) // 2

    def owned_by(self, owner: int) -> "RequestScheduler":
        """This scheduler, taking its slots as ``owner`` (one per worker process), so ``reclaim(owner)``
        can give back what that owner held if it dies."""
        if not 0 <= owner < self.owners:
            raise ValueError(f"owner {owner} out of range: the scheduler keeps {self.owners} owners")
        return RequestScheduler(self.limit, wake=self._wake, state=self._state, owner=owner)

    def held(self, owner: int) -> int:
        """Slots ``owner`` holds now."""
        with self._lock:
            return int(self._state[_FIELDS + owner])

    def reclaim(self, owner: int) -> int:
        """Give back every slot ``owner`` held (call only once it is dead); returns how many."""
        with self._lock:
            taken = int(self._state[_FIELDS + owner])
            self._state[_FIELDS + owner] = 0
            self._state[_IN_FLIGHT] -= taken
            critical = _FIELDS + self.owners + owner  # its critical requests wait no more either
            self._state[_CRITICAL] -= self._state[critical]
            self._state[critical] = 0
            waiting = int(self._state[_WAITING])
        for _ in range(min(taken, waiting)):
            self._wake.release()
        if taken:
            logger.warning("reportkit: a worker process died holding %d request slot(s); they are free again", taken)
        return taken

    @contextmanager
    def slot(self, deadline_at: float | None = None) -> Iterator[None]:
        """Hold one request slot for the ``with`` block, waiting out any 429 pause first.

        A request made inside ``critical()`` takes a free slot before the others waiting.

        Raises:
            SlotTimeout: the slot (or the end of a pause) would come after ``deadline_at`` (monotonic).
        """
        meter = _METER.get()
        hook = _ON_REQUEST.get()
        if hook is not None:
            hook()
        started = time.monotonic()
        self._take(started, deadline_at, meter)
        try:
            yield
        finally:
            with self._lock:
                self._state[_IN_FLIGHT] -= 1
                if self.owner is not None:
                    self._state[_FIELDS + self.owner] -= 1
                waiting = int(self._state[_WAITING])
                # a critical request may be asleep behind others: wake every waiter to look again
                wake = waiting if self._state[_CRITICAL] > 0 else min(1, waiting)
            for _ in range(wake):
                self._wake.release()
            if meter is not None:
                meter._left()

    def _take(self, started: float, deadline_at: float | None, meter: Meter | None) -> None:
        critical = _CRITICAL_CALL.get()
        counted = False  # this critical request is counted among the waiting ones
        try:
            while True:
                with self._lock:
                    now = time.monotonic()
                    pause_until = self._state[_PAUSE_UNTIL]
                    # critical requests first: the others leave as many free slots as are waiting
                    ahead = 0 if critical else self._state[_CRITICAL]
                    if now >= pause_until and self._state[_IN_FLIGHT] + ahead < self.limit:
                        self._state[_IN_FLIGHT] += 1
                        self._state[_REQUESTS] += 1
                        self._state[_PEAK] = max(self._state[_PEAK], self._state[_IN_FLIGHT])
                        self._state[_WAITED_S] += now - started
                        if self.owner is not None:
                            self._state[_FIELDS + self.owner] += 1
                        if counted:
                            self._count_critical(-1)
                            counted = False
                        break
                    if now < pause_until and deadline_at is not None and pause_until >= deadline_at:
                        self._state[_WAITED_S] += now - started
                        reason = f"requests are paused after a 429 until after the deadline ({pause_until - now:.1f}s)"
                    elif deadline_at is not None and now >= deadline_at:
                        self._state[_WAITED_S] += now - started
                        reason = f"no request slot of {self.limit} came free before the deadline"
                    else:
                        reason = ""
                        if critical and not counted:
                            self._count_critical(1)
                            counted = True
                        paused = now < pause_until
                        if not paused:  # a releaser wakes only counted waiters
                            self._state[_WAITING] += 1
                if reason:
                    if meter is not None:
                        meter._waited(now - started)
                    raise SlotTimeout(reason)
                # sleep until a release wakes us, the pause ends, or _WAKE_EVERY passes; then look again
                nap = _WAKE_EVERY if now >= pause_until else min(_WAKE_EVERY, pause_until - now)
                if deadline_at is not None:
                    nap = min(nap, max(0.0, deadline_at - now))
                if paused:
                    time.sleep(nap)
                    continue
                try:
                    self._wake.acquire(timeout=nap)
                finally:
                    with self._lock:
                        self._state[_WAITING] -= 1
        finally:
            if counted:  # gave up (deadline, an interrupt) while counted as waiting
                with self._lock:
                    self._count_critical(-1)
        if meter is not None:
            meter._entered(now - started)

    def _count_critical(self, change: int) -> None:
        """Count a critical request in (1) or out (-1) of the waiting ones; under the lock."""
        self._state[_CRITICAL] += change
        if self.owner is not None:
            self._state[_FIELDS + self.owners + self.owner] += change

    def pause(self, seconds: float, *, reason: str) -> bool:
        """Hand out no slot for ``seconds`` from now (at most ``PAUSE_MAX``); True if this moved the pause's end."""
        seconds = min(max(0.0, seconds), PAUSE_MAX)
        until = time.monotonic() + seconds
        with self._lock:
            current = self._state[_PAUSE_UNTIL]
            if until <= current:
                return False
            added = until - max(current, time.monotonic())
            self._state[_PAUSED_S] += added
            self._state[_PAUSES] += 1
            self._state[_PAUSE_UNTIL] = until
        meter = _METER.get()
        if meter is not None:
            meter._paused(added)
        logger.warning("reportkit: %s: pausing every new request for %.2fs (limit %d in flight)", reason, seconds, self.limit)
        return True

    def stats(self) -> SchedulerStats:
        with self._lock:
            s = list(self._state)
        return SchedulerStats(self.limit, int(s[_REQUESTS]), int(s[_PEAK]), int(s[_PAUSES]), s[_PAUSED_S], s[_WAITED_S])


def _rebuild(limit: int, wake: Any, state: Any, owner: int | None) -> RequestScheduler:
    return RequestScheduler(limit, wake=wake, state=state, owner=owner)


def shared(limit: int, context: Any, *, owners: int = 0) -> RequestScheduler:
    """A scheduler whose cap and pause hold across the processes of ``context`` (a multiprocessing
    context), keeping held counts for ``owners`` worker processes (see ``owned_by`` / ``reclaim``)."""
    limit = max(1, int(limit))
    return RequestScheduler(limit, wake=context.Semaphore(0), state=context.Array("d", _FIELDS + 2 * max(0, owners)))


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
