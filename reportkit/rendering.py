"""Human-readable renderings of a checked report. Report → Markdown text.

The CLI prints this by default; notebooks show it through ``Report._repr_markdown_``, so every
piece of document or server text is inert here: ``<`` and ``>`` become entities (no raw HTML
reaches a notebook), ``[``/``]`` are backslash-escaped (no link or remote image from a quote),
table cells keep to one line, and a quote that holds newlines stays inside its ``>`` block.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from . import lexicon

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


_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")  # a bare & is shown as is; one that reads as an entity is escaped
_NEWLINES = re.compile(r"\r\n?|\n")
# Inline markup a quote must not turn into: links and images ([ ]), emphasis (* _), code (`), strike (~).
_MARKUP = re.compile(r"[\[\]*_`~]")
# What makes a line a list, heading, quote, rule, fence or setext underline when it starts the line.
_BLOCK_START = re.compile(
    r"^(\s*)(\d{1,9}(?=[.)](?:\s|$))|)([.)](?<=\d[.)])|[-+*](?=\s|$)|#(?=#*(?:\s|$))|>|[=_-](?=[=_\s-]*$)|`(?=``)|~(?=~~))"
)


def _inline(value: object) -> str:
    """Text from a document or a server, shown verbatim inside a Markdown line: no HTML, links,
    images or emphasis of its own."""
    text = "" if value is None else str(value)
    text = _ENTITY_LIKE.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    return _MARKUP.sub(r"\\\g<0>", text.replace("\\", "\\\\"))


def _literal_start(line: str) -> str:
    """Backslash-escape a block marker at the start of ``line``, so it reads as text."""
    return _BLOCK_START.sub(lambda m: f"{m[1]}{m[2]}\\{m[3]}", line, count=1)


# Text with none of these characters, and no block marker to start with, is its own rendering: a
# table of thousands of metrics then skips the escaping passes for almost every cell.
# One pattern: no leading space, no block marker at the start (``_BLOCK_START`` after its ``\s*``),
# and none of the characters that need escaping.
_PLAIN = re.compile(r"(?!\s)(?!" + _BLOCK_START.pattern.removeprefix(r"^(\s*)") + r")[^&<>\\\[\]*_`~\r\n|]*")


def _plain(text: str) -> bool:
    return _PLAIN.fullmatch(text) is not None


def _line(value: object) -> str:
    """``_inline`` on one line: line breaks become spaces, so nothing starts a block of its own.

    Outer whitespace is dropped: an indented line would otherwise become a code block.
    """
    if isinstance(value, str) and _plain(value):
        return value.rstrip()
    return _literal_start(_NEWLINES.sub(" ", _inline(value)).strip())


def _cell(value: object) -> str:
    return _text_cell(value) if isinstance(value, str) else _line(value).replace("|", "\\|")


@lru_cache(maxsize=4096)
def _text_cell(value: str) -> str:
    """A table cell's text, rendered once per distinct value (kinds, periods and checks repeat on
    every row)."""
    return _line(value).replace("|", "\\|")


def _block_quote(value: object, indent: str) -> list[str]:
    """Every line of a quote prefixed with ``>``: a newline in the quote cannot leave the block."""
    return [f"{indent}> {_literal_start(line)}".rstrip() for line in _NEWLINES.split(_inline(value))]


def _figure(metric: "Metric") -> str:
    value = metric.value_text or f"{metric.value:g}"
    pre = metric.qualifier if metric.qualifier in lexicon.HEDGES_BEFORE + lexicon.TARGET_HEDGES else ""
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
        lines.append(f"{i}. **{_line(item.title) or '—'}**{where}")
        if item.text and item.text != item.title:
            lines.append(f"   {_line(item.text)}")
        lines += _block_quote(item.quote, "   ")
    return lines


def report_to_markdown(report: "Report") -> str:
    """Render ``report`` as Markdown: meta, overview, items with quotes, metrics with checks."""
    m = report.meta
    title = m.title or m.source or "Report"
    out = [f"# {_line(title)}", ""]
    facts = [
        ("Organization", m.organization),
        ("Region", m.region),
        ("Year", m.report_year),
        ("Published", m.published),
        ("Type", m.doc_type),
        ("Source", m.source),
        ("Engine", report.run.engine + (f" ({report.run.model})" if report.run.model else "")),
    ]
    out += [f"- **{k}:** {_line(v)}" for k, v in facts if v not in (None, "")]
    if report.overview:
        out += ["", "## Overview", "", _line(report.overview)]
    for key, heading in SECTION_TITLES:
        items = getattr(report, key)
        out += ["", f"## {heading} ({len(items)})", ""]
        out += _items(items) if items else ["_none found_"]
    out += ["", f"## Metrics ({len(report.metrics)})", ""]
    if report.metrics:
        out += ["| # | Indicator | Standard | Figure | Kind | Period | Check | Quote |", "|---|---|---|---|---|---|---|---|"]
        for i, metric in enumerate(report.metrics, 1):
            out.append(
                f"| {i} | {_cell(metric.name)} | {_cell(metric.indicator or '')} | {_cell(_figure(metric))} | {_cell(metric.kind)} | {_cell(metric.period)} "
                f"| {_cell(_check_cell(metric))} | {_cell(metric.quote)} |"
            )
    v = report.validation
    counts = ", ".join(f"{k} {n}" for k, n in v.counts.items() if n)
    out += ["", "## Figure check", "", f"- {v.checked} metrics checked: {counts or 'none'}; flagged {v.flagged}."]
    if v.coverage is not None:
        out.append(f"- Coverage of the source's figures: {v.coverage:.0%} ({v.source_figures} in review and plans).")
    for inc in v.inconsistencies:
        out.append(f"- Source inconsistency: {_line(inc.detail)}")
    for fig in v.figures:
        if fig.status not in ("verified", "derived"):
            out.append(f"- In `{fig.path.replace('`', '')}`: {_line(fig.text)} is {_line(fig.status)}: {_line(fig.detail)}")
    if v.missed:
        shown = ", ".join(f"{_line(m.text)}({_line(m.context[:24])})" if m.context else _line(m.text) for m in v.missed[:12])
        more = f" and {len(v.missed) - 12} more" if len(v.missed) > 12 else ""
        out.append(f"- Source figures not in the summary: {shown}{more}.")
    if report.run.failures:
        out += ["", "## Failures", ""] + [f"- {_line(f.stage)}: {_line(f.message)}" for f in report.run.failures]
    return "\n".join(out) + "\n"
