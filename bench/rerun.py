"""The cached re-run: a batch with failing calls, run again from the cache and replayed. 26 documents + fake endpoint → requests and CPU per document.

The seeds and the corpus's text reports (26 documents) go through ``summarize_many`` with the LLM
engine against ``reportkit.testing.FakeOpenAI`` answering as a ``RealisticResponder`` (noise 0.5:
fences, strings for numbers, cut-off answers, re-asks), and a fault plan on top: a fixed share of
the distinct requests for part of a document (chosen by a hash of the request, so the same request
fails again) answers HTTP 500 on every attempt, so those calls fail for good and the first run's
reports list failures. Then:

* ``rerun``: the same batch, same settings, ``cache="use"``: requests sent and CPU time per
  document (``time.process_time`` of this process plus its finished worker processes; the fake
  server runs in this process, but a run that sends nothing costs it nothing);
* ``rerun_threads``: the same with ``workers=0`` (no worker processes: the batch's threads in
  this process);
* ``serial``: each document alone through ``summarize``, once more from the cache: CPU ms per
  document (median, mean, max; the first pays this process's one-time imports and code digest);
* ``replay``: the same batch with ``cache="replay"`` and the server stopped: reports equal to the
  first run's (everything but ``run``'s counters), failures included;
* ``replay_responses``: ``replay`` again with the report records removed, so every call is
  reproduced from the response cache, failed calls included (the report is rebuilt and checked).
"""

from __future__ import annotations

import hashlib
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from .measure import API_KEY, MODEL, ms

FAULT_SHARE = 0.25


class _Faulty:
    """A responder that fails a fixed share of the distinct part-of-a-document requests with HTTP
    500, every time. Calls that ask for the overview (a whole document in one call, or the final
    overview call) are spared, so every document still gets a report, with its failures listed: a
    document with no report is an error, and errors are asked again under ``use`` (see
    ``reportkit.report_cache``)."""

    def __init__(self, inner: Any, share: float) -> None:
        self.inner, self.share = inner, share

    def __call__(self, request: Any) -> Any:
        from reportkit.testing import Fault

        schema = json.dumps([request.body.get(k) for k in ("tools", "response_format")], ensure_ascii=False)
        digest = hashlib.sha256(request.user_text.encode("utf-8")).digest()
        if '"overview"' not in schema and int.from_bytes(digest[:4], "big") / 2**32 < self.share:
            return Fault(status=500, message="upstream model overloaded (injected)")
        return self.inner(request)


def _cpu() -> float:
    """CPU seconds of this process and of its finished child processes (a batch's worker pool)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def documents(only: list[str] | None = None) -> list[tuple[str, Path, dict[str, Any]]]:
    """(label, path, gold): the seeds, the corpus's 16 reports in every format, and the pairs' 6."""
    from .realistic import CORPUS, SEEDS

    found = [(p, SEEDS / "gold" / f"{p.stem}.json") for p in sorted(SEEDS.glob("*.txt"))]
    found += [(p, p.with_name(p.name.split(".")[0] + ".json")) for p in sorted(CORPUS.glob("c*.*"))
              if p.suffix in (".txt", ".html", ".docx", ".pdf") and not p.name.endswith(".source.txt")]
    found += [(p, p.with_suffix(".json")) for p in sorted((CORPUS / "pairs").glob("p*.txt"))]
    out = [(p.stem.split("_")[0], p, json.loads(g.read_text(encoding="utf-8"))) for p, g in found if g.exists()]
    return [d for d in out if not only or any(d[0].startswith(o) for o in only)]


def _same(a: Any, b: Any) -> bool:
    """Equal reports apart from what a run's counters say about that run."""
    drop = {"run": {"calls", "cache_hits", "input_tokens", "output_tokens", "retries", "seconds", "report_cache"}}
    return a.model_dump(exclude=drop) == b.model_dump(exclude=drop)  # type: ignore[arg-type]


