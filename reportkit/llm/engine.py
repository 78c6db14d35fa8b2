"""The LLM engine: chunk, pack, ask, ground, merge, sum up. Document + Settings → Report (api.py validates it).

The document's chunks are packed into calls (``chunking.pack_document``: consecutive sections up
to ``Settings.chunk_chars`` characters and ``FIGURES_PER_CALL`` figures), each part marked with its
section's role in the prompt, all asked with one response model. A document that fits one call
is read whole: that call also writes the overview and meta. A longer one gets one more, small
call that writes them from the merged items and the page top, not from the whole text (as does a
whole-document answer that left them out). Every answer comes from the cache or the model, and
every quote is located in ``Document.text``. Calls run on a thread pool bounded by
``Settings.concurrency`` — no ``asyncio.run``, so this works inside a running event loop
(Jupyter) — and results are assembled in pack order, so the report does not depend on which
answer came back first.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from pydantic import BaseModel, ValidationError

from ..document import Document
from ..errors import CacheMissError, ConfigError, ExtractionError
from ..index import build_index
from ..locating import Locator
from ..schema import Check, Failure, Item, Metric, Report, RunInfo
from ..segmenting import segment
from . import merging
from .cache import ResponseCache, cache_key, canonical_json, endpoint_host, sha256_text
from .answers import for_instructor
from .asking import answer_chunk
from .chunking import FIGURES_PER_CALL, Pack, pack_document
from .scheduler import critical
from .prompts import (
    CHUNK_TEMPLATE,
    OVERVIEW_TEMPLATE,
    SYSTEM_TEMPLATE,
    Prompts,
    ReportOverview,
    load_prompts,
    pack_context,
    response_model_for,
    schema_json,
)

if TYPE_CHECKING:
    from ..settings import Settings
    from .client import ModelClient, Usage

logger = logging.getLogger("reportkit")

ITEM_KINDS = ("review", "problems", "plans")


@dataclass(frozen=True)
class _Job:
    """One model request: its messages, response model, grounding context and cache key.

    ``chunk`` is the pack the request reads (None for the overview call).
    """

    label: str
    messages: list[dict[str, str]]
    model: type[BaseModel]
    context: dict[str, Any]
    key: str
    fields: dict[str, Any]
    chunk: Pack | None = None


_ANSWER_FAILURES = {"ValidationError", "IncompleteOutputException", "InstructorRetryException"}


def _any_answered(outcomes: list["_Outcome"]) -> bool:
    """True when at least one chunk got an answer from the model, even an invalid one."""
    return any(getattr(o.error, "error_type", None) in _ANSWER_FAILURES for o in outcomes)


@dataclass
class _Outcome:
    job: _Job
    value: BaseModel | None
    cached: bool = False
    usage: Usage | None = None
    error: ExtractionError | None = None


@dataclass
class _Tally:
    """What the run did: its calls' cost (one ``client.Usage``, the engine's only counter of
    requests, retries and tokens), the answers read from the cache, and the failures.

    Counted on the calling thread, from the outcomes in pack order, never by the worker threads.
    """

    usage: Usage = field(default_factory=lambda: _usage())
    cache_hits: int = 0
    failures: list[Failure] = field(default_factory=list)

    def count(self, outcome: _Outcome) -> None:
        if outcome.cached:
            self.cache_hits += 1
        if outcome.usage is not None:
            self.usage.add(outcome.usage)


def _usage() -> Usage:
    from .client import Usage  # llm imports its model-call module only when it is used

    return Usage()


class _Models:
    """Creates the model client on first use, so a run answered from the cache never imports openai."""

    def __init__(self, settings: Settings, client: Any) -> None:
        self.settings, self._client = settings, client
        self._made: ModelClient | None = None
        self._lock = threading.Lock()

    def get(self) -> ModelClient:
        with self._lock:
            if self._made is None:
                from .client import ModelClient

                self._made = ModelClient(self.settings, self._client)
            return self._made

    def close(self) -> None:
        if self._made is not None:
            self._made.close()


def extract_report(doc: Document, *, settings: Settings, client: Any = None) -> Report:
    """Summarise ``doc`` with the LLM engine (without the figure check, which ``api`` runs).

    A re-run with the same document and settings is answered from the cache: it sends no request
    and returns the same report except ``run``, whose counters say what this run did (``calls``
    becomes 0 and ``cache_hits`` counts the answers read back; ``seconds`` differs).

    Args:
        doc: the document (boilerplate already marked).
        settings: model, endpoint, chunking, concurrency, retries and cache policy.
        client: the caller's own ``openai.OpenAI`` client, if any.

    Returns:
        A Report with ``run.engine == "llm"``; chunks that failed for good are listed in
        ``run.failures`` (stage ``extraction``), quotes that could not be placed too (``locate``).

    Raises:
        ExtractionError: no chunk got an answer (endpoint unreachable, every request rejected),
            or a failure that every call would hit (a rejected key, an unknown model or URL).
            Answers that all failed validation give a report with those failures listed.
        CacheMissError: ``cache="replay"`` and an answer is not cached (nothing is sent then).
        ConfigError: no model is configured, or the client or cache directory is unusable.
    """
    started = time.perf_counter()
    if not settings.model:
        raise ConfigError("the LLM engine needs a model name: set REPORTKIT_MODEL or pass Settings(model=...)")
    prompts = load_prompts()
    outline = segment(doc.text, doc.boilerplate)
    packs = pack_document(doc, outline, chunk_chars=settings.chunk_chars, chunk_overlap=settings.chunk_overlap,
                          max_figures=settings.figures_per_call or FIGURES_PER_CALL)
    base = _base_fields(settings, client)
    whole = merging.header(doc) if len(packs) == 1 else None
    jobs = [_chunk_job(prompts, pack, base, whole, doc) for pack in packs]
    tally = _Tally()
    models = _Models(settings, client)
    with ResponseCache(settings.cache_dir, settings.cache, url=settings.cache_url) as cache:
        try:
            if cache.policy == "replay":
                _require_cached(cache, jobs, settings)
            outcomes = _run(jobs, lambda job: _ask(job, cache, models), settings.concurrency)
            for outcome in outcomes:
                tally.count(outcome)
            body = _assemble(doc, outcomes, tally)
            if jobs and all(o.value is None for o in outcomes) and not _any_answered(outcomes):
                # nothing reached a model (endpoint down, every request rejected): an error, not a
                # report; when the model answered but every answer failed grounding, the run is a
                # report with those failures listed, so a weak model is visible rather than fatal
                first = next(o.error for o in outcomes if o.error is not None)
                raise ExtractionError(
                    f"every chunk failed ({len(jobs)}); the first: {first}",
                    chunk_id=first.chunk_id, attempts=sum(o.usage.requests for o in outcomes if o.usage),
                ) from first
            overview, meta_fields = _folded(outcomes)
            if jobs and not overview:
                overview, meta_fields = _overview(doc, outline, prompts, body, base, cache, models, tally, outcomes)
        finally:
            models.close()
    usage = tally.usage
    run = RunInfo(
        engine="llm", model=settings.model, prompt_version=prompts.version, calls=usage.requests,
        cache_hits=tally.cache_hits, input_tokens=usage.input_tokens, output_tokens=usage.output_tokens,
        retries=usage.retries, seconds=round(time.perf_counter() - started, 6), failures=tally.failures,
    )
    logger.info("reportkit: %d calls' worth of text, %d requests, %d cache hits, %d failures",
                len(jobs), run.calls, run.cache_hits, len(run.failures))
    return Report(meta=merging.build_meta(meta_fields, doc), overview=overview, run=run, **body)


def with_notes(checked: Report, extracted: Report) -> Report:
    """``checked`` with each metric's normalisation note (a rescaled value …) after the check's own detail.

    The figure check writes ``check`` afresh; what normalisation changed in the model's answer
    is the engine's to say, so it is appended here, metric by metric (the check keeps their order).
    """
    notes = [m.check.detail if m.check.detail.startswith("normalised") else "" for m in extracted.metrics]
    if not any(notes) or len(notes) != len(checked.metrics):
        return checked
    metrics = [
        m if not note else m.model_copy(update={"check": m.check.model_copy(
            update={"detail": f"{m.check.detail}; {note}" if m.check.detail else note})})
        for m, note in zip(checked.metrics, notes)
    ]
    return checked.model_copy(update={"metrics": metrics})


async def aextract_report(doc: Document, *, settings: Settings, client: Any = None) -> Report:
    """``extract_report`` for async callers: runs on a worker thread, never blocking the event loop."""
    return await asyncio.to_thread(extract_report, doc, settings=settings, client=client)


def _base_fields(settings: Settings, client: Any) -> dict[str, Any]:
    from .client import endpoint_url  # llm imports openai only inside its functions

    return {
        "model": settings.model,
        "endpoint": endpoint_host(endpoint_url(settings, client)),
        "mode": settings.mode,
        "schema_in_request": settings.provider == "llamacpp" and settings.mode == "json",
        "temperature": settings.temperature,
        "seed": settings.seed,
        "max_tokens": settings.max_tokens,
    }


def _chunk_job(prompts: Prompts, pack: Pack, base: dict[str, Any], header: str | None, doc: Document) -> _Job:
    """The request for one pack; with ``header`` (the page top) it reads the whole document and
    asks for the overview and meta too, showing what precedes the first part."""
    fold = header is not None
    top = merging.page_top(doc, pack.start, minimum=0) if fold else ""  # the call reads the rest
    messages = prompts.chunk_messages(pack=pack, fold=fold, header=top)
    model = response_model_for(whole=fold)
    fields = {
        **base,
        "call": "chunk",
        "prompts": prompts.hashes(SYSTEM_TEMPLATE, CHUNK_TEMPLATE),
        "schema": sha256_text(schema_json(model)),
        "chunk": sha256_text(pack.text),
        "messages": sha256_text(canonical_json(messages)),
    }
    return _Job(pack.id, messages, model, pack_context(pack, header), cache_key(fields), fields, pack)


def _folded(outcomes: list[_Outcome]) -> tuple[str, dict[str, Any] | None]:
    """The overview and meta a whole-document answer wrote ("" when it wrote none)."""
    if len(outcomes) != 1 or outcomes[0].value is None:
        return "", None
    value = outcomes[0].value
    overview, meta = getattr(value, "overview", ""), getattr(value, "meta", None)
    if not overview or meta is None:
        return "", None
    return overview, meta.model_dump()


def _require_cached(cache: ResponseCache, jobs: list[_Job], settings: Settings) -> None:
    for job in jobs:
        if cache.get(job.key, job.fields, failures=True) is None:  # a recorded failure is replayed
            raise _miss(job, settings, cache.rejected.get(job.key))


def _miss(job: _Job, settings: Settings, rejected: str | None = None) -> CacheMissError:
    where = f" ({job.chunk.section}, characters {job.chunk.start}-{job.chunk.end})" if job.chunk else ""
    what = f"the cached answer was rejected ({rejected})" if rejected else "no cached answer"
    return CacheMissError(
        f"cache='replay' and {what} for {job.label}{where} with model {settings.model!r} at "
        f"{job.fields['endpoint']!r} in {settings.cache_dir}; run once with cache='use' to record it",
        chunk_id=job.label,
    )


def _run(jobs: list[_Job], work: Callable[[_Job], _Outcome], concurrency: int) -> list[_Outcome]:
    """Run ``work`` over ``jobs`` on at most ``concurrency`` threads; results in job order.

    The first fatal error (or cache miss) cancels the jobs not yet started and is raised.
    """
    workers = min(concurrency, len(jobs))
    if workers <= 1:
        return [work(job) for job in jobs]
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="reportkit-llm")
    try:
        # each job in a copy of the caller's context: a batch's request meter (llm.scheduler) follows it
        futures = [pool.submit(contextvars.copy_context().run, work, job) for job in jobs]
        for future in as_completed(futures):
            future.result()
        return [f.result() for f in futures]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _ask(job: _Job, cache: ResponseCache, models: _Models) -> _Outcome:
    """Answer one job from the cache, else from the model (caching only a clean success)."""
    from .client import ModelCallError

    record = cache.get(job.key, job.fields, failures=cache.policy == "replay")
    if record is not None and record.get("failure") is not None:
        return _replayed_failure(job, record)  # replay only: under use a failed call is asked again
    if record is not None:
        value = _revalidate(job, record)
        if value is not None:
            return _Outcome(job, value, cached=True)
    if cache.policy == "replay":
        raise _miss(job, models.settings, cache.rejected.get(job.key))
    try:
        if job.chunk is not None:
            value, completion, usage, error = answer_chunk(job, models.get(), load_prompts(), models.settings.reasks)
        else:
            answer = models.get().call(job.messages, for_instructor(job.model), context=job.context, label=job.label)
            value, completion, usage, error = answer.value, answer.completion, answer.usage, None
    except ModelCallError as exc:
        if exc.fatal:
            raise
        logger.warning("reportkit: %s failed: %s", job.label, exc)
        cache.put_failure(job.key, job.fields, job.label, exc, *_partial(exc.salvaged))
        return _Outcome(job, exc.salvaged, usage=exc.usage, error=exc)
    if error is not None:
        logger.warning("reportkit: %s: %s", job.label, error)
        cache.put_failure(job.key, job.fields, job.label, error, *_partial(value))
        return _Outcome(job, value, usage=usage, error=error)
    cache.put(job.key, {
        "call": job.fields["call"], "label": job.label, "response_model": job.model.__name__,
        "key_fields": job.fields, "result": value.model_dump(mode="json"), "completion": completion,
        "notes": _notes(value),
    })
    return _Outcome(job, value, usage=usage)


def _partial(value: BaseModel | None) -> tuple[dict[str, Any] | None, list[str] | None]:
    """The valid part of a failed call's answer and its notes, recorded beside the failure."""
    return (value.model_dump(mode="json"), _notes(value)) if value is not None else (None, None)


