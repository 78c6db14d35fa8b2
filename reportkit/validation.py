"""The figure check: every metric's number looked up in the source. Report + source → checked Report.

A metric is ``verified`` when its quote is in the source and states the value with the unit;
``unit_mismatch`` when the number is there at another scale or unit; ``misattributed`` when the
value is stated elsewhere in the source but not in the quote; ``unsupported`` when the source never
states it. The check never trusts the quote alone: the quote itself must be found in the source.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .document import Document
from .errors import ReportValidationError
from .numbers import Quantity, find_quantities
from .schema import CHECK_STATUSES, Check, Metric, Report, Validation

_TOLERANCE = 1e-9


def validate(report: Report | dict[str, Any], source: Document | str) -> Report:
    """Check every metric of ``report`` against ``source`` and fill ``report.validation``.

    Args:
        report: a Report, or a dict in the Report JSON shape (only ``metrics[*].name/value/unit/
            quote`` are required).
        source: the source Document or its text.

    Returns:
        A new Report whose every metric carries a ``check`` and whose ``validation`` holds the
        counts per status.
    """
    checked = _as_report(report)
    text = source.text if isinstance(source, Document) else source
    source_figures = find_quantities(text, chinese=True)
    metrics = [m.model_copy(update={"check": check_metric(m, text, source_figures)}) for m in checked.metrics]
    counts = Counter(m.check.status for m in metrics)
    validation = Validation(
        counts={s: counts.get(s, 0) for s in CHECK_STATUSES},
        checked=len(metrics),
        flagged=sum(1 for m in metrics if m.check.status not in ("verified", "derived")),
    )
    return checked.model_copy(update={"metrics": metrics, "validation": validation})


def _as_report(report: Report | dict[str, Any]) -> Report:
    if isinstance(report, Report):
        return report
    try:
        return Report.model_validate(report)
    except Exception as exc:  # pydantic's error lists every bad field; keep it as the cause
        raise ReportValidationError(f"not a report in the Report JSON shape: {exc}") from exc


def check_metric(metric: Metric, text: str, source_figures: list[Quantity]) -> Check:
    """The check of one metric against the source text."""
    quote_at = _locate(text, metric.quote) if metric.quote else None
    if quote_at is not None:
        in_quote = [q for q in source_figures if quote_at <= q.start and q.end <= quote_at + len(metric.quote)]
        same = [q for q in in_quote if _same_value(q, metric) and q.unit == metric.unit]
        if same:
            q = same[0]
            return Check(status="verified", detail=f"{text[q.start:q.end]} stated in the quote", span=(q.start, q.end))
        scaled = [q for q in in_quote if _same_value(q, metric)]
        if scaled:
            q = scaled[0]
            return Check(
                status="unit_mismatch",
                detail=f"the quote states {text[q.start:q.end]}, not {metric.value_text or metric.value:g}{metric.unit}",
                span=(q.start, q.end),
            )
    elsewhere = [q for q in source_figures if _same_value(q, metric) and q.unit == metric.unit]
    if elsewhere:
        q = elsewhere[0]
        where = "the quote is not in the source" if quote_at is None else "not in the quote"
        return Check(status="misattributed", detail=f"{text[q.start:q.end]} is stated elsewhere ({where})", span=(q.start, q.end))
    why = "the quote is not in the source" if quote_at is None else "the value is not in the quote"
    return Check(status="unsupported", detail=f"{metric.value:g}{metric.unit} is not stated in the source; {why}")


def _same_value(q: Quantity, metric: Metric) -> bool:
    return abs(q.value - metric.value) <= _TOLERANCE * max(1.0, abs(metric.value))


def _locate(text: str, quote: str) -> int | None:
    at = text.find(quote)
    return at if at >= 0 else None
