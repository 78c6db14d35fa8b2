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
"""

from __future__ import annotations


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
