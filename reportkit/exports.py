"""Tidy tables of many reports for pandas, CSV, JSON Lines and Parquet. Reports → rows → files.

One row per metric (or per item), with the report's source, organisation and year repeated on
every row, and the figure normalised through the numbers module so that 0.32亿元 and 3200万元
compare equal in a DataFrame.
"""

from __future__ import annotations

import csv
import json
import os
from typing import TYPE_CHECKING, Any, Iterable, Literal

from .errors import MissingExtraError, ReportkitError
from .numbers import parse_quantity

if TYPE_CHECKING:
    import pandas

    from .schema import Report

What = Literal["metrics", "items"]

METRIC_COLUMNS = [
    "source", "organization", "region", "report_year", "name", "value", "unit", "normalized_value",
    "normalized_unit", "unit_family", "kind", "period", "qualifier", "check_status", "check_detail",
    "quote", "span_start", "span_end",
]
ITEM_COLUMNS = ["source", "organization", "region", "report_year", "section", "position", "title", "text", "quote", "span_start", "span_end"]


def _normalise(value: float, unit: str) -> tuple[float | None, str | None, str | None]:
    q = parse_quantity(f"{value:g}{unit}") if unit else None
    if q is None:
        return None, None, None
    normalized, base = q.normalized
    return normalized, base, q.family


def _report_fields(report: "Report") -> dict[str, Any]:
    m = report.meta
    return {"source": m.source, "organization": m.organization, "region": m.region, "report_year": m.report_year}


def metric_rows(reports: Iterable["Report"]) -> list[dict[str, Any]]:
    """One dict per metric of every report, in the METRIC_COLUMNS order."""
    rows = []
    for report in reports:
        head = _report_fields(report)
        for metric in report.metrics:
            normalized, base, family = _normalise(metric.value, metric.unit)
            rows.append({
                **head,
                "name": metric.name, "value": metric.value, "unit": metric.unit,
                "normalized_value": normalized, "normalized_unit": base, "unit_family": family,
                "kind": metric.kind, "period": metric.period, "qualifier": metric.qualifier,
                "check_status": metric.check.status, "check_detail": metric.check.detail, "quote": metric.quote,
                "span_start": metric.span[0] if metric.span else None, "span_end": metric.span[1] if metric.span else None,
            })
    return rows


def item_rows(reports: Iterable["Report"]) -> list[dict[str, Any]]:
    """One dict per review/problem/plan item of every report, in the ITEM_COLUMNS order."""
    rows = []
    for report in reports:
        head = _report_fields(report)
        for section in ("review", "problems", "plans"):
            for position, item in enumerate(getattr(report, section), 1):
                rows.append({
                    **head, "section": section, "position": position, "title": item.title, "text": item.text,
                    "quote": item.quote, "span_start": item.span[0] if item.span else None,
                    "span_end": item.span[1] if item.span else None,
                })
    return rows


def _rows(reports: Iterable["Report"], what: What) -> tuple[list[dict[str, Any]], list[str]]:
    if what == "metrics":
        return metric_rows(reports), METRIC_COLUMNS
    if what == "items":
        return item_rows(reports), ITEM_COLUMNS
    raise ReportkitError(f"what={what!r}: use 'metrics' or 'items'")


def to_dataframe(reports: "Report | Iterable[Report]", what: What = "metrics") -> "pandas.DataFrame":
    """A tidy pandas DataFrame: one row per metric (``what="metrics"``) or per item (``"items"``).

    Raises:
        MissingExtraError: pandas is not installed (``pip install 'reportkit[pandas]'``).
    """
    try:
        import pandas as pd
    except ImportError as exc:
        raise MissingExtraError("pandas", what="DataFrame exports") from exc
    rows, columns = _rows(_as_list(reports), what)
    return pd.DataFrame(rows, columns=columns)


def _as_list(reports: "Report | Iterable[Report]") -> list["Report"]:
    from .schema import Report

    return [reports] if isinstance(reports, Report) else list(reports)


def to_jsonl(reports: "Report | Iterable[Report]", path: str | os.PathLike[str], what: What | Literal["reports"] = "reports") -> None:
    """Write JSON Lines: one whole report per line, or one metric/item row per line."""
    reports = _as_list(reports)
    with open(path, "w", encoding="utf-8") as fh:
        if what == "reports":
            for report in reports:
                fh.write(report.model_dump_json() + "\n")
            return
        for row in _rows(reports, what)[0]:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def to_csv(reports: "Report | Iterable[Report]", path: str | os.PathLike[str], what: What = "metrics") -> None:
    """Write a CSV (UTF-8 with BOM, so Excel opens the Chinese text correctly); no pandas needed."""
    rows, columns = _rows(_as_list(reports), what)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def to_parquet(reports: "Report | Iterable[Report]", path: str | os.PathLike[str], what: What = "metrics") -> None:
    """Write a Parquet file (needs ``reportkit[parquet]``: pandas and pyarrow)."""
    try:
        import pyarrow  # noqa: F401  (pandas would otherwise fail later with a less useful message)
    except ImportError as exc:
        raise MissingExtraError("parquet", what="Parquet exports") from exc
    to_dataframe(reports, what).to_parquet(path, index=False)
