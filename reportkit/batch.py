"""Many documents at once, with progress, where one bad input never stops the rest. Paths → BatchResult.

Documents run concurrently in threads (model calls are I/O-bound, and threads work inside
Jupyter's running event loop). A re-run after an interruption finishes from the response cache
without repeating model calls.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .errors import ReportkitError

if TYPE_CHECKING:
    from .schema import Report
    from .settings import Settings


@dataclass(frozen=True)
class BatchFailure:
    """One input that produced no report, and why."""

    path: str
    error_type: str
    message: str


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


def summarize_many(
    paths: Iterable[str | os.PathLike[str]],
    *,
    engine: str = "auto",
    settings: "Settings | None" = None,
    client: Any = None,
    concurrency: int | None = None,
    progress: bool = True,
) -> BatchResult:
    """Summarise many reports; failures are collected, never raised.

    Args:
        paths: report files (see ``reportkit.load``).
        engine: ``auto``, ``rules`` or ``llm``, as for ``summarize``.
        settings: LLM settings shared by all documents.
        client: your own OpenAI client, shared by all documents.
        concurrency: documents in flight at once (default: 4 for the LLM engine, 1 for rules,
            which is CPU-bound).
        progress: show a progress bar when writing to a terminal or a notebook.

    Returns:
        A BatchResult with the reports in input order and one BatchFailure per bad input.

    Example:
        >>> result = reportkit.summarize_many(Path("seeds").glob("*.txt"), engine="rules", progress=False)
        >>> len(result.reports), result.failures
        (5, [])
    """
    from .api import summarize

    items = [str(p) for p in paths]
    started = time.perf_counter()
    workers = concurrency or (1 if engine == "rules" else 4)
    slots: list[Any] = [None] * len(items)
    with _Progress(len(items), progress and _interactive()) as bar, ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {pool.submit(summarize, p, engine=engine, settings=settings, client=client): i for i, p in enumerate(items)}  # type: ignore[arg-type]
        for future in as_completed(futures):
            i = futures[future]
            try:
                slots[i] = future.result()
            except ReportkitError as exc:
                slots[i] = BatchFailure(items[i], type(exc).__name__, str(exc))
            except Exception as exc:  # a bug in one document must not lose the others' work
                slots[i] = BatchFailure(items[i], type(exc).__name__, f"unexpected error: {exc}")
            bar.advance(slots[i] if not isinstance(slots[i], BatchFailure) else None)
    result = BatchResult(seconds=time.perf_counter() - started)
    for path, slot in zip(items, slots):
        if isinstance(slot, BatchFailure):
            result.failures.append(slot)
        else:
            result.reports.append(slot)
            result.paths.append(path)
    return result


def expand_paths(patterns: Iterable[str]) -> list[Path]:
    """Files, folders (their supported files, sorted) and globs, in the order given."""
    from .loading import SUPPORTED_SUFFIXES

    out: list[Path] = []
    for raw in patterns:
        p = Path(raw)
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES)
        elif any(c in raw for c in "*?[") and not p.exists():
            anchor = Path(p.anchor) if p.is_absolute() else Path()
            out += sorted(anchor.glob(str(p.relative_to(p.anchor)) if p.is_absolute() else raw))
        else:
            out.append(p)  # a missing file is reported by load() with a clear message
    return out
