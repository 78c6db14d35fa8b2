"""One TLS context per process for the SDK's HTTP clients, made before a batch forks its workers.

An ``openai.OpenAI()`` builds its HTTP client, and that client loads the CA bundle into a new
``ssl.SSLContext``: ~50 ms of CPU, which is almost all of a client's cost. A forked batch worker
must make its own client (a kept-alive socket shared with the parent would interleave two
processes' answers), and each used to pay those 50 ms on its first request, while its other
documents waited for the client (and, under the worker's preparation turn, for that request):
the first requests of a batch went out ~0.1 s late. A context holds settings and certificates,
no socket, so one made by the parent is used as is by every worker it forks. It is the context
the HTTP library itself makes for ``verify=True`` (``create_ssl_context``, so ``SSL_CERT_FILE``
and ``SSL_CERT_DIR`` are honoured as before), made again when those variables change.
"""

from __future__ import annotations

import importlib
import os
import ssl
import threading
from typing import Any

_MADE: dict[tuple[str | None, str | None], ssl.SSLContext] = {}
_LOCK = threading.Lock()


def _http_library() -> Any:
    """The HTTP package the openai SDK is built on (httpx, or a fork of it), from its client class."""
    import openai

    base = next(c for c in openai.DefaultHttpxClient.__mro__[1:] if c.__module__.split(".")[0] != "openai")
    return importlib.import_module(base.__module__.split(".")[0])


def default_context() -> ssl.SSLContext | None:
    """The HTTP library's default verifying context, made once per process (and per CA variables);
    None when the library offers no ``create_ssl_context`` (the client then makes its own)."""
    key = (os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))
    with _LOCK:
        ctx = _MADE.get(key)
        if ctx is None:
            make = getattr(_http_library(), "create_ssl_context", None)
            if make is None:
                return None
            ctx = _MADE[key] = make(verify=True)
        return ctx


def http_client(timeout: float) -> Any:
    """The SDK's default HTTP client (its limits, redirects, proxies from the environment) with
    the process's context: what ``openai.OpenAI()`` makes for itself, without loading the CA bundle."""
    import openai

    ctx = default_context()
    return openai.DefaultHttpxClient(timeout=timeout) if ctx is None else openai.DefaultHttpxClient(timeout=timeout, verify=ctx)
