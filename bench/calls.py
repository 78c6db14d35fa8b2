"""Calls and billed input tokens per document, pooled over the seeds and the corpus. Documents + gold → per-document rows and pooled ratios.

Each document runs through ``summarize(engine="llm")`` against ``reportkit.testing.FakeOpenAI``
answering with a ``RealisticResponder`` built from its gold (noise 0 by default: re-asks would
measure the model, not the packing). Per request the recorded JSON body is counted as providers
bill it: the messages plus the ``tools`` / ``response_format`` schema as compact JSON, by
``reportkit.testing.estimate_tokens``. Reported per document and pooled (sums over sums):

* ``calls``: HTTP requests (chunk calls, re-asks, the overview call);
* ``billed / source``: (message + schema tokens) / tokens of the document's text;
* ``max reply``: the longest single answer in tokens (what must fit a model's output limit).

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
            **overrides: Any) -> dict[str, Any]:
    """One document: its requests, billed tokens and the longest reply."""
    from reportkit import api
    from reportkit.settings import Settings
    from reportkit.testing import FakeOpenAI, RealisticResponder, estimate_tokens

    doc = api.load(path)
    recording = _Recording(RealisticResponder([gold], noise=noise, seed=0), estimate_tokens)
    with tempfile.TemporaryDirectory(prefix="bench-calls-") as cache, FakeOpenAI(responder=recording) as srv:
        settings = Settings(model="fake-model", base_url=srv.base_url, api_key="test", mode=mode,
                            cache_dir=cache, cache="off", **overrides)
        cpu = time.process_time()
        report = api.summarize(doc, engine="llm", settings=settings)
        cpu = time.process_time() - cpu
        bodies = [r.body for r in srv.requests]
    source = estimate_tokens(doc.text)
    msg = sum(message_tokens(b) for b in bodies)
    schema = sum(schema_tokens(b) for b in bodies)
    return {
        "doc": label, "chars": len(doc.text), "source_tokens": source, "calls": len(bodies),
        "message_tokens": msg, "schema_tokens": schema, "billed_tokens": msg + schema,
        "billed_ratio": round((msg + schema) / max(1, source), 3),
        "max_reply_tokens": max(recording.replies, default=0), "output_tokens": report.run.output_tokens,
        "metrics": len(report.metrics), "failures": len(report.run.failures), "cpu_s": round(cpu, 3),
    }


def measure(only: list[str] | None = None, mode: str = "tools", noise: float = 0.0, **overrides: Any) -> dict[str, Any]:
    """Every document's row and the pooled figures against the issue's targets."""
    from .realistic import documents

    rows = [run_one(label, path, gold, mode, noise, **overrides) for label, path, gold in documents(only)]
    n = max(1, len(rows))
    source = sum(r["source_tokens"] for r in rows)
    calls = sum(r["calls"] for r in rows) / n
    billed = sum(r["billed_tokens"] for r in rows) / max(1, source)
    messages = sum(r["message_tokens"] for r in rows) / max(1, source)
    return {
        "mode": mode, "noise": noise, "documents": len(rows), "rows": rows,
        "calls_per_doc": round(calls, 2), "billed_per_source": round(billed, 3),
        "messages_per_source": round(messages, 3),
        "max_reply_tokens": max((r["max_reply_tokens"] for r in rows), default=0),
        "cpu_s_per_doc": round(sum(r["cpu_s"] for r in rows) / n, 3),
        "method": "RealisticResponder (gold answers) behind FakeOpenAI; billed = messages + tools/response_format "
                  "schema as compact JSON, by estimate_tokens (1 per CJK char or full-width mark, 1 per 4 other chars); "
                  "pooled = sum over sum",
        "targets": {"calls_per_doc": TARGET_CALLS, "billed_per_source": TARGET_BILLED},
    }


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
               f"{'met' if billed <= TARGET_BILLED else 'missed'}); longest reply {result['max_reply_tokens']} tokens")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.calls", description=__doc__.split("\n")[0])
    p.add_argument("--only", default=None, help="document labels, comma-separated (000, c01 …)")
    p.add_argument("--mode", default="tools")
    p.add_argument("--noise", type=float, default=0.0)
    p.add_argument("--chunk-chars", type=int, default=None, help="Settings.chunk_chars (default: the Settings default)")
    p.add_argument("--json", type=Path, default=None, help="write the rows here")
    args = p.parse_args(argv)
    overrides = {"chunk_chars": args.chunk_chars} if args.chunk_chars else {}
    only = args.only.split(",") if args.only else None
    return run_section(lambda: measure(only, args.mode, args.noise, **overrides), render, args.json)


if __name__ == "__main__":
    sys.exit(main())
