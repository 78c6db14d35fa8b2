"""The HTML review page: the summary beside the source, every quote highlighted at its span. Report + source → HTML text.

One self-contained file (inline CSS and JS, no network requests, a strict Content-Security-Policy).
The source pane is built from span boundaries: the text is cut at every span start and end, and
each piece is wrapped with the ids of all the spans covering it, so overlapping and nested spans
render correctly and the pane's text content is exactly the source text. Every piece of document
text is escaped; ids and class names are generated here, never taken from the document.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any, Optional

from .rendering import STATUS_MARK, _figure
from .review_page_assets import CSS, JS, STATUS_COLOURS

if TYPE_CHECKING:
    from .schema import Item, Metric, Report

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
LEGEND_ORDER = ("verified", "derived", "unit_mismatch", "misattributed", "unsupported")
STATUS_LABELS = {
    "verified": "已核实 verified",
    "derived": "推算 derived",
    "unit_mismatch": "单位不符 unit mismatch",
    "misattributed": "错配 misattributed",
    "unsupported": "无依据 unsupported",
}
# A piece of text covered by several metrics takes the colour of the most serious status.
_SEVERITY = {"verified": 0, "derived": 1, "unit_mismatch": 2, "misattributed": 3, "unsupported": 4, "unknown": 5}
_SECTIONS = (("review", "工作回顾 Review"), ("problems", "存在问题 Problems"), ("plans", "工作计划 Plans"))
NOT_LOCATED = "未定位 not located"


@dataclass(frozen=True)
class _Mark:
    """One span to highlight in the source pane, owned by the summary entry ``key``."""

    key: str
    start: int
    end: int
    role: str  # item | quote | figure | missed | inconsistency | evidence | boilerplate
    status: str = ""


def report_to_html(report: "Report", source: Any = None) -> str:
    """Render ``report`` as one self-contained HTML review page.

    Args:
        report: a checked Report.
        source: the source ``Document``, its text, or None. With a source, the page shows the
            summary beside the source text with every quote highlighted at its span; without
            one, the summary alone with quotes inline and a note that the source is missing.

    Returns:
        The HTML text of the page. It makes no network requests and runs only its own inline script.

    Raises:
        TypeError: when ``source`` is neither a Document, a str nor None.
    """
    text, boilerplate = _source_text(source)
    page = _Page(report, text)
    return page.render(boilerplate)


def _source_text(source: Any) -> tuple[Optional[str], tuple[tuple[int, int], ...]]:
    if source is None:
        return None, ()
    if isinstance(source, str):
        return source, ()
    text = getattr(source, "text", None)
    if not isinstance(text, str):
        raise TypeError(f"source must be a Document, a str or None, not {type(source).__name__}")
    return text, tuple(getattr(source, "boilerplate", ()) or ())


def _e(value: object) -> str:
    """Escape any value for HTML text or a double-quoted attribute."""
    return escape("" if value is None else str(value), quote=True)


def _status(status: object) -> str:
    return status if isinstance(status, str) and status in STATUS_COLOURS else "unknown"


class _Page:
    """Builds the page for one report; collects the source marks while it writes the summary."""

    def __init__(self, report: "Report", text: Optional[str]) -> None:
        self.report = report
        self.text = text
        self.marks: list[_Mark] = []

    # -- spans ---------------------------------------------------------------------------------

    def _locate(self, key: str, span: object, role: str, status: str = "") -> Optional[tuple[int, int]]:
        """Register ``span`` as a mark when it is a usable range of the source; return it or None."""
        if self.text is None or not isinstance(span, (tuple, list)) or len(span) != 2:
            return None
        start, end = span
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(self.text)):
            return None
        self.marks.append(_Mark(key, start, end, role, status))
        return (start, end)

    def _where(self, at: Optional[tuple[int, int]], quote: str = "") -> str:
        """The position tag of an entry: its span, a warning when the quote differs, or 'not located'."""
        if self.text is None:
            return ""
        if at is None:
            return f'<span class="tag lost">{NOT_LOCATED}</span>'
        tag = f'<span class="pos">[{at[0]}–{at[1]}]</span>'
        if quote and self.text[at[0] : at[1]] != quote:
            tag += '<span class="tag warn">⚠ 引文与原文不一致 quote differs from the source</span>'
        return tag

    def _quote(self, quote: str, at: Optional[tuple[int, int]]) -> str:
        # With a source the quote is visible where it is highlighted; show it inline otherwise.
        if quote and (self.text is None or at is None or self.text[at[0] : at[1]] != quote):
            return f"<blockquote>{_e(quote)}</blockquote>"
        return ""

    @staticmethod
    def _entry_attrs(key: str, located: bool, classes: str) -> str:
        cls = f"entry {classes}" + ("" if located else " unlocated")
        return f'class="{cls}" data-entry="{key}" tabindex="0" role="button"'

    # -- summary -------------------------------------------------------------------------------

    def _item(self, key: str, item: "Item") -> str:
        at = self._locate(key, item.span, "item")
        text = f'<p class="text">{_e(item.text)}</p>' if item.text and item.text != item.title else ""
        return (
            f"<li {self._entry_attrs(key, at is not None, 'item')}>"
            f'<span class="title">{_e(item.title or item.quote[:40])}</span>{self._where(at, item.quote)}'
            f"{text}{self._quote(item.quote, at)}</li>"
        )

    def _metric(self, key: str, metric: "Metric") -> str:
        status = _status(metric.check.status)
        at = self._locate(key, metric.span, "quote", status)
        fig = self._locate(key, metric.check.span, "figure", status)
        tags = [t for t in (metric.indicator, metric.kind, metric.period) if t]
        flags = ""
        if metric.check.kind_ok is False:
            flags += '<span class="tag warn">⚠ 类型存疑 kind</span>'
        if metric.check.period_ok is False:
            flags += '<span class="tag warn">⚠ 期间存疑 period</span>'
        mark = STATUS_MARK.get(status, "?").split(" ")[0]
        return (
            f'<li {self._entry_attrs(key, (at or fig) is not None, f"metric st-{status}")} data-status="{status}">'
            f'<span class="badge" title="{_e(metric.check.detail)}">{mark} {STATUS_LABELS.get(status, status)}</span>'
            f'<span><span class="figure">{_e(_figure(metric))}</span> <span class="name">{_e(metric.name)}</span>'
            f'<span class="tag">{_e(" · ".join(tags))}</span>{self._where(at, metric.quote)}{flags}</span>'
            f'<span class="detail">{_e(metric.check.detail)}</span>'
            f"{self._quote(metric.quote, at)}</li>"
        )

    def _header(self) -> str:
        m, run = self.report.meta, self.report.run
        engine = run.engine + (f" · {run.model}" if run.model else "")
        facts = [
            ("单位 Organization", m.organization),
            ("地区 Region", m.region),
            ("年度 Year", m.report_year),
            ("发布 Published", m.published),
            ("类型 Type", m.doc_type),
            ("引擎 Engine", engine),
            ("来源 Source", m.source),
        ]
        meta = "".join(f"<div><dt>{k}</dt><dd>{_e(v)}</dd></div>" for k, v in facts if v not in (None, ""))
        title = m.title or m.organization or m.source or "Report"
        return f'<header class="top"><h1>{_e(title)}</h1><dl class="meta">{meta}</dl>{self._legend()}</header>'

    def _counts(self) -> dict[str, int]:
        counts = dict(self.report.validation.counts)
        if not counts:  # an unvalidated report: count what the metrics say
            for metric in self.report.metrics:
                status = _status(metric.check.status)
                counts[status] = counts.get(status, 0) + 1
        return counts

    def _legend(self) -> str:
        counts = self._counts()
        statuses = list(LEGEND_ORDER) + [s for s in counts if s not in LEGEND_ORDER]
        out = ['<div class="legend"><button type="button" data-filter="">全部 all '
               f"<b>{len(self.report.metrics)}</b></button>"]
        for raw in statuses:
            status, n = _status(raw), int(counts.get(raw, 0))
            out.append(
                f'<button type="button" class="legend-item st-{status}{"" if n else " zero"}" data-filter="{status}" data-status="{status}" '
                f'data-count="{n}">{STATUS_MARK.get(status, "?").split(" ")[0]} {STATUS_LABELS.get(status, _e(raw))}'
                f"<b>{n}</b></button>"
            )
        if self.text is not None:
            v = self.report.validation
            keys = [("q-item", "条目引文 item quote", True), ("fig st-verified", "数字 figure", bool(self.report.metrics)),
                    ("n-missed", "未收录 missed figure", bool(v.missed)),
                    ("n-inconsistency", "原文矛盾 inconsistency", bool(v.inconsistencies))]
            out += [f'<mark class="key {cls}">{label}</mark>' for cls, label, shown in keys if shown]
        return "".join(out) + "</div>"

    def _validation(self) -> str:
        v = self.report.validation
        coverage = f"{v.coverage:.0%}（{v.source_figures} 个原文数字 source figures）" if v.coverage is not None else "—"
        rows = [
            ("核对 Checked", f"{v.checked} 项指标 metrics"),
            ("存疑 Flagged", str(v.flagged)),
            ("覆盖率 Coverage", coverage),
        ]
        out = ['<h2>核对结果 Validation</h2><table class="facts">']
        out += [f"<tr><td>{k}</td><td>{_e(val)}</td></tr>" for k, val in rows]
        out.append("</table>")
        out += self._notes("原文自相矛盾 Source inconsistencies", "inc", "inconsistency",
                           [(i.detail, i.span) for i in v.inconsistencies], open_=True)
        flagged_text = [(f"{f.path}: {f.text} — {f.status} {f.detail}", f.span) for f in v.figures
                        if f.status not in ("verified", "derived")]
        out += self._notes("正文数字存疑 Flagged figures in free text", "text", "evidence", flagged_text, open_=True)
        out += self._notes("未收录的原文数字 Source figures not in the summary", "missed", "missed",
                           [(f"{f.text}（{f.section}）", f.span) for f in v.missed], open_=False)
        return "".join(out)

    def _notes(self, heading: str, prefix: str, role: str, notes: list[tuple[str, object]], open_: bool) -> list[str]:
        if not notes:
            return []
        out = [f'<details{" open" if open_ else ""}><summary>{heading} ({len(notes)})</summary><ul class="entries">']
        for i, (label, span) in enumerate(notes):
            key = f"{prefix}-{i}"
            at = self._locate(key, span, role)
            out.append(f"<li {self._entry_attrs(key, at is not None, 'note')}>{_e(label)}{self._where(at)}</li>")
        return out + ["</ul></details>"]

    def _run(self) -> str:
        run = self.report.run
        out = []
        if run.failures:
            out.append(f"<h2>运行失败 Failures <small>({len(run.failures)})</small></h2><ul>")
            for f in run.failures:
                where = " ".join(x for x in (f.chunk_id or "", f.error_type or "") if x)
                out.append(f'<li class="failure"><b>{_e(f.stage)}</b> {_e(where)}: {_e(f.message)}'
                           + (f" ({f.attempts} attempts)" if f.attempts else "") + "</li>")
            out.append("</ul>")
        parts = [f"engine {run.engine}", f"model {run.model}" if run.model else "",
                 f"prompt {run.prompt_version}" if run.prompt_version else "",
                 f"{run.calls} calls, {run.cache_hits} cache hits, {run.retries} retries",
                 f"{run.input_tokens}+{run.output_tokens} tokens", f"{run.seconds:.1f} s",
                 f"reportkit {run.reportkit_version}" if run.reportkit_version else ""]
        out.append(f'<footer class="run">运行 Run: {_e(" · ".join(p for p in parts if p))}</footer>')
        return "".join(out)

    def _summary(self) -> str:
        r = self.report
        out = []
        if self.text is None:
            out.append('<p class="note">未提供原文 Source text not available: quotes are shown inline '
                       "and cannot be highlighted.</p>")
        if r.overview:
            out.append(f'<h2>概述 Overview</h2><p class="overview">{_e(r.overview)}</p>')
        out.append(self._validation())
        for name, heading in _SECTIONS:
            items = getattr(r, name)
            out.append(f"<h2>{heading} <small>({len(items)})</small></h2>")
            out.append('<ul class="entries">' + "".join(self._item(f"{name}-{i}", it) for i, it in enumerate(items))
                       + "</ul>" if items else '<p class="tag">无 none found</p>')
        out.append(f"<h2>指标 Metrics <small>({len(r.metrics)})</small></h2><ul class=\"entries\">")
        out += [self._metric(f"metric-{i}", m) for i, m in enumerate(r.metrics)]
        out.append("</ul>")
        out.append(self._run())
        return "".join(out)

    # -- page ----------------------------------------------------------------------------------

    def render(self, boilerplate: tuple[tuple[int, int], ...]) -> str:
        summary = self._summary()  # collects self.marks
        m = self.report.meta
        title = " · ".join(str(x) for x in (m.title, m.organization) if x) or "reportkit review"
        if self.text is not None:
            for start, end in boilerplate:
                if 0 <= start < end <= len(self.text):
                    self.marks.append(_Mark("", start, end, "boilerplate"))
            body = (
                f'<main><section class="pane" id="summary-pane">{summary}</section>'
                f'<section class="pane" id="source-pane"><h2>原文 Source <small>({len(self.text)} 字 characters)'
                f'</small></h2><div id="source">{source_html(self.text, self.marks)}</div></section></main>'
            )
        else:
            body = f'<main class="no-source"><section class="pane" id="summary-pane">{summary}</section></main>'
        return (
            '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="generator" content="reportkit {_e(self.report.run.reportkit_version)}">'
            f"<title>{_e(title)}</title><style>{CSS}</style></head>"
            f'<body data-source="{"yes" if self.text is not None else "no"}">{self._header()}{body}'
            f"<script>{JS}</script></body></html>\n"
        )


def _text(chunk: str) -> str:
    # A raw CR would be folded into LF by the HTML parser; a character reference survives as CR.
    return escape(chunk, quote=False).replace("\r", "&#13;")


def source_html(text: str, marks: list[_Mark]) -> str:
    """The source text as HTML, cut at every mark boundary, each piece wrapped with its marks' ids.

    Linear in the text plus the marks (after sorting the boundaries): one sweep over the cut
    points keeps the set of marks covering the current piece. Concatenating the pieces' text
    gives back ``text`` exactly.
    """
    starts: dict[int, list[int]] = defaultdict(list)
    ends: dict[int, list[int]] = defaultdict(list)
    for i, mark in enumerate(marks):
        starts[mark.start].append(i)
        ends[mark.end].append(i)
    cuts = sorted({0, len(text), *starts, *ends})
    active: dict[int, None] = {}  # an ordered set of mark indexes
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:]):
        for i in ends.get(a, ()):
            active.pop(i, None)
        for i in starts.get(a, ()):
            active[i] = None
        out.append(_piece(text[a:b], [marks[i] for i in active]))
    return "".join(out)


def _piece(chunk: str, covering: list[_Mark]) -> str:
    if not covering:
        return _text(chunk)
    keys: dict[str, int] = {}
    classes: set[str] = set()
    worst = ""
    for mark in covering:
        if mark.role == "boilerplate":
            classes.add("bp")
            continue
        length = mark.end - mark.start
        keys[mark.key] = min(length, keys.get(mark.key, length))
        if mark.role == "item":
            classes.add("q-item")
        elif mark.role in ("quote", "figure"):
            classes.add("q-metric")
            if mark.role == "figure":
                classes.add("fig")
            if _SEVERITY.get(mark.status, 0) >= _SEVERITY.get(worst, -1):
                worst = mark.status
        else:
            classes.add(f"n-{mark.role}")
    if not keys:
        return f'<span class="bp">{_text(chunk)}</span>'
    if worst:
        classes.add(f"st-{worst}")
    ids = " ".join(sorted(keys, key=lambda k: (keys[k], k)))  # innermost span first
    return f'<mark class="hl {" ".join(sorted(classes))}" data-ids="{ids}">{_text(chunk)}</mark>'
