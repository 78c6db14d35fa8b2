"""Reports handed to ``validate`` as plain dicts: checked, defaults filled. dict → Report.

Only ``metrics[*].name/value/unit/quote`` and each item's ``text`` must be present; everything
else takes its default. A missing field or a wrong type raises ReportValidationError naming every
bad field by its path (``metrics[3].value: expected a number, got str '134.2'``).
"""

from __future__ import annotations

from typing import Any

from ..errors import ReportValidationError
from ..schema import Check, Report

_REQUIRED_METRIC = {"name": str, "value": (int, float), "unit": str, "quote": str}


def as_report(report: Report | dict[str, Any]) -> Report:
    """A Report from a Report (returned as is) or from a dict in its JSON shape.

    Args:
        report: a Report, or a dict such as ``{"metrics": [{"name": …, "value": …, "unit": …,
            "quote": …}]}``; a ``validation`` block and metric ``check`` blocks are dropped, since
            the figure check fills them anew.

    Returns:
        The Report, every field not given at its default.

    Raises:
        ReportValidationError: a required field is missing or of the wrong type, or a field is
            not part of the Report shape.
    """
    return _coerce(report)[0]


def _coerce(report: Report | dict[str, Any], pending: Check | None = None) -> tuple[Report, bool]:
    """``as_report``'s Report, and whether it was built here from a dict (no one else holds it, so
    ``validate`` may fill it in place instead of copying it). ``pending`` stands in every metric's
    check instead of a default one built per metric (``validate`` replaces each at once)."""
    if isinstance(report, Report):
        return report, False
    if not isinstance(report, dict):
        raise ReportValidationError(f"a report must be a Report or a dict, not {type(report).__name__}")
    problems = []
    metrics = report.get("metrics")
    if not isinstance(metrics, list):
        got = type(metrics).__name__
        problems.append("metrics: a list of metrics is required" if metrics is None else f"metrics: expected a list, got {got}")
        metrics = []
    for n, m in enumerate(metrics):
        if type(m) is dict and type(m.get("name")) is str and type(m.get("unit")) is str and type(m.get("quote")) is str \
                and type(m.get("value")) in (int, float):
            continue  # the common case, in one test: every required field there, of its exact type
        if not isinstance(m, dict):
            problems.append(f"metrics[{n}]: expected an object, got {type(m).__name__}")
            continue
        for field, types in _REQUIRED_METRIC.items():
            if field not in m:
                problems.append(f"metrics[{n}].{field}: missing")
            elif isinstance(m[field], bool) or not isinstance(m[field], types):
                want = "a number" if field == "value" else "a string"
                problems.append(f"metrics[{n}].{field}: expected {want}, got {type(m[field]).__name__} {m[field]!r}")
    for section in ("review", "problems", "plans"):
        items = report.get(section, [])
        if not isinstance(items, list):
            problems.append(f"{section}: expected a list, got {type(items).__name__}")
            continue
        for n, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                problems.append(f"{section}[{n}].text: a string is required")
    if problems:
        raise ReportValidationError("not a report in the Report JSON shape: " + "; ".join(problems))
    data = {k: v for k, v in report.items() if k != "validation"}
    if pending is not None:
        data["metrics"] = [{**m, "check": pending} for m in metrics]
    else:
        data["metrics"] = [{k: v for k, v in m.items() if k != "check"} if "check" in m else m for m in metrics]
    try:
        return Report.model_validate(data), True
    except Exception as exc:  # pydantic's ValidationError; its locations become field paths
        errors = getattr(exc, "errors", None)
        parts = [f"{_path(e['loc'])}: {e['msg']}" for e in errors()] if callable(errors) else [str(exc)]
        raise ReportValidationError("not a report in the Report JSON shape: " + "; ".join(parts)) from exc


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