def _replayed_failure(job: _Job, record: dict[str, Any]) -> _Outcome:
    """A recorded failure as the run that recorded it saw it: the error, and the valid part kept."""
    from .cache import RecordedFailure

    value = _revalidate(job, record) if record.get("result") is not None else None
    return _Outcome(job, value, cached=True, error=RecordedFailure(record["failure"], chunk_id=job.label))


def _notes(value: BaseModel) -> list[str]:
    """The normalisation note of each metric (kept beside the cached result: it is not a field)."""
    return [getattr(m, "_note", "") for m in getattr(value, "metrics", None) or []]


def _revalidate(job: _Job, record: dict[str, Any]) -> BaseModel | None:
    """The cached result, validated again against the job's context (None if it no longer passes)."""
    try:
        value = job.model.model_validate(record.get("result"), context=job.context)
    except ValidationError as exc:
        logger.warning("reportkit: cached answer for %s no longer validates (%s); asking again",
                       job.label, exc.error_count())
        return None
    if getattr(value, "rejected", None):
        logger.warning("reportkit: cached answer for %s no longer validates (%d entries); asking again",
                       job.label, len(value.rejected))  # type: ignore[attr-defined]
        return None
    notes = record.get("notes") or []
    for m, note in zip(getattr(value, "metrics", None) or [], notes):
        if note and not m._note:
            m._note = note
    return value


