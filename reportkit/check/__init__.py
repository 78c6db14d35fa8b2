"""The figure check: every figure of a summary looked up in its source. Report + source → checked Report.

Statuses (``Check.status``), decided per metric:

- ``verified``: the value with its unit is stated in the source for this indicator. A value given at
  another scale but equal as a quantity in the same base unit (13420000000元 or 1342000万元 for
  134.2亿元) is the same figure: verified, with the conversion in ``detail``.
- ``unit_mismatch``: the digits are there but at another scale or in another unit (134.2万元 for
  134.2亿元; 5% for 5个百分点, which are not interchangeable).
- ``misattributed``: the value is stated, but for another indicator: the figure in the quote is
  about something the name does not name, or the name names another figure of its sentence or
  list; or the value stands outside the quote while the quote states another figure for it.
- ``unsupported``: the source states the value nowhere.
- ``derived``: not stated, but a rate computable from two counts of one sentence (整改率98.32%
  from 3502/3562), with the computation in ``detail``.

Which indicator a figure is about comes from the clause structure the index reads (the change and
rate clauses after an amount belong to the amount's indicator; 分别 lists pair in order; a list
``A x个、B y套`` gives x to A and y to B); whether a name names it is ``_attribution``'s business.
A signed value is taken as written (增长-1.5% is -1.5); a positive value for a figure written with
a minus sign is accepted when the name says the decline. ``kind_ok``/``period_ok`` (``_labels``)
flag labels that contradict the source and never change the status. Free-text figures (overview,
item titles and texts) are checked the same way, with the words around each figure as its name.
``validate`` adds coverage of the source's review and plan figures and the rates where the source
itself does not add up (``_arithmetic``).

The source is indexed once (``reportkit.index.build_index``); pass the SourceIndex instead of the
text to check many reports or metrics against one source.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from typing import Any

from .. import lexicon
from ..document import Document
from ..index import SourceIndex, build_index
from ..numbers import find_quantities, is_figure
from ..schema import CHECK_STATUSES, Check, FigureCheck, Inconsistency, Item, Metric, Report, SourceFigure, Validation
from . import _arithmetic, _labels
from ._attribution import T_FREE, Namer, name_key
from ._coercion import _coerce, as_report
from ._judge import judge
from ._values import as_quantity, number_text

__all__ = ["SourceIndex", "as_report", "build_index", "check_free_text", "check_metric", "inconsistencies", "is_flagged", "validate"]

_OK = ("verified", "derived")
_PENDING = Check()  # every metric's check while a dict report is read: each is replaced by its own before validate returns
_DECLINE = tuple(lexicon.DOWN_WORDS)


def check_metric(metric: Metric, source: Document | str | SourceIndex, report_year: int | None = None) -> Check:
    """Check one metric against the source.

    Args:
        metric: the metric (its ``check`` is ignored).
        source: the source Document, its text, or a SourceIndex (fastest for many metrics).
        report_year: the year reviewed, which 今年/全年 in the source stand for (period check).

    Returns:
        The Check: status, detail, the evidence span in the source, and the kind/period flags.
    """
    index = build_index(source)
    return _check(metric, index, report_year)[0]


def _check(metric: Metric, index: SourceIndex, report_year: int | None) -> tuple[Check, list[tuple[int, int]]]:
    """The Check of one metric and the places of its quote (text offsets)."""
    quote_spans = _quote_spans(index, metric)
    view_spans = quote_spans if index.view_at is None else [(index.to_view(s), index.to_view(e - 1) + 1) for s, e in quote_spans]
    lost = bool(metric.quote.strip()) and not quote_spans
    namer = _namer(index, metric.name)
    want = as_quantity(metric.value, metric.unit, metric.qualifier, _value_text(metric))
    verdict = judge(index, want, namer, view_spans, lost_quote=lost)
    note = ""
    if verdict.status not in _OK and (flipped := _flipped(metric)) is not None:
        again = judge(index, as_quantity(flipped, metric.unit, metric.qualifier, number_text(abs(flipped))), namer, view_spans, lost_quote=lost)
        if again.status in _OK or verdict.status == "unsupported" and again.status != "unsupported":
            said = "the name says the decline" if flipped < 0 else "the source says the decline in words"
            verdict, note = again, f" (sign ignored: the source writes {number_text(flipped)}, {said})"
    figure = index.figures[verdict.figure] if verdict.figure is not None else None
    pos = figure.quantity.start if figure is not None else (view_spans[0][0] if view_spans else None)
    section = figure.section if figure is not None else (index.outline.section_at(quote_spans[0][0]) if quote_spans else None)
    kind_ok, kind_note = _labels.kind_ok(index, metric, pos, section, want.family)  # want's unit is the metric's
    period_ok, period_note = _labels.period_ok(index, metric, pos, section, report_year)
    notes = f"{kind_note}; {period_note}" if kind_note and period_note else kind_note or period_note
    return Check(  # validated: pydantic-core's __init__ (~4 us) is cheaper than model_construct (~7 us) here
        status=verdict.status,  # type: ignore[arg-type]
        detail=verdict.detail + note + (f"; {notes}" if notes else ""),
        span=figure.span if figure is not None else None,
        kind_ok=kind_ok,
        period_ok=period_ok,
        quote_found=bool(quote_spans) if metric.quote.strip() else None,
    ), quote_spans


def _namer(index: SourceIndex, name: str) -> Namer:
    """The Namer of ``name`` on ``index``, kept on the index: a name asked again (repeated in a report,
    or a report checked again against its source) reuses the scores and fits it has found, which
    depend on the name and the source alone."""
    namers = index.memo.get(_NAMERS)
    if namers is None:
        namers = index.memo[_NAMERS] = {}
    namer = namers.get(name)
    if namer is None:
        namer = namers[name] = Namer(index, name_key(name))
    return namer


_NAMERS = ("namers",)


def _flipped(metric: Metric) -> float | None:
    """The value with the other sign, where a sign may be said in words: -3.2 for 下降3.2, 1.5 for -1.5."""
    if metric.value < 0:
        return -metric.value
    if metric.value > 0 and any(w in metric.name for w in _DECLINE):
        return -metric.value
    return None


_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def _value_text(metric: Metric) -> str:
    if not metric.value_text:
        return number_text(abs(metric.value))
    text = lexicon.to_halfwidth(metric.value_text).strip()
    return text.lstrip("+-") if _PLAIN_NUMBER.fullmatch(text) else number_text(abs(metric.value))


def _quote_spans(index: SourceIndex, metric: Metric) -> list[tuple[int, int]]:
    if metric.span and metric.quote and index.text[metric.span[0] : metric.span[1]] == metric.quote:
        return [(metric.span[0], metric.span[1])]
    return index.find_quote(metric.quote)


# --------------------------------------------------------------------------- free text


_FIELD_BREAK = re.compile(f"[{lexicon.char_class(lexicon.CLAUSE_BREAKS + lexicon.ENUMERATION_COMMA)}]")
# The words a free-text figure is named by stop this far from it even without a clause break: an item
# written without punctuation (计划完成投资1亿元增长2%计划完成投资…) would otherwise name each of its n
# figures by the whole item, and the check would read n² characters. An indicator's words sit well
# inside this distance in the genre's clauses.
_FIELD_WORDS_REACH = 48


def _field_clause(breaks: list[int], length: int, start: int, end: int) -> tuple[int, int]:
    """The clause of a free-text field around [start, end), from the field's break offsets (sorted)."""
    i = bisect_left(breaks, start)
    j = bisect_left(breaks, end)
    return (breaks[i - 1] + 1 if i else 0), (breaks[j] if j < len(breaks) else length)


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
        breaks = [m.start() for m in _FIELD_BREAK.finditer(value)]
        for q in find_quantities(value, chinese=False):
            if not is_figure(value, q):
                continue
            s, e = _field_clause(breaks, len(value), q.start, q.end)
            s, e = max(s, q.start - _FIELD_WORDS_REACH), min(e, q.end + _FIELD_WORDS_REACH)
            words = value[s:q.start] + value[q.end:e]
            want = as_quantity(q.value, q.unit, q.qualifier, q.value_text)
            near = (index.to_view(prefer[0]), index.to_view(prefer[1] - 1) + 1) if prefer else None
            verdict = judge(index, want, _namer(index, words), [], t_min=T_FREE, prefer=near)
            fig = index.figures[verdict.figure] if verdict.figure is not None else None
            out.append(FigureCheck(path=path, text=value[q.start : q.end], status=verdict.status,  # type: ignore[arg-type]
                                   detail=verdict.detail, span=fig.span if fig is not None else None))
    return out


