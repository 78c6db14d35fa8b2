"""The old import path of the figure check, kept for callers that have not moved yet. → reportkit.check.

``from reportkit.validation import validate`` keeps working; new code imports from
``reportkit.check`` (the check) and ``reportkit.index`` (the source index).
"""

from __future__ import annotations

from .check import SourceIndex, as_report, build_index, check_free_text, check_metric, inconsistencies, is_flagged, validate

index_source = build_index  # the old name of build_index

__all__ = ["SourceIndex", "as_report", "check_free_text", "check_metric", "inconsistencies", "index_source", "is_flagged", "validate"]