def _assemble(doc: Document, outcomes: list[_Outcome], tally: _Tally) -> dict[str, Any]:
    """Locate every quote, record failures, merge across chunks: the report body."""
    index = build_index(doc)  # kept on the Document: the figure check reuses it, and its fold
    locator = Locator.prefolded(index.text, index.loose, index.loose_at)
    found: dict[str, list[merging.Found]] = {k: [] for k in (*ITEM_KINDS, "metrics")}
    for outcome in outcomes:
        chunk = outcome.job.chunk
        assert chunk is not None
        if outcome.error is not None:
            error = outcome.error
            dropped = getattr(error, "dropped", ())
            kept = " (its valid entries were kept)" if outcome.value is not None else ""
            detail = f"; dropped {len(dropped)}: " + " | ".join(dropped[:5]) if dropped else ""
            tally.failures.append(Failure(
                stage="extraction", chunk_id=chunk.id, error_type=getattr(error, "error_type", type(error).__name__),
                message=f"{error}{kept}{detail}", attempts=error.attempts,
            ))
        if outcome.value is None:
            continue
        if outcome.error is None and not any(getattr(outcome.value, k, None) for k in (*ITEM_KINDS, "metrics")):
            _empty_answer(index, chunk, tally)
        near = (chunk.start, chunk.end)
        for kind in ITEM_KINDS:
            for i, out in enumerate(getattr(outcome.value, kind, None) or []):
                span, quote = _place(locator, out.quote, near, chunk, kind, tally)
                item = Item(title=out.title or merging.short_title(quote), text=out.text, quote=quote, span=span)
                found[kind].append(merging.Found(item, chunk.index, i, chunk.start))
        for i, out in enumerate(getattr(outcome.value, "metrics", None) or []):
            span, quote = _place(locator, out.quote, near, chunk, "metrics", tally)
            metric = Metric(
                name=out.name, value=out.value, value_text=out.value_text, unit=out.unit, kind=out.kind,
                period=out.period, qualifier=out.qualifier, quote=quote, span=span,
                **({"check": Check(detail=out._note)} if getattr(out, "_note", "") else {}),
            )
            found["metrics"].append(merging.Found(metric, chunk.index, i, chunk.start))
    body: dict[str, Any] = {kind: merging.merge_items(found[kind]) for kind in ITEM_KINDS}
    body["metrics"] = merging.merge_metrics(found["metrics"], doc.text)
    return body