# --------------------------------------------------------------------------- the whole report


def validate(report: Report | dict[str, Any], source: Document | str | SourceIndex) -> Report:
    """Check every figure of ``report`` against ``source`` and fill ``report.validation``.

    Args:
        report: a Report, or a dict in the Report JSON shape where only ``metrics[*].name/value/
            unit/quote`` (and item ``text``) must be present; the rest gets its defaults.
        source: the source Document, its text, or a SourceIndex from ``reportkit.index.build_index``.

    Returns:
        A new Report whose every metric carries a ``check`` (and a ``span`` where its quote was
        found) and whose ``validation`` holds the counts, coverage, missed figures, the source's
        own inconsistencies and the free-text figure checks.

    Raises:
        ReportValidationError: ``report`` is not in the Report shape (the message names the field).

    Example:
        >>> checked = validate({"metrics": [{"name": "地区生产总值", "value": 134.2, "unit": "亿元",
        ...     "quote": "地区生产总值134.2亿元"}]}, "全年实现地区生产总值134.2亿元,同比增长5.2%。")
        >>> checked.metrics[0].check.status
        'verified'
    """
    checked, owned = _coerce(report, _PENDING)  # owned: built here from a dict, so filled in place (its values are validated)
    index = build_index(source)
    metrics, carried = [], set()
    for m in checked.metrics:
        check, spans = _check(m, index, checked.meta.report_year)  # figure facts kept on the index, shared by every metric
        span = m.span
        if not (span and index.text[span[0] : span[1]] == m.quote):
            span = _quote_span(index, m.quote, spans, check.span)
        if owned:
            m.check, m.span = check, span
        else:
            m = m.model_copy(update={"check": check, "span": span})
        metrics.append(m)
        if check.status == "verified" and check.span:
            carried.add(check.span)
    figures = check_free_text(checked, index)
    carried |= {f.span for f in figures if f.status == "verified" and f.span}
    counts = Counter(m.check.status for m in metrics)
    missed = [_missed(index, i) for i in index.coverage if index.figures[i].span not in carried]
    total = len(index.coverage)
    validation = Validation(
        counts={s: counts.get(s, 0) for s in CHECK_STATUSES},
        checked=len(metrics),
        flagged=sum(1 for m in metrics if is_flagged(m.check)),
        coverage=round((total - len(missed)) / total, 4) if total else None,
        source_figures=total,
        missed=missed,
        inconsistencies=inconsistencies(index),
        figures=figures,
    )
    if owned:
        checked.metrics, checked.validation = metrics, validation
        return checked
    return checked.model_copy(update={"metrics": metrics, "validation": validation})


