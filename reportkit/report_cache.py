"""The report cache: a finished, checked Report stored under what made it. Source + engine + settings + code → Report.

An unchanged re-run reads the report back in milliseconds instead of loading, asking, checking
and mapping again. The key (``key_fields``) holds:

* the source: for a file, the SHA-256 of its raw bytes (what ``sha256sum`` prints and what
  ``meta.source_sha256`` says) and its suffix (the loader reads by suffix). The text, its
  boilerplate and everything after follow from those bytes and the code, so a hit never loads
  the file (a PDF costs 100+ ms to read). For an in-memory Document: the SHA-256 of its text, its
  ``sha256``, format and any boilerplate marks it carries. The file's name is not in the key:
  the same bytes under another name are a hit, with ``meta.source`` set to the name given now;
* the engine, and the settings that change the answer (``Settings.answer_fingerprint()`` with the
  endpoint as ``host/path``: model, endpoint, provider, mode, temperature, seed, max_tokens,
  chunking, re-asks), plus the content hash of the indicator vocabulary a run adds. Never the API
  key, concurrency, timeouts, deadline, transport retries or the cache's own settings;
* versions: reportkit's, the report schema's, the prompt templates' (LLM engine; the response
  models are code) and ``code_digest(engine)``: a digest of the modules that decide a report of
  that engine (found from the pipeline's imports, see ``deciding_modules``) and the shipped data.
  An upgrade of an installed release moves the version; an edit in a checkout to the engine, the
  check, loading or segmenting moves the digest; an edit to the CLI, the review page, rendering,
  exports, the batch or the cache keeps every cached report (they never decide its content; the
  rendered outputs are made afresh from the cached report).

Records live in the response cache's store (``Settings.cache_dir`` or ``cache_url``) with the same
integrity check on read (``llm.cache.record_problem``, plus a hash of the report text): a record
that fails is ignored and the report is made again. Policies follow ``Settings.cache``: ``use``
reads and writes, ``refresh`` writes, ``off`` neither, ``replay`` only reads (on a miss the engine
replays the recorded calls, failed ones included). Under ``use`` a report whose run had failures
is served as it was recorded (a re-run is reproducible and sends nothing); ``reportkit cache clear
--failures`` drops those reports and the recorded failures, so the next run asks exactly the calls
that failed again.

A hit returns the stored report with ``run`` saying what this run did: ``report_cache=True``,
``calls=0``, no tokens or retries, ``cache_hits`` = the model answers the report stands for
(calls + cache hits of the run that made it), ``seconds`` of this lookup; ``run.failures`` and
everything else as recorded.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .document import Document
from .limits import max_input_chars
from .llm.cache import ResponseCache, cache_key, clear, endpoint_host, sha256_text
from .schema import SCHEMA_VERSION, Report

if TYPE_CHECKING:
    from .settings import Settings

logger = logging.getLogger("reportkit")

_PACKAGE = Path(__file__).resolve().parent
_SCALARS = (str, int, float, bool, type(None))


@functools.lru_cache(maxsize=1)
def package_version() -> str:
    """reportkit's installed version (``0+unknown`` in a checkout without an install); looked up once."""
    try:
        return version("reportkit")
    except PackageNotFoundError:
        return "0+unknown"


# Modules that read, store, schedule, show or export a report but never decide what is in it: an
# edit to one of them keeps every cached report. Everything else a report's engine reaches is keyed.
_NOT_DECIDING: frozenset[str] = frozenset({
    "__init__", "batch", "cli", "cli_track", "outputs", "exports", "rendering", "review_page",
    "review_page_assets", "report_cache", "ray", "testing", "eval", "panel", "tracking", "realistic",
    "schema_files", "validation", "local", "check.planted",
    "llm.cache", "llm.redis_cache", "llm.scheduler", "llm.local",
})
# Where a report is made: the pipeline (api: load, clean, engine, check, indicators) and its engine.
_ROOTS: dict[str, tuple[str, ...]] = {
    "rules": ("api", "rules", "check", "metadata", "indicators"),
    "llm": ("api", "llm.engine", "check", "metadata", "indicators"),
}
_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]+)|import[ \t]+reportkit\.([\w.]+))", re.M)


