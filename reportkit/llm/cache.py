"""Our response cache on disk (diskcache, not instructor's). Request identity → stored model answer.

The key is a SHA-256 over a canonical JSON of everything that decides an answer: cache format,
model, endpoint host, mode, prompt template hashes, response-model JSON schema, the rendered
messages and chunk text, temperature, seed and max_tokens. Never the API key: rotating a key must
not empty the cache, and a key must never be written to disk. Only successes are stored, each
with the raw completion beside the parsed result, as JSON text (no pickles, so an imported file
cannot run code).

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
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import ConfigError, InputError

logger = logging.getLogger("reportkit")

CACHE_FORMAT = 1
_KEY_HEX = frozenset("0123456789abcdef")
# The key fields without which a record cannot be tied to a request; chunk calls also need "chunk".
REQUIRED_KEY_FIELDS = ("call", "model", "endpoint", "prompts", "schema", "messages")
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
    missing = [name for name in REQUIRED_KEY_FIELDS if name not in stored]
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
    if not isinstance(record.get("result"), dict):
        return "it holds no result"
    return None


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
        self._store: Any = None if policy == "off" else _open_url(url) if url else _open(self.directory)

    def get(self, key: str, fields: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """The stored record for ``key`` if it passes ``record_problem``, else None.

        Always None unless the policy reads. A record that fails is logged and kept in ``rejected``.

        Raises:
            ConfigError: the cache database is damaged (names the folder and the fix).
        """
        if not self.readable or self._store is None:
            return None
        try:
            raw = self._store.get(key)
        except sqlite3.DatabaseError as exc:
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
        return record  # type: ignore[no-any-return]

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
        try:
            self._store.set(key, canonical_json({**record, "stored_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}))
        except sqlite3.DatabaseError as exc:
            raise _damaged(self.directory, exc) from exc

    def close(self) -> None:
        """Close the underlying database (idempotent)."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> ResponseCache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


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


def cache_info(directory: str | os.PathLike[str]) -> dict[str, Any]:
    """Entries, size in bytes and path of the cache (a missing directory is an empty cache)."""
    path = Path(directory).expanduser()
    if not (path / "cache.db").exists():
        return {"path": str(path), "entries": 0, "bytes": 0}
    store = _open(path)
    try:
        return {"path": str(path), "entries": len(store), "bytes": int(store.volume())}
    finally:
        store.close()


def clear(directory: str | os.PathLike[str]) -> int:
    """Delete every cached answer; returns how many were removed.

    A damaged database is removed with its value files (its entries cannot be counted: 0).
    """
    path = Path(directory).expanduser()
    if not (path / "cache.db").exists():
        return 0
    try:
        store = _open(path)
        try:
            return int(store.clear())
        finally:
            store.close()
    except (ConfigError, sqlite3.DatabaseError) as exc:
        if isinstance(exc, ConfigError) and not isinstance(exc.__cause__, sqlite3.DatabaseError):
            raise
        logger.warning("reportkit cache: removing the damaged database in %s (%s)", path, exc)
        _remove_damaged(path)
        return 0


def export(directory: str | os.PathLike[str], file: str | os.PathLike[str]) -> int:
    """Write every cached answer to ``file`` as JSON Lines ``{"key": …, "record": …}``, sorted by key.

    Returns:
        The number of records written.
    """
    path = Path(directory).expanduser()
    count = 0
    with open(file, "w", encoding="utf-8") as out:
        if not (path / "cache.db").exists():
            return 0
        store = _open(path)
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


def import_(directory: str | os.PathLike[str], file: str | os.PathLike[str]) -> int:
    """Add the records of an ``export`` file to the cache (existing keys are overwritten).

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
    store = _open(Path(directory).expanduser())
    try:
        for key, record in entries:
            store.set(key, canonical_json(record))
    finally:
        store.close()
    return len(entries)
