"""Tables across reports: the indicator panel and the target table. Reports/links → rows, DataFrame, Markdown.

The panel has one row per (organization, indicator, kind, period), what an analyst pivots. Only
metrics with a standard indicator enter it. When two reports state the same
(organization, indicator, kind, period), the later report's figure is kept (a revision
supersedes the first statement) and ``revised_from`` holds the earlier value in the same unit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Sequence

from .errors import MissingExtraError
from .indicators import Vocabulary, assign_indicators, default_vocabulary
from .numbers import parse_quantity
from .tracking import OUTCOMES, Revision, TargetLink, coverage, figure_text, hedged_text, organization_key, scaled

if TYPE_CHECKING:
    import pandas

    from .schema import Report

PANEL_COLUMNS = [
    "organization", "indicator", "indicator_name", "kind", "period", "value", "unit", "base_value", "base_unit",
    "qualifier", "name", "report_year", "source", "quote", "check_status", "revised_from",
]


def _base(value: float, unit: str) -> tuple[float | None, str | None]:
    """(value, unit) in the base unit: 134.2亿元 → (1.342e10, 元), 5.2% → (5.2, %), 3万人 → (30000, 人)."""
    q = parse_quantity(f"{value:g}{unit}") if unit else None
    if q is None:
        return None, None
    normalized, base = q.normalized
    return normalized, base or None


def panel_rows(reports: Iterable["Report"], *, vocabulary: Vocabulary | None = None) -> list[dict[str, Any]]:
    """The panel as dicts in PANEL_COLUMNS order (no pandas needed)."""
    vocab = vocabulary or default_vocabulary()
    items = [r if any(m.indicator for m in r.metrics) else assign_indicators(r, vocabulary=vocab) for r in reports]
    items.sort(key=lambda r: (coverage(r).year, coverage(r).end_month, r.meta.published or "") if r.meta.report_year else (0, 0, ""))
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for report in items:
        org = report.meta.organization
        seen: set[tuple[Any, ...]] = set()
        for m in report.metrics:
            if not m.indicator:
                continue
            key = (organization_key(org) or org, m.indicator, m.kind, m.period)
            if key in seen:  # the first statement in a report is its headline figure
                continue
            seen.add(key)
            base_value, base_unit = _base(m.value, m.unit)
            ind = vocab.get(m.indicator)
            earlier = rows.get(key)
            revised = None
            if earlier is not None:
                v = scaled(earlier["value"], earlier["unit"], m.unit)
                revised = v if v is not None and abs(v - m.value) > 1e-9 * max(1.0, abs(m.value)) else earlier["revised_from"]
            rows[key] = {
                "organization": org, "indicator": m.indicator, "indicator_name": ind.name if ind else None,
                "kind": m.kind, "period": m.period, "value": m.value, "unit": m.unit,
                "base_value": base_value, "base_unit": base_unit, "qualifier": m.qualifier, "name": m.name,
                "report_year": report.meta.report_year, "source": report.meta.source, "quote": m.quote,
                "check_status": m.check.status, "revised_from": revised,
            }
    return list(rows.values())


def panel(reports: Iterable["Report"], *, vocabulary: Vocabulary | None = None) -> "pandas.DataFrame":
    """A tidy DataFrame of standard indicators: one row per (organization, indicator, kind, period).

    ``value``/``unit`` are as written; ``base_value``/``base_unit`` are in the base unit (元, %, 个,
    人 …), so 0.85亿元 and 8500万元 compare equal. Pivot it, e.g.
    ``df[df.kind == "growth_rate"].pivot_table(index="organization", columns="indicator", values="value")``.

    Raises:
        MissingExtraError: pandas is not installed (``pip install 'reportkit[pandas]'``).
    """
    try:
        import pandas as pd
    except ImportError as exc:
        raise MissingExtraError("pandas", what="reportkit.panel") from exc
    return pd.DataFrame(panel_rows(reports, vocabulary=vocabulary), columns=PANEL_COLUMNS)


# --- The target table ---------------------------------------------------------------------------------

LINK_COLUMNS = ["indicator", "outcome", "target", "target_quote", "actual", "actual_quote", "why", "plan_report", "actual_report"]


def link_rows(links: Iterable[TargetLink]) -> list[dict[str, object]]:
    """One flat dict per link (LINK_COLUMNS), for CSV and DataFrames."""
    rows = []
    for ln in links:
        t, a = ln.target, ln.actual
        rows.append({
            "indicator": ln.indicator, "outcome": ln.outcome,
            "target": hedged_text(t),
            "target_quote": t.quote, "actual": figure_text(a) if a else "", "actual_quote": a.quote if a else "",
            "why": ln.why, "plan_report": ln.plan_report, "actual_report": ln.actual_report,
        })
    return rows


def links_to_markdown(links: Sequence[TargetLink], revised: Sequence[Revision] = ()) -> str:
    """The target table as Markdown (one row per link), then the revisions."""
    def cell(x: object) -> str:
        return str(x if x is not None else "").replace("|", "\\|").replace("\n", " ")

    lines = ["| indicator | target | actual | outcome | why |", "|---|---|---|---|---|"]
    for row in link_rows(links):
        lines.append("| " + " | ".join(cell(row[k]) for k in ("indicator", "target", "actual", "outcome", "why")) + " |")
    counts = {o: sum(1 for ln in links if ln.outcome == o) for o in OUTCOMES}
    lines += ["", ", ".join(f"{o} {n}" for o, n in counts.items() if n) or "no targets linked"]
    if revised:
        lines += ["", "| revised | kind | period | earlier | later |", "|---|---|---|---|---|"]
        for rv in revised:
            lines.append(f"| {rv.indicator} | {rv.kind} | {cell(rv.period)} | {figure_text(rv.earlier)} | {figure_text(rv.later)} |")
    return "\n".join(lines) + "\n"
