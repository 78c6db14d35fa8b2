"""Our response cache on disk (diskcache, not instructor's). Request identity → stored model answer, failure or report.

The key is a SHA-256 over a canonical JSON of everything that decides an answer: cache format,
model, endpoint host, mode, prompt template hashes, response-model JSON schema, the rendered
messages and chunk text, temperature, seed and max_tokens. Never the API key: rotating a key must
not empty the cache, and a key must never be written to disk. Records are JSON text (no pickles,
so an imported file cannot run code) of three kinds, told apart by what they hold:

* an answer (``result``): a clean success, with the raw completion beside the parsed result;
* a failure (``failure``): a call that failed for good (error class, redacted message, attempts,
  the entries dropped) and the valid part of its answer if any, so ``replay`` reproduces a run
  that had failures. ``get`` never serves one as an answer: under ``use`` a failed call is asked
  again (and its answer, if it comes, overwrites the failure); only ``replay`` reads it back;
* a finished report (``call == "report"``, written by ``reportkit.report_cache``).

Policies: ``use`` reads and writes, ``refresh`` only writes, ``off`` does neither, ``replay`` only
reads (a miss is an error raised by the caller, and nothing is sent).

Integrity: every record carries the key fields it was stored under (call, model, endpoint,
prompt and schema hashes, the chunk's sha256 …), and a read checks that they hash to the key
asked for and equal the request's own fields. A record that fails (junk, truncated, another
request's answer under this key) is ignored, logged and remembered in ``rejected``, so the
caller asks again (or, in ``replay``, names it in its CacheMissError). ``import_`` applies the
same check to every line. A damaged ``cache.db`` is a ConfigError naming the folder and
``reportkit cache clear``, which removes a damaged database too.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import ConfigError, ExtractionError, InputError, redact

logger = logging.getLogger("reportkit")

CACHE_FORMAT = 1
_KEY_HEX = frozenset("0123456789abcdef")
# The key fields without which a record cannot be tied to a request; chunk calls also need "chunk".
REQUIRED_KEY_FIELDS = ("call", "model", "endpoint", "prompts", "schema", "messages")
# A finished report is tied to its source, engine, answer-changing settings and code versions.
REPORT_KEY_FIELDS = ("call", "engine", "source", "settings", "versions")
KINDS = ("responses", "failures", "reports")
_DB_FILES = ("cache.db", "cache.db-wal", "cache.db-shm")


def endpoint_host(base_url: str | None) -> str:
    """``host[:port]/path`` of an endpoint URL, without scheme, credentials or query.

    Example:
        >>> endpoint_host("https://user:secret@api.deepseek.com/v1?key=x")
        'api.deepseek.com/v1'
    """
    if not base_url:
        return ""
    parts = urlsplit(str(base_url))
    host = (parts.hostname or "").lower()
    if parts.port:
        host += f":{parts.port}"
    return host + parts.path.rstrip("/")


def canonical_json(value: Any) -> str:
    """Sorted-key, compact JSON with characters kept: equal values give equal text."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sha256_text(text: str) -> str:
    """Hex SHA-256 of a text (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def record_problem(key: str, record: Any, fields: dict[str, Any] | None = None) -> str | None:
    """Why ``record`` cannot be the answer stored under ``key`` (for a request with ``fields``), or None.

    The check is on what the record says it answers: its ``key_fields`` must hash to ``key``, and
    equal ``fields`` when given. This catches a junk record, one written without key fields, and
    another request's answer stored (or imported) under this key.
    """
    if not isinstance(record, dict):
        return "it is not a JSON object"
    stored = record.get("key_fields")
    if not isinstance(stored, dict):
        return "it does not carry the key fields it was stored under"
    required = REPORT_KEY_FIELDS if stored.get("call") == "report" else REQUIRED_KEY_FIELDS
    missing = [name for name in required if name not in stored]
    if stored.get("call") == "chunk" and "chunk" not in stored:
        missing.append("chunk")
    if missing:
        return f"its key fields lack {', '.join(missing)}"
    if fields is not None and stored != fields:
        differ = sorted(k for k in set(stored) | set(fields) if stored.get(k) != fields.get(k))
        return f"it was stored for another request (differs in {', '.join(differ)})"
    try:
        if cache_key(stored) != key:
            return "its key fields do not hash to its key (an answer stored under another request's key)"
    except ValueError as exc:
        return str(exc)
    if record.get("call", stored["call"]) != stored["call"]:
        return f"its call {record.get('call')!r} differs from its key fields' {stored['call']!r}"
    if stored["call"] == "report":
        text = record.get("report")
        if not isinstance(text, str) or sha256_text(text) != record.get("report_sha256"):
            return "its report text is missing or does not match its report_sha256 (truncated or edited)"
        return None
    failure = record.get("failure")
    if failure is not None:
        if not (isinstance(failure, dict) and isinstance(failure.get("message"), str)):
            return "its failure is not an object with a message"
        if record.get("result") is not None and not isinstance(record.get("result"), dict):
            return "its partial result is not an object"
        return None
    if not isinstance(record.get("result"), dict):
        return "it holds no result"
    return None


def kind_of(record: dict[str, Any]) -> str:
    """``responses``, ``failures`` or ``reports``: what a (checked) record holds."""
    if record.get("call") == "report":
        return "reports"
    return "failures" if record.get("failure") is not None else "responses"


def cache_key(fields: dict[str, Any]) -> str:
    """The cache key of a request described by ``fields`` (see the module docstring).

    ``fields`` must not hold secrets; ``api_key`` is refused outright.
    """
    if any("api_key" in str(k).lower() for k in fields):
        raise ValueError("an API key must never be part of a cache key")
    return sha256_text(canonical_json({"format": CACHE_FORMAT, **fields}))


class ResponseCache:
    """The model-answer cache under one directory, with a policy.

    Thread-safe (diskcache keeps one SQLite connection per thread) and process-safe.

    Args:
        directory: where the cache lives (``Settings.cache_dir``).
        policy: ``use``, ``refresh``, ``off`` or ``replay``.
        url: ``Settings.cache_url``: the same records in Redis instead of ``directory``
            (``redis_cache.RedisStore``), shared by every process and node.
    """

    def __init__(self, directory: str | os.PathLike[str], policy: str = "use", url: str | None = None) -> None:
        if policy not in ("use", "refresh", "off", "replay"):
            raise ConfigError(f"unknown cache policy {policy!r}: use 'use', 'refresh', 'off' or 'replay'")
        self.directory = Path(directory).expanduser()
        self.policy = policy
        self.readable = policy in ("use", "replay")
        self.writable = policy in ("use", "refresh")
        self.rejected: dict[str, str] = {}  # key → why its record was ignored, for the caller's messages
        self._store: Any = None if policy == "off" else _open_url(url) if url else _shared(self.directory)

    def get(self, key: str, fields: dict[str, Any] | None = None, *, failures: bool = False) -> dict[str, Any] | None:
        """The stored record for ``key`` if it passes ``record_problem``, else None.

        Always None unless the policy reads. A record that fails is logged and kept in ``rejected``.
        A recorded failure is returned only with ``failures=True`` (what ``replay`` asks for): it
        is never an answer.

        Raises:
            ConfigError: the cache database is damaged (names the folder and the fix).
        """
        if not self.readable or self._store is None:
            return None
        try:
            raw = self._store.get(key)
        except sqlite3.DatabaseError as exc:
            _forget(self.directory)
            raise _damaged(self.directory, exc) from exc
        if raw is None:
            return None
        try:
            record: Any = json.loads(raw)
        except (TypeError, ValueError):
            record, problem = None, "it is not valid JSON (junk or truncated)"
        else:
            problem = record_problem(key, record, fields)
        if problem is not None:
            self.rejected[key] = problem
            logger.warning("reportkit cache: record %s ignored: %s", key[:12], problem)
            return None
        self.rejected.pop(key, None)
        if not failures and record.get("failure") is not None:
            return None
        return record  # type: ignore[no-any-return]

    def put_failure(self, key: str, fields: dict[str, Any], label: str, error: BaseException,
                    partial: dict[str, Any] | None = None, notes: list[str] | None = None) -> None:
        """Record that the call under ``key`` failed for good, for ``replay`` (no-op unless the policy writes).

        The message is redacted again here (it came from a server); ``partial`` is the valid part
        of the answer the run kept, if any, with its metrics' normalisation ``notes``.
        """
        failure = {
            "error_type": getattr(error, "error_type", None) or type(error).__name__,
            "message": redact(str(error)),
            "attempts": int(getattr(error, "attempts", 0) or 0),
            "dropped": [redact(d) for d in getattr(error, "dropped", ()) or ()],
        }
        self.put(key, {"call": fields["call"], "label": label, "key_fields": fields, "failure": failure,
                       "result": partial, "notes": notes or []})

    def put(self, key: str, record: dict[str, Any]) -> None:
        """Store a successful answer with its ``key_fields`` (no-op unless the policy writes).

        Raises:
            ValueError: the record would fail ``record_problem`` on read (a bug in the caller).
            ConfigError: the cache database is damaged.
        """
        if not self.writable or self._store is None:
            return
        problem = record_problem(key, record)
        if problem is not None:
            raise ValueError(f"refusing to cache a record that would not be read back: {problem}")
        if self.policy == "use" and record.get("failure") is not None and self._holds_answer(key):
            return  # a failure never replaces an answer another run stored meanwhile
        try:
            self._store.set(key, canonical_json({**record, "stored_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}))
        except sqlite3.DatabaseError as exc:
            _forget(self.directory)
            raise _damaged(self.directory, exc) from exc

    def _holds_answer(self, key: str) -> bool:
        try:
            raw = self._store.get(key)
            record = json.loads(raw) if raw is not None else None
        except (TypeError, ValueError, sqlite3.DatabaseError):
            return False
        return isinstance(record, dict) and record_problem(key, record) is None and record.get("failure") is None

    def close(self) -> None:
        """Let go of the store (idempotent); the process keeps the database open for the next run."""
        self._store = None

    def __enter__(self) -> ResponseCache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class RecordedFailure(ExtractionError):
    """A failed call read back from the cache by ``replay``: the same error class name, message,
    attempts and dropped entries as the run that recorded it (what ``run.failures`` shows)."""

    def __init__(self, failure: dict[str, Any], *, chunk_id: str | None) -> None:
        super().__init__(str(failure.get("message", "")), chunk_id=chunk_id, attempts=int(failure.get("attempts") or 0))
        self.error_type = str(failure.get("error_type") or "ExtractionError")
        self.dropped = tuple(str(d) for d in failure.get("dropped") or ())
        self.fatal = False


def _damaged(directory: Path, exc: Exception) -> ConfigError:
    return ConfigError(
        f"the response cache in {directory} is damaged ({exc}): run `reportkit cache clear --cache-dir "
        f"{directory}` to start it afresh, or set REPORTKIT_CACHE=off (or another REPORTKIT_CACHE_DIR)"
    )


def _open_url(url: str) -> Any:
    from .redis_cache import RedisStore

    return RedisStore(url)


def _open(directory: Path) -> Any:
    import diskcache

    try:
        directory.mkdir(parents=True, exist_ok=True)
        return diskcache.Cache(str(directory))
    except sqlite3.DatabaseError as exc:
        raise _damaged(directory, exc) from exc
    except OSError as exc:
        raise ConfigError(f"cannot use the cache directory {directory}: {exc}; set REPORTKIT_CACHE_DIR") from exc


# Opening a diskcache costs ~10 ms of CPU (a dozen pragmas and table checks) and closing it a WAL
# checkpoint: more than a cached report takes to read. So each process keeps one open Cache per
# folder (diskcache is thread- and fork-safe: one SQLite connection per thread, reopened after a
# fork), reused while its cache.db is the same file (a folder deleted and made again is reopened).
_SHARED: dict[str, tuple[Any, tuple[int, int]]] = {}
_SHARED_LOCK = threading.Lock()
_SHARED_MAX = 16


def _db_identity(directory: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(directory / "cache.db")
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _shared(directory: Path) -> Any:
    """The process's open store for ``directory`` (opened on first use; see above)."""
    name = str(directory)
    with _SHARED_LOCK:
        held = _SHARED.get(name)
        if held is not None and _db_identity(directory) == held[1]:
            return held[0]
        store = _open(directory)
        identity = _db_identity(directory)
        if identity is not None:
            if len(_SHARED) >= _SHARED_MAX:  # dropped, not closed: a run still using it keeps it alive
                _SHARED.pop(next(iter(_SHARED)))
            _SHARED[name] = (store, identity)
        return store


