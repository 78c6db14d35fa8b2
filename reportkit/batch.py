"""Many documents at once, streamed as each completes; one bad input never stops the rest. Paths → BatchItems.

Documents run concurrently in threads (model calls are I/O-bound, and threads work inside
Jupyter's running event loop). Only a bounded window of documents is in flight or waiting to be
handed out, so memory stays flat in the batch size when the caller consumes ``iter_summaries``
(the CLI writes each report to disk as it arrives). ``summarize_many`` collects everything into a
BatchResult for notebooks. The engine is resolved once, before any document is read, so a
configuration error is one ConfigError, not one failure per document.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from .errors import InputError, ReportkitError, redact

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
    if "ipykernel" in sys.modules:
        return True
    return sys.stderr.isatty() and os.environ.get("TERM") != "dumb"


class _Progress:
    """A rich progress bar (terminal and Jupyter) or nothing."""

    def __init__(self, total: int, enabled: bool) -> None:
        self._bar = None
        self._lock = threading.Lock()
        self.calls = self.hits = self.failed = 0
        if enabled and total:
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


def _code_digest() -> str:
    """A digest of reportkit's own modules: in a checkout the version does not move when the
    rules or the check change, and a resumed batch must not keep reports made by older code."""
    import hashlib

    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def answer_fingerprint(engine: str, settings: "Settings | None" = None) -> str:
    """A digest of everything that changes a report: engine, reportkit and schema versions, the
    package's code and, for the LLM engine, the model, endpoint, mode, prompts and sampling and chunking settings.

    Never the API key. Two runs with the same fingerprint over the same bytes make the same report
    (up to a model's own nondeterminism), which is what ``--resume`` relies on.
    """
    import hashlib
    import json

    from .api import _version
    from .schema import SCHEMA_VERSION

    fields: dict[str, object] = {"engine": engine, "reportkit": _version(), "schema": SCHEMA_VERSION, "code": _code_digest()}
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
) -> Iterator[BatchItem]:
    """Summarise many reports, yielding each as it completes; failures are items, never raised.

    At most ``2 × concurrency`` documents are in flight or waiting to be handed out, so a consumer
    that writes each report away keeps memory flat however long the batch. Stopping early (``break``,
    an exception, Ctrl-C) cancels the documents not yet started.

    Args:
        paths: report files (see ``reportkit.load``), folders (their supported files) or Documents.
        engine: ``auto``, ``rules`` or ``llm``, as for ``summarize``; resolved once, up front.
        settings: LLM settings shared by all documents.
        client: your own OpenAI client, shared by all documents.
        concurrency: documents in flight at once (default: 4 for the LLM engine, 1 for rules,
            which is CPU-bound).
        progress: show a progress bar when writing to a terminal or a notebook.
        ordered: yield in input order (a finished document waits for the ones before it)
            instead of completion order.

    Yields:
        One BatchItem per input, with ``report`` or ``failure`` set.

    Raises:
        ConfigError: the engine cannot run (raised before any document is read).
        InputError: a folder given holds no report file.

    Example:
        >>> for item in reportkit.batch.iter_summaries(["seeds/"], engine="rules", progress=False):
        ...     Path(f"out/{item.index}.json").write_text(item.report.to_json())
    """
    from . import api

    chosen = api.choose_engine(engine, settings, client).engine  # type: ignore[arg-type]
    items = _inputs(paths)
    workers = max(1, concurrency or (1 if chosen == "rules" else 4))
    window = 2 * workers
    waiting: dict[int, BatchItem] = {}  # finished, held back for input order
    running: dict[Future[Any], tuple[int, str]] = {}
    queue = iter(enumerate(items))
    next_out = 0
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="reportkit")
    try:
        with _Progress(len(items), progress and _interactive()) as bar:
            while True:
                while len(running) + len(waiting) < window:
                    nxt = next(queue, None)
                    if nxt is None:
                        break
                    i, p = nxt
                    label = p if isinstance(p, str) else p.source
                    # api.summarize looked up at call time, so tests (and users) can wrap it
                    running[pool.submit(api.summarize, p, engine=chosen, settings=settings, client=client)] = (i, label)  # type: ignore[arg-type]
                if not running:
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=lambda f: running[f][0]):
                    item = _finished(*running.pop(future), future)
                    bar.advance(item.report)
                    if not ordered:
                        yield item
                        continue
                    waiting[item.index] = item
                    while next_out in waiting:
                        yield waiting.pop(next_out)
                        next_out += 1
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def summarize_many(
    paths: Iterable[str | os.PathLike[str]],
    *,
    engine: str = "auto",
    settings: "Settings | None" = None,
    client: Any = None,
    concurrency: int | None = None,
    progress: bool = True,
    on_result: Callable[[BatchItem], None] | None = None,
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
    for item in iter_summaries(paths, engine=engine, settings=settings, client=client, concurrency=concurrency, progress=progress):
        if on_result is not None:
            on_result(item)
        slots[item.index] = item
    result = BatchResult(seconds=time.perf_counter() - started)
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
