"""Single-document measurements: pipeline overhead per stage, the call path, tokens, offline throughput. Seeds + fake server → dicts.

Stage timings call reportkit's public stage functions directly (``loading.read``,
``cleaning.find_boilerplate``, ``segmenting.segment``, ``chunking.chunk_document``,
``validation.validate``, rendering, ``review_page.report_to_html``). The LLM engine's own work
between the calls (prompt rendering, cache keys, grounding re-validation, locating quotes,
merging) is timed as ``extract (cached)``: ``extract_report`` answered entirely from a warm
cache, so no HTTP request is made. The end-to-end time is ``summarize(engine="llm")`` plus the
three renderings against a server answering at once; it includes the fake server's own work.
"""

from __future__ import annotations

import dataclasses
import logging
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from . import corpus, responders
from .measure import message_tokens, ms, schema_tokens, settings, timed
from .server import FakeServer

logger = logging.getLogger("bench")

STAGES = ("load", "clean", "segment", "chunk", "prompts", "schema_json", "extract_cached", "validate",
          "render_json", "render_markdown", "render_html")
# The stages whose sum is the time spent outside the model: extract_cached already contains
# segment, chunk, prompts and schema_json, which are listed for the breakdown only.
OUTSIDE_MODEL = ("load", "clean", "extract_cached", "validate", "render_json", "render_markdown", "render_html")


def _stage_times(seed: corpus.Seed, srv: FakeServer, cache_dir: Path, repeats: int) -> dict[str, Any]:
    from reportkit import api, cleaning, loading, segmenting, validation
    from reportkit.llm.chunking import chunk_document
    from reportkit.llm.engine import extract_report
    from reportkit.llm.prompts import load_prompts, response_model_for, schema_json
    from reportkit.review_page import report_to_html

    cached = settings(srv.base_url, cache_dir, cache="use")
    t: dict[str, float] = {}
    t["load"], raw = timed(lambda: loading.read(seed.path), repeats)
    t["clean"], boiler = timed(lambda: cleaning.find_boilerplate(raw.text), repeats)
    doc = dataclasses.replace(raw, boilerplate=boiler)
    t["segment"], outline = timed(lambda: segmenting.segment(doc.text, doc.boilerplate), repeats)
    t["chunk"], chunks = timed(lambda: chunk_document(doc, outline, chunk_chars=cached.chunk_chars,
                                                      chunk_overlap=cached.chunk_overlap), repeats)
    prompts = load_prompts()
    t["prompts"], _ = timed(lambda: [prompts.chunk_messages(text=c.text, section=c.section, heading=c.heading)
                                     for c in chunks], repeats)
    # reportkit hashes each chunk's response-model schema into its cache key; timed separately
    # because pydantic regenerates the schema on every call.
    t["schema_json"], _ = timed(lambda: [schema_json(response_model_for(c.section)) for c in chunks], repeats)
    srv.reset()
    extract_report(doc, settings=cached)  # fills the cache
    filled = srv.stats().count
    t["extract_cached"], report = timed(lambda: extract_report(doc, settings=cached), repeats)
    cached_calls = srv.stats().count - filled
    t["validate"], checked = timed(lambda: validation.validate(report, doc), repeats)
    t["render_json"], _ = timed(checked.to_json, repeats)
    t["render_markdown"], _ = timed(checked.to_markdown, repeats)
    t["render_html"], _ = timed(lambda: report_to_html(checked, doc), repeats)

    live = settings(srv.base_url, cache_dir)  # cache off: every call goes to the server

    def end_to_end() -> Any:
        out = api.summarize(seed.path, engine="llm", settings=live)
        out.to_json(), out.to_markdown(), out.to_html()  # to_html() re-reads the source, as a user's call does
        return out

    srv.reset()
    e2e, final = timed(end_to_end, repeats)
    calls = srv.stats().count // max(1, repeats)
    outside = sum(t[k] for k in OUTSIDE_MODEL)
    return {
        "doc": seed.stem, "bytes": seed.size, "chars": len(doc.text), "chunks": len(chunks), "calls": calls,
        "metrics": len(final.metrics), "reasks_or_retries": final.run.retries, "failures": len(final.run.failures),
        "stages_ms": {k: ms(v) for k, v in t.items()},
        "outside_model_ms": ms(outside),
        "end_to_end_ms": ms(e2e),
        "call_path_ms_per_call": ms((e2e - outside) / calls) if calls else None,
        "cached_extract_requests": cached_calls,
    }


def overhead(srv: FakeServer, docs: list[corpus.Seed], synthetic: corpus.Seed | None, repeats: int,
             big_repeats: int) -> dict[str, Any]:
    """Pipeline overhead per document and per stage, and how it scales from 10 KB to the big report."""
    srv.configure("reportkit", latency=0.0)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-overhead-") as tmp:
        # Warm-up on the smallest document: imports, template compilation, regex and schema caches.
        _stage_times(min(docs, key=lambda s: s.size), srv, Path(tmp) / "warm-up", 1)
        for seed in docs:
            rows.append(_stage_times(seed, srv, Path(tmp) / seed.stem, repeats))
        big = _stage_times(synthetic, srv, Path(tmp) / synthetic.stem, big_repeats) if synthetic else None
    result: dict[str, Any] = {"seeds": rows, "synthetic": big, "repeats": repeats,
                              "note": "medians; end_to_end includes the fake server's own work (HTTP, JSON, "
                                      "responder) and the SDK/instructor call path; outside_model = load + clean + "
                                      "extract(cached, no HTTP) + validate + JSON/Markdown/HTML rendering"}
    if big and rows:
        result["scaling"] = _scaling(rows, big)
    return result


