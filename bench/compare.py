"""Side by side on the same documents, fake server and latency: reportkit, langextract, one whole-report call. Seeds → per-system rows.

* ``reportkit``: ``summarize(engine="llm")`` with default settings (sections packed into calls of
  up to 4000 characters and 64 figures, the whole report in one call when it fits, else one small
  overview call), ``COMPARE_CONCURRENCY`` calls in flight, cache off; every figure checked afterwards.
* ``langextract``: google's ``lx.extract`` through its OpenAI provider (``model_url`` = the fake
  server), with its defaults (``max_char_buffer=1000``, ``RegexTokenizer``, one extraction pass)
  but ``max_workers=COMPARE_CONCURRENCY``, and one few-shot example; the server answers in its
  JSON envelope. Extractions are aligned to the text (exact or fuzzy character intervals), not checked.
* ``naive``: ``instructor.from_openai(openai.OpenAI(base_url=fake), mode=TOOLS)``, one call with a
  Report-like response model over the whole text; nothing is grounded or checked.

The fake server answers after a fixed latency whatever the answer's length, which flatters one big
call: a real model decodes its output serially, so ``max reply tokens`` (the longest single
answer) is reported as the proxy for that cost, and for the risk of hitting max_tokens.
``billed`` counts what a provider bills as input: the messages plus the ``tools`` /
``response_format`` schema of every request (``measure.message_tokens`` + ``schema_tokens``),
also per source token of the documents (pooled: sums over sums).
"""

from __future__ import annotations

import logging
import statistics
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel, Field

from . import corpus
from reportkit.testing import estimate_tokens

from .measure import API_KEY, MODEL, message_tokens, schema_tokens, settings
from .server import FakeServer

COMPARE_CONCURRENCY = 8
"""Requests in flight per document for both reportkit (Settings.concurrency) and langextract (max_workers)."""

LANGEXTRACT_PROMPT = (
    "从中国地方政府工作报告中抽取：每个量化指标（metric，属性 name、value、unit、kind），"
    "每个存在的问题（problem）和每个下一步工作计划（plan）。extraction 的文字必须逐字照抄原文。"
)
NAIVE_PROMPT = (
    "请阅读下面这份工作报告全文，输出：overview（2–4 句概述）、meta（单位、地区、年份、发布时间、类型）、"
    "review（成绩）、problems（问题）、plans（计划）和 metrics（每个量化指标，quote 逐字照抄原文）。\n\n"
)


class NaiveItem(BaseModel):
    title: str = ""
    text: str = ""
    quote: str


class NaiveMetric(BaseModel):
    name: str
    value: float
    unit: str = ""
    kind: str = "other"
    period: Optional[str] = None
    qualifier: Optional[str] = None
    quote: str


class NaiveMeta(BaseModel):
    organization: Optional[str] = None
    region: Optional[str] = None
    report_year: Optional[int] = None
    published: Optional[str] = None
    doc_type: str = "other"


class NaiveReport(BaseModel):
    """The whole report in one answer."""

    overview: str = ""
    meta: NaiveMeta = Field(default_factory=NaiveMeta)
    review: list[NaiveItem] = Field(default_factory=list)
    problems: list[NaiveItem] = Field(default_factory=list)
    plans: list[NaiveItem] = Field(default_factory=list)
    metrics: list[NaiveMetric] = Field(default_factory=list)


def _reportkit(srv: FakeServer, seed: corpus.Seed, cache_dir: Path) -> dict[str, Any]:
    from reportkit import api

    report = api.summarize(seed.path, engine="llm",
                           settings=settings(srv.base_url, cache_dir, concurrency=COMPARE_CONCURRENCY))
    verified = sum(1 for m in report.metrics if m.check and m.check.status == "verified")
    return {"outputs": len(report.metrics), "output_kind": "metrics", "verified": verified}


def _langextract_example() -> Any:
    import langextract as lx

    text = "2023年,全镇实现地区生产总值58.6亿元,同比增长6.1%。存在问题:一是产业结构不优。下一步:力争新增市场主体500户。"
    return lx.data.ExampleData(text=text, extractions=[
        lx.data.Extraction("metric", "地区生产总值58.6亿元",
                           attributes={"name": "地区生产总值", "value": "58.6", "unit": "亿元", "kind": "actual"}),
        lx.data.Extraction("problem", "一是产业结构不优", attributes={"title": "产业结构不优"}),
        lx.data.Extraction("plan", "力争新增市场主体500户", attributes={"title": "新增市场主体"}),
    ])


