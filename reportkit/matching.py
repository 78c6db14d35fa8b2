"""Where a figure stands in a source: the source index, quote lookup and value matching. Source → SourceIndex; value + unit → matching figures.

The source is scanned once (Chinese numerals included, item markers skipped) and every figure is
indexed by the number as written and by its normalised amount, so a value is looked up, not
searched for. A source figure matches a wanted value + unit at one of three levels:

- ``exact``: the same number in the same unit (超5亿元 for 5亿元; either end of 3-5万元; a unit whose
  base is left implicit, 6亿 for 6亿元);
- ``converted``: the same amount in the same base unit at another scale (1342000万元 or
  13420000000元 for 134.2亿元): the same figure, written differently;
- ``digits``: the same number at another scale or in another unit (134.2万元 for 134.2亿元,
  5% for 5个百分点): a unit mismatch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import arithmetic, attribution, cleaning
from .document import Document
from .locating import fold
from .numbers import Quantity, find_periods, find_quantities, to_halfwidth
from .rules import is_figure  # the offline engine's notion of a figure, shared on purpose
from .segmenting import Outline, scan_windows, segment

Span = tuple[int, int]
_REL_TOL = 1e-9
# Spellings of one base unit; % and ％ already agree after half-width folding.
_UNIT_SYNONYMS = {"平米": "平方米", "㎡": "平方米", "m²": "平方米", "m2": "平方米", "千米": "公里", "km": "公里",
                  "㎞": "公里", "百分点": "个百分点", "公斤": "千克", "kg": "千克", "㎏": "千克"}


@dataclass(frozen=True)
class SourceIndex:
    """A source prepared once for many checks: figures, their contexts, outline, rates, periods.

    Build it with ``index_source``; ``validate`` and ``check_metric`` accept it in place of the text.
    """

    text: str
    outline: Outline
    figures: tuple[Quantity, ...]  # every figure, Chinese numerals included, item markers skipped
    contexts: tuple[attribution.FigureContext, ...]
    by_family: dict[str, tuple[int, ...]]
    by_char: dict[str, frozenset[int]]  # a character of a figure's context → figures (a name sharing none scores 0)
    units: tuple[tuple[float, str], ...]  # (scale, base unit with synonyms folded) per figure
    by_value: dict[str, tuple[int, ...]]  # the number as written (either end of a range) → figures
    by_amount: dict[tuple[str, str], tuple[int, ...]]  # (value × scale, base unit) → figures
    coverage_figures: tuple[tuple[Quantity, str], ...]  # (figure, section) as the rules engine counts them
    rate_checks: tuple[arithmetic.RateCheck, ...]
    ratios: tuple[arithmetic.Ratio, ...]
    periods: tuple[tuple[int, int, str], ...]
    loose: str  # the text folded for quote lookup, as locating.fold does for the LLM engine's quotes
    loose_at: tuple[int, ...]  # loose[i] comes from text[loose_at[i]]


def index_source(source: Document | str | SourceIndex) -> SourceIndex:
    """Scan a source once: figures, clause contexts, outline, rates, periods.

    Args:
        source: a Document (its boilerplate ranges are used, or found when it has none), the
            source text, or an index already built (returned as is).

    Returns:
        The SourceIndex that the checks work from. Coverage counts the figures of the review and
        plans sections (of the whole content when the outline has neither), as the offline
        engine's ``is_figure`` defines a figure.
    """
    if isinstance(source, SourceIndex):
        return source
    doc = source if isinstance(source, Document) else Document.from_text(source)
    doc = cleaning.with_boilerplate(doc)
    text = doc.text
    outline = segment(text, doc.boilerplate)
    windows = scan_windows(0, len(text), outline.markers)
    figures = tuple(q for s, e in windows for q in find_quantities(text, s, e, chinese=True))
    units = tuple(_unit(q.unit) for q in figures)
    by_family: dict[str, list[int]] = {}
    by_value: dict[str, list[int]] = {}
    by_amount: dict[tuple[str, str], list[int]] = {}
    for i, q in enumerate(figures):
        by_family.setdefault(q.family, []).append(i)
        for v in (q.value, q.high):
            if v is not None:
                by_value.setdefault(_key(v), []).append(i)
        by_amount.setdefault((_key(q.value * units[i][0]), units[i][1]), []).append(i)
    content = [w for c0, c1 in doc.content_ranges for w in scan_windows(c0, c1, outline.markers)]
    kinds = outline.kinds_present()
    counted = ("review", "plans") if kinds["review"] or kinds["plans"] else ("review", "plans", "other")
    coverage = tuple(
        (q, section)
        for s, e in content
        for q in find_quantities(text, s, e)
        if is_figure(text, q) and (section := outline.section_at(q.start)) in counted
    )
    loose, loose_at = fold(text)
    contexts = tuple(attribution.build_contexts(text, list(figures)))
    by_char: dict[str, set[int]] = {}
    for i, ctx in enumerate(contexts):
        for key in ctx.weights:
            if len(key) == 1:
                by_char.setdefault(key, set()).add(i)
    return SourceIndex(
        text=text,
        outline=outline,
        figures=figures,
        contexts=contexts,
        by_family={k: tuple(v) for k, v in by_family.items()},
        by_char={k: frozenset(v) for k, v in by_char.items()},
        units=units,
        by_value={k: tuple(v) for k, v in by_value.items()},
        by_amount={k: tuple(v) for k, v in by_amount.items()},
        coverage_figures=coverage,
        rate_checks=tuple(arithmetic.rate_checks(text, list(figures))),
        ratios=tuple(arithmetic.ratios(text, list(figures))),
        periods=tuple(p for s, e in windows for p in find_periods(text, s, e)),
        loose=loose,
        loose_at=tuple(loose_at),
    )


def locate(index: SourceIndex, quote: str) -> list[Span]:
    """Every place ``quote`` stands in the source: verbatim, else ignoring spaces, width and quote marks.

    The spans index the source text; for a loose match they run from the first to the last
    matched character, so ``text[start:end]`` may differ from the quote in spacing only.
    """
    quote = quote.strip()
    if not quote:
        return []
    spans, at = [], index.text.find(quote)
    while at >= 0:
        spans.append((at, at + len(quote)))
        at = index.text.find(quote, at + 1)
    if spans:
        return spans
    loose = fold(quote.strip(" \u3002;,\uff1b\uff0c"))[0]
    at = index.loose.find(loose) if loose else -1
    while at >= 0:
        spans.append((index.loose_at[at], index.loose_at[at + len(loose) - 1] + 1))
        at = index.loose.find(loose, at + 1)
    return spans


def _key(x: float) -> str:
    return f"{x:.9g}"


def _unit(unit: str) -> tuple[float, str]:
    q = as_quantity(1.0, unit)
    return q.scale, _UNIT_SYNONYMS.get(q.base_unit, q.base_unit)


def number_text(x: float) -> str:
    """A value as a person writes it: 134.2, 13420000000 (no exponent, no float noise)."""
    text = f"{x:.12f}".rstrip("0").rstrip(".")
    return text if abs(x) < 1e15 else f"{x:.12g}"


def as_quantity(value: float, unit: str, qualifier: str | None = None, value_text: str = "") -> Quantity:
    """A Quantity for a value + unit given outside any text (a metric), for the unit properties."""
    unit = to_halfwidth(unit).strip()
    return Quantity(value, value_text or number_text(value), unit, qualifier, 0, 0, 0, 0, None)


@dataclass(frozen=True)
class Match:
    """How one source figure matches a wanted value: ``exact``, ``converted`` or ``digits``."""

    level: str
    note: str = ""  # what the reader should know: a conversion, a range end, an implicit unit


def matches(index: SourceIndex, want: Quantity) -> dict[int, Match]:
    """The source figures (by position in ``index.figures``) that match ``want`` at some level."""
    ws, wb = _unit(want.unit)
    found = set(index.by_value.get(_key(want.value), ())) | set(index.by_amount.get((_key(want.value * ws), wb), ()))
    return {i: m for i in found if (m := _match(index.figures[i], index.units[i], want, (ws, wb))) is not None}


def _match(q: Quantity, q_unit: tuple[float, str], want: Quantity, want_unit: tuple[float, str]) -> Match | None:
    (qs, qb), (ws, wb) = q_unit, want_unit
    low = math.isclose(q.value, want.value, rel_tol=_REL_TOL)
    high = q.high is not None and math.isclose(q.high, want.value, rel_tol=_REL_TOL)
    end = f" (the {'lower' if low else 'upper'} end of a range)" if q.high is not None else ""
    same_scale = math.isclose(qs, ws)
    if (low or high) and same_scale and qb == wb:
        return Match("exact", end)
    if (low or high) and same_scale and qs > 1 and (not qb or not wb):
        return Match("exact", f" (the unit {qb or wb} left implicit){end}")
    comparable = qb == wb and (qb or (qs > 1 and ws > 1))  # 6亿 and 60000万 are amounts too
    if comparable and q.high is None and math.isclose(q.value * qs, want.value * ws, rel_tol=_REL_TOL):
        return Match("converted", f" (the same quantity: {want.value_text}{want.unit} = {q.value_text}{q.unit})")
    if low or high:
        return Match("digits", end)
    return None


def stated_in(index: SourceIndex, value: float, unit: str, span: Span | None) -> bool:
    """True when ``value`` + ``unit`` (at any scale) is stated inside ``span`` of the source."""
    if span is None:
        return False
    return any(
        m.level != "digits" and span[0] <= index.figures[i].start < span[1]
        for i, m in matches(index, as_quantity(value, unit)).items()
    )
