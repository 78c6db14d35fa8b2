"""The benchmark harness runs: ``python -m bench --quick`` writes every section, and a cached re-run sends nothing.

A benchmark is not a test, so nothing here checks a timing against a target; it checks that the
harness works end to end against the fake server, that its JSON has the expected shape, and
that the comparison still runs (with a reason in its row) when langextract cannot be imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT

SECTIONS = ("meta", "overhead", "call_path", "tokens", "concurrency", "cache", "offline", "compare", "targets")


def test_quick_bench_writes_every_section_and_the_cached_rerun_sends_nothing(tmp_path: Path) -> None:
    # A langextract that fails to import, first on the path: the run must not need the real one.
    shadow = tmp_path / "shadow" / "langextract"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text('raise ImportError("hidden by the bench smoke test")\n', encoding="utf-8")
    out = tmp_path / "bench.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(shadow.parent), os.environ.get("PYTHONPATH")]))}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--json", str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)
    elapsed = time.perf_counter() - started
    assert done.returncode == 0, done.stderr[-3000:]
    assert "== Targets" in done.stdout and "== Pipeline overhead" in done.stdout

    results = json.loads(out.read_text(encoding="utf-8"))
    assert set(SECTIONS) <= set(results), sorted(results)
    assert results["meta"]["quick"] is True

    seed = results["overhead"]["seeds"][0]
    assert seed["calls"] > 0 and seed["failures"] == 0 and seed["cached_extract_requests"] == 0
    assert {"load", "clean", "segment", "chunk", "validate", "render_html"} <= set(seed["stages_ms"])
    assert results["overhead"]["synthetic"]["bytes"] > 3 * seed["bytes"]
    assert results["overhead"]["scaling"]["size_ratio"] > 1

    tokens = results["tokens"]["rows"][0]
    assert tokens["usage_matches_rule"] and tokens["schema_tokens"] > 0 and tokens["message_tokens"] > tokens["chunk_text_tokens"]

    rows = results["concurrency"]["rows"]
    assert {r["n"] for r in rows} >= {1, 4} and all(r["failed_documents"] == 0 for r in rows)
    assert all(0 < r["efficiency"] <= 1.05 for r in rows)

    cache = results["cache"]
    assert cache["first_run"]["requests"] > 0
    assert cache["rerun"]["requests"] == 0 and cache["serial_requests"] == 0
    assert cache["rerun"]["cache_hits"] > 0

    systems = results["compare"]["systems"]
    assert "hidden by the bench smoke test" in systems["langextract"]["skipped"]
    assert systems["reportkit"]["summary"]["calls_per_doc"] == 1  # the quick seed fits one call, overview included
    calls = results["calls"]
    assert calls["documents"] == 1 and calls["calls_per_doc"] == 1 and calls["billed_per_source"] > 1
    assert calls["rows"][0]["schema_tokens"] > 0 and calls["rows"][0]["failures"] == 0
    assert systems["naive"]["summary"]["calls_per_doc"] == 1
    assert "langextract" in done.stdout and "not importable" in done.stdout

    assert all({"target", "measured", "met"} <= set(t) for t in results["targets"])
    print(f"bench --quick took {elapsed:.1f}s")  # the brief wants < 20 s; not asserted, CI machines vary
