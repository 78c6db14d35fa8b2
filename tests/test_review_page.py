"""The HTML review page without a browser: structure, ids, escaping, exact source text, overlaps."""

from __future__ import annotations

import re
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

import reportkit
from reportkit.review_page import CSP, NOT_LOCATED, report_to_html
from reportkit.schema import CHECK_STATUSES, Check, Failure, Inconsistency, Item, Meta, Metric, Report, RunInfo, SourceFigure, Validation

from conftest import SEEDS

HOSTILE = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>'&amp;"
VOID = {"meta", "br", "img", "input", "link", "hr", "wbr", "source", "area", "base", "col", "embed", "param", "track"}


class Page(HTMLParser):
    """Parses a page: every tag, the source pane's text, and the text of each highlight id in order."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.source_parts: list[str] | None = None
        self.source_depth = 0
        self.by_id: dict[str, list[str]] = {}
        self.entries: dict[str, dict[str, str]] = {}
        self.entry_text: dict[str, list[str]] = {}
        self.title = ""
        self.all_text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if tag in VOID:
            return
        self.stack.append((tag, a))
        if a.get("id") == "source":
            self.source_parts, self.source_depth = [], len(self.stack)
        if "data-entry" in a:
            self.entries[a["data-entry"]] = a
            self.entry_text[a["data-entry"]] = []

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack and self.stack[-1][0] == tag, f"unbalanced </{tag}> after {self.stack[-3:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.all_text.append(data)
        if self.stack and self.stack[-1][0] == "title":
            self.title += data
        for _, a in self.stack:
            if "data-entry" in a:
                self.entry_text[a["data-entry"]].append(data)
        if self.source_parts is None or len(self.stack) < self.source_depth:
            return
        if self.stack[self.source_depth - 1][1].get("id") != "source":
            return
        self.source_parts.append(data)
        for _, a in self.stack[self.source_depth :]:
            for key in a.get("data-ids", "").split():
                self.by_id.setdefault(key, []).append(data)

    @property
    def source_text(self) -> str | None:
        return None if self.source_parts is None else "".join(self.source_parts)

    def classes(self, key: str) -> set[str]:
        return set(self.entries[key].get("class", "").split())


def _span(text: str, quote: str, after: int = 0) -> tuple[int, int]:
    at = text.index(quote, after)
    return (at, at + len(quote))


def _metric(text: str, name: str, quote: str, figure: str, value: float, unit: str, status: str = "verified") -> Metric:
    span = _span(text, quote)
    fig = _span(text, figure, span[0])
    return Metric(name=name, value=value, value_text=figure.rstrip(unit), unit=unit, kind="actual", quote=quote, span=span,
                  check=Check(status=status, detail=f"{figure} checked", span=fig))


def _validation(metrics: list[Metric], **extra: object) -> Validation:
    counts = Counter(m.check.status for m in metrics)
    return Validation(counts={s: counts.get(s, 0) for s in CHECK_STATUSES}, checked=len(metrics),
                      flagged=sum(1 for m in metrics if m.check.status not in ("verified", "derived")), **extra)


SOURCE = (
    "\n\r\n  某区2023年工作总结\r\n"
    "一、经济发展。全区地区生产总值134.2亿元,增长5.1%;固定资产投资20亿元,增长3.3%。\n"
    "二、民生。新增就业1200人,城镇登记失业率2.5%。\t\n"
    "三、问题。财政收支矛盾突出 & 债务压力<较大>。\n"
    "四、计划。2024年地区生产总值增长6%左右。🙂\n  "
)


def mixed_report(text: str = SOURCE) -> Report:
    """Items and metrics with every status; metric quotes overlap each other and sit inside items."""
    metrics = [
        _metric(text, "地区生产总值", "全区地区生产总值134.2亿元", "134.2亿元", 134.2, "亿元"),
        _metric(text, "地区生产总值增长", "134.2亿元,增长5.1%", "5.1%", 5.1, "%", "derived"),  # overlaps the first
        _metric(text, "固定资产投资", "固定资产投资20亿元", "20亿元", 2e5, "万元", "unit_mismatch"),
        _metric(text, "新增就业", "新增就业1200人", "1200人", 1200, "人", "misattributed"),
        Metric(name="城镇登记失业率", value=2.4, unit="%", quote="城镇登记失业率2.5%", span=_span(text, "城镇登记失业率2.5%"),
               check=Check(status="unsupported", detail="2.4% is not stated in the source")),
        _metric(text, "地区生产总值增长目标", "地区生产总值增长6%左右", "6%", 6, "%"),
    ]
    return Report(
        meta=Meta(organization="某区人民政府", region="某省某市", report_year=2023, published="2024-01-05",
                  doc_type="summary_and_plan", title="2023年工作总结", source="<text>"),
        overview="全区经济稳中向好。",
        review=[Item(title="经济发展", text="经济稳中有进", quote=q, span=_span(text, q))
                for q in ("一、经济发展。全区地区生产总值134.2亿元,增长5.1%;固定资产投资20亿元,增长3.3%。",)]
        + [Item(title="民生", quote="新增就业1200人,城镇登记失业率2.5%", span=_span(text, "新增就业1200人,城镇登记失业率2.5%"))],
        problems=[Item(title="财政", quote="财政收支矛盾突出 & 债务压力<较大>", span=_span(text, "财政收支矛盾突出 & 债务压力<较大>"))],
        plans=[Item(title="增长目标", quote="2024年地区生产总值增长6%左右", span=_span(text, "2024年地区生产总值增长6%左右"))],
        metrics=metrics,
        validation=_validation(
            metrics, coverage=0.75, source_figures=8,
            missed=[SourceFigure(text="3.3%", span=_span(text, "3.3%"), section="review")],
            inconsistencies=[Inconsistency(detail="分项之和不等于合计", stated=10, computed=11, span=_span(text, "20亿元"))],
        ),
        run=RunInfo(engine="llm", model="qwen-plus", failures=[Failure(stage="extraction", message="timeout", chunk_id="c3")]),
    )


def _located_keys(report: Report) -> list[str]:
    keys = [f"{name}-{i}" for name in ("review", "problems", "plans") for i, it in enumerate(getattr(report, name)) if it.span]
    return keys + [f"metric-{i}" for i, m in enumerate(report.metrics) if m.span or m.check.span]


def test_structure_is_one_self_contained_page() -> None:
    html = report_to_html(mixed_report(), SOURCE)
    assert html.startswith("<!DOCTYPE html>")
    assert html.count("<html") == 1 and html.count("</html>") == 1
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in html
    assert CSP == "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
    assert "http://" not in html and "https://" not in html and "src=" not in html
    assert "url(" not in html and "@import" not in html and "@font-face" not in html
    page = Page(html)
    names = [t for t, _ in page.tags]
    assert names.count("html") == 1 and names.count("body") == 1 and names.count("script") == 1
    assert not {"link", "img", "iframe", "object", "embed", "base", "form", "a"} & set(names)
    for _, attrs in page.tags:
        assert not {"src", "href", "action", "srcset", "poster"} & set(attrs)
        assert not any(k.startswith("on") for k in attrs)


def test_every_entry_has_a_highlight_with_the_same_id() -> None:
    report = mixed_report()
    page = Page(report_to_html(report, SOURCE))
    for key in _located_keys(report):
        assert key in page.entries, key
        assert key in page.by_id, f"no highlight for {key}"
    assert set(page.by_id) <= set(page.entries)  # no orphan highlight
    # each item's highlight pieces, in order, spell its quote exactly
    for name in ("review", "problems", "plans"):
        for i, item in enumerate(getattr(report, name)):
            assert "".join(page.by_id[f"{name}-{i}"]) == item.quote


def test_status_classes_and_legend_counts_match_the_validation() -> None:
    report = mixed_report()
    html = report_to_html(report, SOURCE)
    page = Page(html)
    for i, metric in enumerate(report.metrics):
        assert f"st-{metric.check.status}" in page.classes(f"metric-{i}")
        assert page.entries[f"metric-{i}"]["data-status"] == metric.check.status
    legend = {a["data-status"]: int(a["data-count"]) for t, a in page.tags if "legend-item" in a.get("class", "")}
    assert legend == report.validation.counts
    assert all(n >= 1 for n in legend.values())  # every status is exercised
    marks = [a for t, a in page.tags if t == "mark" and "data-ids" in a]
    for status in CHECK_STATUSES:
        assert any(f"st-{status}" in a["class"].split() for a in marks), status
    assert any("fig" in a["class"].split() for a in marks)
    # a piece covered by a verified and a derived metric takes the more serious colour
    shared = [a for a in marks if set(a["data-ids"].split()) >= {"metric-0", "metric-1"}]
    assert shared and all("st-derived" in a["class"].split() for a in shared)


def test_validation_summary_failures_and_meta_are_shown() -> None:
    report = mixed_report()
    page = Page(report_to_html(report, SOURCE))
    text = "".join(page.all_text)
    for needle in ("某区人民政府", "某省某市", "2023", "2024-01-05", "summary_and_plan", "llm · qwen-plus", "75%",
                   "分项之和不等于合计", "timeout", "c3", "全区经济稳中向好。", "存疑 Flagged"):
        assert needle in text, needle
    assert {"inc-0", "missed-0"} <= set(page.by_id)


def test_hostile_text_renders_as_text_everywhere() -> None:
    text = SOURCE + HOSTILE + "\n" + "<script>document.title='pwned'</script>"
    report = mixed_report(text)
    hostile_metric = Metric(name=HOSTILE, value=1, unit=HOSTILE, quote=HOSTILE, span=_span(text, HOSTILE),
                            check=Check(status="unsupported", detail=HOSTILE))
    report = report.model_copy(update={
        "meta": Meta(organization=HOSTILE, region=HOSTILE, title=HOSTILE, published=HOSTILE, source=HOSTILE),
        "overview": HOSTILE,
        "review": report.review + [Item(title=HOSTILE, text=HOSTILE, quote=HOSTILE)],
        "metrics": report.metrics + [hostile_metric],
        "run": RunInfo(model=HOSTILE, failures=[Failure(stage=HOSTILE, message=HOSTILE, chunk_id=HOSTILE)]),
    })
    html = report_to_html(report, text)
    assert "<script>alert" not in html and "<img" not in html and "<script>document" not in html
    assert "onerror=alert" in html  # present, but only as escaped text
    page = Page(html)
    names = [t for t, _ in page.tags]
    assert names.count("script") == 1 and "img" not in names
    assert page.source_text == text
    assert page.title.startswith(HOSTILE)
    assert "".join(page.by_id[f"metric-{len(report.metrics) - 1}"]) == HOSTILE
    assert sum(HOSTILE in part for part in page.all_text) >= 8  # meta, overview, item, name, detail, run …


@pytest.mark.parametrize(
    "text",
    [SOURCE, "", "a", "\n\nleading newlines", "crlf\r\nand lone\rcr", "&amp; &lt;x&gt; <b>bold</b> \"q\" 'a'",
     "tabs\tand\u3000ideographic spaces \u00a0nbsp", "astral 𠀀🙂 and combining e\u0301"],
)
def test_source_pane_text_equals_the_source_exactly(text: str) -> None:
    report = mixed_report() if text == SOURCE else Report()
    page = Page(report_to_html(report, text))
    assert page.source_text == text


def test_overlapping_and_nested_spans_render_exactly() -> None:
    text = "0123456789abcdefghij"
    spans = {"outer": (0, 20), "left": (2, 9), "right": (5, 14), "inner": (6, 8), "same": (6, 8), "edge": (14, 20)}
    metrics = [Metric(name=n, value=1, quote=text[a:b], span=(a, b), check=Check(status="verified", span=(a, b)))
               for n, (a, b) in spans.items() if n != "outer"]
    report = Report(review=[Item(title="outer", quote=text, span=spans["outer"])], metrics=metrics,
                    validation=_validation(metrics))
    page = Page(report_to_html(report, text))
    assert page.source_text == text
    assert "".join(page.by_id["review-0"]) == text
    for i, metric in enumerate(metrics):
        assert "".join(page.by_id[f"metric-{i}"]) == metric.quote
    # innermost first: a click on "67" selects the 2-character metric before the 7- and 9-character ones
    marks = [a["data-ids"].split() for t, a in page.tags if t == "mark" and "data-ids" in a]
    assert ["metric-2", "metric-3", "metric-0", "metric-1", "review-0"] in marks


def test_report_without_source_shows_quotes_inline_and_a_note() -> None:
    report = mixed_report()
    html = report_to_html(report, None)
    page = Page(html)
    assert page.source_text is None and not page.by_id
    assert 'class="no-source"' in html and "Source text not available" in html
    for i, metric in enumerate(report.metrics):
        assert metric.quote in "".join(page.entry_text[f"metric-{i}"])
    assert report.review[0].quote in "".join(page.entry_text["review-0"])
    assert NOT_LOCATED not in html
    assert Report().to_html().count("Source text not available") == 1  # meta.source is unset


def test_entries_whose_quote_was_not_located_still_render() -> None:
    report = mixed_report()
    lost = Metric(name="绿化面积", value=3, unit="公顷", quote="新增绿化面积3公顷", span=None,
                  check=Check(status="unsupported", detail="3公顷 is not stated in the source"))
    bad = Metric(name="越界", value=1, quote="越界", span=(10, 10_000), check=Check(status="unsupported"))
    report = report.model_copy(update={"metrics": report.metrics + [lost, bad],
                                       "plans": report.plans + [Item(title="绿化", quote="推进绿化", span=None)]})
    page = Page(report_to_html(report, SOURCE))
    for key in (f"metric-{len(report.metrics) - 2}", f"metric-{len(report.metrics) - 1}", "plans-1"):
        assert "unlocated" in page.classes(key)
        assert NOT_LOCATED in "".join(page.entry_text[key])
        assert key not in page.by_id
    assert "新增绿化面积3公顷" in "".join(page.entry_text[f"metric-{len(report.metrics) - 2}"])
    assert page.source_text == SOURCE


def test_a_quote_that_differs_from_the_source_at_its_span_is_flagged() -> None:
    report = mixed_report()
    moved = report.metrics[0].model_copy(update={"span": (0, 5)})
    page = Page(report_to_html(report.model_copy(update={"metrics": [moved]}), SOURCE))
    shown = "".join(page.entry_text["metric-0"])
    assert "quote differs from the source" in shown and moved.quote in shown


def test_source_must_be_a_document_a_string_or_none() -> None:
    with pytest.raises(TypeError, match="Document"):
        report_to_html(Report(), 42)


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem)
def test_seed_pages(path: Path) -> None:
    report = reportkit.summarize(path, engine="rules")
    doc = reportkit.load(path)
    html = report.to_html(doc)
    assert "http://" not in html and "https://" not in html and "src=" not in html
    page = Page(html)
    assert page.source_text == doc.text
    for key in _located_keys(report):
        assert key in page.by_id, key
    for i, metric in enumerate(report.metrics):
        pieces = "".join(page.by_id[f"metric-{i}"])
        assert pieces == metric.quote or metric.check.span and not metric.span
    legend = {a["data-status"]: int(a["data-count"]) for t, a in page.tags if "legend-item" in a.get("class", "")}
    assert legend == report.validation.counts
    if doc.boilerplate:
        assert any("bp" in a.get("class", "").split() for t, a in page.tags)
    assert report._repr_html_() == report.to_html()  # meta.source is reloaded from disk


def _big_report(target_chars: int = 100_000) -> tuple[Report, str]:
    """Seeds' texts and reports concatenated until the text reaches ``target_chars``, spans offset."""
    parts, metrics, review, offset = [], [], [], 0
    pairs = [(reportkit.summarize(p, engine="rules"), reportkit.load(p).text) for p in sorted(SEEDS.glob("*.txt"))]
    while offset < target_chars:
        for report, text in pairs:
            def shift(s: tuple[int, int] | None, by: int = offset) -> tuple[int, int] | None:
                return (s[0] + by, s[1] + by) if s else None
            metrics += [m.model_copy(update={"span": shift(m.span), "check": m.check.model_copy(update={"span": shift(m.check.span)})})
                        for m in report.metrics]
            review += [it.model_copy(update={"span": shift(it.span)}) for it in report.review + report.plans]
            parts.append(text)
            offset += len(text)
    return Report(review=review, metrics=metrics, validation=_validation(metrics)), "".join(parts)


def test_a_100kb_report_is_generated_quickly() -> None:
    report, text = _big_report()
    assert len(text) >= 100_000 and len(report.metrics) + len(report.review) >= 1000
    started = time.perf_counter()
    html = report_to_html(report, text)
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0, f"{elapsed:.2f} s for {len(text)} characters"
    assert Page(html).source_text == text
    assert len(re.findall(r"<script>", html)) == 1