def _forget(directory: Path) -> None:
    """Drop (and close) the process's open store for ``directory``: before maintenance rewrites
    or removes its files, and after it was found damaged."""
    with _SHARED_LOCK:
        held = _SHARED.pop(str(directory), None)
    if held is not None:
        try:
            held[0].close()
        except sqlite3.DatabaseError:
            pass


def _remove_damaged(directory: Path) -> None:
    """Delete a damaged database and diskcache's value folders, nothing else in ``directory``."""
    for name in _DB_FILES:
        (directory / name).unlink(missing_ok=True)
    for sub in directory.iterdir():
        # diskcache keeps large values in <2 hex>/<2 hex>/<name>.val
        if sub.is_dir() and len(sub.name) == 2 and set(sub.name) <= _KEY_HEX:
            if all(f.suffix == ".val" for f in sub.rglob("*") if f.is_file()):
                shutil.rmtree(sub)


# --- maintenance, for ``reportkit cache info|clear|export|import`` --------------------------------


def _maintained(directory: str | os.PathLike[str], url: str | None) -> tuple[Any, str] | None:
    """The store maintenance works on, and how to name it: Redis at ``url`` (``Settings.cache_url``)
    when given, else the folder's diskcache; None for a folder that holds no cache yet."""
    if url:
        from .redis_cache import shown

        return _open_url(url), shown(url)
    path = Path(directory).expanduser()
    if not (path / "cache.db").exists():
        return None
    return _open(path), str(path)