def _modules(package: Path) -> dict[str, Path]:
    """Module name relative to the package (``check._judge``, ``check`` for its ``__init__``) → file."""
    out: dict[str, Path] = {}
    for path in package.rglob("*.py"):
        if "__pycache__" in path.parts:
            continue
        parts = list(path.relative_to(package).with_suffix("").parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts.pop()
        out[".".join(parts)] = path
    return out


def _names(imported: str) -> list[str]:
    """The names of ``from x import a, b as c`` (what may be submodules of ``x``)."""
    return re.findall(r"\w+", re.sub(r"\s+as\s+\w+", "", imported))


def _imports(module: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules ``module`` imports anywhere in its file (also inside functions: lazy
    imports are how this package keeps ``import reportkit`` fast, and they decide as much)."""
    is_package = path.name == "__init__.py"
    here = module.split(".") if is_package and module != "__init__" else module.split(".")[:-1]
    found: set[str] = set()
    for dots, name, names, absolute in _IMPORT.findall(path.read_text(encoding="utf-8")):
        if absolute:
            targets = [absolute]
        elif dots:
            base = here[: len(here) - (len(dots) - 1)] if len(dots) > 1 else here
            target = ".".join([*base, *([name] if name else [])])
            targets = [target] + [f"{target}.{n}" if target else n for n in _names(names)]
        elif name.startswith("reportkit"):
            target = name[len("reportkit."):] if name != "reportkit" else ""
            targets = [target] + [f"{target}.{n}" if target else n for n in _names(names)]
        else:
            continue
        found.update(t for t in targets if t in known)
    return found


def deciding_modules(engine: str, package: Path | None = None) -> list[str]:
    """The modules whose code decides a report of ``engine``: what its roots (``_ROOTS``) import, directly
    or through each other, short of the modules that only store, schedule or show reports; for the
    rules engine, never the LLM package (the offline engine imports none of it)."""
    files = _modules(package or _PACKAGE)
    known = set(files)
    stop = set(_NOT_DECIDING)
    if engine != "llm":
        stop |= {m for m in known if m == "llm" or m.startswith("llm.")}
    seen: set[str] = set()
    todo = [r for r in _ROOTS.get(engine, _ROOTS["llm"]) if r in known]
    while todo:
        module = todo.pop()
        if module in seen or module in stop:
            continue
        seen.add(module)
        todo += _imports(module, files[module], known) - seen
    return sorted(seen)


@functools.lru_cache(maxsize=4)
def code_digest(engine: str) -> str:
    """A digest of the code and data that decide a report of ``engine``, once per process.

    With ``package_version`` in the key: an installed release is invalidated by an upgrade (its
    version moves), a checkout or editable install by an edit to any module that decides reports
    (the engine, the check, loading, segmenting, the indicator mapper, the shipped data), and not
    by one to the CLI, the review page, exports or the cache itself.
    """
    digest = hashlib.sha256()
    files = _modules(_PACKAGE)
    for module in deciding_modules(engine):
        digest.update(module.encode("utf-8") + b"\0" + files[module].read_bytes() + b"\0")
    data = _PACKAGE / "data"
    for path in sorted(data.rglob("*")) if data.is_dir() else []:
        if path.is_file():
            digest.update(path.relative_to(_PACKAGE).as_posix().encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Lookup:
    """Where one run's report lives in the cache: its key and the key fields checked on read."""

    key: str
    fields: dict[str, Any]
    source: str  # the name the report's meta.source gets (the path or Document.source given now)


def source_fields(source: str | os.PathLike[str] | Document) -> dict[str, Any] | None:
    """The source part of the key, or None when a file cannot be read (loading then says why)."""
    if isinstance(source, Document):
        return {"kind": "document", "text": sha256_text(source.text), "sha256": source.sha256,
                "format": source.format, "boilerplate": [list(b) for b in source.boilerplate]}
    path = Path(source)
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    return {"kind": "file", "sha256": hashlib.sha256(raw).hexdigest(), "suffix": path.suffix.lower()}


def settings_fields(engine: str, settings: "Settings", client: Any = None) -> dict[str, Any]:
    """The settings that change the report of ``engine`` (never the API key)."""
    fields: dict[str, Any] = {"indicators": _vocabulary_hash(settings)}
    if engine == "llm":
        answer = {k: v if isinstance(v, _SCALARS) else str(v) for k, v in settings.answer_fingerprint().items()}
        answer.pop("base_url", None)  # the host and path only: a URL may carry credentials
        fields.update(answer, endpoint=endpoint_host(endpoint_url(settings, client)))
    return fields


def endpoint_url(settings: "Settings", client: Any = None) -> str:
    """The endpoint the run's calls go to: ``llm.client.endpoint_url``'s rule (a test holds them equal),
    without importing llm.client (~50 ms, paid again by every worker process of a cached batch)."""
    if client is not None:
        return str(getattr(client, "base_url", "") or "")
    return settings.base_url or os.environ.get("OPENAI_BASE_URL") or "https://api.openai.com/v1"


def _vocabulary_hash(settings: "Settings") -> str | None:
    """The content hash of the user's indicator file (``Settings.indicators`` / REPORTKIT_INDICATORS)."""
    path = settings.indicators or os.environ.get("REPORTKIT_INDICATORS") or None
    if not path:
        return None
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return f"unreadable:{path}"  # the run itself will say what is wrong with it


def versions(engine: str) -> dict[str, Any]:
    """The versions that change a report: reportkit, report schema, prompts (LLM) and the deciding code."""
    out: dict[str, Any] = {"reportkit": package_version(), "schema": SCHEMA_VERSION, "code": code_digest(engine)}
    if engine == "llm":
        out["prompts"] = templates_digest()
    return out


@functools.lru_cache(maxsize=1)
def templates_digest() -> str:
    """A digest of the shipped prompt templates, once per process.

    The response models' schemas are code (``llm/answers.py``, ``llm/prompts.py``), covered by the
    package digest, so this reads the template files only: importing the models to hash their
    schemas (``llm.prompts.prompt_version``) costs ~170 ms of CPU, paid again by every worker
    process of a batch, more than the whole cached re-run of a document.
    """
    from .resources import resource_dir

    digest = hashlib.sha256()
    for path in sorted(resource_dir("prompts").glob("*.j2")):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def lookup(source: str | os.PathLike[str] | Document, engine: str, settings: "Settings",
           client: Any = None) -> Lookup | None:
    """The cache key of this run's report, or None when it cannot be cached (an unreadable file)."""
    src = source_fields(source)
    if src is None:
        return None
    fields = {"call": "report", "engine": engine, "source": src, "settings": settings_fields(engine, settings, client),
              "versions": versions(engine)}
    name = source.source if isinstance(source, Document) else str(source)
    return Lookup(cache_key(fields), fields, name)


class ReportCache:
    """The report records of one cache folder (or Redis URL) under one policy.

    Args:
        settings: ``cache``, ``cache_dir`` and ``cache_url`` say where and how.
    """

    def __init__(self, settings: "Settings") -> None:
        self._cache = ResponseCache(settings.cache_dir, settings.cache, url=settings.cache_url)

    def get(self, where: Lookup, started: float) -> Report | None:
        """The stored report for ``where`` with this run's ``run`` (see the module docstring), or None.

        Raises:
            ConfigError: the cache database is damaged (names the folder and the fix).
        """
        record = self._cache.get(where.key, where.fields)
        if record is None:
            return None
        if int(record.get("chars") or 0) > max_input_chars():
            return None  # over the limit in force now: loading says so, as it would without a cache
        try:
            report = Report.model_validate_json(record["report"])
        except ValidationError as exc:  # written by another schema, or edited: make it again
            logger.warning("reportkit cache: report %s no longer validates (%d errors); making it again",
                           where.key[:12], exc.error_count())
            return None
        run = report.run
        run = run.model_copy(update={
            "calls": 0, "cache_hits": run.calls + run.cache_hits, "input_tokens": 0, "output_tokens": 0,
            "retries": 0, "report_cache": True, "seconds": round(time.perf_counter() - started, 6),
        })
        meta = report.meta if report.meta.source == where.source else report.meta.model_copy(update={"source": where.source})
        logger.debug("reportkit cache: report for %s read back", where.source)
        return report.model_copy(update={"run": run, "meta": meta})

    def put(self, where: Lookup, report: Report, chars: int) -> None:
        """Store ``report`` (made from a text of ``chars`` characters) under ``where`` (no-op unless the policy writes)."""
        if not self._cache.writable:
            return
        text = report.model_dump_json()
        self._cache.put(where.key, {"call": "report", "label": where.source, "key_fields": where.fields,
                                    "report": text, "report_sha256": sha256_text(text), "chars": chars,
                                    "failed": len(report.run.failures)})

    def close(self) -> None:
        self._cache.close()

    def __enter__(self) -> ReportCache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def clear_reports(directory: str | os.PathLike[str], *, url: str | None = None) -> int:
    """Remove the finished reports from the cache in ``directory`` (or Redis at ``url``; answers and failures stay)."""
    return clear(directory, only="reports", url=url)
