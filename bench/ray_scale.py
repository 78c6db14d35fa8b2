"""Corpus scale: documents per second through reportkit.ray on this machine vs the local batch. Seeds × copies → dict.

The same files go through ``summarize_many`` (threads in this process) and through
``reportkit.ray.summarize_dataset`` on a local Ray cluster with one CPU per core, read by
``ray.data.read_binary_files``. Two rows: the offline rules engine, and the LLM engine against the
fake server at a fixed latency with the same cap on requests in flight (cache off, so every copy
is asked). The Ray wall time includes starting the actor pool (each job starts its own); the
pool's start alone is measured on a two-document job and shown beside it. On one 2-core machine
Ray cannot beat the local batch by much: the point is that the same call scales out unchanged.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from . import corpus
from .measure import settings
from .server import FakeServer, peak_in_flight


def _copies(pool: list[corpus.Seed], copies: int, folder: Path) -> list[Path]:
    """``copies`` distinct files per seed (same bytes, new names), as a corpus folder would hold."""
    out = []
    for k in range(copies):
        for seed in pool:
            target = folder / f"{seed.path.stem}_{k:03d}{seed.path.suffix}"
            shutil.copyfile(seed.path, target)
            out.append(target)
    return out


def _local(paths: list[Path], engine: str, s: Any, docs_in_flight: int) -> dict[str, Any]:
    from reportkit import summarize_many

    start = time.perf_counter()
    result = summarize_many(paths, engine=engine, settings=s, concurrency=docs_in_flight, progress=False)
    wall = time.perf_counter() - start
    return {"wall_s": round(wall, 2), "docs_per_s": round(len(paths) / wall, 2), "failed": len(result.failures)}


def _on_ray(ray: Any, paths: list[Path], engine: str, s: Any) -> dict[str, Any]:
    import reportkit.ray as rkray

    start = time.perf_counter()
    rows = rkray.summarize_dataset(ray.data.read_binary_files([str(p) for p in paths], include_paths=True),
                                   engine=engine, settings=s).take_all()
    wall = time.perf_counter() - start
    return {"wall_s": round(wall, 2), "docs_per_s": round(len(paths) / wall, 2),
            "failed": sum(1 for r in rows if r["error"]), "rows": len(rows)}


def ray_scale(srv: FakeServer, pool: list[corpus.Seed], copies: int, latency: float, cap: int = 8) -> dict[str, Any]:
    """The corpus-scale rows: rules engine, and LLM engine at ``latency`` with ``cap`` requests in flight."""
    try:
        import ray
        import ray.data
    except ImportError:
        return {"skipped": "ray not installed: pip install -e '.[ray]'"}
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no usage report over the network
    cpus = os.cpu_count() or 1
    started = time.perf_counter()
    ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False, object_store_memory=300 * 1024 * 1024)
    ray.data.DataContext.get_current().enable_progress_bars = False
    init_s = time.perf_counter() - started
    rows: list[dict[str, Any]] = []
    try:
        with tempfile.TemporaryDirectory(prefix="bench-ray-") as tmp:
            paths = _copies(pool, copies, Path(tmp))
            from reportkit.settings import Settings

            uncached = Settings(cache="off")  # the copies are byte-identical: the report cache would answer them
            pool_start = _on_ray(ray, paths[:2], "rules", uncached)["wall_s"]
            rules_local = _local(paths, "rules", uncached, 1)
            rules_ray = _on_ray(ray, paths, "rules", uncached)
            rows.append({"engine": "rules", "documents": len(paths), "local": rules_local, "ray": rules_ray,
                         "local_setup": "summarize_many, 1 document at a time (CPU-bound under one GIL)"})
            srv.configure("reportkit", latency=latency)
            # the same cap both ways: local 2 documents x 4 chunk calls; Ray a cluster total of `cap`
            srv.reset()
            llm_local = _local(paths, "llm", settings(srv.base_url, Path(tmp) / "c1", concurrency=cap // 2), 2)
            llm_local["peak_in_flight"] = peak_in_flight(srv.stats().arrivals, latency)
            llm_local["requests"] = srv.stats().count
            srv.reset()
            llm_ray = _on_ray(ray, paths, "llm", settings(srv.base_url, Path(tmp) / "c2", concurrency=cap))
            llm_ray["peak_in_flight"] = peak_in_flight(srv.stats().arrivals, latency)
            llm_ray["requests"] = srv.stats().count
            rows.append({"engine": "llm", "documents": len(paths), "local": llm_local, "ray": llm_ray,
                         "local_setup": f"summarize_many, 2 documents x {cap // 2} chunk calls in flight"})
    finally:
        ray.shutdown()
    return {
        "copies": copies, "seeds": len(pool), "cpus": cpus, "latency_s": latency, "cap": cap,
        "cluster_start_s": round(init_s, 2), "pool_start_s": pool_start, "rows": rows,
        "note": f"Ray: local cluster, num_cpus={cpus}, one actor per CPU, read_binary_files → summarize_dataset → "
                "take_all; wall includes the actor pool's start (pool_start_s on a 2-document job); cache off; "
                f"LLM rows at {latency} s per call with at most {cap} requests in flight (peak measured at the server)",
    }
