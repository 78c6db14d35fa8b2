"""The source's own arithmetic: stated rates recomputed from their parts. SourceIndex → rate checks, ratios.

A rate (整改率98.3%, 办结率94.5%, 入户率, 签约率, 完成率, 合格率 …) is checked when the same
statement states, before it, a count whose clause carries the rate's verb (已整改3502条 for 整改率)
and, before that, a count in the same unit (发现隐患3562条): 3502 / 3562 = 98.31% rounds to the
stated 98.3%. When the numerator's clause names its own object, the whole must name it too
(完成人才技能认定864人 is no share of 硕博士17人). A rate with no such pair (入户75282户次,入户率100%)
is left alone, and so are counts with no rate (新受理信访件21件,已办结25件: cases carried over).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import lexicon
from ..index import SourceIndex, fold_words
from ._attribution import name_key

_RATE_BEFORE = re.compile(r"([\u4e00-\u9fff]{2})率(?:达到|达|为|是|约|共)?\s*$")
# Hedges that turn a stated rate into a bound: 超98% is at least 98%, 近98% at most 98%.
_AT_LEAST, _AT_MOST, _ABOUT = lexicon.HEDGES_AT_LEAST, lexicon.HEDGES_AT_MOST, lexicon.HEDGES_ABOUT
_NO_RATIO = ("percent", "permille", "points", "time", "age")


@dataclass(frozen=True)
class RateCheck:
    """A stated rate recomputed from the two counts in its statement (figures by index position)."""

    name: str  # the rate word as written, e.g. 整改率
    rate: int
    numerator: int
    denominator: int
    computed: float  # numerator / denominator × 100
    consistent: bool  # the stated rate is the computed one rounded (or cut) to its decimals


def decimals(value_text: str) -> int:
    """Number of decimals written: "98.3" → 1, "100" → 0, "99.87" → 2."""
    _, dot, frac = value_text.partition(".")
    return len(frac) if dot else 0


def agrees(stated: float, computed: float, places: int, qualifier: str | None = None) -> bool:
    """True when ``computed`` written with ``places`` decimals (rounded or truncated) gives ``stated``.

    A hedge widens the test: 超 stated means computed ≥ stated, 近 means computed ≤ stated, 约
    allows one unit of the last written place either way.
    """
    unit = 10.0**-places
    tol = unit / 2 + 1e-9
    if qualifier in _AT_LEAST:
        return computed >= stated - tol
    if qualifier in _AT_MOST:
        return computed <= stated + tol
    if qualifier in _ABOUT:
        return abs(computed - stated) <= max(unit, 1.0) + 1e-9
    return abs(computed - stated) <= tol or 0 <= computed - stated < unit  # rounded, or cut off


def _statement_start(index: SourceIndex, pos: int) -> int:
    """Where the statement around ``pos`` starts: a sentence end or a semicolon, within its sentence."""
    s0, _ = index.sentences[index.sentence_at(pos)]
    return max([index.view.rfind(ch, s0, pos) for ch in lexicon.SEMICOLONS] + [s0 - 1]) + 1


def _clause_text(index: SourceIndex, i: int, floor: int) -> str:
    c = index.clauses[index.figures[i].clause]
    return index.view[max(c.start, floor) : c.end]


def rate_checks(index: SourceIndex) -> list[RateCheck]:
    """Every stated rate whose numerator and denominator stand before it in its statement."""
    view, figs = index.view, index.figures
    checks = []
    for i, f in enumerate(figs):
        rate = f.quantity
        if f.family != "percent" or lexicon.to_halfwidth(rate.unit) != "%" or rate.high is not None:
            continue  # the family first: kept on the figure, it is a percent's for every % (or ％) unit
        start = _statement_start(index, rate.start)
        m = _RATE_BEFORE.search(view, max(start, rate.start - 12), rate.start)
        if not m:
            continue
        verb = m.group(1)
        before = [j for j in index.figures_between(start, rate.start) if figs[j].quantity.unit and figs[j].quantity.family != "percent"]
        numerator = next((j for j in reversed(before) if verb in _clause_text(index, j, start)), None)
        if numerator is None:
            continue
        n = figs[numerator].quantity
        obj = _object(index, numerator, start, verb)
        denominator = next(
            (
                j for j in reversed(before)
                if figs[j].quantity.end <= n.start
                and figs[j].quantity.normalized[1] == n.normalized[1]
                and (len(obj) < 2 or len(obj & set(fold_words(_clause_text(index, j, start)))) >= 2)
            ),
            None,
        )
        if denominator is None or figs[denominator].quantity.normalized[0] == 0:
            continue
        computed = n.normalized[0] / figs[denominator].quantity.normalized[0] * 100
        ok = agrees(rate.value, computed, decimals(rate.value_text), rate.qualifier)
        checks.append(RateCheck(verb + "率", i, numerator, denominator, computed, ok))
    return checks


def _object(index: SourceIndex, i: int, floor: int, verb: str) -> set[str]:
    """What the numerator's clause says was done, less the deed itself: 人才技能认定, or nothing."""
    q = index.figures[i].quantity
    words = _clause_text(index, i, floor).replace(index.view[q.start : q.end], "").replace(verb, "")
    return set(name_key(words).core) if fold_words(words) else set()


@dataclass(frozen=True)
class Ratio:
    """Two counts of one statement in the same unit: what a rate over them would be."""

    numerator: int
    denominator: int
    percent: float


def ratios(index: SourceIndex, sentence: int) -> list[Ratio]:
    """Every part/whole pair of same-unit counts within one sentence (part ≤ whole), as a percent.

    These are the rates a summary may state that the source does not (整改率98.32% from
    3502/3562); the check reports such a metric as ``derived``.
    """
    qs = [j for j in index.sentence_figures(sentence)
          if (q := index.figures[j].quantity).unit and q.family not in _NO_RATIO and q.high is None]
    out = []
    for a in qs:
        for b in qs:
            qa, qb = index.figures[a].quantity, index.figures[b].quantity
            if a == b or qa.normalized[1] != qb.normalized[1]:
                continue
            part, whole = qa.normalized[0], qb.normalized[0]
            if 0 < part <= whole:
                out.append(Ratio(a, b, part / whole * 100))
    return out

