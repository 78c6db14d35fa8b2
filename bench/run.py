"""The harness's entry: options, the order of the measurements, the printed table and the JSON file. argv → results on stdout + JSON.

``python -m bench`` runs everything with the defaults (a few minutes); ``--quick`` runs one small
seed, a small batch and a tiny latency (seconds: what the smoke test runs).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import traceback
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from . import batches, corpus, scenarios
from .report import budget, render, targets
from .server import FakeServer

SECTIONS = ("overhead", "call_path", "tokens", "calls", "concurrency", "scheduler", "memory", "cache", "offline", "validation",
            "compare", "ray", "realistic", "fuzz")
DEFAULT_JSON = corpus.ROOT / "bench" / "results" / "latest.json"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark reportkit against a fake OpenAI-compatible server on 127.0.0.1: pipeline overhead, "
                    "concurrency, cache, tokens, offline throughput, and a comparison with langextract and a "
                    "single whole-report call. Prints tables and writes JSON.")
    p.add_argument("--quick", action="store_true", help="one small seed, small batch, tiny latency (for the smoke test)")
    p.add_argument("--json", type=Path, default=DEFAULT_JSON, metavar="PATH", help=f"where to write the results (default {DEFAULT_JSON.relative_to(corpus.ROOT)})")
    p.add_argument("--latency", type=float, default=None, help="seconds per fake model call in the concurrency and compare runs (default 0.3; --quick 0.02)")
    p.add_argument("--batch", type=int, default=None, help="documents in the concurrency and cache batches (default 50; --quick 6)")
    p.add_argument("--levels", default=None, help="concurrency levels, comma-separated (default 1,4,16,64; --quick 1,4)")
    p.add_argument("--strategies", default="documents,split", help="how N is split between documents and chunks: documents,split")
    p.add_argument("--repeats", type=int, default=None, help="repeats per single-document timing (median; default 5; --quick 1)")
    p.add_argument("--synthetic-kb", type=int, default=None, help="size of the concatenated report in KB (default 200; --quick 20)")
    p.add_argument("--seeds", default=None, help="seed stem prefixes, comma-separated (default all; --quick 004)")
    p.add_argument("--server", choices=("process", "thread"), default="process", help="where the fake server runs (default: its own process)")
    p.add_argument("--skip-compare", action="store_true", help="skip the reportkit / langextract / naive comparison")
    p.add_argument("--copies", type=int, default=20, help="copies of each seed in the Ray corpus-scale rows (default 20; "
                   "the section runs with --only ray, and in a full run, not in --quick)")
    p.add_argument("--fuzz-seconds", type=float, default=None, help="time budget of the fuzzing section (default 120; --quick 3)")
    p.add_argument("--only", default=None, help=f"run only these sections, comma-separated: {','.join(SECTIONS)}")
    args = p.parse_args(argv)
    quick = args.quick
    args.latency = args.latency if args.latency is not None else (0.02 if quick else 0.3)
    args.batch = args.batch or (6 if quick else 50)
    args.levels = [int(x) for x in (args.levels or ("1,4" if quick else "1,4,16,64")).split(",")]
    args.strategies = [s for s in args.strategies.split(",") if s]
    args.repeats = args.repeats or (1 if quick else 5)
    args.fuzz_seconds = args.fuzz_seconds if args.fuzz_seconds is not None else (3.0 if quick else 120.0)
    args.synthetic_kb = args.synthetic_kb or (20 if quick else 200)
    args.seeds = args.seeds.split(",") if args.seeds else ([corpus.QUICK_SEED[:3]] if quick else None)
    wanted = set(args.only.split(",")) if args.only else set(SECTIONS)
    if args.skip_compare:
        wanted.discard("compare")
    if quick and not args.only:
        wanted.discard("ray")  # a Ray cluster takes longer to start than --quick runs
    unknown = wanted - set(SECTIONS)
    if unknown:
        p.error(f"unknown sections: {', '.join(sorted(unknown))}")
    args.sections = [s for s in SECTIONS if s in wanted]
    return args


def _offline_network() -> None:
    """Make any call that escapes the fake server fail at once, and keep proxies off loopback."""
    from reportkit.testing import CLOSED_BASE_URL

    for name in list(os.environ):
        if name.startswith("REPORTKIT_") or name.endswith("_API_KEY"):
            del os.environ[name]
    os.environ["OPENAI_BASE_URL"] = CLOSED_BASE_URL
    os.environ["NO_PROXY"] = ",".join(filter(None, ("127.0.0.1,localhost", os.environ.get("NO_PROXY"))))
    os.environ["no_proxy"] = os.environ["NO_PROXY"]


def _versions() -> dict[str, str]:
    out = {}
    for name in ("reportkit", "openai", "instructor", "pydantic", "langextract"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the table and write the JSON. Returns 0, or 1 when a section failed."""
    args = parse_args(argv)
    _offline_network()
    started = time.perf_counter()
    pool = corpus.seeds(args.seeds)
    if not pool:
        print(f"no seeds match {args.seeds} in {corpus.SEEDS}", file=sys.stderr)
        return 2
    results: dict[str, Any] = {"meta": {
        "argv": sys.argv[1:] if argv is None else argv, "quick": args.quick, "latency_s": args.latency,
        "batch": args.batch, "levels": args.levels, "repeats": args.repeats, "server": args.server,
        "seeds": [s.stem for s in pool], "gold": str(corpus.GOLD) if corpus.load_gold() else "missing: empty answers",
        "python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
        "versions": _versions(), "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "token_rule": "reportkit.testing.estimate_tokens (1 per CJK char, 1 per 4 other chars)",
    }}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp, FakeServer(args.server) as srv:
        synthetic = corpus.synthetic_report(args.synthetic_kb * 1024, Path(tmp)) if "overhead" in args.sections else None
        steps = {
            "overhead": lambda: scenarios.overhead(srv, pool, synthetic, args.repeats, max(1, min(3, args.repeats))),
            "call_path": lambda: scenarios.call_path(srv, max(pool, key=lambda s: s.size), 5 if args.quick else 30),
            "tokens": lambda: scenarios.tokens(srv, pool),
            "calls": lambda: __import__("bench.calls", fromlist=["measure"]).measure(
                [corpus.QUICK_SEED[:3]] if args.quick else None),
            "concurrency": lambda: batches.concurrency(srv, pool, args.batch, args.latency, args.levels, args.strategies),
            "scheduler": lambda: batches.scheduled(6 if args.quick else 48, args.latency, 4 if args.quick else 16,
                                                   placement=args.server, runs=1 if args.quick else 3),
            "memory": lambda: batches.memory((3, 6) if args.quick else (100, 1000)),
            "cache": lambda: __import__("bench.rerun", fromlist=["measure"]).measure(
                [corpus.QUICK_SEED[:3]] if args.quick else None),
            "offline": lambda: scenarios.offline(pool, 2 if args.quick else 10),
            "validation": lambda: __import__("bench.validation", fromlist=["measure"]).measure(
                1 if args.quick else 3, {"10k": 10_000} if args.quick else None),
            "compare": lambda: __import__("bench.compare", fromlist=["compare"]).compare(srv, pool, args.latency),
            "ray": lambda: __import__("bench.ray_scale", fromlist=["ray_scale"]).ray_scale(srv, pool, args.copies, args.latency),
            "realistic": lambda: __import__("bench.realistic", fromlist=["measure"]).measure(
                [corpus.QUICK_SEED[:3]] if args.quick else None, modes=("tools",) if args.quick else ("tools", "json")),
            "fuzz": lambda: __import__("bench.fuzz", fromlist=["fuzz"]).fuzz(args.fuzz_seconds),
        }
        for name in args.sections:
            print(f"[bench] {name} …", file=sys.stderr, flush=True)
            t0 = time.perf_counter()
            try:
                results[name] = steps[name]()
            except Exception as exc:  # one broken section must not lose the others' numbers
                traceback.print_exc()
                results[name] = {"error": f"{type(exc).__name__}: {exc}"[:500]}
            print(f"[bench] {name} done in {time.perf_counter() - t0:.1f}s", file=sys.stderr, flush=True)
    if "compare" not in args.sections:
        results["compare"] = {"skipped": "--skip-compare" if args.skip_compare else "not selected with --only"}
    results["budget"] = budget(results)
    results["targets"] = targets(results)
    results["meta"]["seconds"] = round(time.perf_counter() - started, 1)
    print(render(results))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nwrote {args.json}")
    return 1 if any("error" in results[n] for n in args.sections) else 0
