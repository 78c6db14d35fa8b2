"""The figure check: every figure of a summary looked up in its source. Report + source → checked Report.

Statuses (``Check.status``), decided per metric:

- ``verified``: the value with its unit is stated in the source for this indicator. A value given at
  another scale but equal as a quantity in the same base unit (13420000000元 or 1342000万元 for
  134.2亿元) is the same figure: verified, with the conversion in ``detail``.
- ``unit_mismatch``: the digits are there but at another scale or in another unit (134.2万元 for
  134.2亿元; 5% for 5个百分点, which are not interchangeable).
- ``misattributed``: the value is stated, but for another indicator: outside the quote while the
  quote states another figure for this one, or inside it while the name fits another figure.
- ``unsupported``: the source states the value nowhere.
- ``derived``: not stated, but a rate computable from two counts of one sentence (整改率98.32%
  from 3502/3562), with the computation in ``detail``.

The quote says where to look; the name says which figure there is meant. The quote must hold
the figure, but need not hold the name: a generic indicator takes its subject from the sentence
(总投资2亿多元 is 老旧小区改造总投资), so the name is matched against the figure's clause and
sentence in the source (``attribution``). A name fits a figure when it scores at least ``T_MIN``
there, the figure's clause speaks of the same thing, and no figure of the same unit family fits
it more than ``MARGIN`` better (``LABEL_MARGIN`` when the figure's own clause is all part of the
name: 已办结634宗 is 已办结信访案件 though 受理信访案件671宗 shares more characters). A hedge in
the source supports the bare value (超5亿元 supports 5亿元, never 6亿元). A quote that is not in
the source is ignored (``quote_found`` False) and the name alone decides.

``kind_ok``/``period_ok`` (``sanity``) flag labels that contradict the source and never change
the status. Free-text figures (overview, item titles and texts) are checked the same way, with
the words around each figure as its name. ``validation`` adds coverage of the source's review
and plan figures and the rates where the source itself does not add up (``arithmetic``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from . import arithmetic, attribution, sanity
from .document import Document
from .intake import as_report
from .matching import SourceIndex, as_quantity, index_source, is_figure, locate, matches, number_text
from .numbers import Quantity, find_quantities, to_halfwidth
from .schema import CHECK_STATUSES, Check, FigureCheck, Inconsistency, Item, Metric, Report, SourceFigure, Validation

__all__ = [
    "SourceIndex",
    "as_report",
    "check_free_text",
    "check_metric",
    "inconsistencies",
    "index_source",
    "is_flagged",
    "validate",
]

# Calibrated on the gold annotations and the planted errors (tests/test_planted_errors.py).
T_MIN = 0.5
MARGIN = 0.05
LABEL_MARGIN = 0.2  # for a figure whose own clause is all part of the name (已办结634宗 for 已办结信访案件)
T_FREE = 0.4  # free text words its figures more loosely than a metric name does
_OK = ("verified", "derived")


# --------------------------------------------------------------------------- judging one figure


@dataclass(frozen=True)
class _Verdict:
    status: str
    detail: str
    figure: int | None = None  # index into SourceIndex.figures of the evidence


def _fig(index: SourceIndex, i: int) -> str:
    """Figure i as written in the source: 超5亿元."""
    q = index.figures[i]
    return index.text[q.start : q.end]


def _where(index: SourceIndex, i: int) -> str:
    """The clause of figure i, quoted: “一般公共预算收入6.57亿元”."""
    s, e = index.contexts[i].segment
    return f"“{index.text[s:e].strip()}”"


class _Fit:
    """Name scores against source figures, each judged against the figures of its own unit family."""

    def __init__(self, index: SourceIndex, key: attribution.NameKey, t_min: float) -> None:
        self.index, self.key, self.t_min = index, key, t_min
        self._scores: dict[int, float] = {}
        self._best: dict[str, float] = {}
        self._candidates: frozenset[int] | None = None

    def score(self, i: int) -> float:
        if i not in self._scores:
            self._scores[i] = attribution.score(self.key, self.index.contexts[i])
        return self._scores[i]

    def best(self, family: str) -> float:
        if family not in self._best:
            # only figures whose context shares a character with the name can score above 0, so
            # the best is found among those: linear in the candidates, not in the whole source
            if self._candidates is None:
                self._candidates = frozenset().union(*(self.index.by_char.get(c, ()) for c in self.key.chars))
            family_figures = self.index.by_family.get(family, ())
            self._best[family] = max((self.score(i) for i in family_figures if i in self._candidates), default=0.0)
        return self._best[family]

    def best_anywhere(self) -> float:
        """The best score of the name over every figure of the source, whatever its unit."""
        return max((self.best(family) for family in self.index.by_family), default=0.0)

    def fits(self, i: int) -> bool:
        """The name is about figure i: it scores well there, and no figure of its kind fits much better."""
        if self.key.weak:
            return True
        s = self.score(i)
        if s < self.t_min or not attribution.speaks_of(self.key, self.index.contexts[i]):
            return False
        best = self.best(self.index.figures[i].family)
        if attribution.label_within(self.key, self.index.contexts[i]):
            return s >= best - LABEL_MARGIN
        return s >= best - MARGIN and not self._outnamed(i)

    def _outnamed(self, i: int) -> bool:
        """Another figure of the sentence is named by part of the name and figure i is not.

        受理信访案件671宗,已办结634宗: 已办结信访案件 is 634, whose clause 已办结 it spells out,
        though 671's clause shares more of its characters.
        """
        ctx, family = self.index.contexts[i], self.index.figures[i].family
        floor = max(self.t_min, self.best(family) - LABEL_MARGIN)
        return any(
            j != i
            and self.index.contexts[j].sentence == ctx.sentence
            and attribution.label_within(self.key, self.index.contexts[j])
            and self.score(j) >= floor
            for j in self.index.by_family.get(family, ())
        )


def _judge(
    index: SourceIndex,
    want: Quantity,
    key: attribution.NameKey,
    quote_spans: list[tuple[int, int]],
    *,
    t_min: float = T_MIN,
    prefer: tuple[int, int] | None = None,
    lost_quote: bool = False,
) -> _Verdict:
    """The status of one figure (value + unit) named ``key``, looked for in ``quote_spans`` first.

    ``lost_quote`` says that a quote was given but not found, which the detail then mentions.
    """
    levels = matches(index, want)
    fit = _Fit(index, key, t_min)

    def rank(i: int) -> tuple[float, bool]:
        return fit.score(i), prefer is not None and prefer[0] <= index.figures[i].start < prefer[1]

    def inside(i: int) -> bool:
        q = index.figures[i]
        return any(s <= q.number_start and q.number_end <= e for s, e in quote_spans)

    same = sorted((i for i, m in levels.items() if m.level != "digits"), key=rank, reverse=True)
    digits = sorted((i for i, m in levels.items() if m.level == "digits"), key=rank, reverse=True)
    fitted = [i for i in same if fit.fits(i)]
    want_text = f"{want.value_text}{want.unit}"

    def verdict(status: str, i: int | None, detail: str) -> _Verdict:
        note = levels[i].note if i is not None and status in ("verified", "unit_mismatch") else ""
        return _Verdict(status, detail + note, i)

    if not quote_spans:
        lost = " (the quote itself was not found)" if lost_quote else ""
        if fitted:
            return verdict("verified", fitted[0], f"{_fig(index, fitted[0])} stated in the source{lost}")
        if derived := _derived(index, want, key, None):
            return derived
        if same:
            where = _where(index, same[0])
            return verdict("misattributed", same[0], f"{want_text} is stated only at {where}, about another indicator")
        if fitted_digits := [i for i in digits if fit.fits(i)]:
            top = fitted_digits[0]
            return verdict("unit_mismatch", top, f"the source states {_fig(index, top)} here, not {want_text}")
        return verdict("unsupported", None, f"{want_text} is not stated anywhere in the source")

    if in_quote := [i for i in same if inside(i)]:
        top = in_quote[0]
        if fit.fits(top):
            return verdict("verified", top, f"{_fig(index, top)} stated in the quote")
        if fitted:
            where = _where(index, fitted[0])
            return verdict("verified", fitted[0], f"{_fig(index, fitted[0])} stated for this indicator at {where}, not the quote's")
        if fit.best_anywhere() < t_min and attribution.speaks_of(key, index.contexts[top]):
            # The name fits no figure of the source: worded differently (财政收入 for 一般公共预算收入),
            # not taken from another indicator. The quote is the evidence.
            return verdict("verified", top, f"{_fig(index, top)} stated in the quote, worded {_where(index, top)}")
        where = _where(index, top)
        return verdict("misattributed", top, f"{_fig(index, top)} in the quote belongs to {where}, not to this indicator")
    sentences = {attribution.sentence_span(index.text, s) for s, _ in quote_spans}
    if near := [i for i in fitted if index.contexts[i].sentence in sentences]:
        return verdict("verified", near[0], f"{_fig(index, near[0])} stated next to the quote")
    # Figures of the metric's kind in the quote that the name is about: the quote's own answer.
    rivals = [i for i in index.by_family.get(want.family, ()) if inside(i) and i not in levels and fit.fits(i)]
    told = f"; the quote states {_fig(index, rivals[0])} for this indicator" if rivals else ""
    digits_in = [i for i in digits if inside(i)]
    if digits_in and (fit.fits(digits_in[0]) or not rivals):
        return verdict("unit_mismatch", digits_in[0], f"the quote states {_fig(index, digits_in[0])}, not {want_text}")
    if derived := _derived(index, want, key, sentences):
        return derived
    if fitted and not rivals:
        return verdict("verified", fitted[0], f"{_fig(index, fitted[0])} stated for this indicator (not in the quote)")
    if same:
        return verdict("misattributed", same[0], f"{want_text} is stated at {_where(index, same[0])}, not in the quote{told}")
    if digits_in:
        top = digits_in[0]
        return verdict("misattributed", top, f"{_fig(index, top)} in the quote belongs to {_where(index, top)}{told}")
    return verdict("unsupported", None, f"{want_text} is not stated in the quote or anywhere in the source{told}")


def _derived(
    index: SourceIndex, want: Quantity, key: attribution.NameKey, sentences: set[tuple[int, int]] | None
) -> _Verdict | None:
    """A percent that is not stated but is a ratio of two counts in the name's (or quote's) sentence."""
    verb = re.search(r"([\u4e00-\u9fff]{2})率", key.core)
    if want.family != "percent" or not verb:
        return None
    places = arithmetic.decimals(want.value_text)
    for r in index.ratios:
        if not arithmetic.agrees(want.value, r.percent, places) or verb.group(1) not in _clause_of(index, r.numerator):
            continue
        sent_text = index.text[r.sentence[0] : r.sentence[1]]
        if (sentences is not None and r.sentence not in sentences) or attribution.text_score(key, sent_text) < T_MIN:
            continue
        n, d = (index.text[q.start : q.end] for q in (r.numerator, r.denominator))
        return _Verdict("derived", f"not stated; {n} / {d} = {r.percent:.4g}%, written {want.value_text}{want.unit}")
    return None


def _clause_of(index: SourceIndex, q: Quantity) -> str:
    s, e = attribution.sentence_span(index.text, q.start, attribution.CLAUSE_BREAKS)
    return index.text[s:e]


# --------------------------------------------------------------------------- metrics


def check_metric(metric: Metric, source: Document | str | SourceIndex, report_year: int | None = None) -> Check:
    """Check one metric against the source.

    Args:
        metric: the metric (its ``check`` is ignored).
        source: the source Document, its text, or a SourceIndex (fastest for many metrics).
        report_year: the year reviewed, which 今年/全年 in the source stand for (period check).

    Returns:
        The Check: status, detail, the evidence span in the source, and the kind/period flags.
    """
    index = index_source(source)
    want = as_quantity(abs(metric.value), metric.unit, metric.qualifier, _value_text(metric))
    spans = _quote_spans(index, metric)
    lost = bool(metric.quote.strip()) and not spans
    verdict = _judge(index, want, attribution.name_key(metric.name), spans, lost_quote=lost)
    detail = verdict.detail + (" (sign ignored: a decline is said in the name)" if metric.value < 0 else "")
    figure = index.figures[verdict.figure] if verdict.figure is not None else None
    pos = figure.start if figure is not None else (spans[0][0] if spans else None)
    kind_ok, kind_note = sanity.kind_ok(index, metric, pos)
    period_ok, period_note = sanity.period_ok(index, metric, pos, report_year)
    notes = "; ".join(n for n in (kind_note, period_note) if n)
    return Check(
        status=verdict.status,  # type: ignore[arg-type]
        detail=detail + (f"; {notes}" if notes else ""),
        span=(figure.start, figure.end) if figure is not None else None,
        kind_ok=kind_ok,
        period_ok=period_ok,
        quote_found=bool(spans) if metric.quote.strip() else None,
    )


def _value_text(metric: Metric) -> str:
    text = to_halfwidth(metric.value_text).strip()
    return text if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", text) else number_text(abs(metric.value))


def _quote_spans(index: SourceIndex, metric: Metric) -> list[tuple[int, int]]:
    if metric.span and metric.quote and index.text[metric.span[0] : metric.span[1]] == metric.quote:
        return [(metric.span[0], metric.span[1])]
    return locate(index, metric.quote)


# --------------------------------------------------------------------------- free text


def check_free_text(report: Report, index: SourceIndex) -> list[FigureCheck]:
    """Check the figures inside the overview and each item's title and text.

    The words around a figure in the field serve as its name; the item's own source span, when
    known, is preferred among equal places.
    """
    fields: list[tuple[str, str, tuple[int, int] | None]] = [("overview", report.overview, None)]
    for section in ("review", "problems", "plans"):
        items: list[Item] = getattr(report, section)
        for n, item in enumerate(items):
            fields.append((f"{section}[{n}].title", item.title, item.span))
            fields.append((f"{section}[{n}].text", item.text, item.span))
    out = []
    for path, value, prefer in fields:
        found = [q for q in find_quantities(value, chinese=False) if is_figure(value, q)]
        contexts = attribution.build_contexts(value, found)
        for q, ctx in zip(found, contexts):
            words = value[ctx.segment[0] : ctx.segment[1]].replace(value[q.start : q.end], "")
            want = as_quantity(q.value, q.unit, q.qualifier, q.value_text)
            verdict = _judge(index, want, attribution.name_key(words), [], t_min=T_FREE, prefer=prefer)
            fig = index.figures[verdict.figure] if verdict.figure is not None else None
            out.append(
                FigureCheck(
                    path=path,
                    text=value[q.start : q.end],
                    status=verdict.status,  # type: ignore[arg-type]
                    detail=verdict.detail,
                    span=(fig.start, fig.end) if fig is not None else None,
                )
            )
    return out


# --------------------------------------------------------------------------- the whole report


def validate(report: Report | dict[str, Any], source: Document | str | SourceIndex) -> Report:
    """Check every figure of ``report`` against ``source`` and fill ``report.validation``.

    Args:
        report: a Report, or a dict in the Report JSON shape where only ``metrics[*].name/value/
            unit/quote`` (and item ``text``) must be present; the rest gets its defaults.
        source: the source Document, its text, or a SourceIndex from ``index_source``.

    Returns:
        A new Report whose every metric carries a ``check`` (and a ``span`` where its quote was
        found) and whose ``validation`` holds the counts, coverage, missed figures, the source's
        own inconsistencies and the free-text figure checks.

    Raises:
        ReportValidationError: ``report`` is not in the Report shape (the message names the field).
    """
    checked = as_report(report)
    index = index_source(source)
    metrics = []
    for m in checked.metrics:
        check = check_metric(m, index, checked.meta.report_year)
        span = m.span
        if not (span and index.text[span[0] : span[1]] == m.quote):
            spans = locate(index, m.quote)
            span = next((s for s in spans if check.span and s[0] <= check.span[0] < s[1]), spans[0] if spans else None)
            span = span if span and index.text[span[0] : span[1]] == m.quote else None
        metrics.append(m.model_copy(update={"check": check, "span": span}))
    figures = check_free_text(checked, index)
    counts = Counter(m.check.status for m in metrics)
    carried = [m.check.span for m in metrics if m.check.status == "verified" and m.check.span]
    carried += [f.span for f in figures if f.status == "verified" and f.span]
    covered, missed = _coverage(index, carried)
    total = len(index.coverage_figures)
    validation = Validation(
        counts={s: counts.get(s, 0) for s in CHECK_STATUSES},
        checked=len(metrics),
        flagged=sum(1 for m in metrics if is_flagged(m.check)),
        coverage=round(covered / total, 4) if total else None,
        source_figures=total,
        missed=missed,
        inconsistencies=inconsistencies(index),
        figures=figures,
    )
    return checked.model_copy(update={"metrics": metrics, "validation": validation})


def is_flagged(check: Check) -> bool:
    """What ``validation.flagged`` counts: a failing status, or a kind or period that contradicts the source."""
    return check.status not in _OK or check.kind_ok is False or check.period_ok is False


def _coverage(index: SourceIndex, carried: list[tuple[int, int]]) -> tuple[int, list[SourceFigure]]:
    covered, missed = 0, []
    for q, section in index.coverage_figures:
        if any(s < q.end and q.start < e for s, e in carried):
            covered += 1
            continue
        clause = attribution.sentence_span(index.text, q.start, attribution.CLAUSE_BREAKS)
        missed.append(
            SourceFigure(
                text=index.text[q.start : q.end],
                span=(q.start, q.end),
                section=section,  # type: ignore[arg-type]
                context=index.text[clause[0] : clause[1]].strip(),
            )
        )
    return covered, missed


def inconsistencies(source: Document | str | SourceIndex) -> list[Inconsistency]:
    """Stated rates that their own numerator and denominator do not give (rounding allowed)."""
    index = index_source(source)
    out = []
    for rc in index.rate_checks:
        if rc.consistent:
            continue
        t = index.text
        n, d, r = rc.numerator, rc.denominator, rc.rate
        out.append(
            Inconsistency(
                detail=f"{rc.name} {t[r.start:r.end]} is stated, but {t[n.start:n.end]} / {t[d.start:d.end]}"
                f" = {rc.computed:.2f}%",
                stated=r.value,
                computed=round(rc.computed, 4),
                span=(r.start, r.end),
                name=rc.name,
                numerator=n.normalized[0],
                denominator=d.normalized[0],
            )
        )
    return out
