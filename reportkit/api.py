"""The public entry points and the only place that knows the stage order. Path → checked Report.

report cache → load → clean → (rules | llm: segment → chunk → extract → merge) → validate →
indicators → report cache. Heavy modules (the LLM engine, openai, instructor) are imported inside
the functions that need them, so that ``import reportkit`` stays fast.
"""

from __future__ import annotations

import logging
import os
import time
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Literal

from . import cleaning, loading
from .document import Document
from .limits import check_size
from .errors import ConfigError, InputError
from .schema import Report
from .check import validate

if TYPE_CHECKING:
    from .settings import Settings

EngineChoice = Literal["auto", "rules", "llm"]
logger = logging.getLogger("reportkit")

AFTER_REQUESTS: ContextVar[Callable[[], None] | None] = ContextVar("reportkit_after_requests", default=None)
"""Called once a document has sent its last model request, before its figure check, indicators
and rendering (CPU only). A batch worker sets it: the document no longer holds a place among the
documents making requests, so the next one can start, and its remaining CPU waits for the
preparations that lead to a request (see ``batch._worker``)."""


def _version() -> str:
    from .report_cache import package_version  # looked up once per process, not per document

    return package_version()


def load(path: str | os.PathLike[str]) -> Document:
    """Read a report file and mark its site boilerplate.

    Args:
        path: a .txt/.md (any of UTF-8, UTF-8 with BOM, GB18030/GBK, Big5), .html, .docx or .pdf file.

    Returns:
        A Document whose ``text`` is exactly the decoded text and whose ``boilerplate`` lists the
        ranges of navigation, header tables and footers.

    Raises:
        InputError: the file is missing, empty, binary, of an unsupported format, needs an extra,
            or is longer than ``reportkit.limits.max_input_chars()`` (300,000 characters).
    """
    return cleaning.with_boilerplate(check_size(loading.read(path)))


def _as_document(source: str | os.PathLike[str] | Document) -> Document:
    return cleaning.with_boilerplate(check_size(source)) if isinstance(source, Document) else load(source)


def summarize(
    source: str | os.PathLike[str] | Document,
    *,
    engine: EngineChoice = "auto",
    settings: "Settings | None" = None,
    client: Any = None,
) -> Report:
    """Summarise one report into a structured, checked Report.

    Args:
        source: a path (see ``load``) or a Document.
        engine: ``rules`` (offline, deterministic), ``llm`` (a model through an OpenAI-compatible
            endpoint), or ``auto`` (the LLM engine when one is configured, else rules).
        settings: LLM settings; default ``Settings.from_env()``.
        client: your own ``openai.OpenAI`` (or ``AsyncOpenAI``) client for the LLM engine.

    Returns:
        The Report, with a check on every metric and ``run.engine`` saying which engine made it.
        An unchanged re-run (same bytes, engine, answer-changing settings and code) is read back
        from the report cache under ``Settings.cache`` (default ``use``) with
        ``run.report_cache`` true and ``run.calls`` 0; see ``reportkit.report_cache``.

    Example:
        >>> import reportkit
        >>> report = reportkit.summarize("seeds/000_0905f6282178ee7a.txt", engine="rules")
        >>> report.metrics[0].name, report.metrics[0].value, report.metrics[0].check.status
        ('地区生产总值', 134.2, 'verified')
    """
    if not isinstance(source, Document) and os.path.isdir(source):
        raise InputError(
            "this is a folder, and summarize() reads one report: use "
            "reportkit.summarize_many([folder]) for the reports in it (or `reportkit summarize FOLDER`)",
            path=str(source),
        )
    return _summarize_source(source, engine, settings, client)


def _summarize_source(source: Any, engine: EngineChoice, settings: "Settings | None", client: Any,
                      prepared: Document | None = None) -> Report:
    """``summarize`` after its folder check; ``prepared`` is ``source`` loaded by ``_prepare`` (a batch
    worker's next document, loaded while its current ones wait on the network)."""
    chosen = _choose_engine(engine, settings, client)
    started = time.perf_counter()
    resolved = _settings(settings)  # the rules engine's report is cached too, under the same policy
    where, hit = _cached(source, chosen, resolved, client, started)
    if hit is not None:
        return hit
    doc = prepared if prepared is not None else _as_document(source)
    report = _summarize(doc, chosen, settings, resolved, client)
    if where is not None:
        _store(where, report, len(doc.text), chosen, resolved)
    return report


