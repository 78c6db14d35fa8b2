"""Batch measurements: parallel efficiency under a fixed model latency. Batch + fake server → dicts.

The cached re-run is measured in ``rerun.py``.

reportkit has two concurrency knobs and no global limit on requests in flight:
``summarize_many(concurrency=D)`` runs D documents at once, and ``Settings.concurrency = C`` runs
up to C chunk calls of one document at once, so up to D × C requests are in flight. Each
document's calls form two phases: its chunk calls, then one overview call that needs them all.
"Concurrency N" is therefore measured with splits whose product is N:

* ``documents``: D = N, C = 1, what a user with a limit of N requests in flight would set for a
  batch (the knob named ``concurrency`` on ``summarize_many``);
* ``split``: D = max(1, N / 4), C = min(N, 4): chunks of a document in parallel too;
* ``defaults`` (informative): D = 4, C = 8 as shipped, up to 32 in flight.

Efficiency = ideal / wall with ideal = ceil(calls / N) × latency (the brief's definition, which
ignores the overview call's dependency). ``bound`` is the best any schedule could do under
reportkit's design, where a document holds one of D slots for at least its rounds
(ceil(chunk calls / C) + 1) × latency: max(ideal, the longest document, Σ rounds × latency / D).
``efficiency_vs_bound`` = bound / wall shows what is lost beyond that design limit. ``cpu s`` is
this process's CPU time during the batch (the fake server runs in its own process): when it
approaches the wall time, the batch is bound by Python work under one GIL, not by waiting.
"""

from __future__ import annotations

import math
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from . import corpus
from .measure import ms, settings
from .server import FakeServer, peak_in_flight


def _calls_per_doc(paths: list[Path], chunk_chars: int, chunk_overlap: int) -> dict[Path, int]:
    """Chunk calls per distinct document (the overview call is one more)."""
    from reportkit import api
    from reportkit.llm.chunking import chunk_document
    from reportkit.segmenting import segment

    out = {}
    for path in dict.fromkeys(paths):
        doc = api.load(path)
        out[path] = len(chunk_document(doc, segment(doc.text, doc.boilerplate), chunk_chars=chunk_chars,
                                       chunk_overlap=chunk_overlap))
    return out


def _run_batch(srv: FakeServer, paths: list[Path], docs: int, chunks: int, cache_dir: Path,
               cache: str = "off") -> tuple[float, float, Any]:
    """Wall seconds, this process's CPU seconds, and the BatchResult of one summarize_many run."""
    from reportkit import summarize_many

    s = settings(srv.base_url, cache_dir, concurrency=chunks, cache=cache)
    cpu, start = time.process_time(), time.perf_counter()
    result = summarize_many(paths, engine="llm", settings=s, concurrency=docs, progress=False)
    return time.perf_counter() - start, time.process_time() - cpu, result


def splits(n: int, strategies: list[str]) -> list[tuple[str, int, int]]:
    """(strategy, documents in flight, chunk calls per document in flight) for concurrency ``n``."""
    out = []
    for name in strategies:
        if name == "documents":
            out.append((name, n, 1))
        elif name == "split":
            out.append((name, max(1, n // 4), min(n, 4)))
    return out


def concurrency(srv: FakeServer, pool: list[corpus.Seed], batch: int, latency: float, levels: list[int],
                strategies: list[str], with_defaults: bool = True) -> dict[str, Any]:
    """Wall time of a batch against the ideal, per concurrency level and split."""
    paths = corpus.batch_paths(batch, pool)
    s0 = settings("http://127.0.0.1:9/v1", Path(tempfile.gettempdir()))
    per_doc = _calls_per_doc(paths, s0.chunk_chars, s0.chunk_overlap)
    srv.configure("reportkit", latency=latency)
    rows: list[dict[str, Any]] = []
    plan = [(name, d, c, n) for n in levels for name, d, c in splits(n, strategies)]
    if with_defaults:
        plan.append(("defaults", 4, 8, 32))
    done: dict[tuple[int, int], dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        for name, d, c, n in plan:
            if (d, c) in done:  # N = 1 is the same run for every split
                rows.append({**done[(d, c)], "strategy": name})
                continue
            srv.reset()
            wall, cpu, result = _run_batch(srv, paths, d, c, Path(tmp))
            stats = srv.stats()
            calls = stats.count
            ideal = math.ceil(calls / n) * latency
            rounds = [math.ceil(per_doc[p] / c) + 1 for p in paths]
            bound = max(ideal, max(rounds) * latency, sum(rounds) * latency / d)
            row = {
                "strategy": name, "n": n, "documents_in_flight": d, "chunks_in_flight": c, "calls": calls,
                "wall_s": round(wall, 3), "ideal_s": round(ideal, 3), "bound_s": round(bound, 3),
                "cpu_s": round(cpu, 3), "cpu_ms_per_doc": ms(cpu / len(paths)),
                "efficiency": round(ideal / wall, 3), "efficiency_vs_bound": round(bound / wall, 3),
                "peak_in_flight": peak_in_flight(stats.arrivals, latency),
                "failed_documents": len(result.failures),
                "chunk_failures": int(result.totals["chunk_failures"]),
            }
            done[(d, c)] = row
            rows.append(row)
    calls_doc = [per_doc[p] + 1 for p in paths]
    return {
        "batch": batch, "latency_s": latency, "rows": rows,
        "calls_per_document": {"median": statistics.median(calls_doc), "max": max(calls_doc), "total": sum(calls_doc)},
        "note": "cache off (repeated files are not deduplicated); N = documents in flight x chunk calls per "
                "document in flight; ideal = ceil(calls / N) x latency; bound adds reportkit's per-document "
                "dependency (all chunk calls, then the overview call) and D document slots; wall includes the fake "
                "server's work; cpu = this process's CPU time (the server runs in its own process)",
    }