def _empty_answer(index: Any, chunk: Pack, tally: _Tally) -> None:
    """An answer that lists nothing for a part stating figures is recorded: a weak model's silence is not a report."""
    stated = [f for f in index.figures if f.counts and chunk.start <= f.span[0] < chunk.end]  # rare: a linear pass
    if stated:
        shown = "、".join(index.text[f.span[0] : f.span[1]] for f in stated[:3])
        tally.failures.append(Failure(
            stage="extraction", chunk_id=chunk.id, error_type="EmptyAnswer",
            message=f"the model listed nothing for a part that states {len(stated)} figures ({shown}…); "
                    "they are listed in validation.missed",
        ))


def _place(locator: Locator, quote: str, near: tuple[int, int], chunk: Pack, kind: str,
           tally: _Tally) -> tuple[tuple[int, int] | None, str]:
    """The quote's span and its exact text in the source; a quote that is nowhere is recorded."""
    match = locator.locate(quote, near)
    if match is None:
        tally.failures.append(Failure(
            stage="locate", chunk_id=chunk.id, error_type="QuoteNotFound",
            message=f"a {kind} quote is not in the document and keeps span=null: '{quote[:80]}'",
        ))
        return None, quote
    return (match.start, match.end), locator.text[match.start : match.end]


def _overview(doc: Document, outline: Any, prompts: Prompts, body: dict[str, Any], base: dict[str, Any],
              cache: ResponseCache, models: _Models, tally: _Tally, outcomes: list[_Outcome]
              ) -> tuple[str, dict[str, Any] | None]:
    """The final call: overview and meta from the merged items and the page top."""
    title = doc.text[outline.title[0] : outline.title[1]] if outline.title else None
    head = merging.header(doc)
    first = min((o.job.chunk.start for o in outcomes if o.job.chunk is not None), default=len(head))
    digest = merging.digest(body["review"], body["problems"], body["plans"], body["metrics"])
    messages = prompts.overview_messages(header=merging.page_top(doc, first), title=title, **digest)
    fields = {
        **base,
        "call": "overview",
        "prompts": prompts.hashes(OVERVIEW_TEMPLATE),
        "schema": sha256_text(schema_json(ReportOverview)),
        "messages": sha256_text(canonical_json(messages)),
    }
    job = _Job("overview", messages, ReportOverview, {"header": head}, cache_key(fields), fields)
    with critical():  # the document's last step: its slot before other documents' first calls
        outcome = _ask(job, cache, models)
    tally.count(outcome)
    if outcome.error is not None or outcome.value is None:
        error = outcome.error
        tally.failures.append(Failure(
            stage="overview", chunk_id=None, error_type=getattr(error, "error_type", None),
            message=f"the overview and meta call failed; both stay empty: {error}",
            attempts=getattr(error, "attempts", 0),
        ))
        return "", None
    value: ReportOverview = outcome.value  # type: ignore[assignment]
    return value.overview, value.meta.model_dump()
