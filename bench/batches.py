"""Batch measurements: parallel efficiency under a fixed model latency, the request scheduler, memory. Batch + fake server → dicts.

A batch has two knobs: ``summarize_many(concurrency=D)`` documents in flight, and
``Settings.concurrency = N``, the one cap on requests in flight for the whole batch (every
document and chunk, in every worker process, takes a slot of ``reportkit.llm.scheduler``); a
document's chunk calls may use any free slot. Each document's calls form one or two phases: its
chunk calls, then (when it did not fit one call) an overview call that needs them all. "Concurrency
N" is measured with a cap of N and:

* ``documents``: D = N documents in flight;
* ``split``: D = max(1, N / 4): fewer documents, each with more calls at once;
* ``defaults`` (informative): D = 4, N = 8 as shipped.

Efficiency = ideal / wall with ideal = ceil(calls / N) × latency (the brief's definition, which
ignores the overview call's dependency). ``bound`` is the best any schedule could do when a
document holds one of D slots for at least its rounds (ceil(chunk calls / N) + 1) × latency:
max(ideal, the longest document, Σ rounds × latency / D). ``efficiency_vs_bound`` = bound / wall
shows what is lost beyond that. ``cpu s`` is this process's CPU time plus its worker processes'
(the fake server runs in its own process): when it approaches cores × wall, the batch is bound by
Python work, not by waiting. ``scheduled`` is issue 13's row (48 documents, 16 in flight) with
the CPU floor beside it; ``memory`` the 100 vs 1,000-document CLI batch.
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


def _calls_per_doc(paths: list[Path], s: Any) -> dict[Path, int]:
    """Chunk calls per distinct document under settings ``s``: the packs the engine sends
    (``pack_document``, as ``extract_report`` calls it); the overview call is one more when there
    are several."""
    from reportkit import api
    from reportkit.llm.chunking import FIGURES_PER_CALL, pack_document
    from reportkit.segmenting import segment

    out = {}
    for path in dict.fromkeys(paths):
        doc = api.load(path)
        out[path] = len(pack_document(doc, segment(doc.text, doc.boilerplate), chunk_chars=s.chunk_chars,
                                      chunk_overlap=s.chunk_overlap, max_figures=s.figures_per_call or FIGURES_PER_CALL))
    return out


def _bound(paths: list[Path], per_doc: dict[Path, int], calls: int, cap: int, docs: int, latency: float) -> float:
    """The least wall time any schedule allows with no CPU at all: max(ideal, the longest document,
    Σ rounds × latency / documents in flight), a document holding one of ``docs`` places for its
    rounds, ceil(chunk calls / cap) plus one for the overview call that needs them all."""
    rounds = [math.ceil(per_doc[p] / cap) + (per_doc[p] > 1) for p in paths]
    return max(math.ceil(calls / cap) * latency, max(rounds) * latency, sum(rounds) * latency / docs)


def _run_batch(srv: FakeServer, paths: list[Path], docs: int, cap: int, cache_dir: Path,
               cache: str = "off") -> tuple[float, float, Any]:
    """Wall seconds, CPU seconds (this process and its worker processes), and the BatchResult of one summarize_many run."""
    from reportkit import summarize_many

    s = settings(srv.base_url, cache_dir, concurrency=cap, cache=cache)
    cpu, kids, start = time.process_time(), _children_cpu(), time.perf_counter()
    result = summarize_many(paths, engine="llm", settings=s, concurrency=docs, progress=False)
    return time.perf_counter() - start, time.process_time() - cpu + _children_cpu() - kids, result


def splits(n: int, strategies: list[str]) -> list[tuple[str, int, int]]:
    """(strategy, documents in flight, request cap of the batch) for concurrency ``n``."""
    out = []
    for name in strategies:
        if name == "documents":
            out.append((name, n, n))
        elif name == "split":
            out.append((name, max(1, n // 4), n))
    return out


def concurrency(srv: FakeServer, pool: list[corpus.Seed], batch: int, latency: float, levels: list[int],
                strategies: list[str], with_defaults: bool = True) -> dict[str, Any]:
    """Wall time of a batch against the ideal, per concurrency level and split."""
    paths = corpus.batch_paths(batch, pool)
    s0 = settings("http://127.0.0.1:9/v1", Path(tempfile.gettempdir()))
    per_doc = _calls_per_doc(paths, s0)
    srv.configure("reportkit", latency=latency)
    rows: list[dict[str, Any]] = []
    plan = [(name, d, c, n) for n in levels for name, d, c in splits(n, strategies)]
    if with_defaults:
        plan.append(("defaults", 4, 8, 8))
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
            bound = _bound(paths, per_doc, calls, c, d, latency)
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
    calls_doc = [per_doc[p] + (per_doc[p] > 1) for p in paths]  # one call holds the overview when the document fits it
    return {
        "batch": batch, "latency_s": latency, "rows": rows,
        "calls_per_document": {"median": statistics.median(calls_doc), "max": max(calls_doc), "total": sum(calls_doc)},
        "note": "cache off (repeated files are not deduplicated); N = the batch's request cap (Settings.concurrency), "
                "docs x chunks = documents in flight x chunk calls a document may have at once (the cap); ideal = "
                "ceil(calls / N) x latency; bound adds reportkit's per-document dependency (all chunk calls, then "
                "the overview call when there is one) and D document slots; wall includes the fake server's work; "
                "cpu = this process's and its worker processes' CPU time (the server runs in its own process)",
    }


def _gold_of_everything(folder: Path) -> Path:
    """One folder with the gold of the seeds and of the corpus reports, so the fake model answers both."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    for p in [*corpus.GOLD.glob("*.json"), *(corpus.ROOT / "corpus").glob("*.json")]:
        shutil.copy(p, folder / p.name)
    return folder


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def scheduled(batch: int = 48, latency: float = 0.3, n: int = 16, worker_levels: tuple[int, ...] | None = None,
              placement: str = "process", runs: int = 3) -> dict[str, Any]:
    """Issue 13's efficiency row: ``batch`` documents (seeds + corpus), ``n`` in flight, one cap of ``n`` requests.

    efficiency = ceil(calls / n) × latency / wall. Measured with the batch's worker processes
    (``workers``) and in threads of one interpreter (0), each ``runs`` times, the levels taking
    turns (a burst of load from elsewhere then falls on every level alike); a row gives the run of
    median wall time and every run's wall beside it. CPU is counted in full: this process,
    its worker processes (RUSAGE_CHILDREN, read after they are joined) and the fake server's own
    process, which shares the same cores. ``cpu_floor_s`` = that CPU / cores is the least wall
    time the work can take on this machine whatever the schedule, and ``reachable`` =
    ideal / max(ideal, cpu_floor) the best efficiency it allows.
    """
    import os

    from reportkit import summarize_many

    cores = os.cpu_count() or 1
    levels = worker_levels if worker_levels is not None else (0, cores)
    pool = sorted(corpus.SEEDS.glob("*.txt")) + sorted((corpus.ROOT / "corpus").glob("*.txt"))
    paths = [pool[i % len(pool)] for i in range(batch)]
    per_doc = _calls_per_doc(paths, settings("http://127.0.0.1:9/v1", Path(tempfile.gettempdir())))
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-sched-") as tmp:
        with FakeServer(placement, gold_dir=_gold_of_everything(Path(tmp) / "gold")) as srv:
            srv.configure("reportkit", latency=0.0)
            # imports and first-call caches once, as any session after its first document (fork
            # workers inherit them; spawn workers would pay them again, ~1.7 s CPU each)
            summarize_many(paths[:2], engine="llm", settings=settings(srv.base_url, Path(tmp) / "cache"),
                           progress=False, workers=0)
            srv.configure("reportkit", latency=latency)
            measured: dict[int, list[dict[str, Any]]] = {w: [] for w in levels}
            for workers in [w for _ in range(max(1, runs)) for w in levels]:
                srv.reset()
                s = settings(srv.base_url, Path(tmp) / "cache", concurrency=n)
                server_cpu, own_cpu, kids_cpu = srv.cpu_seconds() or 0.0, time.process_time(), _children_cpu()
                start = time.perf_counter()
                result = summarize_many(paths, engine="llm", settings=s, concurrency=n, progress=False, workers=workers)
                wall = time.perf_counter() - start
                own, kids = time.process_time() - own_cpu, _children_cpu() - kids_cpu
                server = (srv.cpu_seconds() or 0.0) - server_cpu
                stats = srv.stats()
                ideal = math.ceil(stats.count / n) * latency
                bound = _bound(paths, per_doc, stats.count, n, n, latency)
                floor = (own + kids + server) / cores
                measured[workers].append({
                    "workers": workers, "documents": batch, "in_flight": n, "calls": stats.count,
                    "calls_per_document": round(stats.count / batch, 2),
                    "wall_s": round(wall, 3), "ideal_s": round(ideal, 3), "bound_s": round(bound, 3),
                    "efficiency": round(ideal / wall, 3), "cpu_parent_s": round(own, 3), "cpu_workers_s": round(kids, 3), "cpu_server_s": round(server, 3),
                    "cpu_ms_per_document": ms((own + kids) / batch),
                    "cpu_floor_s": round(floor, 3), "reachable": round(ideal / max(ideal, floor), 3),
                    "peak_in_flight": peak_in_flight(stats.arrivals, latency),
                    "scheduler_peak": result.scheduler.get("peak_in_flight"),
                    **_pool_split(result.pool, own),
                    "failed_documents": len(result.failures),
                    "chunk_failures": int(result.totals["chunk_failures"]),
                    "load_after": _load(),
                })
            for workers in levels:
                done = sorted(measured[workers], key=lambda row: row["wall_s"])
                rows.append({**done[(len(done) - 1) // 2], "runs": len(done), "walls_s": [row["wall_s"] for row in done],
                             "loads": [row["load_after"] for row in done]})
    return {
        "batch": batch, "latency_s": latency, "in_flight": n, "cores": cores, "rows": rows,
        "load_before": _load(),
        "note": f"{batch} documents cycling through seeds + corpus ({len(pool)} files), cache off; Settings.concurrency = "
                f"{n} (one cap for the batch) and {n} documents in flight; workers 0 = threads of one interpreter; "
                f"each level run {max(1, runs)} times in turn, the median run shown (walls = every run's, sorted); "
                "efficiency = ceil(calls / N) x latency / wall; bound = the least wall any schedule allows "
                "without CPU (each document's chunk calls, then its overview call; = ideal when the dependency "
                "costs nothing); cpu_floor = (reportkit + server CPU) / cores; "
                "walls s (load) = every run's wall with the 1-minute load average after it (2 cores shared: a "
                "load above the cores means other jobs took CPU the batch needed); "
                "the second table splits the parent's CPU (fork, receive + unpickle, the rest) from the workers' "
                "(their pickling apart) and shows each worker's documents and most at once",
    }


def _pool_split(pool: dict[str, Any], parent_cpu: float) -> dict[str, Any]:
    """Where the batch machinery's own CPU goes, from ``BatchResult.pool``: the parent's forking,
    receiving + unpickling reports and the rest (dispatch loop, waits, the scheduler's wake-ups),
    the workers' pickling, and how the documents in flight were split across the workers."""
    if not pool:
        return {"split": "threads", "parent_start_cpu_s": 0.0, "parent_receive_cpu_s": 0.0, "parent_other_cpu_s": round(parent_cpu, 3),
                "worker_pickle_cpu_s": 0.0, "transport_kb_per_document": 0.0, "start_s": 0.0}
    docs = max(1, sum(pool["documents_per_worker"]))
    return {
        "split": " / ".join(f"{d} docs, {h} at once" for d, h in zip(pool["documents_per_worker"], pool["peak_held_per_worker"])),
        "parent_start_cpu_s": round(pool["parent_start_cpu_s"], 3),
        "parent_receive_cpu_s": round(pool["parent_receive_cpu_s"], 3),
        "parent_other_cpu_s": round(parent_cpu - pool["parent_start_cpu_s"] - pool["parent_receive_cpu_s"], 3),
        "worker_pickle_cpu_s": round(pool["worker_pickle_cpu_s"], 3),
        "transport_kb_per_document": round(pool["bytes_received"] / docs / 1024, 1),
        "start_s": pool["start_s"],
    }


def _load() -> float | None:
    import os

    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


_MEMORY_DRIVER = r"""
import json, resource, sys
from reportkit.cli import app
try:
    app(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
with open('/proc/self/status') as fh:
    status = dict(line.split(':', 1) for line in fh if ':' in line)
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({'parent_hwm_kb': int(status['VmHWM'].split()[0]), 'workers_max_rss_kb': kids}))
"""


def _distinct_copies(count: int, folder: Path) -> Path:
    """``count`` distinct reports: the seeds in turn, each with a line naming its copy (so no two are the same bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = [p.read_text(encoding="utf-8") for p in sorted(corpus.SEEDS.glob("*.txt"))]
    for i in range(count):
        text = seeds[i % len(seeds)]
        head, _, rest = text.partition("\n")
        (folder / f"doc{i:05d}.txt").write_text(f"{head}\n（第{i}份副本）\n{rest}", encoding="utf-8")
    return folder


def memory(sizes: tuple[int, ...] = (100, 1000), engine: str = "rules") -> dict[str, Any]:
    """Peak memory of ``reportkit summarize DIR --out OUT`` for batches of ``sizes`` distinct documents.

    Each run is a fresh interpreter (the CLI, as a user runs it); its peak RSS (VmHWM) and the
    largest worker's are read at its end. Flat in the batch size means the 1,000-document batch
    peaks where the 100-document one does: each report is written when it completes, and
    ``all.json`` and the tables are streamed from the files on disk.
    """
    import json
    import os
    import subprocess
    import sys

    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-mem-") as tmp:
        for size in sizes:
            docs = _distinct_copies(size, Path(tmp) / f"in{size}")
            out = Path(tmp) / f"out{size}"
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", _MEMORY_DRIVER, "summarize", str(docs), "--out", str(out), "-e", engine,
                 "-f", "csv", "--no-progress"],
                capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"}, check=False)
            wall = time.perf_counter() - start
            peak = json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else {}
            written = len([p for p in out.glob("doc*.json")])
            combined = len(json.loads((out / "all.json").read_text(encoding="utf-8"))) if (out / "all.json").exists() else 0
            rows.append({"documents": size, "written": written, "in_all_json": combined, "wall_s": round(wall, 1),
                         "parent_peak_mb": round(peak.get("parent_hwm_kb", 0) / 1024, 1),
                         "worker_peak_mb": round(peak.get("workers_max_rss_kb", 0) / 1024, 1),
                         "exit": done.returncode})
    base = rows[0]
    for row in rows:
        row["parent_growth_mb"] = round(row["parent_peak_mb"] - base["parent_peak_mb"], 1)
    return {"engine": engine, "rows": rows,
            "note": "fresh CLI process per size: reportkit summarize DIR --out OUT -f csv; peak RSS = VmHWM of the CLI "
                    "process, and the largest worker process's ru_maxrss; documents are seeds with a line naming the copy"}
