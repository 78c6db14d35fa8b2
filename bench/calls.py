"""Calls and billed input tokens per document, pooled over the seeds and the corpus. Documents + gold → per-document rows and pooled ratios.

Each document runs through ``summarize(engine="llm")`` against ``reportkit.testing.FakeOpenAI``
answering with a ``RealisticResponder`` built from its gold (noise 0 by default: re-asks would
measure the model, not the packing). Per request the recorded JSON body is counted as providers
bill it: the messages plus the ``tools`` / ``response_format`` schema as compact JSON, by
``reportkit.testing.estimate_tokens``. Reported per document and pooled (sums over sums):

* ``calls``: HTTP requests (chunk calls, re-asks, the overview call);
* ``billed / source``: (message + schema tokens) / tokens of the document's text;
* ``max reply``: the longest single answer in tokens (what must fit a model's output limit);
* ``cpu ms``: reportkit's CPU for the document on the calling thread (``time.thread_time``), the
  figure check included, with the calls made one at a time (``Settings.concurrency = 1``) so that
  every stage runs on that thread; the fake server answers on its own threads and is not counted.

Beside the gold answers, the pooled figures are measured once more with noisy answers
(``NOISY``: re-asks and cut-off answers, as a mid-size model gives them).

``python -m bench.calls`` prints the table; ``--json PATH`` writes the rows.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .measure import message_tokens, run_section, schema_tokens

TARGET_CALLS = 3.0
TARGET_BILLED = 1.6
NOISY = 0.5
"""The RealisticResponder noise of the second, noisy row."""


class _Recording:
    """Wraps a responder and keeps the estimated tokens of each reply it gives."""

    def __init__(self, responder: Any, tokens: Any) -> None:
        self.responder, self.tokens = responder, tokens
        self.replies: list[int] = []

    def __call__(self, request: Any) -> Any:
        reply = self.responder(request)
        then = getattr(reply, "then", None)  # a Fault carrying a cut-off text
        shown = then if then is not None else reply
        self.replies.append(self.tokens(shown if isinstance(shown, str) else json.dumps(shown, ensure_ascii=False)))
        return reply


def run_one(label: str, path: Path, gold: dict[str, Any], mode: str = "tools", noise: float = 0.0,
            server: Any = None, **overrides: Any) -> dict[str, Any]:
    """One document: its requests, billed tokens, the longest reply and the client CPU.

    ``server``: a running ``FakeOpenAI`` whose responder can be swapped (``_Swap``), shared by the
    documents as one endpoint is by a batch (a new endpoint per document would measure the SDK
    client's construction, which a process makes once per endpoint).
    """
    from reportkit import api
    from reportkit.settings import Settings
    from reportkit.testing import FakeOpenAI, RealisticResponder, estimate_tokens

    doc = api.load(path)
    recording = _Recording(RealisticResponder([gold], noise=noise, seed=0), estimate_tokens)
    own = server is None
    srv = FakeOpenAI(responder=_Swap()).start() if own else server
    srv.reset()
    srv.responder.current = recording
    try:
        with tempfile.TemporaryDirectory(prefix="bench-calls-") as cache:
            settings = Settings(model="fake-model", base_url=srv.base_url, api_key="test", mode=mode,
                                cache_dir=cache, cache="off", **{"concurrency": 1, **overrides})
            cpu = time.thread_time()
            report = api.summarize(doc, engine="llm", settings=settings)
            cpu = time.thread_time() - cpu
            bodies = [r.body for r in srv.requests]
    finally:
        if own:
            srv.stop()
    source = estimate_tokens(doc.text)
    msg = sum(message_tokens(b) for b in bodies)
    schema = sum(schema_tokens(b) for b in bodies)
    return {
        "doc": label, "chars": len(doc.text), "source_tokens": source, "calls": len(bodies),
        "message_tokens": msg, "schema_tokens": schema, "billed_tokens": msg + schema,
        "billed_ratio": round((msg + schema) / max(1, source), 3),
        "max_reply_tokens": max(recording.replies, default=0), "output_tokens": report.run.output_tokens,
        "metrics": len(report.metrics), "failures": len(report.run.failures), "cpu_s": round(cpu, 4),
    }


class _Swap:
    """A responder that hands each request to ``current`` (one server for every document)."""

    current: Any = None

    def __call__(self, request: Any) -> Any:
        return self.current(request)


def _pooled(rows: list[dict[str, Any]]) -> dict[str, Any]:
    n = max(1, len(rows))
    source = sum(r["source_tokens"] for r in rows)
    calls = sum(r["calls"] for r in rows)
    cpu = sum(r["cpu_s"] for r in rows)
    return {
        "calls_per_doc": round(calls / n, 2),
        "billed_per_source": round(sum(r["billed_tokens"] for r in rows) / max(1, source), 3),
        "messages_per_source": round(sum(r["message_tokens"] for r in rows) / max(1, source), 3),
        "max_reply_tokens": max((r["max_reply_tokens"] for r in rows), default=0),
        "cpu_ms_per_doc": round(cpu / n * 1000, 1),
        "cpu_ms_per_call": round(cpu / max(1, calls) * 1000, 1),
    }


def measure(only: list[str] | None = None, mode: str = "tools", noise: float = 0.0, noisy: float | None = NOISY,
            **overrides: Any) -> dict[str, Any]:
    """Every document's row and the pooled figures against the issue's targets; with ``noisy``,
    the pooled figures again with answers of that noise (``result["noisy"]``)."""
    from reportkit.testing import FakeOpenAI

    from .realistic import documents

    docs = documents(only)
    with FakeOpenAI(responder=_Swap()) as srv:
        run_one(*docs[0], mode, noise, srv, **overrides)  # warm: imports, the SDK client, the prompts
        rows = [run_one(label, path, gold, mode, noise, srv, **overrides) for label, path, gold in docs]
        noisy_rows = [run_one(label, path, gold, mode, noisy, srv, **overrides) for label, path, gold in docs] \
            if noisy is not None and noisy != noise else []
    result: dict[str, Any] = {
        "mode": mode, "noise": noise, "documents": len(rows), "rows": rows, **_pooled(rows),
        "method": "RealisticResponder (gold answers) behind FakeOpenAI; billed = messages + tools/response_format "
                  "schema as compact JSON, by estimate_tokens (1 per CJK char or full-width mark, 1 per 4 other chars); "
                  "pooled = sum over sum; cpu = time.thread_time of summarize() with concurrency 1 (reportkit on "
                  "the calling thread, figure check included, fake server not counted)",
        "targets": {"calls_per_doc": TARGET_CALLS, "billed_per_source": TARGET_BILLED},
    }
    if noisy_rows:
        result["noisy"] = {"noise": noisy, "documents": len(noisy_rows), **_pooled(noisy_rows),
                           "failures": sum(r["failures"] for r in noisy_rows)}
    return result


def render(result: dict[str, Any]) -> str:
    """The per-document table, then the pooled figures against the targets."""
    from .report import table

    rows = [[r["doc"], r["chars"], r["source_tokens"], r["calls"], r["message_tokens"], r["schema_tokens"],
             r["billed_ratio"], r["max_reply_tokens"], r["metrics"], r["failures"]] for r in result["rows"]]
    out = [table(f"Calls and billed input tokens per document ({result['mode']}, noise {result['noise']})",
                 ["doc", "chars", "source tok", "calls", "message tok", "schema tok", "billed/src", "max reply",
                  "metrics", "failures"], rows, result["method"])]
    calls, billed = result["calls_per_doc"], result["billed_per_source"]
    out.append(f"   pooled over {result['documents']} documents: calls/doc {calls} (target <= {TARGET_CALLS}: "
               f"{'met' if calls <= TARGET_CALLS else 'missed'}); billed input / source {billed} "
               f"(messages only {result['messages_per_source']}; target <= {TARGET_BILLED}: "
               f"{'met' if billed <= TARGET_BILLED else 'missed'}); longest reply {result['max_reply_tokens']} tokens; "
               f"client CPU {result.get('cpu_ms_per_doc')} ms/doc, {result.get('cpu_ms_per_call')} ms/call")
    n = result.get("noisy")
    if n:
        out.append(f"   noisy answers (noise {n['noise']}): calls/doc {n['calls_per_doc']}; billed input / source "
                   f"{n['billed_per_source']} (messages only {n['messages_per_source']}; target <= {TARGET_BILLED}: "
                   f"{'met' if n['billed_per_source'] <= TARGET_BILLED else 'missed'}); longest reply "
                   f"{n['max_reply_tokens']} tokens; client CPU {n['cpu_ms_per_doc']} ms/doc, {n['cpu_ms_per_call']} ms/call; "
                   f"{n['failures']} run.failures")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.calls", description=__doc__.split("\n")[0])
    p.add_argument("--only", default=None, help="document labels, comma-separated (000, c01 …)")
    p.add_argument("--mode", default="tools")
    p.add_argument("--noise", type=float, default=0.0)
    p.add_argument("--noisy", type=float, default=NOISY, help=f"noise of the second row (default {NOISY}; -1: none)")
    p.add_argument("--chunk-chars", type=int, default=None, help="Settings.chunk_chars (default: the Settings default)")
    p.add_argument("--json", type=Path, default=None, help="write the rows here")
    args = p.parse_args(argv)
    overrides = {"chunk_chars": args.chunk_chars} if args.chunk_chars else {}
    only = args.only.split(",") if args.only else None
    noisy = None if args.noisy < 0 else args.noisy
    return run_section(lambda: measure(only, args.mode, args.noise, noisy, **overrides), render, args.json)


if __name__ == "__main__":
    sys.exit(main())
