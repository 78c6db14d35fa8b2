"""Many documents at once, streamed as each completes; one bad input never stops the rest. Paths → BatchItems.

The CPU stages (load, segment, chunk, check, indicators) of a document are Python work under one
GIL, so a batch runs its documents in a pool of worker processes, one per core (``workers``,
``REPORTKIT_WORKERS``); inside each, documents and their model calls run in threads (I/O-bound,
and threads work inside Jupyter's running event loop). Every model request of the batch, in any
process, takes a slot of one ``llm.scheduler.RequestScheduler``: ``Settings.concurrency`` requests
in flight at once, and a 429 pauses them all. With the caller's own openai client (which cannot be
sent to another process) the batch runs in threads of this process, under the same scheduler.
Workers are started with forkserver (spawn where there is none): nothing depends on fork, so a
notebook on macOS or Windows works the same. Only a bounded window of documents is in flight or
waiting to be handed out, so memory stays flat in the batch size when the caller consumes ``iter_summaries``
(the CLI writes each report to disk as it arrives). ``summarize_many`` collects everything into a
BatchResult for notebooks. The engine is resolved once, before any document is read, so a
configuration error is one ConfigError, not one failure per document.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import pickle
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from .errors import InputError, ReportkitError, redact

logger = logging.getLogger("reportkit")

if TYPE_CHECKING:
    from .document import Document
    from .schema import Report
    from .settings import Settings


@dataclass(frozen=True)
class BatchFailure:
    """One input that produced no report, and why."""

    path: str
    error_type: str
    message: str


@dataclass(frozen=True)
class BatchItem:
    """One finished input of a batch: its position in the input, and its report or its failure."""

    index: int
    path: str
    report: "Report | None" = None
    failure: BatchFailure | None = None


@dataclass
class BatchResult:
    """Reports in input order, per-file failures, and totals."""

    reports: list["Report"] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    failures: list[BatchFailure] = field(default_factory=list)
    seconds: float = 0.0
    scheduler: dict[str, float] = field(default_factory=dict)
    """The batch's model requests as its scheduler saw them: ``request_limit``, ``requests``,
    ``peak_in_flight``, ``rate_limit_pauses`` (429s that paused every request), ``paused_s`` and
    ``slot_wait_s`` (time requests waited for a slot); empty for the rules engine. The counts are
    this batch's alone, also when batches run at once. The cap is the batch's own in worker processes;
    in threads (workers=0, or your own client) it is the process's for that endpoint and limit (a
    provider's rate limit is one per key), so concurrent batches in threads share it between them."""
    pool: dict[str, Any] = field(default_factory=dict)
    """What the worker processes did (empty in threads): ``processes``, ``restarts``,
    ``documents_per_worker`` and ``peak_held_per_worker`` (documents each had in flight at most, those
    past their last model request not counted),
    ``start_s`` (wall time until every worker was ready), and the batch machinery's own CPU:
    ``parent_start_cpu_s`` (forking), ``parent_receive_cpu_s`` (receiving and unpickling reports),
    ``worker_pickle_cpu_s`` (pickling them, all workers), ``bytes_received``."""

    def __iter__(self) -> Iterator["Report"]:
        return iter(self.reports)

    def __len__(self) -> int:
        return len(self.reports)

    @property
    def ok(self) -> bool:
        """True when every input produced a report."""
        return not self.failures

    @property
    def totals(self) -> dict[str, float]:
        """Documents, failures, model calls, cache hits, tokens and wall time of the batch."""
        runs = [r.run for r in self.reports]
        return {
            "documents": len(self.reports) + len(self.failures),
            "reports": len(self.reports),
            "failed": len(self.failures),
            "calls": sum(r.calls for r in runs),
            "cache_hits": sum(r.cache_hits for r in runs),
            "input_tokens": sum(r.input_tokens for r in runs),
            "output_tokens": sum(r.output_tokens for r in runs),
            "chunk_failures": sum(len(r.failures) for r in runs),
            "seconds": round(self.seconds, 3),
        }