def measure(only: list[str] | None = None, docs_in_flight: int = 4, share: float = FAULT_SHARE) -> dict[str, Any]:
    """Every row of the cached re-run (see the module docstring)."""
    from reportkit import api, summarize_many
    from reportkit.settings import Settings
    from reportkit.testing import FakeOpenAI, RealisticResponder

    docs = documents(only)
    paths = [path for _, path, _ in docs]
    responder = _Faulty(RealisticResponder([g for _, _, g in docs], noise=0.5, seed=0), share)
    with tempfile.TemporaryDirectory(prefix="bench-rerun-") as tmp, FakeOpenAI(responder=responder) as srv:
        base_url = srv.base_url  # kept: replay runs after the server has stopped

        def s(cache: str) -> Any:
            return Settings(model=MODEL, base_url=base_url, api_key=API_KEY, cache_dir=Path(tmp), cache=cache,
                            transport_retries=1)

        def batch(cache: str, **options: Any) -> tuple[int, float, float, Any]:
            sent, cpu, wall = len(srv.requests), _cpu(), time.perf_counter()
            result = summarize_many(paths, engine="llm", settings=s(cache), concurrency=docs_in_flight, progress=False,
                                    **options)
            return len(srv.requests) - sent, _cpu() - cpu, time.perf_counter() - wall, result

        first_requests, first_cpu, first_wall, first = batch("use")
        again_requests, again_cpu, again_wall, again = batch("use")
        threads_requests, threads_cpu, threads_wall, _ = batch("use", workers=0)
        serial: list[float] = []
        sent = len(srv.requests)
        for path in paths:
            cpu = time.process_time()
            api.summarize(path, engine="llm", settings=s("use"))
            serial.append(time.process_time() - cpu)
        serial_requests = len(srv.requests) - sent
        srv.stop()  # replay must need no server
        replay_requests, replay_cpu, _, replayed = batch("replay")
        rows: dict[str, Any] = {}
        try:
            from reportkit.report_cache import clear_reports
        except ImportError:  # before the report cache existed
            clear_reports = None
        if clear_reports is not None:
            clear_reports(Path(tmp))
            _, rebuild_cpu, _, rebuilt = batch("replay")
            rows["replay_responses"] = {
                "cpu_ms_per_document": ms(rebuild_cpu / len(paths)), "failed_documents": len(rebuilt.failures),
                "equal_to_first": sum(_same(a, b) for a, b in zip(first.reports, rebuilt.reports)),
            }
    failures = sum(len(r.run.failures) for r in first.reports)
    failed_calls = sum(f.stage in ("extraction", "overview") for r in first.reports for f in r.run.failures)
    return {
        "documents": len(paths), "documents_in_flight": docs_in_flight, "fault_share": share,
        "first_run": {"requests": first_requests, "wall_s": round(first_wall, 3), "cpu_ms_per_document": ms(first_cpu / len(paths)),
                      "run_failures": failures, "failed_calls": failed_calls, "failed_documents": len(first.failures),
                      "documents_with_failures": sum(bool(r.run.failures) for r in first.reports)},
        "rerun": {"requests": again_requests, "wall_s": round(again_wall, 3),
                  "cpu_ms_per_document": ms(again_cpu / len(paths)),
                  "report_cache_hits": sum(bool(getattr(r.run, "report_cache", False)) for r in again.reports),
                  "cache_hits": sum(r.run.cache_hits for r in again.reports),
                  "equal_to_first": sum(_same(a, b) for a, b in zip(first.reports, again.reports)),
                  "failed_documents": len(again.failures)},
        "rerun_threads": {"requests": threads_requests, "wall_s": round(threads_wall, 3),
                          "cpu_ms_per_document": ms(threads_cpu / len(paths))},
        "serial_requests": serial_requests,  # what the smoke test reads
        "serial": {"requests": serial_requests, "cpu_ms_median": ms(statistics.median(serial)),
                   "cpu_ms_mean": ms(statistics.mean(serial)), "cpu_ms_max": ms(max(serial)),
                   "cpu_ms_first": ms(serial[0])},
        "replay": {"requests": replay_requests, "cpu_ms_per_document": ms(replay_cpu / len(paths)),
                   "failed_documents": len(replayed.failures),
                   "errors": sorted({f.error_type for f in replayed.failures}),
                   "equal_to_first": sum(_same(a, b) for a, b in zip(first.reports, replayed.reports))},
        **rows,
        "target": "rerun requests == 0 and <= 20 ms CPU per document",
        "note": f"RealisticResponder noise 0.5 with {share:.0%} of the distinct part-of-a-document requests failing HTTP 500 on every attempt "
                "(transport_retries=1); CPU = time.process_time of this process and its finished worker processes "
                "(the fake server runs in this process)",
    }
