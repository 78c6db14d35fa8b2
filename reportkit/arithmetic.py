"""The source's own arithmetic: stated rates recomputed from their parts. Text + figures → rate checks.

A rate (整改率98.3%, 办结率94.5%, 入户率, 签约率, 完成率, 合格率 …) is checked when the same
sentence states, before it, a count whose clause carries the rate's verb (已整改3502条 for 整改率)
and, before that, a count in the same unit (发现隐患3562条): 3502 / 3562 = 98.31% rounds to the
stated 98.3%. When the numerator's clause names its own object, the whole must name it too
(完成人才技能认定864人 is no share of 硕博士17人). A rate with no such pair (入户75282户次,入户率100%) is left alone, and so are counts
with no rate (新受理信访件21件,已办结25件: cases carried over from the year before).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .attribution import CLAUSE_BREAKS, fold, name_key, sentence_span
from .numbers import Quantity, to_halfwidth

_RATE_BEFORE = re.compile(r"([\u4e00-\u9fff]{2})率(?:达到|达|为|是|约|共)?\s*$")
# Hedges that turn a stated rate into a bound: 超98% is at least 98%, 近98% at most 98%.
_AT_LEAST = ("超", "超过", "超出", "逾", "以上", "突破", "不低于", "不少于")
_AT_MOST = ("近", "将近", "接近", "不到", "不足", "以下", "不超过")
_ABOUT = ("约", "大约", "左右", "上下")


@dataclass(frozen=True)
class RateCheck:
    """A stated rate recomputed from the two counts in its sentence."""

    name: str  # the rate word as written, e.g. 整改率
    rate: Quantity
    numerator: Quantity
    denominator: Quantity
    computed: float  # numerator / denominator × 100

    @property
    def consistent(self) -> bool:
        """True when the stated rate is the computed one rounded (or cut) to its decimals."""
        return agrees(self.rate.value, self.computed, decimals(self.rate.value_text), self.rate.qualifier)


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


def rate_checks(text: str, figures: list[Quantity]) -> list[RateCheck]:
    """Every stated rate of ``text`` whose numerator and denominator stand in its sentence.

    Args:
        text: the source text.
        figures: its figures in order (``numbers.find_quantities``).

    Returns:
        One RateCheck per rate that could be recomputed, consistent or not.
    """
    checks = []
    for i, rate in enumerate(figures):
        if to_halfwidth(rate.unit) != "%" or rate.high is not None:
            continue
        sent_start, _ = sentence_span(text, rate.start)
        m = _RATE_BEFORE.search(text, max(sent_start, rate.start - 12), rate.start)
        if not m:
            continue
        verb = m.group(1)
        before = [q for q in figures[:i] if q.start >= sent_start and q.unit and q.family != "percent"]
        numerator = next((q for q in reversed(before) if verb in _clause(text, q, sent_start)), None)
        if numerator is None:
            continue
        # 完成人才技能认定864人 names its own object: its whole must name it too (not 硕博士17人);
        # 已整改3502条 names only the deed, and the count before it (发现隐患3562条) is its whole.
        obj = _object(text, numerator, sent_start, verb)
        denominator = next(
            (
                q
                for q in reversed(before)
                if q.end <= numerator.start
                and q.normalized[1] == numerator.normalized[1]
                and (len(obj) < 2 or len(obj & set(fold(_clause(text, q, sent_start)))) >= 2)
            ),
            None,
        )
        if denominator is None or denominator.normalized[0] == 0:
            continue
        computed = numerator.normalized[0] / denominator.normalized[0] * 100
        checks.append(RateCheck(verb + "率", rate, numerator, denominator, computed))
    return checks


def _object(text: str, q: Quantity, floor: int, verb: str) -> set[str]:
    """What the numerator's clause says was done, less the deed itself: 人才技能认定, or nothing."""
    words = _clause(text, q, floor).replace(text[q.start : q.end], "").replace(verb, "")
    return set(name_key(words).core) if fold(words) else set()


def _clause(text: str, q: Quantity, floor: int) -> str:
    """The words of q's comma clause (the verb 已整改 stands there, not in the next clause)."""
    start, end = sentence_span(text, q.start, CLAUSE_BREAKS)
    return text[max(start, floor) : end]


@dataclass(frozen=True)
class Ratio:
    """Two counts of one sentence in the same unit: what a rate over them would be."""

    numerator: Quantity
    denominator: Quantity
    percent: float
    sentence: tuple[int, int]


def ratios(text: str, figures: list[Quantity]) -> list[Ratio]:
    """Every part/whole pair of same-unit counts within one sentence (part ≤ whole), as a percent.

    These are the rates a summary may state that the source does not (整改率98.32% from
    3502/3562); the validator reports such a metric as ``derived``.
    """
    out: list[Ratio] = []
    by_sentence: dict[tuple[int, int], list[Quantity]] = {}
    for q in figures:
        if q.unit and q.family not in ("percent", "permille", "points", "time", "age") and q.high is None:
            by_sentence.setdefault(sentence_span(text, q.start), []).append(q)
    for sent, qs in by_sentence.items():
        for a in qs:
            for b in qs:
                if a is b or a.normalized[1] != b.normalized[1]:
                    continue
                part, whole = a.normalized[0], b.normalized[0]
                if 0 < part <= whole:
                    out.append(Ratio(a, b, part / whole * 100, sent))
    return out

