"""Tidy tables of many reports for pandas, CSV, JSON Lines and Parquet. Reports → rows → files.

One row per metric (or per item), with the report's source, organisation and year repeated on
every row, and the figure normalised through the numbers module so that 0.32亿元 and 3200万元
compare equal in a DataFrame.

Files meant for spreadsheets (CSV, Parquet, and a DataFrame built with ``spreadsheet_safe=True``
before ``to_excel``) are formula-safe: a text cell that a spreadsheet would evaluate (it starts
with ``= + - @``, a tab or a carriage return, OWASP's list) gets a leading ``'``. Source text is
hostile input: a page saying ``=HYPERLINK("http://x")地区生产总值`` must not become a live link.
Numbers stay numbers (``-1.5`` in a numeric column, or as a whole text cell, is left alone).
"""

from __future__ import annotations

import csv
import json
import os
import re
from typing import IO, TYPE_CHECKING, Any, Iterable, Literal

from .errors import MissingExtraError, ReportkitError
from .numbers import parse_quantity

if TYPE_CHECKING:
    import pandas

    from .schema import Report

What = Literal["metrics", "items"]

METRIC_COLUMNS = [
    "source", "organization", "region", "report_year", "name", "indicator", "value", "unit", "normalized_value",
    "normalized_unit", "unit_family", "kind", "period", "qualifier", "check_status", "check_detail",
    "quote", "span_start", "span_end",
]
ITEM_COLUMNS = ["source", "organization", "region", "report_year", "section", "position", "title", "text", "quote", "span_start", "span_end"]


# OWASP "CSV Injection": the characters that make a spreadsheet read a cell as a formula or DDE call.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet shows it literally: a formula-like text cell gets a leading ``'``.

    Non-text values and plain numbers written as text (``-1.5``, ``+3%``) are returned unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every row with every cell passed through ``safe_cell``."""
    return [{key: safe_cell(value) for key, value in row.items()} for row in rows]


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
                "name": metric.name, "indicator": metric.indicator, "value": metric.value, "unit": metric.unit,
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


def to_dataframe(
    reports: "Report | Iterable[Report]", what: What = "metrics", *, spreadsheet_safe: bool = False
) -> "pandas.DataFrame":
    """A tidy pandas DataFrame: one row per metric (``what="metrics"``) or per item (``"items"``).

    Text is exactly as extracted (``quote`` equals the source at its span). Pass
    ``spreadsheet_safe=True`` for a frame bound for ``to_excel`` or another spreadsheet: formula-like
    text cells then get a leading ``'`` (see ``safe_cell``).

    Raises:
        MissingExtraError: pandas is not installed (``pip install 'reportkit[pandas]'``).
    """
    try:
        import pandas as pd
    except ImportError as exc:
        raise MissingExtraError("pandas", what="DataFrame exports") from exc
    rows, columns = _rows(_as_list(reports), what)
    return pd.DataFrame(safe_rows(rows) if spreadsheet_safe else rows, columns=columns)


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
    """Write a formula-safe CSV (UTF-8 with BOM, so Excel opens the Chinese text correctly); no pandas needed."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        write_csv(reports, fh, what)


def write_csv(reports: "Report | Iterable[Report]", stream: IO[str], what: What = "metrics") -> None:
    """Write formula-safe CSV rows (with a header) to an open text stream, e.g. ``sys.stdout``."""
    rows, columns = _rows(_as_list(reports), what)
    writer = csv.DictWriter(stream, fieldnames=columns)
    writer.writeheader()
    writer.writerows(safe_rows(rows))


def to_parquet(reports: "Report | Iterable[Report]", path: str | os.PathLike[str], what: What = "metrics") -> None:
    """Write a formula-safe Parquet file (needs ``reportkit[parquet]``: pandas and pyarrow)."""
    try:
        import pyarrow  # noqa: F401  (pandas would otherwise fail later with a less useful message)
    except ImportError as exc:
        raise MissingExtraError("parquet", what="Parquet exports") from exc
    to_dataframe(reports, what, spreadsheet_safe=True).to_parquet(path, index=False)