def cache_info(directory: str | os.PathLike[str], *, url: str | None = None) -> dict[str, Any]:
    """Entries (and of them: answers, recorded failures, finished reports), size in bytes and path
    (or Redis URL, its password hidden) of the cache (a missing directory is an empty cache).
    Records that fail their check count as ``unreadable``."""
    path = Path(directory).expanduser()
    counts = dict.fromkeys((*KINDS, "unreadable"), 0)
    opened = _maintained(path, url)
    if opened is None:
        return {"path": str(path), "entries": 0, "bytes": 0, **counts}
    store, name = opened
    try:
        for key in store.iterkeys():
            record = _read(store, key)
            counts[kind_of(record) if record is not None else "unreadable"] += 1
        return {"path": name, "entries": len(store), "bytes": int(store.volume()), **counts}
    except sqlite3.DatabaseError as exc:
        raise _damaged(path, exc) from exc
    finally:
        store.close()


def _read(store: Any, key: str) -> dict[str, Any] | None:
    """The record under ``key`` if it passes ``record_problem``, else None (for maintenance)."""
    try:
        raw = store.get(key)
        record = json.loads(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None
    return record if isinstance(record, dict) and record_problem(key, record) is None else None


def clear(directory: str | os.PathLike[str], *, only: str | None = None, url: str | None = None) -> int:
    """Delete cached records; returns how many were removed.

    Args:
        only: ``None`` for everything; ``reports`` for the finished reports (their answers stay,
            so a re-run rebuilds and re-checks them without a request); ``failures`` for the
            recorded failures and the reports of runs that had failures, so the next run with
            ``cache="use"`` asks again exactly the calls that failed.

        url: the cache in Redis (``Settings.cache_url``) instead of ``directory``: only reportkit's
            records of that database are removed.

    A damaged database is removed with its value files (its entries cannot be counted: 0).
    """
    if only not in (None, "reports", "failures"):
        raise ValueError(f"unknown part of the cache {only!r}: use 'reports' or 'failures'")
    path = Path(directory).expanduser()
    try:
        opened = _maintained(path, url)
        if opened is None:
            return 0
        store = opened[0]
        try:
            if only is None:
                return int(store.clear())
            doomed = [key for key in store.iterkeys() if _doomed(_read(store, key), only)]
            for key in doomed:
                store.delete(key)
            return len(doomed)
        finally:
            store.close()
    except (ConfigError, sqlite3.DatabaseError) as exc:
        if isinstance(exc, ConfigError) and not isinstance(exc.__cause__, sqlite3.DatabaseError):
            raise
        logger.warning("reportkit cache: removing the damaged database in %s (%s)", path, exc)
        _forget(path)
        _remove_damaged(path)
        return 0


def _doomed(record: dict[str, Any] | None, only: str) -> bool:
    if record is None:
        return False
    kind = kind_of(record)
    if only == "reports":
        return kind == "reports"
    return kind == "failures" or (kind == "reports" and bool(record.get("failed")))


def export(directory: str | os.PathLike[str], file: str | os.PathLike[str], *, url: str | None = None) -> int:
    """Write every cached record to ``file`` as JSON Lines ``{"key": …, "record": …}``, sorted by key
    (from Redis at ``url`` when given).

    Returns:
        The number of records written.
    """
    count = 0
    with open(file, "w", encoding="utf-8") as out:
        opened = _maintained(directory, url)
        if opened is None:
            return 0
        store, _ = opened
        try:
            for key in sorted(store.iterkeys()):
                raw = store.get(key)
                if raw is None:
                    continue
                out.write(canonical_json({"key": key, "record": json.loads(raw)}) + "\n")
                count += 1
        finally:
            store.close()
    return count


def import_(directory: str | os.PathLike[str], file: str | os.PathLike[str], *, url: str | None = None) -> int:
    """Add the records of an ``export`` file to the cache (Redis at ``url`` when given; existing keys are overwritten).

    Raises:
        InputError: a line is not a ``{"key", "record"}`` object with a 64-hex key, or its record
            fails ``record_problem`` (e.g. another request's answer under this key); nothing is
            imported then.

    Returns:
        The number of records imported.
    """
    entries: list[tuple[str, dict[str, Any]]] = []
    with open(file, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                key, record = item["key"], item["record"]
            except (ValueError, TypeError, KeyError) as exc:
                raise InputError(f"line {number} is not a reportkit cache export line ({exc})", path=str(file)) from exc
            if not (isinstance(key, str) and len(key) == 64 and set(key) <= _KEY_HEX and isinstance(record, dict)):
                raise InputError(f"line {number} is not a reportkit cache export line (bad key or record)", path=str(file))
            problem = record_problem(key, record)
            if problem is not None:
                raise InputError(f"line {number}: the record under {key[:12]}… cannot be trusted: {problem}; "
                                 "nothing was imported", path=str(file))
            entries.append((key, record))
    store = _open_url(url) if url else _open(Path(directory).expanduser())
    try:
        for key, record in entries:
            store.set(key, canonical_json(record))
    finally:
        store.close()
    return len(entries)