def _prepare(source: str | os.PathLike[str] | Document) -> Document | None:
    """``source`` loaded and cleaned, its SourceIndex built (kept on the Document), for
    ``_summarize_source``: the CPU a document spends before its first model request, none of it
    a request. None when it cannot be loaded: ``summarize`` then meets the same error itself."""
    from .index import build_index

    try:
        if not isinstance(source, Document) and os.path.isdir(source):
            return None
        doc = _as_document(source)
        build_index(doc)
        return doc
    except Exception:  # noqa: BLE001 - reported by summarize, which loads again
        return None


def _cached(source: Any, chosen: str, settings: "Settings", client: Any, started: float) -> tuple[Any, Report | None]:
    """(where this run's report is cached, the report if it is there). The offline engine runs
    uncached when the cache folder is unusable (it needs none); the LLM engine's error stands."""
    from .report_cache import ReportCache, lookup

    if settings.cache == "off":
        return None, None
    try:
        with ReportCache(settings) as cache:
            where = lookup(source, chosen, settings, client)
            return where, cache.get(where, started) if where is not None else None
    except ConfigError as exc:
        if chosen != "rules":
            raise
        logger.warning("reportkit: the report cache is not used: %s", exc)
        return None, None


def _store(where: Any, report: Report, chars: int, chosen: str, settings: "Settings") -> None:
    from .report_cache import ReportCache

    try:
        with ReportCache(settings) as cache:
            cache.put(where, report, chars)
    except ConfigError as exc:
        if chosen != "rules":
            raise
        logger.warning("reportkit: the report was not cached: %s", exc)


def _summarize(doc: Document, chosen: str, settings: "Settings | None", resolved: "Settings", client: Any) -> Report:
    """Every stage after loading, for one document: extract, check, map indicators, stamp ``run``."""
    started = time.perf_counter()
    if chosen == "rules":
        from .rules import summarize_document

        report = summarize_document(doc)
    else:
        from .llm.engine import extract_report, with_notes

        report = extract_report(doc, settings=resolved, client=client)
        after = AFTER_REQUESTS.get()
        if after is not None:
            after()
    report = validate(report, doc) if chosen == "rules" else with_notes(validate(report, doc), report)
    from .indicators import assign_indicators, vocabulary_for  # one mapper for both engines, after extraction

    report = assign_indicators(report, text=doc.text, vocabulary=vocabulary_for(settings))
    run = report.run.model_copy(update={"seconds": round(time.perf_counter() - started, 6), "reportkit_version": _version()})
    return report.model_copy(update={"run": run})


async def asummarize(
    source: str | os.PathLike[str] | Document,
    *,
    engine: EngineChoice = "auto",
    settings: "Settings | None" = None,
    client: Any = None,
) -> Report:
    """``summarize`` for async callers: the work runs in a worker thread, so the event loop stays free.

    Example:
        >>> report = await reportkit.asummarize("seeds/000_0905f6282178ee7a.txt")
    """
    import asyncio

    return await asyncio.to_thread(summarize, source, engine=engine, settings=settings, client=client)


def _settings(settings: "Settings | None") -> "Settings":
    from .settings import Settings

    return settings if settings is not None else Settings.from_env()


@dataclass(frozen=True)
class EngineDecision:
    """The engine a run uses and, when ``engine="auto"`` chose the offline one, why (one line)."""

    engine: Literal["rules", "llm"]
    fallback: str | None = None


def choose_engine(engine: EngineChoice = "auto", settings: "Settings | None" = None, client: Any = None) -> EngineDecision:
    """Resolve ``engine`` once, before any document is read.

    ``auto`` runs the offline rules engine only when nothing LLM-related is given: no client, no
    settings, and none of REPORTKIT_PROVIDER, _MODEL, _BASE_URL, _API_KEY, _MODE. Once any is
    given, a missing model or key is a ConfigError naming the variable, never a silent fallback.

    Raises:
        ConfigError: the engine is unknown, or an LLM is asked for and cannot run.
    """
    if engine == "rules":
        return EngineDecision("rules")
    if engine not in ("auto", "llm"):
        raise ConfigError(f"unknown engine {engine!r}: use 'auto', 'rules' or 'llm'")
    if client is not None:
        return EngineDecision("llm")
    resolved = _settings(settings)
    if engine == "llm" or settings is not None or resolved.requests_llm or resolved.is_configured:
        resolved.require_configured()
        return EngineDecision("llm")
    reason = "no LLM configured (set REPORTKIT_MODEL and a key for one): using the offline rules engine"
    logger.info(reason)
    return EngineDecision("rules", reason)


def _choose_engine(engine: EngineChoice, settings: "Settings | None", client: Any) -> str:
    return choose_engine(engine, settings, client).engine
