"""reportkit: structured, checked summaries of Chinese local-government work reports.

    >>> import reportkit
    >>> report = reportkit.summarize("seeds/000_0905f6282178ee7a.txt")

Public names are loaded on first use, so ``import reportkit`` stays fast and never imports openai.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = [
    "BatchResult",
    "CacheMissError",
    "ConfigError",
    "Document",
    "ExtractionError",
    "InputError",
    "MissingExtraError",
    "Report",
    "ReportValidationError",
    "ReportkitError",
    "Revision",
    "Settings",
    "TargetLink",
    "asummarize",
    "load",
    "panel",
    "summarize",
    "summarize_many",
    "to_dataframe",
    "track",
    "validate",
]

_WHERE = {
    "BatchResult": "batch",
    "CacheMissError": "errors",
    "ConfigError": "errors",
    "Document": "document",
    "ExtractionError": "errors",
    "InputError": "errors",
    "MissingExtraError": "errors",
    "Report": "schema",
    "ReportValidationError": "errors",
    "ReportkitError": "errors",
    "Revision": "tracking",
    "Settings": "settings",
    "TargetLink": "tracking",
    "asummarize": "api",
    "load": "api",
    "panel": "panel",
    "summarize": "api",
    "summarize_many": "batch",
    "to_dataframe": "exports",
    "track": "tracking",
    "validate": "check",
}

if TYPE_CHECKING:
    from .api import asummarize, load, summarize
    from .batch import BatchResult, summarize_many
    from .exports import to_dataframe
    from .document import Document
    from .errors import (
        CacheMissError,
        ConfigError,
        ExtractionError,
        InputError,
        MissingExtraError,
        ReportkitError,
        ReportValidationError,
    )
    from .schema import Report
    from .panel import panel
    from .settings import Settings
    from .tracking import Revision, TargetLink, track
    from .check import validate


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'reportkit' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
