"""Our response cache on disk (diskcache, not instructor's). Request identity → stored model answer.

The key is a SHA-256 over a canonical JSON of everything that decides an answer: cache format,
model, endpoint host, mode, prompt template hashes, response-model JSON schema, the rendered
messages and chunk text, temperature, seed and max_tokens. Never the API key: rotating a key must
not empty the cache, and a key must never be written to disk. Only successes are stored, each
with the raw completion beside the parsed result, as JSON text (no pickles, so an imported file
cannot run code).

Policies: ``use`` reads and writes, ``refresh`` only writes, ``off`` does neither, ``replay`` only
reads (a miss is an error raised by the caller, and nothing is sent).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import ConfigError, InputError

logger = logging.getLogger("reportkit")

CACHE_FORMAT = 1
_KEY_HEX = frozenset("0123456789abcdef")


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
    """

    def __init__(self, directory: str | os.PathLike[str], policy: str = "use") -> None:
        if policy not in ("use", "refresh", "off", "replay"):
            raise ConfigError(f"unknown cache policy {policy!r}: use 'use', 'refresh', 'off' or 'replay'")
        self.directory = Path(directory).expanduser()
        self.policy = policy
        self.readable = policy in ("use", "replay")
        self.writable = policy in ("use", "refresh")
        self._store: Any = _open(self.directory) if policy != "off" else None

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored record for ``key``, or None (always None unless the policy reads)."""
        if not self.readable or self._store is None:
            return None
        raw = self._store.get(key)
        if raw is None:
            return None
        try:
            record = json.loads(raw)
        except (TypeError, ValueError):
            logger.warning("reportkit cache: unreadable entry %s ignored", key[:12])
            return None
        return record if isinstance(record, dict) else None

    def put(self, key: str, record: dict[str, Any]) -> None:
        """Store a successful answer (no-op unless the policy writes)."""
        if not self.writable or self._store is None:
            return
        self._store.set(key, canonical_json({**record, "stored_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}))

    def close(self) -> None:
        """Close the underlying database (idempotent)."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> ResponseCache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _open(directory: Path) -> Any:
    import diskcache

    try:
        directory.mkdir(parents=True, exist_ok=True)
        return diskcache.Cache(str(directory))
    except OSError as exc:
        raise ConfigError(f"cannot use the cache directory {directory}: {exc}; set REPORTKIT_CACHE_DIR") from exc


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
    """Delete every cached answer; returns how many were removed."""
    path = Path(directory).expanduser()
    if not (path / "cache.db").exists():
        return 0
    store = _open(path)
    try:
        return int(store.clear())
    finally:
        store.close()


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
        InputError: a line is not a ``{"key", "record"}`` object with a 64-hex key; nothing is
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
            entries.append((key, record))
    store = _open(Path(directory).expanduser())
    try:
        for key, record in entries:
            store.set(key, canonical_json(record))
    finally:
        store.close()
    return len(entries)