def _langextract(srv: FakeServer, seed: corpus.Seed, cache_dir: Path) -> dict[str, Any]:
    import langextract as lx

    text = seed.path.read_text(encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its prompt-alignment and batch-size advice, not results
        result = lx.extract(text, prompt_description=LANGEXTRACT_PROMPT, examples=[_langextract_example()],
                            model_id="gpt-4o-mini", api_key=API_KEY, model_url=srv.base_url, show_progress=False,
                            max_workers=COMPARE_CONCURRENCY)
    statuses: dict[str, int] = {}
    for e in result.extractions or []:
        status = getattr(e.alignment_status, "name", None) or "unaligned"
        statuses[status.lower()] = statuses.get(status.lower(), 0) + 1
    metrics = sum(1 for e in result.extractions or [] if e.extraction_class == "metric")
    return {"outputs": metrics, "output_kind": "metric extractions", "alignment": statuses}


def _naive(srv: FakeServer, seed: corpus.Seed, cache_dir: Path) -> dict[str, Any]:
    import instructor
    import openai

    from reportkit import api

    doc = api.load(seed.path)
    client = openai.OpenAI(base_url=srv.base_url, api_key=API_KEY, max_retries=0)
    try:
        structured = instructor.from_openai(client, mode=instructor.Mode.TOOLS)
        report = structured.chat.completions.create(
            model=MODEL, response_model=NaiveReport, max_retries=1,
            messages=[{"role": "system", "content": "你是严谨的信息抽取助手。"},
                      {"role": "user", "content": NAIVE_PROMPT + doc.text}],
        )
    finally:
        client.close()
    return {"outputs": len(report.metrics), "output_kind": "metrics"}


SYSTEMS = {"reportkit": ("reportkit", _reportkit), "langextract": ("langextract", _langextract),
           "naive": ("naive", _naive)}


def langextract_missing() -> str | None:
    """Why langextract cannot run here, or None when it can."""
    try:
        import langextract  # noqa: F401
    except Exception as exc:  # ImportError, or a broken install of one of its many dependencies
        return f"langextract is not importable ({type(exc).__name__}: {exc}); pip install langextract"
    return None


def compare(srv: FakeServer, docs: list[corpus.Seed], latency: float) -> dict[str, Any]:
    """Calls, tokens and wall time per document for each system; a row with a reason where one cannot run."""
    logging.getLogger("absl").setLevel(logging.ERROR)  # langextract logs every fuzzy alignment
    systems: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-compare-") as tmp:
        for name, (kind, run) in SYSTEMS.items():
            reason = langextract_missing() if name == "langextract" else None
            if reason:
                systems[name] = {"skipped": reason}
                continue
            srv.configure(kind, latency=latency)
            rows = []
            try:
                run(srv, docs[0], Path(tmp))  # warm-up: imports and first connections stay out of the timings
                for seed in docs:
                    srv.reset()
                    start = time.perf_counter()
                    out = run(srv, seed, Path(tmp))
                    wall = time.perf_counter() - start
                    stats = srv.stats(bodies=True)
                    msg = sum(message_tokens(b) for b in stats.bodies)
                    schema = sum(schema_tokens(b) for b in stats.bodies)
                    rows.append({
                        "doc": seed.stem, "calls": stats.count, "wall_s": round(wall, 3),
                        "message_tokens": msg, "schema_tokens": schema, "billed_tokens": msg + schema,
                        "source_tokens": estimate_tokens(seed.path.read_text(encoding="utf-8")),
                        "reply_tokens": sum(stats.reply_tokens),
                        "max_reply_tokens": max(stats.reply_tokens, default=0), **out,
                    })
            except Exception as exc:  # a system that breaks is reported, the others still run
                systems[name] = {"skipped": f"failed: {type(exc).__name__}: {exc}"[:400], "rows": rows}
                continue
            systems[name] = {"rows": rows, "summary": _summary(rows)}
    return {"latency_s": latency, "concurrency": COMPARE_CONCURRENCY, "documents": [d.stem for d in docs],
            "systems": systems, "notes": NOTES}


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(rows)
    outputs = sum(r["outputs"] for r in rows)
    if all("verified" in r for r in rows):
        checked = f"{sum(r['verified'] for r in rows)} of {outputs} verified"
    elif all("alignment" in r for r in rows):
        statuses: dict[str, int] = {}
        for r in rows:
            for k, v in r["alignment"].items():
                statuses[k] = statuses.get(k, 0) + v
        checked = "not checked; extractions aligned " + ", ".join(f"{k.removeprefix('match_')} {v}" for k, v in sorted(statuses.items()))
    else:
        checked = "not checked"
    return {
        "calls_per_doc": round(sum(r["calls"] for r in rows) / n, 2),
        "message_tokens_per_doc": round(sum(r["message_tokens"] for r in rows) / n),
        "schema_tokens_per_doc": round(sum(r["schema_tokens"] for r in rows) / n),
        "billed_tokens_per_doc": round(sum(r["billed_tokens"] for r in rows) / n),
        "billed_per_source": round(sum(r["billed_tokens"] for r in rows) / max(1, sum(r["source_tokens"] for r in rows)), 3),
        "reply_tokens_per_doc": round(sum(r["reply_tokens"] for r in rows) / n),
        "max_reply_tokens": max(r["max_reply_tokens"] for r in rows),
        "wall_s_per_doc_median": round(statistics.median(r["wall_s"] for r in rows), 3),
        "outputs": outputs,
        "checked": checked,
    }


NOTES = [
    "All three get perfect answers from the same gold data, so outputs measure plumbing, not model quality.",
    "reportkit checks every figure against the source; langextract only aligns extraction text to the source "
    "(exact or fuzzy interval) and checks no value or unit; the naive call checks nothing.",
    "langextract sends its few-shot example in every chunk's prompt and answers in a JSON envelope "
    "(json_schema response_format); its default RegexTokenizer treats a run of Chinese characters as one token, "
    "so quotes inside a run align only fuzzily.",
    "The naive call is fastest under a fixed fake latency only because the fake server does not decode: its one "
    "answer holds every figure (max reply tokens), which a real model emits serially and which can exceed "
    "max_tokens on long reports.",
]
