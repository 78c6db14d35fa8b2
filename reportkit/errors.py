"""The exception tree of reportkit: every error a user can act on. Data in → one clear message out.

    ReportkitError
    ├── ConfigError            settings or credentials missing or wrong (names the variables to set)
    ├── InputError             a file cannot be read as a report (carries ``path``)
    ├── MissingExtraError      a feature needs an optional extra (carries ``extra``; also an ImportError)
    ├── ExtractionError        a model call failed for good (carries ``chunk_id``, ``attempts``)
    │   ├── llm.client.ModelCallError one call's failure, with ``error_type`` and ``fatal``
    │   └── CacheMissError     ``cache="replay"`` and a response is not in the cache
    └── ReportValidationError  a report given to ``validate`` is not in the Report shape

Results are data, not exceptions: a figure that fails its check is a status on the figure, and a
chunk that failed is recorded in ``report.run.failures``; these exceptions are for what stops a
whole document.

``redact`` is the one place secrets are removed from text that came from a server: every error
path of the LLM client builds its messages through it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# What a server may echo back that must never reach a message, a log line or a report: a bearer
# token, an OpenAI-style key (sk-…, also partly masked), a key in a query string or header dump.
_SECRET_PATTERNS = re.compile(
    r"(?i)(?P<bearer>\bbearer\s+)[^\s\"',;)\]}]+"
    r"|\b(?P<sk>sk-)[A-Za-z0-9*._-]{4,}"
    r"|(?P<named>\b(?:api[_-]?key|x-api-key|access[_-]?token|authorization)[\"']?\s*[:=]\s*[\"']?)(?!bearer\s)(?:(?:basic|token|digest)\s+)?[^\s\"'&,;)\]}]+"
)
MIN_SECRET_CHARS = 8
"""Configured keys shorter than this are not searched for (they would blank ordinary words)."""


def redact(text: object, secrets: Iterable[str | None] = ()) -> str:
    """``text`` with every secret removed: the given keys, ``Bearer …``, ``sk-…`` and ``api_key=…``.

    Every message built from server text goes through this before it is raised, logged or put in
    a report: some servers echo the Authorization header in their 401 body.

    Example:
        >>> redact("401: Incorrect API key provided: Bearer sk-abc123def456", ["sk-abc123def456"])
        '401: Incorrect API key provided: Bearer ***'
    """
    out = str(text)
    for secret in secrets:
        if secret and len(secret) >= MIN_SECRET_CHARS:
            out = out.replace(secret, "***")
    return _SECRET_PATTERNS.sub(lambda m: (m["bearer"] or m["sk"] or m["named"] or "") + "***", out)


class ReportkitError(Exception):
    """Base class of every error raised by reportkit."""


class ConfigError(ReportkitError):
    """Settings or credentials are missing or inconsistent."""


class InputError(ReportkitError):
    """A file cannot be read as a report; the message says what to do about it."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class MissingExtraError(ReportkitError, ImportError):
    """A feature (reading PDF/DOCX/HTML, DataFrame exports …) needs an optional dependency.

    Not an InputError: the file may be fine; the installation lacks a package.
    """

    def __init__(self, extra: str, *, path: str | None = None, what: str = "this format") -> None:
        self.extra = extra
        verb = "reading " if path else ""
        message = f"{verb}{what} needs the optional extra '{extra}': pip install 'reportkit[{extra}]'"
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path  # after ImportError.__init__, which resets its own ``path`` attribute


class ExtractionError(ReportkitError):
    """A model call failed after all retries."""

    def __init__(self, message: str, *, chunk_id: str | None = None, attempts: int = 0) -> None:
        self.chunk_id = chunk_id
        self.attempts = attempts
        super().__init__(message)


class CacheMissError(ExtractionError):
    """``cache="replay"`` was asked for and a response is not in the cache."""


class ReportValidationError(ReportkitError):
    """Something given to ``validate`` is not a report in the Report JSON shape."""
