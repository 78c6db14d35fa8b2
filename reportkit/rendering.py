"""Human-readable renderings of a checked report. Report → Markdown text.

The CLI prints this by default; notebooks show it through ``Report._repr_markdown_``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rendering stays import-light; the schema imports this module lazily
    from .schema import Item, Metric, Report

STATUS_MARK = {
    "verified": "✓ verified",
    "derived": "≈ derived",
    "unit_mismatch": "⚠ unit_mismatch",
    "misattributed": "⚠ misattributed",
    "unsupported": "✗ unsupported",
}
SECTION_TITLES = (("review", "Review 工作回顾"), ("problems", "Problems 存在问题"), ("plans", "Plans 工作计划"))


def _cell(value: object) -> str:
    return str(value if value is not None else "").replace("|", "\\|").replace("\n", " ")


def _figure(metric: "Metric") -> str:
    value = metric.value_text or f"{metric.value:g}"
    pre = metric.qualifier if metric.qualifier in ("超", "超过", "近", "约", "逾", "将近", "接近", "不低于", "不少于") else ""
    post = metric.qualifier if metric.qualifier and not pre else ""
    return f"{pre}{value}{metric.unit}{post}"


def _check_cell(metric: "Metric") -> str:
    """Status, plus the kind/period flags that count a verified figure as flagged."""
    text = STATUS_MARK.get(metric.check.status, metric.check.status)
    flags = [name for name, ok in (("kind?", metric.check.kind_ok), ("period?", metric.check.period_ok)) if ok is False]
    return text + (" ⚠ " + " ".join(flags) if flags else "")


def _items(items: list["Item"]) -> list[str]:
    lines = []
    for i, item in enumerate(items, 1):
        where = f" `[{item.span[0]}:{item.span[1]}]`" if item.span else " (quote not located)"
        lines.append(f"{i}. **{item.title}**{where}")
        if item.text and item.text != item.title:
            lines.append(f"   {item.text}")
        lines.append(f"   > {item.quote}")
    return lines


def report_to_markdown(report: "Report") -> str:
    """Render ``report`` as Markdown: meta, overview, items with quotes, metrics with checks."""
    m = report.meta
    title = m.title or m.source or "Report"
    out = [f"# {title}", ""]
    facts = [
        ("Organization", m.organization),
        ("Region", m.region),
        ("Year", m.report_year),
        ("Published", m.published),
        ("Type", m.doc_type),
        ("Source", m.source),
        ("Engine", report.run.engine + (f" ({report.run.model})" if report.run.model else "")),
    ]
    out += [f"- **{k}:** {v}" for k, v in facts if v not in (None, "")]
    if report.overview:
        out += ["", "## Overview", "", report.overview]
    for key, heading in SECTION_TITLES:
        items = getattr(report, key)
        out += ["", f"## {heading} ({len(items)})", ""]
        out += _items(items) if items else ["_none found_"]
    out += ["", f"## Metrics ({len(report.metrics)})", ""]
    if report.metrics:
        out += ["| # | Indicator | Figure | Kind | Period | Check | Quote |", "|---|---|---|---|---|---|---|"]
        for i, metric in enumerate(report.metrics, 1):
            out.append(
                f"| {i} | {_cell(metric.name)} | {_cell(_figure(metric))} | {metric.kind} | {_cell(metric.period)} "
                f"| {_check_cell(metric)} | {_cell(metric.quote)} |"
            )
    v = report.validation
    counts = ", ".join(f"{k} {n}" for k, n in v.counts.items() if n)
    out += ["", "## Figure check", "", f"- {v.checked} metrics checked: {counts or 'none'}; flagged {v.flagged}."]
    if v.coverage is not None:
        out.append(f"- Coverage of the source's figures: {v.coverage:.0%} ({v.source_figures} in review and plans).")
    for inc in v.inconsistencies:
        out.append(f"- Source inconsistency: {inc.detail}")
    for fig in v.figures:
        if fig.status not in ("verified", "derived"):
            out.append(f"- In `{fig.path}`: {fig.text} is {fig.status}: {fig.detail}")
    if v.missed:
        shown = ", ".join(f"{m.text}({_cell(m.context)[:24]})" if m.context else m.text for m in v.missed[:12])
        more = f" and {len(v.missed) - 12} more" if len(v.missed) > 12 else ""
        out.append(f"- Source figures not in the summary: {shown}{more}.")
    if report.run.failures:
        out += ["", "## Failures", ""] + [f"- {f.stage}: {f.message}" for f in report.run.failures]
    return "\n".join(out) + "\n"