def _quote_span(index: SourceIndex, quote: str, spans: list[tuple[int, int]], evidence: tuple[int, int] | None) -> tuple[int, int] | None:
    """The metric's span: the place of its quote that holds the evidence (else the first), if it is the quote verbatim."""
    span = spans[0] if spans else None
    if evidence and len(spans) > 1:
        span = next((s for s in spans if s[0] <= evidence[0] < s[1]), span)
    return span if span and index.text[span[0] : span[1]] == quote else None


def is_flagged(check: Check) -> bool:
    """What ``validation.flagged`` counts: a failing status, or a kind or period that contradicts the source."""
    return check.status not in _OK or check.kind_ok is False or check.period_ok is False


def _missed(index: SourceIndex, i: int) -> SourceFigure:
    """Figure i as a missed figure: its fields read once per index (a re-validation builds only the model)."""
    kept = index.memo.setdefault(("missed",), {})
    fields = kept.get(i)
    if fields is None:
        f = index.figures[i]
        fields = kept[i] = {"text": index.figure_text(i), "span": f.span, "section": f.section, "context": index.clause_text(i)}
    return SourceFigure(**fields)


def inconsistencies(source: Document | str | SourceIndex) -> list[Inconsistency]:
    """Stated rates that their own numerator and denominator do not give (rounding allowed)."""
    index = build_index(source)
    out = []
    checks = index.memo.get(("rate checks",))
    if checks is None:  # they depend on the source alone: found once per index
        checks = index.memo[("rate checks",)] = _arithmetic.rate_checks(index)
    for rc in checks:
        if rc.consistent:
            continue
        r, n, d = (index.figures[i] for i in (rc.rate, rc.numerator, rc.denominator))
        out.append(
            Inconsistency(
                detail=f"{rc.name} {index.figure_text(rc.rate)} is stated, but {index.figure_text(rc.numerator)}"
                f" / {index.figure_text(rc.denominator)} = {rc.computed:.2f}%",
                stated=r.quantity.value,
                computed=round(rc.computed, 4),
                span=r.span,
                name=rc.name,
                numerator=n.quantity.normalized[0],
                denominator=d.quantity.normalized[0],
            )
        )
    return out