def _scaling(rows: list[dict[str, Any]], big: dict[str, Any]) -> dict[str, Any]:
    """The big report's time against a 10 KB report's, per measure; linear = the size ratio."""
    size_ratio = big["bytes"] / (corpus.REFERENCE_KB * 1024)
    total_bytes = sum(r["bytes"] for r in rows)
    out: dict[str, Any] = {"size_ratio": round(size_ratio, 2),
                           "reference": "seconds per byte pooled over the seeds, times 10 KB"}
    measures = {"end_to_end": lambda r: r["end_to_end_ms"], "outside_model": lambda r: r["outside_model_ms"]}
    measures.update({f"stage:{k}": (lambda r, k=k: r["stages_ms"][k]) for k in STAGES})
    for name, get in measures.items():
        ref = sum(get(r) for r in rows) / total_bytes * corpus.REFERENCE_KB * 1024
        out[name] = {"ms_10kb": round(ref, 2), "ms_big": get(big),
                     "time_ratio": round(get(big) / ref, 1) if ref else None}
    return out


def call_path(srv: FakeServer, seed: corpus.Seed, calls: int) -> dict[str, Any]:
    """Milliseconds per call of one chunk request, by layer, against a server answering at once.

    ``sdk``: the openai SDK alone (request + fake server + parse); ``instructor``: plus
    instructor's schema, parsing and grounding validation; ``reportkit``: ``ModelClient.call``
    (plus message shielding and a per-call instructor patch); ``client_setup``: one new
    ``ModelClient`` (an openai client), which the LLM engine builds per document.
    """
    import instructor
    import openai

    from reportkit import api
    from reportkit.llm.chunking import chunk_document
    from reportkit.llm.client import ModelClient
    from reportkit.llm.prompts import load_prompts, response_model_for
    from reportkit.segmenting import segment

    doc = api.load(seed.path)
    chunk = max(chunk_document(doc, segment(doc.text, doc.boilerplate), chunk_chars=1800, chunk_overlap=120),
                key=lambda c: len(c.text))
    model = response_model_for(chunk.section)
    messages = load_prompts().chunk_messages(text=chunk.text, section=chunk.section, heading=chunk.heading)
    reply = responders.GoldIndex(corpus.load_gold()).in_text(chunk.text)
    srv.configure("constant", latency=0.0, reply=reply)
    s = settings(srv.base_url, Path(tempfile.gettempdir()))
    sdk = openai.OpenAI(base_url=srv.base_url, api_key=s.api_key.get_secret_value(), max_retries=0)
    tool = {"type": "function", "function": {"name": model.__name__, "parameters": model.model_json_schema()}}
    structured = instructor.from_openai(sdk, mode=instructor.Mode.TOOLS)
    client = ModelClient(s)
    layers = {
        "sdk": lambda: sdk.chat.completions.create(model=s.model, messages=messages, tools=[tool],
                                                   tool_choice={"type": "function", "function": {"name": model.__name__}}),
        "instructor": lambda: structured.chat.completions.create(model=s.model, messages=messages, response_model=model,
                                                                 context={"chunk": chunk.text}, max_retries=0),
        "reportkit": lambda: client.call(messages, model, context={"chunk": chunk.text}, label=chunk.id),
        "client_setup": lambda: ModelClient(s).close(),
    }
    out: dict[str, Any] = {"doc": seed.stem, "chunk_chars": len(chunk.text), "reply_metrics": len(reply["metrics"])}
    try:
        for name, fn in layers.items():
            fn()  # warm-up: imports, schema caches, the connection
            out[name] = ms(timed(fn, calls)[0])
    finally:
        client.close()
        sdk.close()
    return out


