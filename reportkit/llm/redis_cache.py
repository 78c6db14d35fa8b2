"""The response cache's store in Redis, shared by every process and node. Cache key → the disk cache's record text.

``Settings(cache_url="redis://host:6379/0")`` (or ``REPORTKIT_CACHE_URL``) puts the records that
``ResponseCache`` would write to diskcache into one Redis database instead: the same keys, the
same canonical-JSON records, read back through the same integrity check (``record_problem``), so
two processes or two Ray workers summarising the same documents make each model call once.
This module only moves text; what a record must hold is ``cache.py``'s business.

Keys live under ``reportkit:response:<sha256>`` with no expiry (as on disk). Records are plain
JSON, never pickles, so a shared server cannot make a reader run code.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..errors import ConfigError, MissingExtraError

logger = logging.getLogger("reportkit")

PREFIX = "reportkit:response:"
SCHEMES = ("redis", "rediss", "unix")

_CLIENTS: dict[str, Any] = {}
_CLIENTS_LOCK = threading.Lock()


def shown(url: str) -> str:
    """The URL with any password replaced by ``***``, for messages and logs.

    Example:
        >>> shown("redis://:s3cret@cache.internal:6379/0")
        'redis://:***@cache.internal:6379/0'
    """
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    netloc = f"{user}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


class RedisStore:
    """The ``get``/``set``/``close`` that ``ResponseCache`` uses on diskcache, over one Redis database.

    Thread-safe: one redis client (with its connection pool) per URL is shared by every store in
    the process, so opening a store per document costs no connection.

    Raises:
        MissingExtraError: the ``redis`` package is not installed (``pip install 'reportkit[redis]'``).
        ConfigError: the URL is not a Redis URL, or the server does not answer (named in the message).
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._client = _client(url)

    def get(self, key: str) -> str | None:
        raw = self._call("read", self._client.get, PREFIX + key)
        if raw is None:
            return None
        # bytes that are not UTF-8 become U+FFFD and then fail the record check, as junk on disk does
        return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)

    def set(self, key: str, value: str) -> None:
        self._call("write", self._client.set, PREFIX + key, value.encode("utf-8"))

    def close(self) -> None:
        """Nothing to release: the client is shared by the process (see the class docstring)."""

    def __len__(self) -> int:
        return sum(1 for _ in self.iterkeys())

    def iterkeys(self) -> Iterator[str]:
        """Every cache key stored (without the prefix), for ``export``-style maintenance."""
        import redis

        try:
            for name in self._client.scan_iter(match=PREFIX + "*", count=500):
                text = name.decode("utf-8") if isinstance(name, bytes) else str(name)
                yield text[len(PREFIX):]
        except redis.exceptions.RedisError as exc:
            raise _unreachable(self.url, exc, "list") from exc

    def delete(self, key: str) -> bool:
        """Remove the record under ``key``; True if there was one."""
        return bool(self._call("delete", self._client.delete, PREFIX + key))

    def volume(self) -> int:
        """Bytes of the records' values (what ``cache info`` reports as the size)."""
        total = 0
        for key in self.iterkeys():
            total += int(self._call("read", self._client.strlen, PREFIX + key) or 0)
        return total

    def clear(self) -> int:
        """Delete every reportkit response in this database (nothing else); returns how many."""
        names = [PREFIX + key for key in self.iterkeys()]
        for start in range(0, len(names), 500):
            self._call("clear", self._client.delete, *names[start:start + 500])
        return len(names)

    def _call(self, what: str, method: Any, *args: Any, **kwargs: Any) -> Any:
        import redis

        try:
            return method(*args, **kwargs)
        except redis.exceptions.RedisError as exc:
            raise _unreachable(self.url, exc, what) from exc


def _client(url: str) -> Any:
    try:
        import redis
    except ImportError as exc:
        raise MissingExtraError("redis", what="a response cache in Redis (cache_url)") from exc
    scheme = urlsplit(url).scheme.lower()
    if scheme not in SCHEMES:
        raise ConfigError(
            f"cache_url {shown(url)!r} is not a Redis URL: use redis://host:6379/0 (rediss:// for TLS, "
            "unix:///path/redis.sock), or unset REPORTKIT_CACHE_URL to cache on disk"
        )
    with _CLIENTS_LOCK:
        client = _CLIENTS.get(url)
        if client is not None:
            return client
        try:
            client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30, health_check_interval=30)
            client.ping()  # once per process: a wrong URL fails here, with the fix, not on the first answer
        except (redis.exceptions.RedisError, ValueError) as exc:
            raise _unreachable(url, exc, "connect to") from exc
        _CLIENTS[url] = client
        logger.info("reportkit cache: responses in Redis at %s", shown(url))
        return client


def _unreachable(url: str, exc: Exception, what: str) -> ConfigError:
    return ConfigError(
        f"the response cache at {shown(url)} failed ({what}: {type(exc).__name__}: {exc}): start Redis "
        "there or fix REPORTKIT_CACHE_URL (Settings.cache_url); unset it to cache on disk, or set REPORTKIT_CACHE=off"
    )