def _interactive() -> bool:
    """A terminal or a notebook: where a progress bar helps instead of littering logs."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None
    if type(shell).__name__ == "ZMQInteractiveShell":  # a notebook kernel, not a process that merely imported one
        return True
    return sys.stderr.isatty() and os.environ.get("TERM") != "dumb"


class _Progress:
    """A rich progress bar (terminal and Jupyter) or nothing."""

    def __init__(self, total: int, enabled: bool) -> None:
        self._bar = None
        self._lock = threading.Lock()
        self.calls = self.hits = self.failed = 0
        if enabled and total:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

            self._bar = Progress(
                TextColumn("[bold]reportkit[/bold]"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("docs · {task.fields[stats]}"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                transient=False,
                console=Console(stderr=True),  # never on stdout, where the reports are piped
            )
            self._task = self._bar.add_task("summarize", total=total, stats="")

    def __enter__(self) -> "_Progress":
        if self._bar:
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar:
            self._bar.stop()

    def advance(self, report: "Report | None") -> None:
        with self._lock:
            if report is None:
                self.failed += 1
            else:
                self.calls += report.run.calls
                self.hits += report.run.cache_hits
            if self._bar:
                stats = f"{self.calls} calls · {self.hits} cached · {self.failed} failed"
                self._bar.update(self._task, advance=1, stats=stats)


def _finished(index: int, path: str, future: "Future[Report]") -> BatchItem:
    """The item of a finished future. BaseExceptions (KeyboardInterrupt, SystemExit) propagate."""
    try:
        return BatchItem(index, path, report=future.result())
    except ReportkitError as exc:
        return BatchItem(index, path, failure=BatchFailure(path, type(exc).__name__, redact(exc)))
    except Exception as exc:  # a bug in one document must not lose the others' work
        return BatchItem(index, path, failure=BatchFailure(path, type(exc).__name__, f"unexpected error: {redact(exc)}"))


def _inputs(paths: Iterable["str | os.PathLike[str] | Document"]) -> list["str | Document"]:
    """Paths as strings, Documents as they are; a folder stands for its supported files."""
    from .document import Document

    out: list[str | Document] = []
    for p in paths:
        if isinstance(p, Document):
            out.append(p)
        else:
            out += [str(f) for f in expand_paths([str(p)])] if os.path.isdir(p) else [str(p)]
    return out


def _size(item: "str | Document") -> int:
    """How much text an input holds, as far as a stat tells (0 when it cannot be read: it fails later, on its own)."""
    if not isinstance(item, str):
        return len(item.text)
    try:
        return os.path.getsize(item)
    except OSError:
        return 0


def _start_order(items: list["str | Document"], ordered: bool) -> list[tuple[int, "str | Document"]]:
    """The order documents are started in: largest first unless results must come in input order.

    A long document makes several calls in a row; started last, it keeps the batch waiting on its
    calls alone while every other slot is idle. Largest first (the classic longest-job-first rule)
    leaves the short ones to fill the end. With ``ordered`` the input order is kept, so a finished
    report never waits long in memory for the ones before it.
    """
    numbered = list(enumerate(items))
    return numbered if ordered else sorted(numbered, key=lambda pair: -_size(pair[1]))


def answer_fingerprint(engine: str, settings: "Settings | None" = None) -> str:
    """A digest of everything that changes a report: engine, reportkit and schema versions, the
    code that decides its reports (``report_cache.code_digest``) and, for the LLM engine, the model, endpoint, mode, prompts and sampling and chunking settings.

    Never the API key. Two runs with the same fingerprint over the same bytes make the same report
    (up to a model's own nondeterminism), which is what ``--resume`` relies on.
    """
    import hashlib
    import json

    from .api import _version
    from .report_cache import code_digest  # the modules that decide a report: an edit to the CLI keeps --resume's outputs
    from .schema import SCHEMA_VERSION

    fields: dict[str, object] = {"engine": engine, "reportkit": _version(), "schema": SCHEMA_VERSION, "code": code_digest(engine)}
    if engine == "llm":
        from .llm.prompts import prompt_version
        from .settings import Settings

        fields.update((settings or Settings.from_env()).answer_fingerprint())
        fields["prompts"] = prompt_version()
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:16]


def iter_summaries(
    paths: Iterable["str | os.PathLike[str] | Document"],
    *,
    engine: str = "auto",
    settings: "Settings | None" = None,
    client: Any = None,
    concurrency: int | None = None,
    progress: bool = True,
    ordered: bool = False,
    workers: int | None = None,
) -> Iterator[BatchItem]:
    """Summarise many reports, yielding each as it completes; failures are items, never raised.

    At most ``2 × concurrency`` documents are in flight or waiting to be handed out, so a consumer
    that writes each report away keeps memory flat however long the batch. Stopping early (``break``,
    an exception, Ctrl-C) cancels the documents not yet started.

    Every model request of the batch takes a slot of one scheduler (``Settings.concurrency`` in
    flight at once, whatever the number of documents and chunks; a 429 pauses them all), and the
    CPU stages run in ``workers`` processes (default: one per core) with the model calls in
    threads inside them.

    Args:
        paths: report files (see ``reportkit.load``), folders (their supported files) or Documents.
        engine: ``auto``, ``rules`` or ``llm``, as for ``summarize``; resolved once, up front.
        settings: LLM settings shared by all documents.
        client: your own OpenAI client, shared by all documents (the batch then runs in threads
            of this process: a client cannot be sent to another process).
        concurrency: documents in flight at once (default: 4 for the LLM engine, one per worker
            process for rules, which is CPU-bound).
        progress: show a progress bar when writing to a terminal or a notebook.
        ordered: yield in input order (a finished document waits for the ones before it)
            instead of completion order.
        workers: processes for the CPU stages (default ``REPORTKIT_WORKERS``, else
            ``os.cpu_count()``); 0 or 1 runs everything in threads of this process.

    Yields:
        One BatchItem per input, with ``report`` or ``failure`` set.

    Raises:
        ConfigError: the engine cannot run (raised before any document is read), or ``workers``
            (``REPORTKIT_WORKERS``) is not a whole number >= 0.
        InputError: a folder given holds no report file.

    Example:
        >>> for item in reportkit.batch.iter_summaries(["seeds/"], engine="rules", progress=False):
        ...     Path(f"out/{item.index}.json").write_text(item.report.to_json())
    """
    yield from _Batch(paths, engine=engine, settings=settings, client=client, concurrency=concurrency,
                      progress=progress, ordered=ordered, workers=workers)


WORKERS_ENV = "REPORTKIT_WORKERS"
START_METHOD_ENV = "REPORTKIT_START_METHOD"
_PRELOAD = ["reportkit.api", "reportkit.rules", "reportkit.llm.engine", "reportkit.llm.client", "openai", "instructor"]


def pool_size(workers: int | None, *, client: Any = None, inputs: int | None = None) -> int:
    """Worker processes a batch uses: ``workers``, else ``REPORTKIT_WORKERS``, else one per core;
    0 (threads of this process only) with the caller's own client, on one core, or for one input.

    Raises:
        ConfigError: ``REPORTKIT_WORKERS`` is not a whole number >= 0.
    """
    from .errors import ConfigError

    if workers is None:
        raw = os.environ.get(WORKERS_ENV, "").strip()
        try:
            workers = int(raw) if raw else (os.cpu_count() or 1)
        except ValueError:
            raise ConfigError(f"{WORKERS_ENV}={raw!r}: give a number of worker processes (0 = threads only)") from None
    if workers < 0:
        raise ConfigError(f"workers={workers}: give a number of worker processes >= 0 (0 = threads only)")
    if client is not None or workers <= 1 or (inputs is not None and inputs <= 1):
        return 0
    return workers if inputs is None else min(workers, inputs)


def _context() -> Any:
    """The multiprocessing context: ``REPORTKIT_START_METHOD``, else fork on Linux (no re-import of the
    caller's script, no start-up cost), spawn elsewhere (fork is unsafe on macOS; Windows has none).

    Workers depend on nothing fork gives them: every argument is pickled, so spawn and forkserver
    work the same (a script run under them needs the usual ``if __name__ == "__main__":``).
    """
    import multiprocessing

    from .errors import ConfigError

    methods = multiprocessing.get_all_start_methods()
    method = os.environ.get(START_METHOD_ENV, "").strip() or ("fork" if sys.platform.startswith("linux") else "spawn")
    if method not in methods:
        raise ConfigError(f"{START_METHOD_ENV}={method!r}: use one of {', '.join(methods)}")
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(_PRELOAD)
    return ctx


class _NoWorkers(Exception):
    """No worker process could start (a script without a main guard under spawn, no fork/exec allowed)."""


class _Batch:
    """One batch: its inputs, the window of documents in flight, and the scheduler its requests share."""

    def __init__(self, paths: Iterable[Any], *, engine: str, settings: "Settings | None", client: Any,
                 concurrency: int | None, progress: bool, ordered: bool, workers: int | None) -> None:
        from . import api

        self.chosen = api.choose_engine(engine, settings, client).engine  # type: ignore[arg-type]
        self.items = _inputs(paths)
        self.settings = api._settings(settings) if self.chosen == "llm" else settings
        self.client, self.progress, self.ordered = client, progress, ordered
        self.processes = pool_size(workers, client=client, inputs=len(self.items))
        default = (self.processes or 1) if self.chosen == "rules" else 4
        self.workers = max(1, concurrency or default)
        self._scheduler: Any = None
        self._meter: Any = None  # this batch's counts when it shares the process's scheduler (threads)
        self.pool: dict[str, Any] = {}  # what the worker processes did (see BatchResult.pool)

    def scheduler_stats(self) -> dict[str, float]:
        """The batch's requests, peak in flight and 429 pauses (empty for the rules engine)."""
        if self._scheduler is None:
            return {}
        stats = self._meter.stats(self._scheduler.limit) if self._meter is not None else self._scheduler.stats()
        return stats.as_dict()

    def _share_process_scheduler(self) -> None:
        """Requests of this batch's threads take the process's slots, counted by a meter of its own."""
        from .llm.client import request_scheduler
        from .llm.scheduler import Meter

        self._scheduler = request_scheduler(self.settings, self.client)  # type: ignore[arg-type]
        self._meter = Meter()

    def __iter__(self) -> Iterator[BatchItem]:
        if self.chosen == "llm":
            if self.processes:
                from .llm.scheduler import shared

                self._scheduler = shared(self.settings.concurrency, _context(), owners=self.processes)  # type: ignore[union-attr]
            else:
                self._share_process_scheduler()
        finished = self._finished()
        next(finished)  # worker processes are started before the progress bar's thread is
        waiting: dict[int, BatchItem] = {}  # finished, held back for input order
        next_out = 0
        with _Progress(len(self.items), self.progress and _interactive()) as bar:
            for item in finished:
                bar.advance(item.report)
                if not self.ordered:
                    yield item
                    continue
                waiting[item.index] = item
                while next_out in waiting:
                    yield waiting.pop(next_out)
                    next_out += 1

    def _finished(self) -> Iterator[BatchItem]:
        """None once the workers are started, then items as documents complete: from worker processes,
        or from threads when none could start."""
        if self.processes:
            try:
                yield from self._in_processes(_context())
                return
            except _NoWorkers as exc:
                logger.warning("reportkit: %s; running the batch in threads of this process instead", exc)
                if self._scheduler is not None:  # this process's requests use its own scheduler
                    self._share_process_scheduler()
        else:
            yield None
        yield from self._in_threads()

    def _label(self, p: Any) -> str:
        return p if isinstance(p, str) else p.source

    def _in_threads(self) -> Iterator[BatchItem]:
        from . import api
        from .llm.scheduler import metering

        window = 2 * self.workers
        running: dict[Future[Any], tuple[int, str]] = {}
        queue = iter(_start_order(self.items, self.ordered))
        pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="reportkit")
        try:
            while True:
                while len(running) < window:
                    nxt = next(queue, None)
                    if nxt is None:
                        break
                    i, p = nxt
                    # api.summarize looked up at call time, so tests (and users) can wrap it
                    call: tuple[Any, ...] = (api.summarize,) if self._meter is None else (metering, self._meter, api.summarize)
                    running[pool.submit(*call, p, engine=self.chosen, settings=self.settings, client=self.client)] = (i, self._label(p))
                if not running:
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                ordered = sorted(done, key=lambda f: running[f][0])
                del done
                while ordered:
                    # no local names the future while its item is out: a handed-out report is held by
                    # the consumer alone, so the window (not the moment futures finish together) bounds memory
                    yield _finished(*running.pop(ordered[0]), ordered.pop(0))
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    def _in_processes(self, ctx: Any) -> Iterator[BatchItem]:
        """Documents in worker processes, each running up to ``ceil(concurrency / processes)`` in threads.

        Each worker has its own pipe, and is sent a document only when one of its places is free
        (in an LLM batch, ``_LOOKAHEAD`` more, which it prepares meanwhile; a document past its last
        request gives its place up), so what a worker holds
        is known exactly: a worker that dies (killed, out of memory) fails
        the documents it held, with a message saying so, and is replaced; the others' work is kept
        (a queue shared by all would stay locked by a reader that died). When no worker ever
        starts, ``_NoWorkers`` is raised before any item is yielded.
        """
        from multiprocessing.connection import wait as ready_of

        if ctx.get_start_method() == "fork":  # imported once here, inherited by every worker of every batch
            if self.chosen == "llm":
                from .llm import engine  # noqa: F401
                from .llm.client import preload

                preload()
            else:
                from . import rules  # noqa: F401
        threads = -(-self.workers // self.processes)
        ahead = _LOOKAHEAD if self.chosen == "llm" else 0
        level = logging.getLogger("reportkit").getEffectiveLevel()
        workers: dict[Any, _Worker] = {}  # the parent's end of each worker's pipe → the worker
        started = [0]
        n = self.processes
        pool = self.pool = {"processes": n, "restarts": 0, "documents_per_worker": [0] * n, "peak_held_per_worker": [0] * n,
                            "start_s": 0.0, "parent_start_cpu_s": 0.0, "parent_receive_cpu_s": 0.0,
                            "worker_pickle_cpu_s": 0.0, "bytes_received": 0}
        began = time.perf_counter()

        def start(owner: int) -> None:
            # each worker takes its request slots as its own owner, so a dead one's can be reclaimed
            scheduler = self._scheduler.owned_by(owner) if self._scheduler is not None else None
            ours, theirs = ctx.Pipe()
            proc = ctx.Process(target=_worker, name="reportkit-worker", daemon=True,
                               args=(theirs, self.chosen, self.settings, scheduler, threads, level))
            forked = ctx.get_start_method() == "fork"
            cpu = time.thread_time()
            if forked:
                gc.freeze()  # the child's collector then skips the inherited heap (and leaves its pages shared)
            try:
                proc.start()
            finally:
                if forked:
                    gc.unfreeze()
                pool["parent_start_cpu_s"] += time.thread_time() - cpu
            theirs.close()
            workers[ours] = _Worker(proc, ours, owner)

        for owner in range(self.processes):
            start(owner)
        yield None  # started
        queue = iter(_start_order(self.items, self.ordered))
        restarts = len(self.items)
        pending: list[tuple[int, Any]] = []
        try:
            while True:
                # one document at a time to the worker with the most room: the largest documents
                # (started first) are dealt out in turn, not the first worker's share all of them
                broken: set[int] = set()
                while True:
                    room = [w for w in workers.values() if w.owner not in broken and w.placed < threads + ahead
                            and len(w.held) < 2 * (threads + ahead)]
                    if not room:
                        break
                    worker = min(room, key=lambda w: (w.placed, len(w.held), w.owner))
                    nxt = pending.pop() if pending else next(queue, None)
                    if nxt is None:
                        break
                    i, p = nxt
                    try:
                        worker.conn.send((i, p))
                    except (OSError, EOFError):  # died since: the next wait sees it
                        pending.append(nxt)
                        broken.add(worker.owner)
                        continue
                    worker.held[i] = self._label(p)
                    pool["documents_per_worker"][worker.owner] += 1
                    pool["peak_held_per_worker"][worker.owner] = max(pool["peak_held_per_worker"][worker.owner], worker.placed)
                if not workers:  # every restart used up: what is left fails, it is not lost
                    for i, p in [*pending, *queue]:
                        label = self._label(p)
                        yield BatchItem(i, label, failure=BatchFailure(label, "WorkerError", "no worker process was left to summarise this input"))
                    break
                if not any(w.held for w in workers.values()):
                    break
                for conn in ready_of(list(workers), timeout=1.0):
                    worker = workers[conn]
                    cpu = time.thread_time()
                    try:
                        kind, payload, *extra = conn.recv()
                    except (EOFError, OSError):
                        worker.proc.join(5)
                        if worker.proc.is_alive():  # its slots may be reclaimed only once it is gone
                            worker.proc.kill()
                            worker.proc.join(5)
                        del workers[conn]
                        conn.close()
                        if not started[0]:
                            raise _NoWorkers(
                                f"a worker process exited with code {worker.proc.exitcode} before it could start "
                                "(under spawn a script needs `if __name__ == \"__main__\":`; "
                                f"{WORKERS_ENV}=0 runs batches in threads)") from None
                        for i, label in sorted(worker.held.items()):
                            yield BatchItem(i, label, failure=BatchFailure(label, "WorkerError",
                                            f"the worker process summarising this input died (exit code {worker.proc.exitcode}); "
                                            "the other inputs are unaffected: run it again alone to see why"))
                        if self._scheduler is not None:  # the requests it had in flight end with it
                            self._scheduler.reclaim(worker.owner)
                        if restarts > 0:
                            restarts -= 1
                            pool["restarts"] += 1
                            start(worker.owner)
                        continue
                    if kind == "log":
                        logging.getLogger(payload.name).handle(payload)
                    elif kind == "released":  # past its last request: its place goes to the next document
                        if payload in worker.held:
                            worker.released.add(payload)
                    elif kind == "ready":
                        started[0] += 1
                        if started[0] == self.processes:
                            pool["start_s"] = round(time.perf_counter() - began, 3)
                    else:
                        item = pickle.loads(payload)
                        pool["parent_receive_cpu_s"] += time.thread_time() - cpu
                        pool["bytes_received"] += len(payload)
                        pool["worker_pickle_cpu_s"] += extra[0] if extra else 0.0
                        worker.held.pop(item.index, None)
                        worker.released.discard(item.index)
                        yield item
        finally:
            for worker in workers.values():
                try:
                    worker.conn.send(None)
                except (OSError, EOFError):
                    pass
            deadline = time.monotonic() + 2
            for worker in workers.values():
                worker.proc.join(max(0.0, deadline - time.monotonic()))
                if worker.proc.is_alive():
                    worker.proc.terminate()  # stopped early: the documents still running are not wanted
                    worker.proc.join(1)
                worker.conn.close()


@dataclass
class _Worker:
    """A worker process, the parent's end of its pipe, its slot-owner index, and the inputs it holds (index → label)."""

    proc: Any
    conn: Any
    owner: int
    held: dict[int, str] = field(default_factory=dict)
    released: set[int] = field(default_factory=set)
    """Held inputs past their last model request (checked, then sent back): they hold no place."""

    @property
    def placed(self) -> int:
        """Held inputs that hold a place: running up to their last request, or sent ahead."""
        return len(self.held) - len(self.released)


_LOOKAHEAD = 1
"""Documents each worker of an LLM batch holds beyond its threads: it loads, cleans and indexes
them (CPU only, no request) while its running documents wait on the network, so a thread that
frees starts its next document's requests without that CPU first. Not more documents in flight:
such a document sends nothing before a thread takes it up. A document past its last request
(``api.AFTER_REQUESTS``: its check, indicators and pickling are left) gives its thread's place
up at once and tells the parent ("released"), which sends the next document then, not when the
check is over; a worker so holds at most twice ``threads + _LOOKAHEAD`` documents."""


class _Turn:
    """A document's turn at a worker's preparation lock, from its start to its first request.

    A worker's documents start together (the first wave, and the documents whose slots freed at
    once mid-batch); each spends ~35 ms of CPU (load, clean, segment, index, packing) before its
    first request. Sharing the GIL, all of them would send their first requests at the end of
    all that CPU; one at a time, the first sends after its own 35 ms, the next after 70 ms … and
    the requests in flight ramp up as the CPU is spent. Only the order changes, never the work:
    the reports are the same. The lock is released at the document's first request (or its end).
    """

    def __init__(self, lock: threading.Lock, on_done: Callable[[], None] | None = None) -> None:
        self._lock = lock
        self._mutex = threading.Lock()
        self._on_done = on_done
        lock.acquire()
        self._held = True

    def done(self) -> None:
        if not self._held:  # the cheap look first: done() runs before every request
            return
        with self._mutex:
            if self._held:
                self._held = False
                self._lock.release()
                if self._on_done is not None:
                    self._on_done()


_YIELD_MAX = 1.0
"""Longest a finished document's CPU (check, indicators, pickling) waits for the worker's
preparations: a preference of order, never a reason to stall."""


class _Preparations:
    """A worker's documents that hold a place among those making requests and have not sent their
    first one yet; a document past its last request waits for them (``yield_to``) before its own CPU.

    Both are CPU on the same GIL, but only a preparation ends in a request: 0.3 s of model latency
    that can start now. At a wave's end a worker's documents are answered together; checked first,
    their ~40 ms each of CPU would hold back the next documents' first requests and leave the
    request slots idle (the dip between waves). Only the order changes, never the work.
    """

    def __init__(self) -> None:
        self._ready = threading.Condition()
        self._pending = 0

    def started(self) -> None:
        with self._ready:
            self._pending += 1

    def sent(self) -> None:
        with self._ready:
            self._pending -= 1
            if self._pending <= 0:
                self._ready.notify_all()

    def yield_to(self, limit: float = _YIELD_MAX) -> None:
        until = time.monotonic() + limit
        with self._ready:
            while self._pending > 0:
                left = until - time.monotonic()
                if left <= 0:
                    return
                self._ready.wait(left)


class _ForwardLogs(logging.Handler):
    """Sends a worker's reportkit log records to the parent, which hands them to its own handlers."""

    def __init__(self, send: Callable[[str, Any], None]) -> None:
        super().__init__()
        self.send = send

    def emit(self, record: logging.LogRecord) -> None:
        try:
            record.msg, record.args, record.exc_info, record.exc_text = record.getMessage(), None, None, None
            self.send("log", record)
        except Exception:  # a log line must never fail a document
            self.handleError(record)


def _worker(conn: Any, engine: str, settings: "Settings | None", scheduler: Any, threads: int, level: int) -> None:
    """A worker process: documents from ``conn``, each summarised on one of ``threads`` threads, sent back on ``conn``."""
    import signal

    from . import api

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the workers
    lock = threading.Lock()

    def send(kind: str, payload: Any, *extra: Any) -> None:
        with lock:
            conn.send((kind, payload, *extra))

    log = logging.getLogger("reportkit")
    log.handlers[:] = [_ForwardLogs(send)]
    log.setLevel(level)
    log.propagate = False
    if scheduler is not None:
        from .llm.scheduler import install

        install(scheduler)

    preparing = threading.Lock()  # one document at a time runs the CPU before its first request
    places = threading.Semaphore(threads)  # a document holds one from its start to its last request
    preparations = _Preparations()
    ahead_n = _LOOKAHEAD if engine == "llm" else 0
    active = [0]  # documents received that have not given up their place: beyond ``threads`` one waits for it

    def prepare(source: Any) -> Any:
        preparations.yield_to()  # a document sent ahead after the placed ones' first requests
        with preparing:  # only while no running document is before its first request
            return api._prepare(source)

    def run(index: int, source: Any, prepared: "Future[Any] | None") -> None:
        label = source if isinstance(source, str) else source.source
        turn = None
        mine = {"counted": True, "placed": False}

        def leave() -> bool:
            """Give up this document's place (once); True the first time."""
            with lock:
                if not mine["counted"]:
                    return False
                mine["counted"] = False
                active[0] -= 1
            if mine["placed"]:
                places.release()
            return True

        def after_requests() -> None:
            if leave():
                try:
                    send("released", index)
                except (OSError, EOFError):
                    pass  # the parent is gone
            preparations.yield_to()

        try:
            doc = prepared.result() if prepared is not None else None  # never while holding a turn
            places.acquire()
            mine["placed"] = True
            if engine == "llm":
                preparations.started()
                turn = _Turn(preparing, preparations.sent)
            token = api.AFTER_REQUESTS.set(after_requests) if engine == "llm" else None
            try:
                with (on_request(turn.done) if turn is not None else contextlib.nullcontext()):
                    if doc is None:
                        report = api.summarize(source, engine=engine, settings=settings)  # type: ignore[arg-type]
                    else:  # summarize's own steps, the loading done
                        report = api._summarize_source(source, engine, settings, None, doc)
            finally:
                if token is not None:
                    api.AFTER_REQUESTS.reset(token)
            item = BatchItem(index, label, report=report)
        except ReportkitError as exc:
            item = BatchItem(index, label, failure=BatchFailure(label, type(exc).__name__, redact(exc)))
        except BaseException as exc:  # noqa: B036 - a bug (or SystemExit) on one input must not lose the batch
            item = BatchItem(index, label, failure=BatchFailure(label, type(exc).__name__, f"unexpected error: {redact(exc)}"))
        finally:
            leave()  # no "released" then: the "done" below says it
            if turn is not None:
                turn.done()  # a document answered from the caches sends no request
        cpu = time.thread_time()
        try:
            payload = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # a report that cannot be sent back still ends as an item
            payload = pickle.dumps(BatchItem(index, label, failure=BatchFailure(
                label, type(exc).__name__, f"unexpected error: the report could not be sent back: {redact(exc)}")))
        try:
            send("done", payload, time.thread_time() - cpu)
        except (OSError, EOFError):
            pass  # the parent is gone

    ahead = None
    if engine == "llm":
        from .llm.scheduler import on_request

        ahead = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reportkit-prepare")
    send("ready", os.getpid())
    try:
        # as many threads as the parent may send documents (``_LOOKAHEAD``): the places, not the
        # threads, bound the documents making requests
        with ThreadPoolExecutor(max_workers=2 * (threads + ahead_n), thread_name_prefix="reportkit-doc") as pool:
            while True:
                try:
                    task = conn.recv()
                except (EOFError, OSError):
                    break  # the parent is gone
                if task is None:
                    break
                with lock:
                    waits = active[0] >= threads  # sent ahead (``_LOOKAHEAD``): no place is free for it yet
                    active[0] += 1
                prepared = ahead.submit(prepare, task[1]) if ahead is not None and waits else None
                pool.submit(run, *task, prepared)
    finally:
        if ahead is not None:
            ahead.shutdown(wait=True)


def summarize_many(
    paths: Iterable[str | os.PathLike[str]],
    *,
    engine: str = "auto",
    settings: "Settings | None" = None,
    client: Any = None,
    concurrency: int | None = None,
    progress: bool = True,
    on_result: Callable[[BatchItem], None] | None = None,
    workers: int | None = None,
) -> BatchResult:
    """Summarise many reports; failures are collected, never raised.

    Every report is kept in the BatchResult. For batches too large for memory, iterate over
    ``reportkit.batch.iter_summaries`` instead and write each report away as it arrives.

    Args:
        paths: report files (see ``reportkit.load``) or folders (their supported files).
        engine: ``auto``, ``rules`` or ``llm``, as for ``summarize``.
        settings: LLM settings shared by all documents.
        client: your own OpenAI client, shared by all documents.
        concurrency: documents in flight at once (default: 4 for the LLM engine, 1 for rules,
            which is CPU-bound).
        progress: show a progress bar when writing to a terminal or a notebook.
        on_result: called with each BatchItem as its document completes (completion order),
            e.g. to save it at once; an exception it raises stops the batch.
        workers: processes for the CPU stages, as for ``iter_summaries`` (0: threads only).

    Returns:
        A BatchResult with the reports in input order and one BatchFailure per bad input.

    Raises:
        ConfigError: the engine cannot run (before any document is read).

    Example:
        >>> result = reportkit.summarize_many(Path("seeds").glob("*.txt"), engine="rules", progress=False)
        >>> len(result.reports), result.failures
        (5, [])
    """
    started = time.perf_counter()
    slots: dict[int, BatchItem] = {}
    batch = _Batch(paths, engine=engine, settings=settings, client=client, concurrency=concurrency,
                   progress=progress, ordered=False, workers=workers)
    for item in batch:
        if on_result is not None:
            on_result(item)
        slots[item.index] = item
    result = BatchResult(seconds=time.perf_counter() - started, scheduler=batch.scheduler_stats(),
                         pool={k: (round(v, 4) if isinstance(v, float) else v) for k, v in batch.pool.items()})
    for i in sorted(slots):
        item = slots[i]
        if item.failure is not None:
            result.failures.append(item.failure)
        else:
            result.reports.append(item.report)  # type: ignore[arg-type]
            result.paths.append(item.path)
    return result


def expand_paths(patterns: Iterable[str], *, recursive: bool = False) -> list[Path]:
    """Files, folders and globs, in the order given; each folder's and glob's matches sorted.

    A folder stands for its files with a supported suffix (with ``recursive``, also those in
    subfolders, skipping hidden ones such as ``.git``); a glob (``*``, ``?``, ``[``; ``**`` for any
    depth) for the files it matches. A plain path is kept as is: ``load`` reports a missing file.

    Raises:
        InputError: a glob matches no file, or a folder holds no supported file.
    """
    from .loading import SUPPORTED_SUFFIXES

    out: list[Path] = []
    for raw in patterns:
        p = Path(raw)
        if p.is_dir():
            found = p.rglob("*") if recursive else p.iterdir()
            files = sorted(
                f for f in found
                if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            if not files:
                hint = "" if recursive else " (add -r / recursive=True to search its subfolders)"
                raise InputError(f"the folder holds no report file ({', '.join(SUPPORTED_SUFFIXES)}){hint}", path=raw)
            out += files
        elif any(c in raw for c in "*?[") and not p.exists():
            if p.is_absolute():
                matches = Path(p.anchor).glob(str(p.relative_to(p.anchor)))
            else:
                matches = Path().glob(raw)
            files = sorted(f for f in matches if f.is_file())
            if not files:
                raise InputError("no file matches this pattern: check the folder and the pattern", path=raw)
            out += files
        else:
            out.append(p)  # a missing file is reported by load() with a clear message
    return out