def tokens(srv: FakeServer, docs: list[corpus.Seed]) -> dict[str, Any]:
    """Calls and input tokens per document against the source's own size, from the recorded requests."""
    from reportkit import api
    from reportkit.testing import estimate_tokens

    srv.configure("reportkit", latency=0.0)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-tokens-") as tmp:
        for seed in docs:
            doc = api.load(seed.path)
            srv.reset()
            report = api.summarize(seed.path, engine="llm", settings=settings(srv.base_url, Path(tmp)))
            bodies = srv.stats(bodies=True).bodies
            chunk_bodies = [b for b in bodies if not _is_overview(b)]
            chunk_text = sum(estimate_tokens(_chunk_of(b)) for b in chunk_bodies)
            msg = sum(message_tokens(b) for b in bodies)
            schema = sum(schema_tokens(b) for b in bodies)
            source = estimate_tokens(doc.text)
            content = sum(estimate_tokens(doc.text[a:b]) for a, b in doc.content_ranges)
            rows.append({
                "doc": seed.stem, "source_tokens": source, "content_tokens": content, "calls": len(bodies),
                "chunk_text_tokens": chunk_text,
                "instruction_tokens_per_chunk_call": round((sum(message_tokens(b) for b in chunk_bodies) - chunk_text)
                                                           / max(1, len(chunk_bodies))),
                "overview_call_tokens": sum(message_tokens(b) for b in bodies if _is_overview(b)),
                "message_tokens": msg, "schema_tokens": schema, "schema_tokens_per_call": round(schema / max(1, len(bodies))),
                "usage_input_tokens": report.run.input_tokens, "usage_matches_rule": report.run.input_tokens == msg,
                "output_tokens": report.run.output_tokens,
                "ratio_message": round(msg / source, 2), "ratio_message_schema": round((msg + schema) / source, 2),
            })
        sweep = _chunk_sweep(srv, next((d for d in docs if d.stem.startswith("003")), docs[-1]), Path(tmp))
    return {"rows": rows, "chunk_sweep": sweep,
            "rule": "estimate_tokens: 1 per CJK character or full-width mark, 1 per 4 other characters",
            "target": "input tokens <= 1.5 x source tokens for seed 003"}


SWEEP_CHUNK_CHARS = (1800, 3600, 7200)


def _chunk_sweep(srv: FakeServer, seed: corpus.Seed, cache_dir: Path) -> dict[str, Any]:
    """Input tokens of one document at larger chunk budgets: how much of the overhead is per call."""
    from reportkit import api
    from reportkit.testing import estimate_tokens

    source = estimate_tokens(api.load(seed.path).text)
    rows = []
    for chars in SWEEP_CHUNK_CHARS:
        srv.reset()
        api.summarize(seed.path, engine="llm", settings=settings(srv.base_url, cache_dir, chunk_chars=chars))
        bodies = srv.stats(bodies=True).bodies
        msg, schema = sum(message_tokens(b) for b in bodies), sum(schema_tokens(b) for b in bodies)
        rows.append({"chunk_chars": chars, "calls": len(bodies), "message_tokens": msg, "schema_tokens": schema,
                     "ratio_message": round(msg / source, 2), "ratio_message_schema": round((msg + schema) / source, 2)})
    return {"doc": seed.stem, "source_tokens": source, "rows": rows}


def _is_overview(body: dict[str, Any]) -> bool:
    tools = body.get("tools") or [{}]
    return (tools[0].get("function") or {}).get("name") == responders.OVERVIEW_TOOL


def _chunk_of(body: dict[str, Any]) -> str:
    from .measure import _text

    user = "\n".join(_text(m.get("content")) for m in body.get("messages", []) if m.get("role") == "user")
    found = responders.CHUNK.search(user)
    return found.group(1) if found else ""


def offline(docs: list[corpus.Seed], rounds: int) -> dict[str, Any]:
    """Throughput of the offline ``rules`` engine (end to end) and of the validator alone."""
    from reportkit import api, validation
    from reportkit.rules import summarize_document
    from reportkit.settings import Settings

    uncached = Settings(cache="off")  # the work itself, not a report-cache read (the cache row measures that)
    total_bytes = sum(s.size for s in docs)
    api.summarize(docs[0].path, engine="rules", settings=uncached)  # warm-up: imports and compiled patterns
    start = time.perf_counter()
    for _ in range(rounds):
        for seed in docs:
            api.summarize(seed.path, engine="rules", settings=uncached)
    engine_s = time.perf_counter() - start
    loaded = [api.load(s.path) for s in docs]
    unchecked = [summarize_document(d) for d in loaded]
    metrics = sum(len(r.metrics) for r in unchecked)
    validation.validate(unchecked[0], loaded[0])
    start = time.perf_counter()
    for _ in range(rounds):
        for report, doc in zip(unchecked, loaded):
            validation.validate(report, doc)
    validate_s = time.perf_counter() - start
    n = rounds * len(docs)
    mb = rounds * total_bytes / 1e6
    return {
        "documents": len(docs), "rounds": rounds, "bytes": total_bytes,
        "rules_engine": {"docs_per_s": round(n / engine_s, 2), "mb_per_s": round(mb / engine_s, 3),
                         "ms_per_doc": ms(engine_s / n)},
        "validator": {"docs_per_s": round(n / validate_s, 2), "mb_per_s": round(mb / validate_s, 3),
                      "ms_per_doc": ms(validate_s / n), "metrics_per_s": round(rounds * metrics / validate_s, 1),
                      "metrics_per_doc": round(metrics / len(docs), 1)},
        "note": "rules engine = summarize(engine='rules'): load, clean, rules, validate; validator = validate() "
                "on the rules engine's unchecked report",
    }


def spread(values: list[float]) -> dict[str, float]:
    """Median and max of a list of numbers (for per-document timings)."""
    return {"median": round(statistics.median(values), 3), "max": round(max(values), 3)} if values else {}
